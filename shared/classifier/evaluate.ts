import type { ClassifierConfig } from '../config/classifier.ts';
import {
  accuracy,
  brierScore,
  type ConfusionMatrix,
  confusionMatrix,
  createRng,
  f1,
  isRegressionForest,
  type PermutationImportance,
  type PermutationImportanceOptions,
  permutationImportance,
  precision,
  type RandomForestModel,
  type ReliabilityBin,
  recall,
  reliabilityTable,
  rocAuc,
  type ScoreFunction,
  shuffleInPlace,
} from '../models/index.ts';
import { BAND_NAMES, type BandName, probabilityBand } from './bands.ts';

/** One feature's permutation importance: mean and std (ddof 0) of the AUC drop over the repeats. */
export interface FeatureImportance {
  feature: string;
  mean: number;
  std: number;
}

/** A model's holdout evaluation; rates in [0, 1]. */
export interface ModelEvaluation {
  /** Holdout rows and positives. */
  n: number;
  positives: number;
  /** At the config threshold (default 0.5). */
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** ROC AUC (NaN, written as null, when one class is absent). */
  auc: number;
  brier: number;
  /** [[tn, fp], [fn, tp]]. */
  confusionMatrix: ConfusionMatrix;
  /** 10 equal-width probability bins: count, mean predicted, observed positive rate. */
  reliability: ReliabilityBin[];
  /** Holdout rows and observed positive rate per probability band. */
  bands: Record<BandName, { count: number; positives: number }>;
  /** Permutation importance per feature, in feature order (empty when not computed). */
  importance: FeatureImportance[];
}

/** Accuracy, precision, recall, F1, AUC, Brier, confusion matrix, reliability and bands of holdout scores. */
export function holdoutMetrics(
  y: Uint8Array,
  proba: ArrayLike<number>,
  config: ClassifierConfig,
): Omit<ModelEvaluation, 'importance'> {
  const t = config.threshold;
  const bands = Object.fromEntries(
    BAND_NAMES.map((b) => [b, { count: 0, positives: 0 }]),
  ) as Record<BandName, { count: number; positives: number }>;
  for (let i = 0; i < y.length; i++) {
    const b = bands[probabilityBand(proba[i], config.bands)];
    b.count++;
    b.positives += y[i];
  }
  return {
    n: y.length,
    positives: y.reduce((s, v) => s + v, 0),
    threshold: t,
    accuracy: accuracy(y, proba, t),
    precision: precision(y, proba, t),
    recall: recall(y, proba, t),
    f1: f1(y, proba, t),
    auc: rocAuc(y, proba),
    brier: brierScore(y, proba),
    confusionMatrix: confusionMatrix(y, proba, t),
    reliability: reliabilityTable(y, proba, 10),
    bands,
  };
}

/**
 * The threshold at which a forest's output counts as a high-value prediction on the holdout: the config threshold
 * for a probability, and 1 - `revenueTopShare` for a regression forest on the revenue rank (its output estimates the
 * account's revenue percentile; the label flags the top share).
 */
export function forestThreshold(
  forest: Pick<RandomForestModel, 'params'>,
  config: Pick<ClassifierConfig, 'threshold' | 'revenueTopShare'>,
): number {
  return isRegressionForest(forest) ? 1 - config.revenueTopShare : config.threshold;
}

/** Up to `maxRows` holdout row positions, drawn with a fixed seed (all of them, in order, when fewer). */
export function importanceSample(n: number, maxRows: number, randomState: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= maxRows) return all;
  return shuffleInPlace(all, createRng(randomState)).subarray(0, maxRows).sort();
}

/** Computes permutation importance of a model on rows X / y (as `permutationImportance` of its score function). */
export type ImportanceFunction = (
  X: readonly Float64Array[],
  y: Uint8Array,
  options: Pick<PermutationImportanceOptions, 'nRepeats' | 'randomState'>,
) => PermutationImportance;

/**
 * Evaluates a model on holdout rows X / y: the holdout metrics on every row, and permutation importance (AUC drop,
 * `nRepeats` shuffles) on at most `permutation.maxRows` of them, by `importance` when given (a faster equivalent,
 * e.g. forestPermutationImportance), else by shuffling and calling `predict`.
 */
export function evaluateModel(
  predict: ScoreFunction,
  X: readonly Float64Array[],
  y: Uint8Array,
  featureNames: readonly string[],
  config: ClassifierConfig,
  importance: ImportanceFunction = (Xs, ys, o) => permutationImportance(predict, Xs, ys, o),
): ModelEvaluation {
  const metrics = holdoutMetrics(y, predict(X), config);
  const sample = importanceSample(X.length, config.permutation.maxRows, config.randomState);
  const Xs = Array.from(sample, (i) => X[i]);
  const ys = Uint8Array.from(sample, (i) => y[i]);
  const bothClasses = ys.some((v) => v === 1) && ys.some((v) => v === 0);
  const pi = bothClasses
    ? importance(Xs, ys, {
        nRepeats: config.permutation.nRepeats,
        randomState: config.randomState,
      })
    : null;
  return {
    ...metrics,
    importance: featureNames.map((feature, f) => ({
      feature,
      mean: pi ? pi.mean[f] : Number.NaN,
      std: pi ? pi.std[f] : Number.NaN,
    })),
  };
}
