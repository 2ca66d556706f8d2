import type { TrendsConfig } from '../config/trends.ts';
import { createRng } from '../models/rng.ts';
import type { Row } from '../ports/index.ts';
import {
  NULLABLE_TREND_WINDOW_COLUMNS,
  recentWeeksOf,
  TREND_WINDOW_COLUMNS,
} from '../sql/pointInTime.ts';
import type { Reliability } from './reliability.ts';
import type { Horizon, TrendCategory } from './types.ts';
import type { VariogramEstimate } from './variogram.ts';

/**
 * The account's own trajectory (issue 10 §3): the log change of its active visitor-days over a trailing window,
 * corrected at each origin by the population's median change there, so a world where everybody's usage moves does
 * not call everybody Up or Down. Pure functions over trend window rows (shared/sql/pointInTime.ts).
 */

/** One account at one origin week (w weeks before the as-of): its trend window columns. */
export interface WindowRow {
  readonly account_id: string;
  readonly w: number;
  readonly first_w: number;
  readonly last_w: number;
  readonly v_last: number;
  readonly v_prev: number;
  readonly v_prev2: number;
  /** Null at the as-of (the future is not read). */
  readonly v_fut3: number | null;
  readonly v_fut6: number | null;
  readonly m_recent: number;
  readonly m_rest: number;
  readonly d_last: number;
  /**
   * Sum of squared week-to-week differences of visitor-days inside the previous window (v_prev's weeks); null when
   * not computed.
   */
  readonly q_prev: number | null;
  /** The same inside the last window (v_last's weeks); absent or null when not computed. */
  readonly q_last?: number | null;
  /** The same inside the window before the previous (v_prev2's weeks); null at the as-of (history grid only). */
  readonly q_prev2?: number | null;
  /**
   * CRM activities (tasks and events of the linked Salesforce account) over the same windows as v_last, v_prev and
   * v_prev2; null outside a history grid built with CRM data, and for an account without a Salesforce link.
   */
  readonly a_last: number | null;
  readonly a_prev: number | null;
  readonly a_prev2: number | null;
}

const toNum = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

/** A trend window row from a SQL result row; null when a required column is missing. */
export function windowRowOf(r: Row): WindowRow | null {
  if (r.account_id === null || r.account_id === undefined) return null;
  const w = toNum(r.w);
  if (w === null) return null;
  const out: Record<string, unknown> = { account_id: String(r.account_id), w };
  for (const c of TREND_WINDOW_COLUMNS) {
    const n = toNum(r[c]);
    if (n === null && !NULLABLE_TREND_WINDOW_COLUMNS.includes(c)) return null;
    out[c] = n;
  }
  return out as unknown as WindowRow;
}

/** ln(a + 1) - ln(b + 1): the log change from b to a (visitor-days, +1 so a window without activity is finite). */
export function logChange(a: number, b: number): number {
  return Math.log(a + 1) - Math.log(b + 1);
}

/** Raw (uncorrected) change of the last window against the one before. */
export const rawChange = (r: WindowRow): number => logChange(r.v_last, r.v_prev);
/** Raw change of the previous window against the one before it. */
export const rawPrevChange = (r: WindowRow): number => logChange(r.v_prev, r.v_prev2);
/** Raw realised change of a horizon: the window ending 91 (182) days later against the last window. */
export function rawOutcome(r: WindowRow, h: Horizon): number | null {
  const fut = h === '3m' ? r.v_fut3 : r.v_fut6;
  return fut === null ? null : logChange(fut, r.v_last);
}

/** The account has its own two full windows before the origin (active since the earliest week of the earlier one). */
export function hasFullInputs(r: WindowRow, windowWeeks: number): boolean {
  return r.first_w >= r.w + 2 * windowWeeks - 1;
}

/** The account has three full windows before the origin (its previous change is known too). */
export function hasThreeWindows(r: WindowRow, windowWeeks: number): boolean {
  return r.first_w >= r.w + 3 * windowWeeks - 1;
}

/** Up when exp(x) - 1 > upRatio, Down when exp(x) - 1 < -downRatio, else Flat (x a log change). */
export function categoryOfChange(x: number, config: TrendsConfig): TrendCategory {
  if (x > Math.log1p(config.upRatio)) return 'Up';
  if (x < Math.log1p(-config.downRatio)) return 'Down';
  return 'Flat';
}

/** Median of the finite values (mean of the two middle ones for an even count); null when none. */
export function median(values: readonly number[]): number | null {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/** The centred sums of a least-squares regression of y on x: n, Sxy and Sxx. */
export function centredSums(pairs: readonly { x: number; y: number }[]): {
  n: number;
  sxy: number;
  sxx: number;
} {
  const n = pairs.length;
  let sx = 0;
  let sy = 0;
  for (const p of pairs) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of pairs) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return { n, sxy, sxx };
}

/** Least-squares slope of y on x (with intercept); null with fewer than 2 pairs or no spread in x. */
export function olsSlope(pairs: readonly { x: number; y: number }[]): number | null {
  if (pairs.length < 2) return null;
  const { sxy, sxx } = centredSums(pairs);
  return sxx > 0 ? sxy / sxx : null;
}

