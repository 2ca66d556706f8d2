/**
 * Stacking the value index with the forest (docs/scoring.md, "Stacking, pre-registered"): a logistic regression on
 * z = logit(clip(forest probability, 0.01, 0.99)) and v = the value index percentile, fitted to the revenue label
 * with the forest's own cross-fitting folds, so no account's stacked probability comes from a forest or a stacker
 * fitted on its label. Every parameter is fixed in STACKING.
 */
import type { AccountFeatures } from '../features/columns.ts';
import {
  fitLogisticRegression,
  type LogisticRegressionModel,
  predictProba,
  predictProbaLogistic,
  solveLinear,
} from '../models/index.ts';
import type { Row } from '../ports/index.ts';
import { scoreByFold } from './byFold.ts';
import { featureMatrix } from './dataset.ts';
import type { LabelName } from './labels.ts';

/** The pre-registered parameters: L2 weight (not on the intercept), Newton steps, probability clip. */
export const STACKING = { lambda: 1, iterations: 25, clip: 0.01 } as const;

/** Coefficients [b0 (intercept), b1 (z), b2 (v)]. */
export type StackerCoefficients = [number, number, number];

/**
 * The rank-mean combiner (docs/scoring.md, "Three scores ranked and averaged with equal weights, pre-registered"):
 * the logistic regressions beside the forest and the calibration of the mean rank, cross-fitted on the forest's folds.
 */
export interface StoredRankMean {
  /** logistic.folds[k]: fitted on the labelled accounts outside fold k; scores fold k. */
  logistic: { folds: LogisticRegressionModel[]; full: LogisticRegressionModel };
  /** [c0, c1] of p = sigmoid(c0 + c1 s), s the mean rank; folds[k] scores fold k, full the others. */
  calibration: { folds: [number, number][]; full: [number, number] };
}

/** The pre-registered logistic regression of the rank-mean combiner: log1p then standardised features, L2 1. */
export const RANK_MEAN_LOGISTIC = { log1p: true, l2: 1 } as const;

/** A version's stacker, as stored in stacking.json. */
export interface StoredStacking {
  /** Label the stacker was fitted to (always revenue). */
  label: LabelName;
  lambda: number;
  iterations: number;
  clip: number;
  /** folds[k]: fitted on the labelled accounts outside fold k; scores fold k. */
  folds: StackerCoefficients[];
  /** Fitted on every labelled account; scores the accounts the version was not trained on. */
  full: StackerCoefficients;
  /** The rank-mean combiner, in versions trained since it exists. */
  rankMean?: StoredRankMean;
}

const sigmoid = (t: number): number =>
  t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));

/** logit(clip(p, clip, 1 - clip)). */
export function clippedLogit(p: number, clip: number = STACKING.clip): number {
  const q = Math.min(1 - clip, Math.max(clip, p));
  return Math.log(q / (1 - q));
}

/**
 * pandas `rank(pct=True)`: the average rank (1-based) of tied values divided by the number of non-null values; null
 * stays null.
 */
export function percentileRanks(values: readonly (number | null)[]): (number | null)[] {
  const idx = values.flatMap((v, i) => (v === null ? [] : [i]));
  idx.sort((a, b) => (values[a] as number) - (values[b] as number));
  const out: (number | null)[] = values.map(() => null);
  const n = idx.length;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && values[idx[e + 1]] === values[idx[s]]) e++;
    const rank = (s + 1 + e + 1) / 2;
    for (let j = s; j <= e; j++) out[idx[j]] = rank / n;
    s = e + 1;
  }
  return out;
}

/**
 * Fits p = sigmoid(b0 + b1 z + b2 v) to 0/1 labels y: minimises -log-likelihood + (lambda / 2)(b1² + b2²) by exactly
 * `iterations` full Newton steps from b = 0.
 */
