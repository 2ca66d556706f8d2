import type { ClassifierConfig } from '../config/classifier.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { toAccountFeatures } from '../features/readFeatures.ts';
import { readCsvRows } from '../io/csvTable.ts';
import { RUN_KEYS } from '../pipeline/steps/keys.ts';
import type { ObjectStore, Row } from '../ports/index.ts';
import { BASELINE_FEATURES, buildDataset, type TrainingDataset } from './dataset.ts';
import { LABEL_COLUMNS, type LabelName } from './labels.ts';
import { MODEL_FILES, saveModelBundle, writeJson } from './registry.ts';
import { forestScores } from './scoreHighValue.ts';
import {
  fitRankMean,
  fitStacking,
  type StoredStacking,
  valueIndexPercentiles,
} from './stacking.ts';
import { modelVersion, trainModels } from './trainModels.ts';

/** Where a classifier stage reads and writes. */
export interface StageContext {
  /** The whole output store (the registry lives under `models/`). */
  readonly output: ObjectStore;
  /** This run's folder (parts/ in, deliverables out). */
  readonly run: ObjectStore;
  readonly config: ClassifierConfig;
  /** Scoring date of the run, YYYY-MM-DD. */
  readonly asOf: string;
  readonly log: (message: string) => void;
}

/** The run's feature rows and scores (parts/features.csv and parts/scores.csv). */
export interface RunData {
  features: AccountFeatures[];
  scores: Row[];
}

/** What the train stage did. */
export interface TrainOutcome {
  trained: boolean;
  /** The new version (null when the minimum-data guard stopped training). */
  version: string | null;
  label: LabelName;
  /** Labelled accounts and positives. */
  rows: number;
  positives: number;
  /** Why nothing was trained, or a one-line summary. */
  reason: string;
}

/** The columns of parts/scores.csv the classifier reads: the value index and the composite labels' flags. */
export const SCORE_COLUMNS = new Set<string>([
  'account_id',
  'value_index',
  ...Object.values(LABEL_COLUMNS),
]);

/** Reads the run's feature table and, of the score part, the columns the classifier reads (SCORE_COLUMNS). */
export async function readRunData(run: ObjectStore): Promise<RunData> {
  const [featureRows, scores] = await Promise.all([
    readCsvRows(run, RUN_KEYS.features),
    readCsvRows(run, 'parts/scores.csv', undefined, SCORE_COLUMNS),
  ]);
  return { features: toAccountFeatures(featureRows), scores };
}

/** The minimum-data guard: why the dataset is too small to train on, or null when it is large enough. */
export function minimumDataShortfall(
  dataset: Pick<TrainingDataset, 'nRows' | 'nPositives'>,
  config: Pick<ClassifierConfig, 'minAccounts' | 'minPositives'>,
): string | null {
  const problems: string[] = [];
  if (dataset.nRows < config.minAccounts)
    problems.push(`${dataset.nRows} labelled accounts (minimum ${config.minAccounts})`);
  if (dataset.nPositives < config.minPositives)
    problems.push(`${dataset.nPositives} high-value accounts (minimum ${config.minPositives})`);
  const negatives = dataset.nRows - dataset.nPositives;
  if (negatives < config.minPositives)
    problems.push(`${negatives} other accounts (minimum ${config.minPositives})`);
  return problems.length
    ? `not enough data to train: ${problems.join(', ')}; scoring falls back to the value index`
    : null;
}

/**
 * Train stage: builds the labelled dataset, applies the minimum-data guard, fits forest, baseline and segments and
 * writes them to `models/<version>/`. When the guard stops training it writes model_metrics.json into the run
 * folder saying so, and no model is written.
 */
export async function trainCandidate(sc: StageContext, data: RunData): Promise<TrainOutcome> {
  const dataset = buildDataset(data.features, data.scores, sc.config);
  const base = { label: dataset.label, rows: dataset.nRows, positives: dataset.nPositives };
  const shortfall = minimumDataShortfall(dataset, sc.config);
  if (shortfall) {
    sc.log(`train-model: ${shortfall}`);
    await writeJson(sc.run, MODEL_FILES.modelMetrics, {
      trained: false,
      reason: shortfall,
      hv_source: 'value-index-fallback',
      label: dataset.label,
      labelDescription: dataset.labelDescription,
      labelChoice: dataset.labelChoice,
      warnings: dataset.warnings,
      rows: dataset.nRows,
      positives: dataset.nPositives,
    });
    return { ...base, trained: false, version: null, reason: shortfall };
  }
  const version = modelVersion(sc.asOf, dataset, sc.config);
  const started = Date.now();
  const models = await trainModels(dataset, sc.config);
  // Stacking (docs/scoring.md, "Stacking, pre-registered") and the rank-mean combiner ("Three scores ranked and
  // averaged with equal weights, pre-registered"): revenue-label versions only.
  const crossFit = {
    accountIds: dataset.accountIds,
    folds: Array.from(models.crossFit.folds),
    forests: models.crossFit.forests,
  };
  let stacking: StoredStacking | undefined;
  if (dataset.label === 'revenue') {
    const vi = valueIndexPercentiles(data.features, data.scores);
    const product = data.features.filter((f) => f.has_product);
    stacking = {
      ...fitStacking(dataset.rows, dataset.y, crossFit.folds, crossFit.forests, vi),
      rankMean: fitRankMean(
        dataset,
        dataset.y,
        crossFit.folds,
        { rows: product, ...forestScores({ forest: models.forest, crossFit }, product) },
        vi,
      ),
    };
  }
  const seconds = (Date.now() - started) / 1000;
  await saveModelBundle(sc.output, {
    training: {
      version,
      asOf: sc.asOf,
      label: dataset.label,
      labelDescription: dataset.labelDescription,
      labelChoice: dataset.labelChoice,
      warnings: dataset.warnings,
      featureNames: dataset.featureNames,
      baselineFeatures: [...BASELINE_FEATURES],
      dataHash: dataset.dataHash,
      nRows: dataset.nRows,
      nPositives: dataset.nPositives,
      nTrain: models.split.train.length,
      nTest: models.split.test.length,
      window: dataset.window,
      testSize: sc.config.testSize,
      randomState: sc.config.randomState,
    },
    forest: models.forest,
    baseline: models.baseline,
    segments: { value: models.valueSegments, behaviour: models.behaviour },
    crossFit,
    ...(stacking ? { stacking } : {}),
  });
  const reason = `trained ${version} on ${models.split.train.length} accounts (${dataset.nPositives} high-value of ${dataset.nRows}, label ${dataset.label}) and ${models.crossFit.forests.length} cross-fitted fold forests${stacking ? ` and their stacker with the value index (full: ${stacking.full.map((b) => b.toFixed(3)).join(', ')}) and the rank-mean combiner's ${(stacking.rankMean?.logistic.folds.length ?? 0) + 1} logistic regressions` : ''} in ${seconds.toFixed(1)} s`;
  sc.log(`train-model: ${reason}`);
  return { ...base, trained: true, version, reason };
}