/**
 * The measurement-noise variance of a window's log level ln(V + 1), from the week-to-week dispersion of its weekly
 * visitor-days: `q` = the sum of squared differences of its K - 1 pairs of consecutive weeks, `v` = its sum V.
 * Around a slowly moving level each squared difference estimates twice the weekly noise variance s^2 (von Neumann),
 * so s^2 = q / (2 (K - 1)); independent weekly noise gives var(V) = K s^2 and, by the delta method,
 * var(ln(V + 1)) = K s^2 / (V + 1)^2 = K q / (2 (K - 1) (V + 1)^2).
 */
export function windowNoiseVariance(q: number, v: number, windowWeeks: number): number {
  const K = windowWeeks;
  return (K * q) / (2 * (K - 1) * (v + 1) ** 2);
}

/** windowNoiseVariance of a window whose week-to-week sum q may be unknown (null or absent: null). */
export function knownNoiseVariance(
  q: number | null | undefined,
  v: number,
  windowWeeks: number,
): number | null {
  return q === null || q === undefined ? null : windowNoiseVariance(q, v, windowWeeks);
}

/**
 * One account at one origin with both measures over three consecutive windows: u1, u2 the log changes of its
 * active visitor-days (the previous window against the one before, the last against the previous), a1, a2 those of
 * its CRM activities, and the origin week (covariances are taken within origins).
 */
export interface InstrumentQuad {
  readonly w: number;
  readonly u1: number;
  readonly u2: number;
  readonly a1: number;
  readonly a2: number;
}

/** The quad of a row with three full windows of usage and CRM activity windows; null otherwise. */
export function instrumentQuadOf(r: WindowRow, windowWeeks: number): InstrumentQuad | null {
  if (!hasThreeWindows(r, windowWeeks)) return null;
  if (r.a_last === null || r.a_prev === null || r.a_prev2 === null) return null;
  return {
    w: r.w,
    u1: logChange(r.v_prev, r.v_prev2),
    u2: logChange(r.v_last, r.v_prev),
    a1: logChange(r.a_prev, r.a_prev2),
    a2: logChange(r.a_last, r.a_prev),
  };
}

/** The second-instrument estimate behind regressed persistence's factors (docs/trends.md, "Fifth method"). */
export interface InstrumentEstimate {
  /** Quads and origins they came from. */
  readonly pairs: number;
  readonly origins: number;
  /** Within-origin covariances (divisor: quads - origins) and the variance of u2. */
  readonly covU1A1: number | null;
  readonly covU2A1: number | null;
  readonly covA2U1: number | null;
  readonly covU2A2: number | null;
  readonly varU2: number | null;
  /** Standard error of covU1A1 under independence: sqrt(var(u1) var(a1) / quads). */
  readonly seU1A1: number | null;
  /** True when the estimate is used: enough quads and covU1A1 above `guardSe` standard errors. */
  readonly usable: boolean;
  /** Persistence of the value change, ((covU2A1 + covA2U1) / 2) / covU1A1, clipped to [0, 1] (null: not usable). */
  readonly phi: number | null;
  /** Share of the observed change that is value change, covU2A2 / varU2, clipped to [0, 1] (null: not usable). */
  readonly share: number | null;
  readonly reason: string;
}

/** Quads grouped by their origin week (covariances and centring are within origins). */
function quadsByOrigin(quads: readonly InstrumentQuad[]): Map<number, InstrumentQuad[]> {
  const byW = new Map<number, InstrumentQuad[]>();
  for (const q of quads) {
    const list = byW.get(q.w);
    if (list) list.push(q);
    else byW.set(q.w, [q]);
  }
  return byW;
}

/**
 * The second-instrument estimate from quads (docs/trends.md, "Fifth method, pre-registered"). With u = L + e and
 * a = L + f (L the value's change, e and f each measure's own noise, independent of each other and of L), the
 * covariance of usage with activity in the same window is var(L), and across windows cov(u2, a1) and cov(a2, u1)
 * are cov(L2, L1): neither measure's own noise, lasting or not, enters them. So phi = cov(L2, L1) / var(L1) is the
 * persistence of the value change and share = var(L2) / var(u2) the part of the observed last change that is value
 * change. Covariances are within origins (each origin's means removed), pooled. Usable only with at least `minPairs`
 * quads and covU1A1 above `guardSe` standard errors (else no shared value change is seen and phi is undefined).
 */