export function fitStacker(
  z: ArrayLike<number>,
  v: ArrayLike<number>,
  y: ArrayLike<number>,
  lambda: number = STACKING.lambda,
  iterations: number = STACKING.iterations,
): StackerCoefficients {
  const b = [0, 0, 0];
  for (let it = 0; it < iterations; it++) {
    const g = [0, lambda * b[1], lambda * b[2]];
    const H = [
      [0, 0, 0],
      [0, lambda, 0],
      [0, 0, lambda],
    ];
    for (let i = 0; i < y.length; i++) {
      const x = [1, z[i], v[i]];
      const p = sigmoid(b[0] + b[1] * x[1] + b[2] * x[2]);
      const w = p * (1 - p);
      for (let r = 0; r < 3; r++) {
        g[r] += (p - y[i]) * x[r];
        for (let c = 0; c < 3; c++) H[r][c] += w * x[r] * x[c];
      }
    }
    // a singular Hessian (no spread and no l2) gives NaN coefficients
    const step = solveLinear(H, g) ?? [Number.NaN, Number.NaN, Number.NaN];
    for (let r = 0; r < 3; r++) b[r] -= step[r];
  }
  return [b[0], b[1], b[2]];
}

/** The stacked probability of a forest probability p and a value index percentile v. */
export function stackedProbability(coef: StackerCoefficients, p: number, v: number): number {
  return sigmoid(coef[0] + coef[1] * clippedLogit(p) + coef[2] * v);
}

/**
 * Value index percentile of each account: rank(pct=True) of value_index among the accounts with product data and a
 * numeric value index in `scores`; null for the others.
 */
export function valueIndexPercentiles(
  features: readonly AccountFeatures[],
  scores: readonly Row[],
): Map<string, number> {
  const product = new Set(features.filter((f) => f.has_product).map((f) => f.account_id));
  const rows = scores.filter(
    (s) => product.has(String(s.account_id)) && typeof s.value_index === 'number',
  );
  const pct = percentileRanks(rows.map((s) => s.value_index as number));
  return new Map(rows.map((s, i) => [String(s.account_id), pct[i] as number]));
}

/**
 * Fits the stacker of a version trained on the revenue label: the out-of-fold forest probability of every labelled
 * row (from the fold forest of its fold) and its value index percentile; stacker k on the rows outside fold k, the
 * full stacker on every row. Rows without a value index percentile are left out of the fits (they keep their
 * forest probability when scored). `onFold` (for tests) sees the rows each fold stacker was fitted on.
 */
export function fitStacking(
  rows: readonly AccountFeatures[],
  y: ArrayLike<number>,
  folds: ArrayLike<number>,
  forests: Parameters<typeof predictProba>[0][],
  viPercentile: ReadonlyMap<string, number>,
  onFold?: (fold: number, fitted: number[]) => void,
): StoredStacking {
  const oof = scoreByFold(folds, (k, idx) => {
    const forest = forests[k as number];
    return predictProba(
      forest,
      featureMatrix(
        idx.map((i) => rows[i]),
        forest.featureNames,
      ),
    );
  });
  const fitOn = (use: number[]): StackerCoefficients =>
    fitStacker(
      use.map((i) => clippedLogit(oof[i])),
      use.map((i) => viPercentile.get(rows[i].account_id) as number),
      use.map((i) => y[i]),
    );
  const withVi = rows.flatMap((r, i) => (viPercentile.has(r.account_id) ? [i] : []));
  const foldCoefs = forests.map((_, k) => {
    const use = withVi.filter((i) => folds[i] !== k);
    onFold?.(k, use);
    return fitOn(use);
  });
  return {
    label: 'revenue',
    lambda: STACKING.lambda,
    iterations: STACKING.iterations,
    clip: STACKING.clip,
    folds: foldCoefs,
    full: fitOn(withVi),
  };
}

/**
 * The 1-D calibration [c0, c1] of p = sigmoid(c0 + c1 s): the stacker's own fit (L2 lambda on c1, the same Newton
 * steps) with its second input held at 0, whose coefficient then stays 0.
 */
export function fitCalibration(s: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  const [c0, c1] = fitStacker(s, new Float64Array(s.length), y);
  return [c0, c1];
}

/** A row's model: the fold's when the version was trained on it (fold !== null), the full one otherwise. */
const pick = <T>(m: { folds: readonly T[]; full: T }, fold: number | null): T =>
  fold === null ? m.full : m.folds[fold];

/**
 * The rank-mean score s = (r_f + r_l + v) / 3 of the accounts with a value index percentile v (null for the others):
 * r_f and r_l the rank(pct=True) of the forest's and the logistic regression's probabilities among those accounts,
 * each from the model of the account's fold, or the full model when `fold` is null.
 */
