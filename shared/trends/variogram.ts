import { solveLinear } from '../models/index.ts';
import { median, regressedFactor, type Shrinkage, type WindowRow } from './ownTrend.ts';

/**
 * The 6-month factor from the curvature of the usage variogram (docs/trends.md, "Eighth method, pre-registered").
 *
 * The shipped 6-month factor b + b^2 extrapolates a 3-month slope b that mixes two things: lasting slopes (a change
 * that repeats in the next windows) and usage noise that lasts weeks and comes back (a change that undoes itself).
 * A 10-month history has no pair of windows two apart, so the 3-month slope alone cannot tell them apart. The mean
 * squared change of the trailing window's log level between two dates h weeks apart can, over every lag from one
 * window (K weeks) to three: lasting slopes make it grow with h^2, noise that comes back makes it level off. The
 * fitted h^2 coefficient c is the variance of the lasting weekly slopes, so K^2 c is the variance of the lasting
 * part of one window's change and K^2 c / g(K) (g(K) the measured mean squared change at lag K: the variance of the
 * observed change) the share of an observed change that lasts. Over 6 months (two windows) the lasting part repeats
 * twice: the 6-month factor is 2 x that share. Pure functions; the lags come from the sampled history rows.
 * An option (`trends.sixMonth.factor: variogram`), not the default: on one of the two draws of its pre-registered
 * rule the fit put most of the variogram's rise into a slow noise term and the calls fell below persistence.
 */

/** One lag of the variogram: h weeks, the mean squared centred change g over n accounts x origins. */
export interface LagPoint {
  readonly h: number;
  readonly g: number;
  readonly n: number;
}

/** g(h) = a + c h^2 - e exp(-(h - K) / tau), c >= 0, e >= 0; sse the sum of squared residuals over the lags. */
export interface VariogramFit {
  readonly a: number;
  readonly c: number;
  readonly e: number;
  readonly tau: number;
  readonly sse: number;
}

/** The 6-month estimate and why it is (not) usable. */
export interface VariogramEstimate {
  readonly usable: boolean;
  readonly lags: readonly LagPoint[];
  readonly fit: VariogramFit | null;
  /** K^2 c / g(K) clipped to [0, 1]: the share of an observed window change that lasts. */
  readonly lastingShare: number | null;
  /** 2 x lastingShare: the factor on the corrected change of the 6-month expected change. */
  readonly factor6m: number | null;
  readonly reason: string;
}

/** Least squares of g on the given columns (with their coefficients' sign constraint checked by the caller). */
function leastSquares(
  columns: readonly (readonly number[])[],
  g: readonly number[],
): { coef: number[]; sse: number } | null {
  const p = columns.length;
  const m = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => columns[i].reduce((s, x, k) => s + x * columns[j][k], 0)),
  );
  const v = columns.map((col) => col.reduce((s, x, k) => s + x * g[k], 0));
  const coef = solveLinear(m, v, 1e-12);
  if (!coef) return null;
  let sse = 0;
  for (let k = 0; k < g.length; k++) {
    let fit = 0;
    for (let i = 0; i < p; i++) fit += coef[i] * columns[i][k];
    sse += (g[k] - fit) ** 2;
  }
  return { coef, sse };
}

/**
 * Fits g(h) = a + c h^2 - e exp(-(h - K) / tau) to the lag points by least squares (each lag weighted equally)
 * with c >= 0 and e >= 0, tau over the whole weeks 1 .. 2K: for every tau, every subset of the two constrained
 * terms is solved unconstrained and the feasible solution with the smallest squared error is kept (the optimum of
 * the constrained problem is one of them). Null with fewer than 3 lags.
 */
export function fitVariogram(points: readonly LagPoint[], K: number): VariogramFit | null {
  if (points.length < 3) return null;
  const g = points.map((p) => p.g);
  const one = points.map(() => 1);
  const sq = points.map((p) => p.h * p.h);
  let best: VariogramFit | null = null;
  const consider = (f: VariogramFit) => {
    if (f.c >= 0 && f.e >= 0 && (best === null || f.sse < best.sse - 1e-15)) best = f;
  };
  const a0 = leastSquares([one], g);
  if (a0) consider({ a: a0.coef[0], c: 0, e: 0, tau: 0, sse: a0.sse });
  const ac = leastSquares([one, sq], g);
  if (ac) consider({ a: ac.coef[0], c: ac.coef[1], e: 0, tau: 0, sse: ac.sse });
  for (let tau = 1; tau <= 2 * K; tau++) {
    const neg = points.map((p) => -Math.exp(-(p.h - K) / tau));
    const ae = leastSquares([one, neg], g);
    if (ae) consider({ a: ae.coef[0], c: 0, e: ae.coef[1], tau, sse: ae.sse });
    const ace = leastSquares([one, sq, neg], g);
    if (ace) consider({ a: ace.coef[0], c: ace.coef[1], e: ace.coef[2], tau, sse: ace.sse });
  }
  return best;
}

/** The squared centred changes of one lag between origin weeks w and w + h: their sum and count. */
export interface LagSums {
  readonly w: number;
  readonly sum: number;
  readonly n: number;
}

