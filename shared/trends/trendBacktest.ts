import type { TrendsConfig } from '../config/trends.ts';
import { addDays } from '../dates.ts';
import {
  type CentredPairSums,
  calibrationCurve,
  calibrationPoints,
  categoryOfChange,
  correctedPairSums,
  hasFullInputs,
  hasThreeWindows,
  type InstrumentQuad,
  instrumentEstimate,
  instrumentQuadOf,
  knownNoiseVariance,
  MODEL_FEATURES,
  modelFeatures,
  type OriginHits,
  type PairedDifference,
  pairedBootstrap,
  persistenceFactor,
  type RawPairSums,
  rawChange,
  rawOutcome,
  rawPrevChange,
  regressedCall,
  type Shrinkage,
  type ShrinkagePair,
  shrinkageOf,
  shrinkageOfSums,
  usesCrmActivity,
  type WindowRow,
  withCalibration,
  withInstrument,
} from './ownTrend.ts';
import {
  changeNoiseVariance,
  reliabilityOf,
  reliabilityOfSums,
  withReliability,
} from './reliability.ts';
import { fitTrendClassifier, predictCategories, type TrendClassifier } from './trendClassifier.ts';
import type { Horizon, TrendCategory, TrendMethod } from './types.ts';
import {
  type LagSums,
  variogramEstimate,
  variogramPointsFrom,
  variogramSums,
  withVariogram,
} from './variogram.ts';

/** Population medians of the raw changes at one origin week (null when no account had full inputs there). */
export interface OriginMedians {
  c: number | null;
  y3: number | null;
  y6: number | null;
}

/** What the history is: the as-of, the data's first and last active day (on or before the as-of), the window. */
export interface HistoryFrame {
  readonly asOf: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly windowWeeks: number;
}

/** The date an origin week stands for (the as-of minus 7w days). */
export const originDate = (f: HistoryFrame, w: number): string => addDays(f.asOf, -7 * w);

/** The data covers the `windows` full windows ending at origin week w. */
export function dataCovers(f: HistoryFrame, w: number, windows: number): boolean {
  return f.firstDay <= addDays(originDate(f, w), -7 * f.windowWeeks * windows + 1);
}

/** The outcome of horizon h at origin week w is in the data and dated on or before `cutoff`. */
export function outcomeKnown(f: HistoryFrame, w: number, h: Horizon, cutoff: string): boolean {
  const end = addDays(originDate(f, w), 7 * f.windowWeeks * (h === '3m' ? 1 : 2));
  return end <= f.lastDay && end <= cutoff;
}

/** The compared methods of the backtest: the default, its two references, and the learned model. */
export const BACKTEST_METHODS = ['persistence-regressed', 'persistence', 'flat', 'model'] as const;
type M = (typeof BACKTEST_METHODS)[number];

/** One origin of the rolling backtest: its pairs and each method's hits on the same pairs. */
export interface BacktestOrigin {
  origin: string;
  /** Accounts (of the sample) with full inputs there and a known outcome. */
  n: number;
  /** Hits per method; model null when the model could not be fitted with what was known at the origin. */
  hits: Record<M, number | null>;
  /** The shrinkage factor known at the origin. */
  b: number;
  /** Training origins of the model fitted then (0 when none). */
  modelTrainOrigins: number;
}

/** Pooled hit rate of one method over the origins where every compared method had its inputs. */
export interface MethodMetrics {
  n: number;
  hitRate: number | null;
}

/** One gate comparison: candidate vs another method, on the same origins. */
export interface GateComparison {
  candidate: M;
  against: M;
  difference: PairedDifference | null;
}

/** The backtest and the gate of one horizon. */
export interface HorizonBacktest {
  horizonDays: number;
  /** True when at least one origin could be evaluated. */
  evaluable: boolean;
  note: string | null;
  origins: BacktestOrigin[];
  /** Origins where persistence had its full inputs and the outcome is known (flat, both persistences compared). */
  baseOrigins: number;
  /** Those of them where the model could also be fitted. */
  modelOrigins: number;
  /** Pooled hit rates on the base origins (model: on the model origins). */
  metrics: Record<M, MethodMetrics>;
  comparisons: GateComparison[];
  /** The method the gate ships and why. */
  method: TrendMethod;
  reason: string;
}