export function instrumentEstimate(
  quads: readonly InstrumentQuad[],
  minPairs: number,
  guardSe: number,
): InstrumentEstimate {
  const byW = quadsByOrigin(quads);
  const sums = { u1a1: 0, u2a1: 0, a2u1: 0, u2a2: 0, u2u2: 0, u1u1: 0, a1a1: 0 };
  for (const list of byW.values()) {
    const mean = (k: 'u1' | 'u2' | 'a1' | 'a2') => list.reduce((s, q) => s + q[k], 0) / list.length;
    const [mu1, mu2, ma1, ma2] = [mean('u1'), mean('u2'), mean('a1'), mean('a2')];
    for (const q of list) {
      const [u1, u2, a1, a2] = [q.u1 - mu1, q.u2 - mu2, q.a1 - ma1, q.a2 - ma2];
      sums.u1a1 += u1 * a1;
      sums.u2a1 += u2 * a1;
      sums.a2u1 += a2 * u1;
      sums.u2a2 += u2 * a2;
      sums.u2u2 += u2 * u2;
      sums.u1u1 += u1 * u1;
      sums.a1a1 += a1 * a1;
    }
  }
  const n = quads.length;
  const dof = n - byW.size;
  const base = { pairs: n, origins: byW.size };
  if (n < minPairs || dof < 2) {
    return {
      ...base,
      covU1A1: null,
      covU2A1: null,
      covA2U1: null,
      covU2A2: null,
      varU2: null,
      seU1A1: null,
      usable: false,
      phi: null,
      share: null,
      reason: `${n} accounts x origins with three windows of usage and CRM activity (need ${minPairs})`,
    };
  }
  const cov = (x: number) => x / dof;
  const covU1A1 = cov(sums.u1a1);
  const seU1A1 = Math.sqrt((cov(sums.u1u1) * cov(sums.a1a1)) / n);
  const est = {
    ...base,
    covU1A1,
    covU2A1: cov(sums.u2a1),
    covA2U1: cov(sums.a2u1),
    covU2A2: cov(sums.u2a2),
    varU2: cov(sums.u2u2),
    seU1A1,
  };
  if (!(covU1A1 > guardSe * seU1A1) || !(est.varU2 > 0)) {
    return {
      ...est,
      usable: false,
      phi: null,
      share: null,
      reason: `cov(u1, a1) ${covU1A1.toFixed(5)} is not above ${guardSe} standard errors (${(guardSe * seU1A1).toFixed(5)}): no shared value change is seen`,
    };
  }
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  const phi = clip((est.covU2A1 + est.covA2U1) / 2 / covU1A1);
  const share = clip(est.covU2A2 / est.varU2);
  return {
    ...est,
    usable: true,
    phi,
    share,
    reason: `persistence of the value change phi = ${phi.toFixed(3)} (cross covariances ${est.covU2A1.toFixed(5)}, ${est.covA2U1.toFixed(5)} over cov(u1, a1) ${covU1A1.toFixed(5)}), share of the observed change that is value change ${share.toFixed(3)} (cov(u2, a2) ${est.covU2A2.toFixed(5)} / var(u2) ${est.varU2.toFixed(5)}), over ${n} accounts x ${byW.size} origins`,
  };
}

/** One pair of the shrinkage regression: the previous corrected change x, the corrected change y. */
export interface ShrinkagePair {
  readonly x: number;
  readonly y: number;
  /**
   * The estimated measurement-noise variance of the window x and y share (windowNoiseVariance of the previous
   * window); absent or null when unknown (it then corrects nothing).
   */
  readonly noise?: number | null;
  /**
   * The noise variance of the window before the previous one (the earlier window of x; from q_prev2), for the
   * per-account reliability (reliability.ts); absent or null when unknown.
   */
  readonly noisePrev2?: number | null;
}

/** The shrinkage factor of regressed persistence and where it came from. */
export interface Shrinkage {
  /** b in [0, 1]: the expected share of the last window's corrected change that the next window repeats. */
  b: number;
  /**
   * The estimator behind the factors (config trends.shrinkage.estimator); `noise-corrected` also when
   * `crm-instrument` was asked for but its estimate was not usable (see `instrument`).
   */
  estimator: 'naive' | 'noise-corrected' | 'crm-instrument' | 'crm-calibrated';
  /** The unclipped slope of the estimator (null when not estimable). */
  slope: number | null;
  /** The plain least-squares slope (null when not estimable); equals slope for the naive estimator. */
  naiveSlope: number | null;
  /** Mean estimated noise variance of the shared window over the pairs with one (null when none). */
  meanNoiseVariance: number | null;
  /** Pairs with a noise estimate. */
  noisePairs: number;
  pairs: number;
  /**
   * Variance (divisor n) of the previous corrected change x over the pairs: var(x) of the persistent-component
   * model (mostProbableCall); null when b is the fallback (too few pairs, or no spread).
   */
  changeVariance: number | null;
  reason: string;
  /**
   * With the `crm-instrument` estimator and a usable estimate: the factor on the corrected change of regressed
   * persistence's expected change per horizon (phi x share at 3 months, (phi + phi^2) x share at 6), which replaces
   * b and b + b^2; b is then phi x share.
   */
  factors?: Readonly<Record<Horizon, number>>;
  /** The second-instrument estimate, whenever `crm-instrument` or `crm-calibrated` was asked for (usable or not). */
  instrument?: InstrumentEstimate;
  /**
   * With the `crm-calibrated` estimator and a usable estimate: the expected value change of an account as a function
   * of its corrected usage change (calibrationCurve); the expected change of a horizon is then factors[h] x
   * calibratedValue(calibration, corrected change), factors[h] = phi (3 months) or phi + phi^2 (6 months).
   */
  calibration?: CalibrationCurve;
  /**
   * With `sixMonth.factor: variogram` (and the `naive` or `noise-corrected` estimator): the usage-variogram
   * estimate (usable or not); when usable, factors holds b at 3 months and its 6-month factor.
   */
  sixMonth?: VariogramEstimate;
  /**
   * With `shrinkage.reliability: per-account` (the `noise-corrected` estimator): the per-account reliability
   * estimate (usable or not); when usable, regressedCall scales each account's change by its own reliability.
   */
  reliability?: Reliability;
}