/**
 * The variogram's sums per lag and origin week from the sampled history rows: for each lag h from K to 3K weeks and
 * each pair of origin weeks w and w + h whose trailing windows lie in the data (`covers`), the change
 * d = ln(V(w) + 1) - ln(V(w + h) + 1) of every sampled account active since the start of the older window (V the
 * window's active visitor-days, v_last of the row), centred by the median of those changes (the population
 * correction of the method, so a movement common to every account is not a change): the sum of the squared centred
 * changes and their count. A pair depends on its two weeks only, so the sums serve every forecast origin.
 */
export function variogramSums(
  byWeek: ReadonlyMap<number, readonly WindowRow[]>,
  K: number,
  covers: (w: number) => boolean,
): Map<number, LagSums[]> {
  const level = new Map<number, Map<string, number>>();
  for (const [w, rows] of byWeek) {
    if (!covers(w)) continue;
    const m = new Map<string, number>();
    for (const r of rows) if (r.first_w >= r.w + K - 1) m.set(r.account_id, Math.log(r.v_last + 1));
    level.set(w, m);
  }
  const weeks = [...level.keys()].sort((x, y) => x - y);
  const out = new Map<number, LagSums[]>();
  for (let h = K; h <= 3 * K; h++) {
    const list: LagSums[] = [];
    for (const w of weeks) {
      const older = level.get(w + h);
      const later = level.get(w);
      if (!older || !later) continue;
      const d: number[] = [];
      for (const [id, l] of later) {
        const o = older.get(id);
        if (o !== undefined) d.push(l - o);
      }
      const med = median(d);
      if (med === null) continue;
      let sum = 0;
      for (const x of d) sum += (x - med) ** 2;
      list.push({ w, sum, n: d.length });
    }
    out.set(h, list);
  }
  return out;
}

/**
 * The lag points known at origin week w0 from variogramSums: per lag, g(h) = the mean squared centred change over
 * the pairs of weeks from w0 on (accounts x origins), kept when it has at least `minPairs` changes.
 */
export function variogramPointsFrom(
  sums: ReadonlyMap<number, readonly LagSums[]>,
  w0: number,
  minPairs: number,
): LagPoint[] {
  const points: LagPoint[] = [];
  for (const [h, list] of [...sums].sort((a, b) => a[0] - b[0])) {
    let sum = 0;
    let n = 0;
    for (const x of list)
      if (x.w >= w0) {
        sum += x.sum;
        n += x.n;
      }
    if (n >= minPairs) points.push({ h, g: sum / n, n });
  }
  return points;
}

/**
 * The 6-month factor from the lag points: usable with at least `minLags` lags from K on (g(K) among them, above
 * 0) and a fit; lastingShare = K^2 c / g(K) clipped to [0, 1], factor6m = 2 lastingShare.
 */
export function variogramEstimate(
  points: readonly LagPoint[],
  K: number,
  minLags: number,
): VariogramEstimate {
  const gK = points.find((p) => p.h === K)?.g ?? null;
  const no = (reason: string): VariogramEstimate => ({
    usable: false,
    lags: points,
    fit: null,
    lastingShare: null,
    factor6m: null,
    reason,
  });
  if (points.length < minLags || gK === null || !(gK > 0))
    return no(
      `${points.length} lags of the usage variogram from ${K} weeks on (need ${minLags}, the ${K}-week lag among them, with spread)`,
    );
  const fit = fitVariogram(points, K);
  if (!fit) return no('the variogram could not be fitted');
  const lastingShare = Math.min(1, Math.max(0, (K * K * fit.c) / gK));
  const factor6m = 2 * lastingShare;
  return {
    usable: true,
    lags: points,
    fit,
    lastingShare,
    factor6m,
    reason: `usage variogram over lags ${points[0].h}-${points[points.length - 1].h} weeks: g(h) = ${fit.a.toFixed(4)} + ${fit.c.toExponential(3)} h^2${fit.e > 0 ? ` - ${fit.e.toFixed(4)} exp(-(h - ${K}) / ${fit.tau})` : ''}; lasting share of a ${K}-week change ${K}^2 c / g(${K}) = ${lastingShare.toFixed(3)} (g(${K}) ${gK.toFixed(4)}); 6-month factor 2 x ${lastingShare.toFixed(3)} = ${factor6m.toFixed(3)}`,
  };
}

/**
 * Regressed persistence with the variogram's 6-month factor: b at 3 months as before, factor6m at 6 months when
 * the estimate is usable; otherwise b + b^2 stands and the reason says why.
 */
export function withVariogram(base: Shrinkage, est: VariogramEstimate): Shrinkage {
  if (!est.usable || est.factor6m === null)
    return {
      ...base,
      sixMonth: est,
      reason: `${base.reason}; the 6-month factor stays b + b^2 (the usage variogram is not usable: ${est.reason})`,
    };
  return {
    ...base,
    sixMonth: est,
    factors: { '3m': regressedFactor(base.b, '3m'), '6m': est.factor6m },
    reason: `${base.reason}; 6 months from the ${est.reason}`,
  };
}
