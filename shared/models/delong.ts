import { normalQuantile as standardNormalQuantile } from '../insights/stats.ts';
import { ModelInputError } from './modelErrors.ts';
import type { BinaryLabels } from './types.ts';

/** Midranks (1-based, ties sharing their mean rank) of `values`. */
function midranks(values: readonly number[]): Float64Array {
  const order = Array.from(values, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let k = i; k <= j; k++) out[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** DeLong's structural components of one score vector: per positive V10, per negative V01; their means are the AUC. */
export interface AucComponents {
  auc: number;
  /** Per positive: share of negatives it outscores (ties one half). */
  v10: Float64Array;
  /** Per negative: share of positives that outscore it (ties one half). */
  v01: Float64Array;
}

/** DeLong components of `scores` against `y`; throws when a class is absent. */
export function aucComponents(y: BinaryLabels, scores: ArrayLike<number>): AucComponents {
  if (y.length !== scores.length)
    throw new ModelInputError(
      `labels (${y.length}) and scores (${scores.length}) differ in length`,
    );
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === 1 ? pos : neg).push(scores[i]);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) throw new ModelInputError('AUC needs both classes');
  const tx = midranks(pos);
  const ty = midranks(neg);
  const tz = midranks([...pos, ...neg]);
  const v10 = Float64Array.from(pos, (_, i) => (tz[i] - tx[i]) / n);
  const v01 = Float64Array.from(neg, (_, j) => 1 - (tz[m + j] - ty[j]) / m);
  const auc = v10.reduce((s, v) => s + v, 0) / m;
  return { auc, v10, v01 };
}

/** Sample covariance (ddof 1) of two equally long vectors; 0 for fewer than two values. */
function cov(a: Float64Array, b: Float64Array): number {
  const k = a.length;
  if (k < 2) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < k; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= k;
  mb /= k;
  let s = 0;
  for (let i = 0; i < k; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (k - 1);
}

/** Variance of one AUC (DeLong): var(V10)/m + var(V01)/n. */
export function aucVariance(c: AucComponents): number {
  return cov(c.v10, c.v10) / c.v10.length + cov(c.v01, c.v01) / c.v01.length;
}

/** Standard normal quantile for p in (0, 1) (insights/stats.ts), a ModelInputError outside it. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new ModelInputError(`quantile needs p in (0, 1), got ${p}`);
  return standardNormalQuantile(p);
}

/** Two models' AUCs on the same rows and the DeLong interval of their difference. */
export interface PairedAucComparison {
  aucA: number;
  aucB: number;
  /** aucA - aucB. */
  difference: number;
  /** Standard error of the difference (DeLong, paired). */
  se: number;
  confidence: number;
  lower: number;
  upper: number;
}

/**
 * Paired DeLong comparison of two score vectors on the same labelled rows: AUC of each, their difference A - B, and
 * the normal `confidence` interval of the difference from the covariance of the structural components
 * (DeLong, DeLong & Clarke-Pearson 1988; midrank form of Sun & Xu 2014).
 */
export function compareAuc(
  y: BinaryLabels,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  confidence = 0.95,
): PairedAucComparison {
  const a = aucComponents(y, scoresA);
  const b = aucComponents(y, scoresB);
  const m = a.v10.length;
  const n = a.v01.length;
  const variance =
    (cov(a.v10, a.v10) + cov(b.v10, b.v10) - 2 * cov(a.v10, b.v10)) / m +
    (cov(a.v01, a.v01) + cov(b.v01, b.v01) - 2 * cov(a.v01, b.v01)) / n;
  const se = Math.sqrt(Math.max(0, variance));
  const z = normalQuantile((1 + confidence) / 2);
  const difference = a.auc - b.auc;
  return {
    aucA: a.auc,
    aucB: b.auc,
    difference,
    se,
    confidence,
    lower: difference - z * se,
    upper: difference + z * se,
  };
}