/** The sampled history: window rows of the sampled accounts at every origin week, and the medians per week. */
export interface SampledHistory {
  readonly frame: HistoryFrame;
  /** Rows grouped by origin week (ascending w = newest first). */
  readonly byWeek: ReadonlyMap<number, readonly WindowRow[]>;
  readonly medians: ReadonlyMap<number, OriginMedians>;
  /**
   * The raw sums of the shrinkage pairs of every account per origin week (shrinkagePairSumsSql), when the history
   * was built for `shrinkage.pairs: all-accounts`.
   */
  readonly pairSums?: ReadonlyMap<number, RawPairSums>;
}

/**
 * The shrinkage factor known at origin week `w0`: pairs (previous corrected change, corrected change) of the
 * sampled accounts at every origin week w >= w0 (dated on or before it) with three full windows, each with the
 * noise variance of the window the two changes share (its weeks are before the origin too).
 */
export function shrinkageAt(hist: SampledHistory, w0: number, config: TrendsConfig): Shrinkage {
  const K = hist.frame.windowWeeks;
  const estimator = config.shrinkage.estimator;
  const instrument = usesCrmActivity(estimator);
  const population = config.shrinkage.pairs === 'all-accounts' ? hist.pairSums : undefined;
  const pairs: ShrinkagePair[] = [];
  const quads: InstrumentQuad[] = [];
  for (const [w, rows] of hist.byWeek) {
    if (!knownOrigin(hist, w, w0)) continue;
    const med = population ? null : correctionAt(hist, w);
    for (const r of rows) {
      if (med && hasThreeWindows(r, K))
        pairs.push({
          x: rawPrevChange(r) - med.mx,
          y: rawChange(r) - med.my,
          noise: knownNoiseVariance(r.q_prev, r.v_prev, K),
          noisePrev2: knownNoiseVariance(r.q_prev2, r.v_prev2, K),
        });
      const q = instrument ? instrumentQuadOf(r, K) : null;
      if (q) quads.push(q);
    }
  }
  const popSums = population ? populationSums(hist, population, w0) : null;
  const base = popSums
    ? shrinkageOfSums(popSums, config, EVERY_ACCOUNT)
    : shrinkageOf(pairs, config);
  if (!instrument) {
    if (config.shrinkage.reliability === 'per-account')
      return withReliability(
        base,
        popSums
          ? reliabilityOfSums(popSums, config.shrinkage.minPairs, EVERY_ACCOUNT)
          : reliabilityOf(pairs, config.shrinkage.minPairs),
        config.sixMonth.factor,
      );
    return config.sixMonth.factor === 'variogram' && config.regressedCall === 'mean-threshold'
      ? withVariogram(base, sixMonthAt(hist, w0, config))
      : base;
  }
  const { minPairs, guardSe, bins } = config.shrinkage.instrument;
  const est = instrumentEstimate(quads, minPairs, guardSe);
  if (estimator === 'crm-instrument') return withInstrument(base, est);
  const points = calibrationPoints(quads, (w) => hist.medians.get(w)?.c ?? null);
  return withCalibration(base, est, est.usable ? calibrationCurve(points, bins) : null);
}

/** The variogram sums of a sampled history, computed once for every forecast origin of a run. */
const variogramCache = new WeakMap<SampledHistory, Map<number, LagSums[]>>();

/** The usage-variogram estimate of the 6-month factor known at origin week w0 (docs/trends.md, "Eighth method"). */
function sixMonthAt(hist: SampledHistory, w0: number, config: TrendsConfig) {
  const K = hist.frame.windowWeeks;
  let sums = variogramCache.get(hist);
  if (!sums) {
    sums = variogramSums(hist.byWeek, K, (w) => dataCovers(hist.frame, w, 1));
    variogramCache.set(hist, sums);
  }
  const points = variogramPointsFrom(sums, w0, config.shrinkage.minPairs);
  return variogramEstimate(points, K, config.sixMonth.minLags);
}

/** Origin week w is known at the forecast origin w0 and its three windows lie in the data. */
function knownOrigin(hist: SampledHistory, w: number, w0: number): boolean {
  return w >= w0 && dataCovers(hist.frame, w, 3);
}