/**
 * The expected value change given the corrected usage change, read off CRM activity (docs/trends.md, "Sixth method,
 * pre-registered"): `edges` are the bins' inner bounds in x (ascending; bin k holds bins(k-1) < x <= edges(k)),
 * `values` the monotone (non-decreasing) fit of the bins' mean activity change, `counts` the points of each bin.
 */
export interface CalibrationCurve {
  readonly edges: readonly number[];
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

/** One point of the calibration: an account's corrected usage change x and its centred activity change y. */
export interface CalibrationPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Pool-adjacent-violators: the non-decreasing sequence closest (weighted least squares) to `means` with weights
 * `counts`. Blocks that violate the order are merged into their weighted mean.
 */
export function monotoneFit(means: readonly number[], counts: readonly number[]): number[] {
  const blocks: { mean: number; weight: number; size: number }[] = [];
  for (let i = 0; i < means.length; i++) {
    blocks.push({ mean: means[i], weight: counts[i], size: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].mean > blocks[blocks.length - 1].mean) {
      const b = blocks.pop() as { mean: number; weight: number; size: number };
      const a = blocks[blocks.length - 1];
      const weight = a.weight + b.weight;
      a.mean =
        weight > 0 ? (a.mean * a.weight + b.mean * b.weight) / weight : (a.mean + b.mean) / 2;
      a.weight = weight;
      a.size += b.size;
    }
  }
  return blocks.flatMap((b) => Array.from({ length: b.size }, () => b.mean));
}

/**
 * The calibration curve of `points` with `bins` equal-count bins of x (sorted by x, dealt in order; ties may
 * straddle a bin bound, whose edge is then the bin's largest x): each bin's mean y, made non-decreasing in x by
 * monotoneFit. Null with fewer points than bins.
 */
export function calibrationCurve(
  points: readonly CalibrationPoint[],
  bins: number,
): CalibrationCurve | null {
  const n = points.length;
  if (n < bins || bins < 1) return null;
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const edges: number[] = [];
  const means: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < bins; k++) {
    const lo = Math.floor((k * n) / bins);
    const hi = Math.floor(((k + 1) * n) / bins);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += sorted[i].y;
    means.push(sum / (hi - lo));
    counts.push(hi - lo);
    if (k < bins - 1) edges.push(sorted[hi - 1].x);
  }
  return { edges, values: monotoneFit(means, counts), counts };
}

/** The curve's value at x: the value of the bin x falls in (x beyond the outer bins: the outer bin's value). */
export function calibratedValue(curve: CalibrationCurve, x: number): number {
  let k = 0;
  while (k < curve.edges.length && x > curve.edges[k]) k++;
  return curve.values[k];
}

/**
 * Calibration points of quads: x = u2 minus the population median change at the quad's origin (`medianAt`, the
 * correction of usage_change; quads whose origin has none are left out), y = a2 minus the mean a2 of the quads of
 * its origin (the activity change relative to the origin's average account).
 */
export function calibrationPoints(
  quads: readonly InstrumentQuad[],
  medianAt: (w: number) => number | null,
): CalibrationPoint[] {
  const out: CalibrationPoint[] = [];
  for (const [w, list] of quadsByOrigin(quads)) {
    const m = medianAt(w);
    if (m === null) continue;
    const meanA2 = list.reduce((t, q) => t + q.a2, 0) / list.length;
    for (const q of list) out.push({ x: q.u2 - m, y: q.a2 - meanA2 });
  }
  return out;
}

/**
 * Regressed persistence with the calibrated second measure (docs/trends.md, "Sixth method, pre-registered"): when
 * the instrument estimate is usable and the curve exists, the expected change is phi (3 months) or phi + phi^2
 * (6 months) times the curve's value at the account's corrected change; otherwise the noise-corrected shrinkage
 * `base` stands, and its reason says why.
 */
export function withCalibration(
  base: Shrinkage,
  est: InstrumentEstimate,
  curve: CalibrationCurve | null,
): Shrinkage {
  if (!est.usable || est.phi === null || !curve)
    return notUsable(
      base,
      est,
      'the calibrated CRM-activity measure',
      est.usable ? 'fewer calibration points than bins' : est.reason,
    );
  const lo = curve.values[0];
  const hi = curve.values[curve.values.length - 1];
  return withFactors(
    base,
    est,
    est.phi,
    'crm-calibrated',
    1,
    (f3, f6) =>
      `CRM activity as a calibrated second measure of the value change: ${est.reason}; the expected value change given the corrected usage change from ${curve.values.length} bins of the sampled accounts' activity changes (monotone, ${lo.toFixed(3)} to ${hi.toFixed(3)}); expected change ${f3.toFixed(3)} x it at 3 months, ${f6.toFixed(3)} x at 6 months`,
    curve,
  );
}

