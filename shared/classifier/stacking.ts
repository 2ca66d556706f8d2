/**
 * Stacking the value index with the forest (docs/scoring.md, "Stacking, pre-registered"): a logistic regression on
 * z = logit(clip(forest probability, 0.01, 0.99)) and v = the value index percentile, fitted to the revenue label
 * with the forest's own cross-fitting folds, so no account's stacked probability comes from a forest or a stacker
 * fitted on its label. Every parameter is fixed in STACKING.
 */
import type { AccountFeatures } from '../features/columns.ts';
import { predictProba, solveLinear } from '../models/index.ts';
import type { Row } from '../ports/index.ts';
import { featureMatrix } from './dataset.ts';
import type { LabelName } from './labels.ts';

/** The pre-registered parameters: L2 weight (not on the intercept), Newton steps, probability clip. */
export const STACKING = { lambda: 1, iterations: 25, clip: 0.01 } as const;

/** Coefficients [b0 (intercept), b1 (z), b2 (v)]. */
export type StackerCoefficients = [number, number, number];

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
  const oof = new Float64Array(rows.length);
  forests.forEach((forest, k) => {
    const idx = rows.flatMap((_, i) => (folds[i] === k ? [i] : []));
    if (idx.length === 0) return;
    const p = predictProba(
      forest,
      featureMatrix(
        idx.map((i) => rows[i]),
        forest.featureNames,
      ),
    );
    idx.forEach((i, j) => {
      oof[i] = p[j];
    });
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