/**
 * The population medians a pair at origin w is corrected by: my of its change (at w), mx of its previous change (at
 * w + K); null when either is unknown.
 */
function correctionAt(hist: SampledHistory, w: number): { mx: number; my: number } | null {
  const my = hist.medians.get(w)?.c ?? null;
  const mx = hist.medians.get(w + hist.frame.windowWeeks)?.c ?? null;
  return my === null || mx === null ? null : { mx, my };
}

const EVERY_ACCOUNT = ' of every account (not a sample)';

/**
 * The pooled centred sums of every account's pairs (`shrinkage.pairs: all-accounts`): the raw sums of the origin
 * weeks known at w0, each corrected by its population medians (correctedPairSums).
 */
function populationSums(
  hist: SampledHistory,
  population: ReadonlyMap<number, RawPairSums>,
  w0: number,
): CentredPairSums {
  const origins: { sums: RawPairSums; mx: number; my: number }[] = [];
  for (const [w, sums] of population) {
    const med = knownOrigin(hist, w, w0) ? correctionAt(hist, w) : null;
    if (med) origins.push({ sums, ...med });
  }
  return correctedPairSums(origins);
}

/** The corrected realised category of a row at its origin (null when unknown). */
function truthOf(
  r: WindowRow,
  h: Horizon,
  med: OriginMedians,
  config: TrendsConfig,
): TrendCategory | null {
  const raw = rawOutcome(r, h);
  const m = h === '3m' ? med.y3 : med.y6;
  return raw === null || m === null ? null : categoryOfChange(raw - m, config);
}

/** Training pairs of the learned model known at `cutoff` (outcome dated on or before it): features and category. */
export function modelTrainingSet(
  hist: SampledHistory,
  h: Horizon,
  cutoff: string,
  config: TrendsConfig,
): { X: number[][]; y: TrendCategory[]; origins: number } {
  const K = hist.frame.windowWeeks;
  const X: number[][] = [];
  const y: TrendCategory[] = [];
  let origins = 0;
  for (const [w, rows] of hist.byWeek) {
    if (!dataCovers(hist.frame, w, 2) || !outcomeKnown(hist.frame, w, h, cutoff)) continue;
    const med = hist.medians.get(w);
    if (!med || med.c === null) continue;
    const medPrev = hist.medians.get(w + K)?.c ?? null;
    let used = 0;
    for (const r of rows) {
      if (!hasFullInputs(r, K)) continue;
      const t = truthOf(r, h, med, config);
      if (t === null) continue;
      X.push(modelFeatures(r, med.c, medPrev, K));
      y.push(t);
      used++;
    }
    if (used) origins++;
  }
  return { X, y, origins };
}

/** Fits the learned model on what was known at `cutoff`; null with fewer than model.minTrainOrigins origins. */
export async function fitModelAt(
  hist: SampledHistory,
  h: Horizon,
  cutoff: string,
  config: TrendsConfig,
): Promise<{ classifier: TrendClassifier; origins: number; pairs: number } | null> {
  const set = modelTrainingSet(hist, h, cutoff, config);
  if (set.origins < config.model.minTrainOrigins || set.y.length === 0) return null;
  const classifier = await fitTrendClassifier(set.X, set.y, config, [...MODEL_FEATURES]);
  return { classifier, origins: set.origins, pairs: set.y.length };
}

/** The number of earlier origins whose outcome is known at origin week w (the model's training origins). */
function trainableOrigins(hist: SampledHistory, w: number, h: Horizon): number {
  const cutoff = originDate(hist.frame, w);
  let n = 0;
  for (const v of hist.byWeek.keys()) {
    if (dataCovers(hist.frame, v, 2) && outcomeKnown(hist.frame, v, h, cutoff)) n++;
  }
  return n;
}

const pct = (v: number) => v.toFixed(3);

/**
 * Why the learned model is not shipped by default (config `trends.model.eligible`), as the gate's reason says it.
 */
