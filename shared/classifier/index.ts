/** The high-value classifier: labels, dataset, training, evaluation, gate, registry, model card and scoring. */
export { BAND_NAMES, type BandName, probabilityBand } from './bands.ts';
export {
  BASELINE_FEATURES,
  buildDataset,
  featureMatrix,
  hashDataset,
  modelFeatureNames,
  type TrainingDataset,
} from './dataset.ts';
export {
  evaluateModel,
  type FeatureImportance,
  holdoutMetrics,
  importanceSample,
  type ModelEvaluation,
} from './evaluate.ts';
export {
  type CandidateMetrics,
  type ChampionOnHoldout,
  evaluateCandidate,
  IMPORTANCE_COLUMNS,
  PREDICTION_COLUMNS,
} from './evaluateCandidate.ts';
export { type GateDecision, type GateInput, gateDecision } from './gate.ts';
export {
  buildLabels,
  COMPOSITE_LABEL_WARNING,
  LABEL_COLUMNS,
  type LabelName,
  type Labels,
  labelDescription,
  revenueLabels,
} from './labels.ts';
export { renderModelCard } from './modelCard.ts';
export {
  HIGH_VALUE_PART_KEY,
  type PredictOutcome,
  predictHighValue,
  type QuarterlyOutcome,
  runQuarterlyStages,
} from './predictHighValue.ts';
export { gateCandidate, type PromoteOutcome, promoteCandidate } from './promotion.ts';
export {
  CHAMPION_KEY,
  type ChampionPointer,
  copyDeliverables,
  loadModelBundle,
  MODEL_FILES,
  type ModelBundle,
  modelKey,
  RUN_DELIVERABLES,
  readChampion,
  saveModelBundle,
  type TrainingRecord,
  writeChampion,
} from './registry.ts';
export {
  HIGH_VALUE_COLUMNS,
  type HighValueRow,
  type HighValueSource,
  scoreFallback,
  scoreWithModel,
} from './scoreHighValue.ts';
export {
  BEHAVIOUR_CLUSTER_NAMES,
  type ClusterTraits,
  clusterTraits,
  nameBehaviourClusters,
  nameValueSegments,
  VALUE_SEGMENT_NAMES,
} from './segmentNames.ts';
export {
  assignSegments,
  BEHAVIOUR_FEATURES,
  fitSegments,
  type SegmentModel,
  VALUE_SEGMENT_FEATURES,
} from './segments.ts';
export {
  minimumDataShortfall,
  type RunData,
  readRunData,
  type StageContext,
  type TrainOutcome,
  trainCandidate,
} from './trainCandidate.ts';
export { BASELINE_LOG1P, modelVersion, type TrainedModels, trainModels } from './trainModels.ts';