/**
 * A usable CRM-activity estimate as factors: phi (3 months) and phi + phi^2 (6 months), each times `scale` (the
 * value change decays by phi per window, as b does in regressed persistence); b is the 3-month factor.
 */
function withFactors(
  base: Shrinkage,
  est: InstrumentEstimate,
  phi: number,
  estimator: 'crm-instrument' | 'crm-calibrated',
  scale: number,
  reason: (f3: number, f6: number) => string,
  calibration?: CalibrationCurve,
): Shrinkage {
  const f3 = regressedFactor(phi, '3m') * scale;
  const f6 = regressedFactor(phi, '6m') * scale;
  return {
    ...base,
    estimator,
    b: f3,
    factors: { '3m': f3, '6m': f6 },
    instrument: est,
    ...(calibration ? { calibration } : {}),
    reason: reason(f3, f6),
  };
}

/** The noise-corrected shrinkage `base` where a CRM-activity estimate is not usable, with the reason why. */
function notUsable(base: Shrinkage, est: InstrumentEstimate, what: string, why: string): Shrinkage {
  return {
    ...base,
    instrument: est,
    reason: `${base.reason}; ${what} is not usable (${why}), so the noise-corrected b stands`,
  };
}

/** True for the estimators that read the CRM activity of the linked Salesforce accounts (the grid's a_* windows). */
export function usesCrmActivity(estimator: TrendsConfig['shrinkage']['estimator']): boolean {
  return estimator === 'crm-instrument' || estimator === 'crm-calibrated';
}

/**
 * Regressed persistence with the second-instrument estimate (docs/trends.md, "Fifth method, pre-registered"): when
 * the estimate is usable, the factors phi x share (3 months) and (phi + phi^2) x share (6 months); otherwise the
 * noise-corrected shrinkage `base` stands, and its reason says why.
 */
export function withInstrument(base: Shrinkage, est: InstrumentEstimate): Shrinkage {
  if (!est.usable || est.phi === null || est.share === null)
    return notUsable(base, est, 'the CRM-activity instrument', est.reason);
  // share scales the value change to the observed one
  return withFactors(
    base,
    est,
    est.phi,
    'crm-instrument',
    est.share,
    (f3, f6) =>
      `CRM activity as a second measure of the value change: ${est.reason}; expected change ${f3.toFixed(3)} x the corrected change at 3 months, ${f6.toFixed(3)} x at 6 months`,
  );
}

/**
 * The factor on an account's corrected change under a usable per-account reliability estimate (docs/trends.md,
 * "Ninth method, pre-registered"): regressedFactor(beta, h) x tau2 / (tau2 + noise), noise the account's
 * changeNoiseVariance (reliability.ts); with `rel.factors` (withReliability, "Tenth method, pre-registered") the
 * factor of beta is factors[h] instead of regressedFactor(beta, h).
 */
export function reliableFactor(rel: Reliability, h: Horizon, noise: number): number {
  if (!rel.usable || rel.beta === null || rel.tau2 === null) {
    throw new Error('reliableFactor needs a usable reliability estimate');
  }
  const f = rel.factors?.[h] ?? regressedFactor(rel.beta, h);
  return (f * rel.tau2) / (rel.tau2 + Math.max(0, noise));
}

/** The factor on the corrected change of regressed persistence's expected change (mean-threshold). */
export function shrinkageFactor(s: Shrinkage, h: Horizon, config: TrendsConfig): number {
  if (s.factors) return s.factors[h];
  return persistenceFactorOf(config.sixMonth.factor)(s.b, h);
}

/**
 * The noise-corrected slope: (Sxy + (n - 1)/n * sum of the pairs' noise variances) / Sxx, Sxy and Sxx the centred
 * sums of the least-squares slope. x = L2 - L1 and y = L3 - L2 (L the observed log levels of three consecutive
 * windows) share L2 with opposite signs, so L2's measurement noise adds -var(noise of L2) to the covariance of each
 * pair ((n - 1)/n of it after centring); adding it back estimates cov(next latent change, observed change), the
 * quantity the forecast needs, over var(observed change). Null with fewer than 2 pairs or no spread in x.
 */
export function noiseCorrectedSlope(pairs: readonly ShrinkagePair[]): number | null {
  if (pairs.length < 2) return null;
  const { n, sxy, sxx } = centredSums(pairs);
  return correctedSlopeOf(
    n,
    sxy,
    sxx,
    pairs.reduce((a, p) => a + (p.noise ?? 0), 0),
  );
}

/** (Sxy + (n - 1)/n x the sum of the noise variances) / Sxx; null without spread (see noiseCorrectedSlope). */
function correctedSlopeOf(n: number, sxy: number, sxx: number, sumNoise: number): number | null {
  return sxx > 0 ? (sxy + ((n - 1) / n) * sumNoise) / sxx : null;
}

