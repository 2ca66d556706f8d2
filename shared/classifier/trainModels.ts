import { createHash } from 'node:crypto';
import type { ClassifierConfig } from '../config/classifier.ts';
import {
  fitLogisticRegression,
  fitRandomForest,
  foldIndices,
  type LogisticRegressionModel,
  type RandomForestModel,
  stratifiedFolds,
  stratifiedSplit,
  type TrainTestIndices,
} from '../models/index.ts';
import { percentRank } from '../scoring/percentile.ts';
import { BASELINE_FEATURES, type TrainingDataset } from './dataset.ts';
import type { LabelName } from './labels.ts';
import { fitSegments, type SegmentModel } from './segments.ts';
import { RANK_MEAN_LOGISTIC } from './stacking.ts';

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
  /** Cross-fitting: the fold of every labelled row and one forest per fold, fitted on the other folds. */
  crossFit: CrossFit;
}

/** The cross-fitted forests of a dataset. */
export interface CrossFit {
  /** Fold (0 .. k-1) of every labelled row, in dataset row order. */
  folds: Int32Array;
  /** forests[k] never saw the labels of the rows in fold k. */
  forests: RandomForestModel[];
}

/**
 * Rows a leaf at least for a label: `revenueMinSamplesLeaf` under the revenue label (an outcome with its own noise),
 * `minSamplesLeaf` under a label built from the features.
 */
export function minSamplesLeafFor(config: ClassifierConfig, label: LabelName): number {
  return label === 'revenue' ? config.forest.revenueMinSamplesLeaf : config.forest.minSamplesLeaf;
}

/**
 * Whether the label's forests are regression forests on the revenue rank (`forest.revenueTarget: rank` under the
 * revenue label) rather than classification forests on the 0/1 label.
 */
export function fitsRevenueRank(config: ClassifierConfig, label: LabelName): boolean {
  return label === 'revenue' && config.forest.revenueTarget === 'rank';
}

/** The forest parameters of the config (the same for the champion forest and the fold forests). */
function forestParams(config: ClassifierConfig, seed: number, label: LabelName) {
  return {
    nEstimators: config.forest.nEstimators,
    maxDepth: config.forest.maxDepth,
    minSamplesLeaf: minSamplesLeafFor(config, label),
    nJobs: config.forest.nJobs,
    randomState: seed,
    criterion: fitsRevenueRank(config, label) ? ('squared_error' as const) : ('gini' as const),
  };
}

/**
 * The regression target of a revenue-rank forest fitted on `rows` of the dataset: each row's percentile rank
 * (pandas rank(pct=True), ties averaged) of its label-window revenue among those rows only, so a fold forest's
 * target never depends on the revenue of the fold it scores. Undefined for a classification forest.
 */
export function revenueRankTarget(
  dataset: Pick<TrainingDataset, 'revenue' | 'label'>,
  config: ClassifierConfig,
  rows: ArrayLike<number>,
): Float64Array | undefined {
  if (!fitsRevenueRank(config, dataset.label)) return undefined;
  const revenue = dataset.revenue;
  if (!revenue) throw new Error('a revenue-rank forest needs the revenue amounts of its rows');
  const ranks = percentRank(Array.from(rows as ArrayLike<number>, (i) => revenue[i]));
  return Float64Array.from(ranks, (r) => r as number);
}

/**
 * Cross-fitting: assigns every labelled row to one of `crossFit.folds` stratified folds (seeded with randomState)
 * and fits one forest per fold on the rows of the other folds. `onFold` (for tests) sees each fold's training and
 * scored rows.
 */
export async function crossFitForests(
  dataset: TrainingDataset,
  config: ClassifierConfig,
  onFold?: (fold: number, train: Int32Array, scored: Int32Array) => void,
): Promise<CrossFit> {
  const k = config.crossFit.folds;
  const folds = stratifiedFolds(dataset.y, k, config.randomState);
  const forests: RandomForestModel[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = foldIndices(folds, f);
    onFold?.(f, train, test);
    forests.push(
      await fitRandomForest(
        pickRows(dataset.X, train),
        Uint8Array.from(train, (i) => dataset.y[i]),
        forestParams(config, config.randomState + 1 + f, dataset.label),
        dataset.featureNames,
        revenueRankTarget(dataset, config, train),
      ),
    );
  }
  return { folds, forests };
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
  // the leaf size the label's forests are grown with (the other label's setting does not change the fit)
  const {
    nJobs: _nJobs,
    revenueMinSamplesLeaf: _revenueLeaf,
    revenueTarget: _revenueTarget,
    ...rest
  } = config.forest;
  const forest = {
    ...rest,
    minSamplesLeaf: minSamplesLeafFor(config, dataset.label),
    // a revenue-rank forest is fitted to the amounts, which the data hash (labels only) does not cover
    ...(fitsRevenueRank(config, dataset.label) && dataset.revenue
      ? {
          revenueTarget: 'rank',
          revenueHash: createHash('sha256')
            .update(
              new Uint8Array(
                dataset.revenue.buffer,
                dataset.revenue.byteOffset,
                dataset.revenue.byteLength,
              ),
            )
            .digest('hex'),
        }
      : {}),
  };
  const fitParams = {
    dataHash: dataset.dataHash,
    forest,
    testSize: config.testSize,
    randomState: config.randomState,
    crossFit: config.crossFit,
    segments: config.segments,
    baselineLog1p: BASELINE_LOG1P,
    // a revenue-label version also stores the rank-mean combiner's logistic regressions: a version trained before it
    // existed (same data) keeps its own id
    ...(dataset.label === 'revenue' ? { rankMeanLogistic: RANK_MEAN_LOGISTIC } : {}),
  };
  const h = createHash('sha256').update(JSON.stringify(fitParams)).digest('hex');
  return `${asOf}-${h.slice(0, 8)}`;
}

/**
 * Fits the forest on the full feature set and the baseline logistic regression on sum_minutes + sum_events, both on
 * the training side of the same stratified split, the two k-means segmentations on every labelled account, and the
 * cross-fitted fold forests that score the labelled accounts.
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
    forestParams(config, config.randomState, dataset.label),
    dataset.featureNames,
    revenueRankTarget(dataset, config, split.train),
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
    crossFit: await crossFitForests(dataset, config),
  };
}
