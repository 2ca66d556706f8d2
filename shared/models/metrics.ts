import { ModelInputError } from './modelErrors.ts';
import { createRng, shuffleInPlace } from './rng.ts';
import type { BinaryLabels, FeatureMatrix, ScoreFunction } from './types.ts';

/** Confusion matrix of a binary classifier: [[tn, fp], [fn, tp]] (rows true 0/1, columns predicted 0/1). */
export type ConfusionMatrix = [[number, number], [number, number]];

function checkLengths(yTrue: BinaryLabels, scores: ArrayLike<number>): void {
  if (yTrue.length !== scores.length) {
    throw new ModelInputError(`${yTrue.length} labels but ${scores.length} scores`);
  }
}

/**
 * Confusion matrix [[tn, fp], [fn, tp]]: a row is predicted positive when its score is >= threshold, so 0/1
 * predicted labels pass through unchanged with the default threshold 0.5.
 */
export function confusionMatrix(
  yTrue: BinaryLabels,
  scores: ArrayLike<number>,
  threshold = 0.5,
): ConfusionMatrix {
  checkLengths(yTrue, scores);
  const m: ConfusionMatrix = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < yTrue.length; i++)
    m[yTrue[i] === 1 ? 1 : 0][scores[i] >= threshold ? 1 : 0]++;
  return m;
}

/** Share of rows whose prediction (score >= threshold) equals the label, in [0, 1]. */
export function accuracy(yTrue: BinaryLabels, scores: ArrayLike<number>, threshold = 0.5): number {
  const [[tn, fp], [fn, tp]] = confusionMatrix(yTrue, scores, threshold);
  const n = tn + fp + fn + tp;
  return n === 0 ? 0 : (tn + tp) / n;
}

/** Precision of class 1, tp / (tp + fp), in [0, 1]; 0 when nothing is predicted positive. */
export function precision(yTrue: BinaryLabels, scores: ArrayLike<number>, threshold = 0.5): number {
  const [[, fp], [, tp]] = confusionMatrix(yTrue, scores, threshold);
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

/** Recall of class 1, tp / (tp + fn), in [0, 1]; 0 when there is no positive row. */
export function recall(yTrue: BinaryLabels, scores: ArrayLike<number>, threshold = 0.5): number {
  const [, [fn, tp]] = confusionMatrix(yTrue, scores, threshold);
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

/** F1 of class 1, 2 tp / (2 tp + fp + fn), in [0, 1]; 0 when there is no positive row or prediction. */
export function f1(yTrue: BinaryLabels, scores: ArrayLike<number>, threshold = 0.5): number {
  const [[, fp], [fn, tp]] = confusionMatrix(yTrue, scores, threshold);
  return 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Row indices sorted by ascending score (ties by index, so the order is deterministic). */
function ascendingOrder(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[a] - scores[b] || a - b);
}

/**
 * Area under the ROC curve, rank-based (Mann-Whitney U): the chance a random positive outscores a random
 * negative, ties counting one half, in [0, 1]. NaN when one class is absent.
 */
export function rocAuc(yTrue: BinaryLabels, scores: ArrayLike<number>): number {
  checkLengths(yTrue, scores);
  const order = ascendingOrder(scores);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]] === 1) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** ROC curve points: false and true positive rates when predicting positive at score >= threshold. */
export interface RocCurve {
  /** False positive rate per point, from 0 up to 1. */
  fpr: Float64Array;
  /** True positive rate per point, from 0 up to 1. */
  tpr: Float64Array;
  /** Threshold per point, decreasing; the first is +Infinity (nothing positive). */
  thresholds: Float64Array;
}

/** ROC curve with one point per distinct score (plus the origin), as scikit-learn's roc_curve without dropping. */
export function rocCurve(yTrue: BinaryLabels, scores: ArrayLike<number>): RocCurve {
  checkLengths(yTrue, scores);
  const order = ascendingOrder(scores).reverse();
  let nPos = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) nPos++;
  const nNeg = yTrue.length - nPos;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (yTrue[order[i]] === 1) tp++;
    else fp++;
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      fpr.push(nNeg === 0 ? 0 : fp / nNeg);
      tpr.push(nPos === 0 ? 0 : tp / nPos);
      thresholds.push(scores[order[i]]);
    }
  }
  return {
    fpr: Float64Array.from(fpr),
    tpr: Float64Array.from(tpr),
    thresholds: Float64Array.from(thresholds),
  };
}

/** Brier score: mean squared difference between probability and 0/1 label, in [0, 1] (lower is better). */
export function brierScore(yTrue: BinaryLabels, proba: ArrayLike<number>): number {
  checkLengths(yTrue, proba);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (proba[i] - yTrue[i]) ** 2;
  return yTrue.length === 0 ? Number.NaN : s / yTrue.length;
}