/**
 * What the shrinkage estimate needs of its pairs: their count, the centred sums of the regression (Sxy, Sxx), and
 * the sum and count of the known noise variances of the shared window.
 */
export interface CentredPairSums {
  readonly n: number;
  readonly sxy: number;
  readonly sxx: number;
  readonly sumNoise: number;
  readonly noisePairs: number;
  /** The sum and count of the known noise variances of the earliest window (per-account reliability). */
  readonly sumNoisePrev2?: number;
  readonly noisePrev2Pairs?: number;
}

/**
 * Raw sums of pairs at one origin, as a query over every account computes them (`shrinkagePairSumsSql`): x and y
 * are the uncorrected changes (the origin's population medians are taken off afterwards, `correctedPairSums`).
 */
export interface RawPairSums {
  readonly n: number;
  readonly sx: number;
  readonly sy: number;
  readonly sxy: number;
  readonly sxx: number;
  readonly sumNoise: number;
  readonly noisePairs: number;
  readonly sumNoisePrev2?: number;
  readonly noisePrev2Pairs?: number;
}

/**
 * Pools the raw sums of several origins into centred sums, each origin's x corrected by its median `mx` (the
 * previous change's) and y by `my` (x - mx and y - my, as the sampled pairs are): with n, Sx, Sy, Sxy, Sxx the
 * pooled sums of the corrected values, Sxy - Sx Sy / n and Sxx - Sx^2 / n.
 */
export function correctedPairSums(
  origins: readonly { sums: RawPairSums; mx: number; my: number }[],
): CentredPairSums {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  let sumNoise = 0;
  let noisePairs = 0;
  let sumNoisePrev2 = 0;
  let noisePrev2Pairs = 0;
  for (const { sums: r, mx, my } of origins) {
    n += r.n;
    sx += r.sx - r.n * mx;
    sy += r.sy - r.n * my;
    sxy += r.sxy - my * r.sx - mx * r.sy + r.n * mx * my;
    sxx += r.sxx - 2 * mx * r.sx + r.n * mx * mx;
    sumNoise += r.sumNoise;
    noisePairs += r.noisePairs;
    sumNoisePrev2 += r.sumNoisePrev2 ?? 0;
    noisePrev2Pairs += r.noisePrev2Pairs ?? 0;
  }
  const noises = { sumNoise, noisePairs, sumNoisePrev2, noisePrev2Pairs };
  return n === 0
    ? { n: 0, sxy: 0, sxx: 0, ...noises }
    : { n, sxy: sxy - (sx * sy) / n, sxx: sxx - (sx * sx) / n, ...noises };
}

/**
 * b over the given pairs (all known at the forecast date), clipped to [0, 1]: with shrinkage.estimator `naive`
 * the least-squares slope of an account's corrected change on its previous window's corrected change; with
 * `noise-corrected` the same slope with the shared window's measurement noise added back to the covariance
 * (noiseCorrectedSlope). With fewer than shrinkage.minPairs pairs (or no spread), b = shrinkage.fallback.
 */
export function shrinkageOf(pairs: readonly ShrinkagePair[], config: TrendsConfig): Shrinkage {
  const sums = pairs.length >= 2 ? centredSums(pairs) : { n: pairs.length, sxy: 0, sxx: 0 };
  return shrinkageOfSums(
    {
      ...sums,
      sumNoise: pairs.reduce((a, p) => a + (p.noise ?? 0), 0),
      noisePairs: pairs.filter((p) => typeof p.noise === 'number').length,
    },
    config,
  );
}

/** shrinkageOf from the pairs' centred sums (`sums.n` pairs); `source` says whose pairs, in the reason. */
export function shrinkageOfSums(
  sums: CentredPairSums,
  config: TrendsConfig,
  source = '',
): Shrinkage {
  const s = config.shrinkage;
  const estimator = s.estimator;
  const meanNoiseVariance = sums.noisePairs ? sums.sumNoise / sums.noisePairs : null;
  const { n, sxy, sxx } = sums;
  const enough = n >= s.minPairs && n >= 2;
  const naiveSlope = enough && sxx > 0 ? sxy / sxx : null;
  const corrected = enough ? correctedSlopeOf(n, sxy, sxx, sums.sumNoise) : null;
  const slope = estimator === 'naive' ? naiveSlope : corrected;
  const base = {
    estimator: estimator === 'naive' ? ('naive' as const) : ('noise-corrected' as const),
    naiveSlope,
    meanNoiseVariance,
    noisePairs: sums.noisePairs,
    pairs: n,
  };
  if (slope === null) {
    return {
      ...base,
      b: s.fallback,
      slope: null,
      changeVariance: null,
      reason: `${n} pairs of consecutive corrected changes${source} (need ${s.minPairs} with spread): fixed fallback ${s.fallback}`,
    };
  }
  const b = Math.min(1, Math.max(0, slope));
  const what =
    estimator === 'naive'
      ? 'least-squares slope of the corrected change on the previous one'
      : `noise-corrected slope of the corrected change on the previous one (naive ${(naiveSlope as number).toFixed(3)}, mean noise variance of the shared window ${(meanNoiseVariance ?? 0).toFixed(4)} over ${sums.noisePairs} pairs)`;
  return {
    ...base,
    b,
    slope,
    changeVariance: sxx / n,
    reason: `${what} over ${n} pairs${source}: ${slope.toFixed(3)}, clipped to [0, 1]: ${b.toFixed(3)}`,
  };
}