export const NOT_ELIGIBLE_WHY =
  'the backtest scores it against the account\'s observed usage change, which shares its measurement noise with the inputs, so the model is rewarded for learning the reversal of that noise, which does not carry to value, and on the known-answer worlds the model the gate shipped was below all-Flat against the truth (docs/trends.md, "Third decision, pre-registered: the learned model is not eligible")';

/**
 * The rolling-origin backtest of one horizon on the sampled accounts, and the gate. At every origin where
 * persistence has two full windows in the data and the outcome is known: the corrected realised category of every
 * sampled account with full inputs, against regressed persistence (b known at the origin), plain persistence, all
 * Flat and, when it can be fitted on pairs whose outcome was known at the origin, the learned model. The model is
 * fitted only if at least gate.minOrigins origins could check it. Gate: regressed persistence stands unless another
 * method beats every other one with the lower bound of the paired bootstrap interval above zero, over at least
 * gate.minOrigins origins where all compared methods had their inputs. The learned model is always compared when it
 * is fitted (a challenger, reported), but ships only when `model.eligible` (default false); otherwise the method is
 * chosen within the persistence family (regressed persistence, plain persistence, all Flat) by the same rule.
 */
export async function backtestHorizon(
  hist: SampledHistory,
  h: Horizon,
  config: TrendsConfig,
): Promise<HorizonBacktest> {
  const f = hist.frame;
  const K = f.windowWeeks;
  const g = config.gate;
  const weeks = [...hist.byWeek.keys()]
    .filter((w) => {
      const m = hist.medians.get(w);
      const y = h === '3m' ? m?.y3 : m?.y6;
      return (
        dataCovers(f, w, 2) &&
        outcomeKnown(f, w, h, f.lastDay) &&
        m?.c !== null &&
        m?.c !== undefined &&
        y !== null &&
        y !== undefined
      );
    })
    .sort((a, b) => b - a); // oldest origin first
  const modelWeeks = weeks.filter(
    (w) => trainableOrigins(hist, w, h) >= config.model.minTrainOrigins,
  );
  const useModel = config.model.enabled && modelWeeks.length >= g.minOrigins;
  const origins: BacktestOrigin[] = [];
  let fit: { w: number; model: Awaited<ReturnType<typeof fitModelAt>> } | null = null;
  for (const w of weeks) {
    const med = hist.medians.get(w) as OriginMedians;
    const medC = med.c as number;
    const medPrev = hist.medians.get(w + K)?.c ?? null;
    const shrink = shrinkageAt(hist, w, config);
    const b = shrink.b;
    const at = originDate(f, w);
    let model: TrendClassifier | null = null;
    let trainOrigins = 0;
    if (useModel && modelWeeks.includes(w)) {
      if (!fit || fit.w - w >= config.model.refitEveryWeeks || fit.model === null) {
        fit = { w, model: await fitModelAt(hist, h, at, config) };
      }
      model = fit.model?.classifier ?? null;
      trainOrigins = fit.model?.origins ?? 0;
    }
    const rows = (hist.byWeek.get(w) ?? []).filter((r) => hasFullInputs(r, K));
    const truths: TrendCategory[] = [];
    const kept: WindowRow[] = [];
    for (const r of rows) {
      const t = truthOf(r, h, med, config);
      if (t === null) continue;
      truths.push(t);
      kept.push(r);
    }
    if (kept.length === 0) continue;
    const hits: Record<M, number | null> = {
      'persistence-regressed': 0,
      persistence: 0,
      flat: 0,
      model: model ? 0 : null,
    };
    const modelCats = model
      ? predictCategories(
          model,
          kept.map((r) => modelFeatures(r, medC, medPrev, K)),
        ).map((p) => p.category)
      : null;
    kept.forEach((r, i) => {
      const c = rawChange(r) - medC;
      const t = truths[i];
      if (regressedCall(c, shrink, h, config, changeNoiseVariance(r, K)).t === t)
        (hits['persistence-regressed'] as number)++;
      if (categoryOfChange(persistenceFactor(h) * c, config) === t) (hits.persistence as number)++;
      if (t === 'Flat') (hits.flat as number)++;
      if (modelCats && modelCats[i] === t) (hits.model as number)++;
    });
    origins.push({ origin: at, n: kept.length, hits, b, modelTrainOrigins: trainOrigins });
  }
  const modelOrigins = origins.filter((o) => o.hits.model !== null);
  const pooled = (os: readonly BacktestOrigin[], m: M): MethodMetrics => {
    const n = os.reduce((s, o) => s + o.n, 0);
    const hit = os.reduce((s, o) => s + (o.hits[m] ?? 0), 0);
    return { n, hitRate: n ? hit / n : null };
  };
  const metrics: Record<M, MethodMetrics> = {
    'persistence-regressed': pooled(origins, 'persistence-regressed'),
    persistence: pooled(origins, 'persistence'),
    flat: pooled(origins, 'flat'),
    model: pooled(modelOrigins, 'model'),
  };
  const compare = (os: readonly BacktestOrigin[], a: M, b: M): GateComparison => ({
    candidate: a,
    against: b,
    difference: pairedBootstrap(
      os.map((o): OriginHits => ({ n: o.n, a: o.hits[a] ?? 0, b: o.hits[b] ?? 0 })),
      g.reps,
      g.level,
      g.seed,
    ),
  });
  const comparisons: GateComparison[] = [];
  const beatsAll = (os: readonly BacktestOrigin[], cand: M, others: readonly M[]) => {
    const cs = others.map((o) => compare(os, cand, o));
    comparisons.push(...cs);
    return cs.every((c) => c.difference !== null && c.difference.lower > 0);
  };
  let method: TrendMethod = 'persistence-regressed';
  let reason: string;
  const level = `${Math.round(g.level * 100)}%`;
  const baseM: M[] = ['persistence-regressed', 'persistence', 'flat'];
  if (origins.length < g.minOrigins) {
    reason = `${origins.length} backtest origins with two full windows before them and a known outcome (need ${g.minOrigins}): regressed persistence stands, no method is compared`;
  } else {
    const modelChecked = useModel && modelOrigins.length >= g.minOrigins;
    const modelWins = modelChecked && beatsAll(modelOrigins, 'model', baseM);
    const modelBounds = `lower bounds of the ${level} paired bootstrap intervals`;
    if (modelWins && config.model.eligible) {
      method = 'model';
      reason = `the learned model beats regressed persistence, persistence and all Flat on ${modelOrigins.length} origins (${modelBounds} above 0)`;
    } else {
      const winner = (['persistence', 'flat'] as const).find((cand) =>
        beatsAll(
          origins,
          cand,
          baseM.filter((m) => m !== cand),
        ),
      );
      const modelNote = !config.model.enabled
        ? 'the learned model is disabled'
        : !useModel
          ? `the learned model could be checked at ${modelWeeks.length} origins only (need ${g.minOrigins}), so it is not fitted`
          : modelWins
            ? `the learned model beats regressed persistence, persistence and all Flat in the history (hit rate ${pct(metrics.model.hitRate ?? 0)} on ${modelOrigins.length} origins, ${modelBounds} above 0) but is not eligible (trends.model.eligible false): ${NOT_ELIGIBLE_WHY}`
            : `the learned model does not beat every other method with the ${level} interval's lower bound above 0 (hit rate ${pct(metrics.model.hitRate ?? 0)} on ${modelOrigins.length} origins)${config.model.eligible ? '' : ` and is not eligible anyway (trends.model.eligible false): ${NOT_ELIGIBLE_WHY}`}`;
      if (winner) {
        method = winner;
        reason = `${modelNote}; ${winner === 'flat' ? 'all Flat' : 'plain persistence'} beats the other methods of the persistence family on ${origins.length} origins (lower bounds of the ${level} intervals above 0)`;
      } else {
        reason = `${modelNote}; no other method beats regressed persistence with the ${level} interval's lower bound above 0 on ${origins.length} origins: regressed persistence stands`;
      }
    }
  }
  const evaluable = origins.length > 0;
  return {
    horizonDays: 7 * K * (h === '3m' ? 1 : 2),
    evaluable,
    note: evaluable
      ? null
      : `no origin with two full ${7 * K}-day windows of data before it and its ${h === '3m' ? 7 * K : 14 * K}-day outcome in the data`,
    origins,
    baseOrigins: origins.length,
    modelOrigins: modelOrigins.length,
    metrics,
    comparisons,
    method,
    reason,
  };
}