export function rankMeanScores(
  logistic: StoredRankMean['logistic'],
  rows: readonly AccountFeatures[],
  forest: { p: ArrayLike<number>; fold: readonly (number | null)[] },
  viPercentile: ReadonlyMap<string, number>,
): (number | null)[] {
  const pl = scoreByFold(forest.fold, (k, idx) => {
    const model = pick(logistic, k);
    return predictProbaLogistic(
      model,
      featureMatrix(
        idx.map((i) => rows[i]),
        model.featureNames,
      ),
    );
  });
  const v = rows.map((r) => viPercentile.get(r.account_id) ?? null);
  const rf = percentileRanks(v.map((x, i) => (x === null ? null : forest.p[i])));
  const rl = percentileRanks(v.map((x, i) => (x === null ? null : pl[i])));
  return v.map((x, i) => (x === null ? null : ((rf[i] as number) + (rl[i] as number) + x) / 3));
}

/** The rank-mean probability of scored accounts; an account without a value index percentile keeps the forest's. */
export function rankMeanProbabilities(
  rankMean: StoredRankMean,
  rows: readonly AccountFeatures[],
  forest: { p: ArrayLike<number>; fold: readonly (number | null)[] },
  viPercentile: ReadonlyMap<string, number>,
): Float64Array {
  const s = rankMeanScores(rankMean.logistic, rows, forest, viPercentile);
  return Float64Array.from(rows, (_, i) => {
    const x = s[i];
    if (x === null) return forest.p[i];
    const [c0, c1] = pick(rankMean.calibration, forest.fold[i]);
    return sigmoid(c0 + c1 * x);
  });
}

/**
 * Fits the rank-mean combiner of a revenue-label version: one logistic regression per fold on the labelled rows of
 * the other folds and a full one on every labelled row; then the mean rank s of the run's product accounts (`scored`,
 * with their forest probabilities and folds as daily scoring gives them) and its calibration, calibration k on the
 * labelled rows outside fold k, the full one on every labelled row with an s. (The other folds' s come from logistic
 * regressions fitted on fold k among others, so fold k's labels reach calibration k's two coefficients only through
 * those inputs, never as its training labels, as for the stacker.) `onFold` (for tests) sees the rows each fold's
 * logistic regression and calibration were fitted on.
 */
export function fitRankMean(
  dataset: { rows: readonly AccountFeatures[]; X: readonly Float64Array[]; featureNames: string[] },
  y: ArrayLike<number>,
  folds: ArrayLike<number>,
  scored: {
    rows: readonly AccountFeatures[];
    p: ArrayLike<number>;
    fold: readonly (number | null)[];
  },
  viPercentile: ReadonlyMap<string, number>,
  onFold?: (fold: number, logisticRows: number[], calibrationRows: number[]) => void,
): StoredRankMean {
  let k = 0;
  for (let i = 0; i < folds.length; i++) k = Math.max(k, folds[i] + 1);
  const all = dataset.rows.map((_, i) => i);
  const fitOn = (use: number[]) =>
    fitLogisticRegression(
      use.map((i) => dataset.X[i]),
      Uint8Array.from(use, (i) => y[i]),
      RANK_MEAN_LOGISTIC,
      dataset.featureNames,
    );
  const outside = Array.from({ length: k }, (_, f) => all.filter((i) => folds[i] !== f));
  const logistic = { folds: outside.map(fitOn), full: fitOn(all) };
  const s = rankMeanScores(logistic, scored.rows, scored, viPercentile);
  const sOf = new Map(scored.rows.map((r, i) => [r.account_id, s[i]]));
  const hasS = (i: number) => (sOf.get(dataset.rows[i].account_id) ?? null) !== null;
  const calibrate = (use: number[]) =>
    fitCalibration(
      use.map((i) => sOf.get(dataset.rows[i].account_id) as number),
      use.map((i) => y[i]),
    );
  const calibration = {
    folds: outside.map((rows, f) => {
      const use = rows.filter(hasS);
      onFold?.(f, rows, use);
      return calibrate(use);
    }),
    full: calibrate(all.filter(hasS)),
  };
  return { logistic, calibration };
}
