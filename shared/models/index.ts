export { binValue, fitBinEdges, MAX_BINS } from './binning.ts';
export {
  type AucComponents,
  aucComponents,
  aucVariance,
  compareAuc,
  normalQuantile,
  type PairedAucComparison,
} from './delong.ts';
export { foldIndices, stratifiedFolds } from './folds.ts';
export { forestPermutationImportance } from './forestImportance.ts';
export { deserializeForest, serializeForest } from './forestSerialization.ts';
export {
  defaultKMeansParams,
  fitKMeans,
  type KMeansModel,
  type KMeansParams,
  predictCluster,
} from './kmeans.ts';
export { solveLinear } from './linearSolve.ts';
export {
  defaultLogisticParams,
  fitLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionParams,
  predictProbaLogistic,
} from './logisticRegression.ts';
export {
  accuracy,
  brierScore,
  type ConfusionMatrix,
  confusionMatrix,
  f1,
  type PermutationImportance,
  type PermutationImportanceOptions,
  permutationImportance,
  precision,
  type ReliabilityBin,
  type RocCurve,
  recall,
  reliabilityTable,
  rocAuc,
  rocCurve,
} from './metrics.ts';
export { ModelFormatError, ModelInputError } from './modelErrors.ts';
export {
  defaultForestParams,
  type ForestTree,
  fitRandomForest,
  isRegressionForest,
  predictProba,
  type RandomForestModel,
  type RandomForestModelParams,
  type RandomForestParams,
} from './randomForest.ts';
export { createRng, deriveSeed, type Rng, shuffleInPlace } from './rng.ts';
export { fitStandardize, type Standardizer, standardize } from './standardize.ts';
export {
  type StratifiedSplitOptions,
  stratifiedSplit,
  type TrainTestIndices,
} from './stratifiedSplit.ts';
export type { BinaryLabels, FeatureMatrix, ScoreFunction } from './types.ts';
