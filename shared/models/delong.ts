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

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new ModelInputError(`quantile needs p in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
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