/** One row of a reliability (calibration) table. */
export interface ReliabilityBin {
  /** Lower edge of the probability bin (inclusive). */
  lower: number;
  /** Upper edge (exclusive, except 1 for the last bin). */
  upper: number;
  /** Rows whose probability falls in the bin. */
  count: number;
  /** Mean predicted probability of those rows (NaN when count is 0). */
  meanPredicted: number;
  /** Share of those rows with label 1 (NaN when count is 0). */
  observedRate: number;
}

/** Reliability table over `nBins` equal-width probability bins on [0, 1] (10 by default). */
export function reliabilityTable(
  yTrue: BinaryLabels,
  proba: ArrayLike<number>,
  nBins = 10,
): ReliabilityBin[] {
  checkLengths(yTrue, proba);
  const count = new Float64Array(nBins);
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  for (let i = 0; i < yTrue.length; i++) {
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(proba[i] * nBins)));
    count[b]++;
    sumP[b] += proba[i];
    sumY[b] += yTrue[i] === 1 ? 1 : 0;
  }
  return Array.from({ length: nBins }, (_, b) => ({
    lower: b / nBins,
    upper: (b + 1) / nBins,
    count: count[b],
    meanPredicted: count[b] === 0 ? Number.NaN : sumP[b] / count[b],
    observedRate: count[b] === 0 ? Number.NaN : sumY[b] / count[b],
  }));
}

/** Permutation importance per feature: mean and population std of the metric's drop over the repeats. */
export interface PermutationImportance {
  /** Mean decrease of the metric when the feature is shuffled, per feature. */
  mean: Float64Array;
  /** Standard deviation (ddof 0) of that decrease over the repeats, per feature. */
  std: Float64Array;
  /** Metric on the unshuffled data. */
  baseline: number;
}

/** Options of permutationImportance. */
export interface PermutationImportanceOptions {
  /** Shuffles per feature. @default 5 */
  nRepeats: number;
  /** Seed of the shuffles. @default 0 */
  randomState: number;
  /** Score to decrease (higher is better). @default rocAuc */
  metric: (yTrue: BinaryLabels, scores: ArrayLike<number>) => number;
}

/** The options of a permutation importance with their defaults filled in. */
export function permutationOptions(
  options: Partial<PermutationImportanceOptions>,
): PermutationImportanceOptions {
  return { nRepeats: 5, randomState: 0, metric: rocAuc, ...options };
}

/**
 * Permutation importance (as scikit-learn): for each feature, shuffle its column nRepeats times and record how
 * much the metric (default AUC) drops from its baseline. X itself is not modified.
 */
export function permutationImportance(
  predictFn: ScoreFunction,
  X: FeatureMatrix,
  y: BinaryLabels,
  options: Partial<PermutationImportanceOptions> = {},
): PermutationImportance {
  const { nRepeats, randomState, metric } = permutationOptions(options);
  const n = X.length;
  const p = n > 0 ? X[0].length : 0;
  const work = X.map((row) => Array.from(row, (v) => (v === null ? Number.NaN : v)));
  return permuteColumns({
    n,
    p,
    nRepeats,
    randomState,
    get: (i, f) => work[i][f],
    set: (i, f, v) => {
      work[i][f] = v;
    },
    score: () => metric(y, predictFn(work)),
  });
}

/** What permuteColumns needs: the data's shape, its cells, and the metric of the data as the cells are now. */
export interface PermutedData {
  readonly n: number;
  readonly p: number;
  readonly nRepeats: number;
  readonly randomState: number;
  get(row: number, feature: number): number;
  set(row: number, feature: number, value: number): void;
  /** The metric of the data as it is now; `feature` is the shuffled column (-1 for none). */
  score(feature: number): number;
}

/**
 * The permutation loop of every importance estimator here: the baseline, then for each feature nRepeats seeded
 * shuffles of its column (one RNG stream over all features, in feature order), the metric's drop for each, the column
 * put back, and the mean and (population) standard deviation of the drops.
 */
export function permuteColumns(d: PermutedData): PermutationImportance {
  const { n, p, nRepeats } = d;
  const baseline = d.score(-1);
  const rng = createRng(d.randomState);
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  const column = new Float64Array(n);
  const perm = new Int32Array(n);
  const drops = new Float64Array(nRepeats);
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) column[i] = d.get(i, f);
    for (let r = 0; r < nRepeats; r++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      shuffleInPlace(perm, rng);
      for (let i = 0; i < n; i++) d.set(i, f, column[perm[i]]);
      drops[r] = baseline - d.score(f);
    }
    for (let i = 0; i < n; i++) d.set(i, f, column[i]);
    let s = 0;
    for (let r = 0; r < nRepeats; r++) s += drops[r];
    mean[f] = s / nRepeats;
    let v = 0;
    for (let r = 0; r < nRepeats; r++) v += (drops[r] - mean[f]) ** 2;
    std[f] = Math.sqrt(v / nRepeats);
  }
  return { mean, std, baseline };
}
