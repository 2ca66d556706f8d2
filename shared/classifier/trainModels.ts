import { createHash } from 'node:crypto';
import type { ClassifierConfig } from '../config/classifier.ts';
import {
  fitLogisticRegression,
  fitRandomForest,
  type LogisticRegressionModel,
  type RandomForestModel,
  stratifiedSplit,
  type TrainTestIndices,
} from '../models/index.ts';
import { BASELINE_FEATURES, type TrainingDataset } from './dataset.ts';
import { fitSegments, type SegmentModel } from './segments.ts';

/** The baseline logistic regression reads log1p(duration), log1p(frequency): the counts are heavy-tailed. */
export const BASELINE_LOG1P = true;

/** Everything one training run fits. */
export interface TrainedModels {
  forest: RandomForestModel;
  baseline: LogisticRegressionModel;
  /** k = 3: High / Medium / Low value (seed 003). */
  valueSegments: SegmentModel;
  /** k = 5: behavioural clusters (seed 002). */
  behaviour: SegmentModel;
  /** The stratified split both models share. */
  split: TrainTestIndices;
}

/** The same stratified 70/30 split (fixed seed) the forest, the baseline and the champion are evaluated on. */
export function splitDataset(dataset: TrainingDataset, config: ClassifierConfig): TrainTestIndices {
  return stratifiedSplit(dataset.y, {
    testSize: config.testSize,
    randomState: config.randomState,
  });
}

/** Rows of X at the given indices, keeping only the given columns (all when omitted). */
export function pickRows(
  X: readonly Float64Array[],
  rows: ArrayLike<number>,
  columns?: readonly number[],
): Float64Array[] {
  return Array.from(rows as ArrayLike<number>, (i) =>
    columns ? Float64Array.from(columns, (c) => X[i][c]) : X[i],
  );
}

/** Column indices of the baseline's two features in the dataset. */
export function baselineColumns(dataset: TrainingDataset): number[] {
  return BASELINE_FEATURES.map((n) => dataset.featureNames.indexOf(n));
}

/**
 * Model version: the scoring date and the first 8 hex digits of a hash of the training data and every parameter
 * that changes the fit, so retraining the same data with the same config gives the same version.
 */
export function modelVersion(
  asOf: string,
  dataset: TrainingDataset,
  config: ClassifierConfig,
): string {
  const { nJobs: _nJobs, ...forest } = config.forest;
  const fitParams = {
    dataHash: dataset.dataHash,
    forest,
    testSize: config.testSize,
    randomState: config.randomState,
    segments: config.segments,
    baselineLog1p: BASELINE_LOG1P,
  };
  const h = createHash('sha256').update(JSON.stringify(fitParams)).digest('hex');
  return `${asOf}-${h.slice(0, 8)}`;
}

/**
 * Fits the forest on the full feature set and the baseline logistic regression on sum_minutes + sum_events, both on
 * the training side of the same stratified split, and the two k-means segmentations on every labelled account.
 */
export async function trainModels(
  dataset: TrainingDataset,
  config: ClassifierConfig,
): Promise<TrainedModels> {
  const split = splitDataset(dataset, config);
  const yTrain = Uint8Array.from(split.train, (i) => dataset.y[i]);
  const forest = await fitRandomForest(
    pickRows(dataset.X, split.train),
    yTrain,
    {
      nEstimators: config.forest.nEstimators,
      maxDepth: config.forest.maxDepth,
      minSamplesLeaf: config.forest.minSamplesLeaf,
      nJobs: config.forest.nJobs,
      randomState: config.randomState,
    },
    dataset.featureNames,
  );
  const baseline = fitLogisticRegression(
    pickRows(dataset.X, split.train, baselineColumns(dataset)),
    yTrain,
    { log1p: BASELINE_LOG1P },
    [...BASELINE_FEATURES],
  );
  const seg = { nInit: config.segments.nInit, randomState: config.randomState };
  return {
    forest,
    baseline,
    valueSegments: fitSegments(dataset.rows, 'value', seg),
    behaviour: fitSegments(dataset.rows, 'behaviour', seg),
    split,
  };
}