/** Windows the horizon spans (3 months: 1, 6 months: 2). */
export const horizonWindows = (h: Horizon): number => (h === '3m' ? 1 : 2);

/** Plain persistence: the last window's change continues for the horizon's windows (x1 at 3 months, x2 at 6). */
export const persistenceFactor = (h: Horizon): number => horizonWindows(h);

/** Regressed persistence: b at 3 months, b + b^2 at 6 months (the change decays by b per window). */
export const regressedFactor = (b: number, h: Horizon): number => (h === '3m' ? b : b + b * b);

/**
 * Lasting persistence: b at 3 months, 2 b at 6 months (the next window's expected change, b times the last, lasts
 * through the second window instead of decaying by b again).
 */
export const lastingFactor = (b: number, h: Horizon): number => horizonWindows(h) * b;

/**
 * The factor of b per horizon under `trends.sixMonth.factor`: lastingFactor with `lasting`, regressedFactor
 * otherwise (`variogram` replaces only the 6-month factor, and only where its estimate is usable).
 */
export const persistenceFactorOf = (
  sixMonth: TrendsConfig['sixMonth']['factor'],
): ((b: number, h: Horizon) => number) =>
  sixMonth === 'lasting' ? lastingFactor : regressedFactor;

/** The standard normal CDF (Abramowitz-Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp((-z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** A normal predictive distribution of a corrected log change. */
export interface Predictive {
  readonly mean: number;
  readonly sd: number;
}

/**
 * The predictive distribution of the corrected log change over horizon h (k = 1 window at 3 months, 2 at 6) under
 * the persistent-component model (docs/trends.md, "Fourth method, pre-registered"): the observed corrected change
 * is x = T + n, T a persistent per-window change that repeats in each of the next windows, n everything that does
 * not last, uncorrelated with T. The shrinkage slope is b = var(T) / var(x), so var(T) = b var(x) and, for jointly
 * normal T and n, T | x ~ N(b x, b (1 - b) var(x)); the change over k windows is k T, hence
 * N(k b x, k^2 b (1 - b) var(x)). Latent changes that do not last are left out of the variance (so Flat is favoured
 * near 0). `vx` = Shrinkage.changeVariance.
 */
export function persistentPredictive(c: number, b: number, vx: number, h: Horizon): Predictive {
  const k = horizonWindows(h);
  return { mean: k * b * c, sd: k * Math.sqrt(Math.max(0, b * (1 - b) * vx)) };
}

/** P(Up), P(Flat), P(Down) of a normal predictive, with the thresholds of categoryOfChange. */
export function categoryProbabilities(
  p: Predictive,
  config: TrendsConfig,
): Record<TrendCategory, number> {
  const up = Math.log1p(config.upRatio);
  const down = Math.log1p(-config.downRatio);
  if (!(p.sd > 0)) {
    const c = categoryOfChange(p.mean, config);
    return { Up: c === 'Up' ? 1 : 0, Flat: c === 'Flat' ? 1 : 0, Down: c === 'Down' ? 1 : 0 };
  }
  const pUp = 1 - normalCdf((up - p.mean) / p.sd);
  const pDown = normalCdf((down - p.mean) / p.sd);
  return { Up: pUp, Flat: Math.max(0, 1 - pUp - pDown), Down: pDown };
}

/**
 * The most probable category of a predictive (the call that maximises the expected hit rate), conservatively: Up
 * only when P(Up) is strictly above P(Flat) and P(Down) and the expected change is above 0; Down likewise below 0;
 * otherwise (ties included) Flat. With sd 0 it is categoryOfChange(mean).
 */
export function mostProbableCategory(p: Predictive, config: TrendsConfig): TrendCategory {
  const pr = categoryProbabilities(p, config);
  if (pr.Up > pr.Flat && pr.Up > pr.Down && p.mean > 0) return 'Up';
  if (pr.Down > pr.Flat && pr.Down > pr.Up && p.mean < 0) return 'Down';
  return 'Flat';
}

/**
 * The call of regressed persistence for an account whose corrected change is c: with trends.regressedCall
 * `most-probable` and an estimated b (not the fallback), the most probable category of persistentPredictive
 * (expected change k b c); otherwise (`mean-threshold`, or b the fallback) the expected change
 * regressedFactor(b, h) x c thresholded; with a calibration curve (`crm-calibrated`), factors[h] x the curve's value
 * at c thresholded; with a usable per-account reliability estimate and the account's change noise `noise` known,
 * reliableFactor x c thresholded (without `noise`, the pooled factor). `p` is the expected change behind the call.
 */
export function regressedCall(
  c: number,
  s: Shrinkage,
  h: Horizon,
  config: TrendsConfig,
  noise?: number | null,
): { p: number; t: TrendCategory } {
  if (s.reliability?.usable && typeof noise === 'number') {
    const p = reliableFactor(s.reliability, h, noise) * c;
    return { p, t: categoryOfChange(p, config) };
  }
  if (s.calibration) {
    const p = shrinkageFactor(s, h, config) * calibratedValue(s.calibration, c);
    return { p, t: categoryOfChange(p, config) };
  }
  if (config.regressedCall === 'most-probable' && s.slope !== null && s.changeVariance !== null) {
    const pred = persistentPredictive(c, s.b, s.changeVariance, h);
    return { p: pred.mean, t: mostProbableCategory(pred, config) };
  }
  const p = shrinkageFactor(s, h, config) * c;
  return { p, t: categoryOfChange(p, config) };
}

/**
 * The factor on the corrected change of regressed persistence's expected change (see regressedCall); null with a
 * calibration curve or a usable per-account reliability (the expected change is then not one factor times the
 * corrected change).
 */
export function regressedMeanFactor(s: Shrinkage, h: Horizon, config: TrendsConfig): number | null {
  if (s.calibration || s.reliability?.usable) return null;
  return config.regressedCall === 'most-probable' && s.slope !== null && s.changeVariance !== null
    ? horizonWindows(h) * s.b
    : shrinkageFactor(s, h, config);
}

/** The names of the learned model's features, in modelFeatures order. */
export const MODEL_FEATURES = [
  // Corrected log change of visitor-days, last window vs the one before.
  'change',
  // The same one window earlier (NaN without a third window).
  'change_prev',
  // log(1 + visitor-days per week over the last window).
  'log_visitor_days_per_week',
  // log ratio of minutes per week: the recent third of the window vs the rest.
  'minutes_recent_vs_rest',
  // log(1 + weeks since the latest active week).
  'log_weeks_since_active',
  // log(1 + weeks since the first active week).
  'log_tenure_weeks',
  // Active days over the last window per day of it, 0-1.
  'active_day_share',
] as const;

/**
 * The learned model's features of one row: `medC` the population median of the raw change at its origin,
 * `medPrev` that of the raw change one window earlier (for change_prev; null: NaN).
 */
export function modelFeatures(
  r: WindowRow,
  medC: number,
  medPrev: number | null,
  windowWeeks: number,
): number[] {
  const K = windowWeeks;
  const R = recentWeeksOf(K);
  return [
    rawChange(r) - medC,
    hasThreeWindows(r, K) && medPrev !== null ? rawPrevChange(r) - medPrev : Number.NaN,
    Math.log1p(r.v_last / K),
    Math.log((r.m_recent / R + 1) / (r.m_rest / (K - R) + 1)),
    Math.log1p(r.last_w - r.w),
    Math.log1p(r.first_w - r.w),
    r.d_last / (7 * K),
  ];
}

/** FNV-1a hash of the seed and an id, 32 bits. */
function hashId(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A seeded sample of at most `n` ids: those with the smallest hash of (seed, id), returned sorted. The same ids give
 * the same sample whatever their order, and an account's membership does not depend on the others' (up to the cut).
 */
export function sampleIds(ids: readonly string[], n: number, seed: number): string[] {
  const unique = [...new Set(ids)];
  if (unique.length <= n) return unique.sort();
  return unique
    .map((id) => ({ id, h: hashId(seed, id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, n)
    .map((x) => x.id)
    .sort();
}

/** One origin's evaluated pairs and the hits of two methods on them (the same pairs). */
export interface OriginHits {
  readonly n: number;
  readonly a: number;
  readonly b: number;
}

/** A paired bootstrap interval of a hit-rate difference (method a minus method b). */
export interface PairedDifference {
  /** Hit rate of a minus hit rate of b over all origins' pairs. */
  diff: number;
  lower: number;
  upper: number;
  origins: number;
  pairs: number;
}

/**
 * The difference of pooled hit rates (a - b) and its paired bootstrap interval at `level`, resampling whole origins
 * with replacement (`reps` times, seeded): the pairs of one origin share their dates and move together. Percentile
 * interval. Null when there is no pair.
 */
export function pairedBootstrap(
  origins: readonly OriginHits[],
  reps: number,
  level: number,
  seed: number,
): PairedDifference | null {
  const total = origins.reduce((s, o) => s + o.n, 0);
  if (total === 0) return null;
  const rate = (os: readonly OriginHits[]) => {
    let n = 0;
    let d = 0;
    for (const o of os) {
      n += o.n;
      d += o.a - o.b;
    }
    return n ? d / n : 0;
  };
  const rng = createRng(seed);
  const diffs: number[] = [];
  const k = origins.length;
  for (let r = 0; r < reps; r++) {
    let n = 0;
    let d = 0;
    for (let i = 0; i < k; i++) {
      const o = origins[rng.nextInt(k)];
      n += o.n;
      d += o.a - o.b;
    }
    diffs.push(n ? d / n : 0);
  }
  diffs.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  const at = (q: number) => diffs[Math.min(reps - 1, Math.max(0, Math.floor(q * reps)))];
  return { diff: rate(origins), lower: at(alpha), upper: at(1 - alpha), origins: k, pairs: total };
}
