import { CvsError, ObjectNotFoundError } from '../errors.ts';
import {
  deserializeForest,
  type LogisticRegressionModel,
  type RandomForestModel,
  serializeForest,
} from '../models/index.ts';
import type { ObjectStore } from '../ports/index.ts';
import type { TrainingDataset } from './dataset.ts';
import type { LabelName } from './labels.ts';
import type { SegmentModel } from './segments.ts';
import type { StoredStacking } from './stacking.ts';

/**
 * The model registry in the output store: `models/<version>/` holds one training run's models, metrics and
 * deliverables; `models/champion.json` names the version daily scoring uses.
 */

/** Key of the champion pointer. */
export const CHAMPION_KEY = 'models/champion.json';

/** File names inside a version folder. */
export const MODEL_FILES = {
  training: 'training.json',
  forest: 'forest.json',
  baseline: 'baseline.json',
  segments: 'segments.json',
  metrics: 'metrics.json',
  gate: 'gate.json',
  modelMetrics: 'model_metrics.json',
  card: 'model_card.md',
  predictions: 'hv_predictions_testset.csv',
  importances: 'feature_importances.csv',
  crossFit: 'cross_fit.json',
  stacking: 'stacking.json',
} as const;

/** Key of fold forest `fold` of a version (cross-fitting). */
export function foldForestFile(fold: number): string {
  return `forest_fold_${fold}.json`;
}

/** The deliverables copied into the run folder of a run that trained or used a model (seed 000 names). */
export const RUN_DELIVERABLES = [
  MODEL_FILES.predictions,
  MODEL_FILES.importances,
  MODEL_FILES.modelMetrics,
  MODEL_FILES.card,
] as const;

/** Key of a file of a model version. */
export function modelKey(version: string, file: string): string {
  return `models/${version}/${file}`;
}

/** What training.json records: the data, label, features, imputation and split behind a version. */
export interface TrainingRecord {
  version: string;
  /** Scoring date of the run that trained it. */
  asOf: string;
  label: LabelName;
  labelDescription: string;
  /** Why this label was used (absent in older versions). */
  labelChoice?: string;
  warnings: string[];
  /** The forest's features, in column order (binning is in forest.json). */
  featureNames: string[];
  baselineFeatures: string[];
  /** SHA-256 of the training data (see hashDataset). */
  dataHash: string;
  nRows: number;
  nPositives: number;
  nTrain: number;
  nTest: number;
  window: TrainingDataset['window'];
  testSize: number;
  randomState: number;
}

/** The champion pointer. */
export interface ChampionPointer {
  version: string;
  /** Scoring date of the run that promoted it. */
  since: string;
  label: LabelName;
  /** Its holdout figures at promotion. */
  accuracy: number;
  auc: number;
  /** The version it replaced. */
  previous: string | null;
  reason: string;
}

/** The k = 3 and k = 5 segmentations, stored together. */
export interface StoredSegments {
  value: SegmentModel;
  behaviour: SegmentModel;
}

/** The cross-fitting of a version: which fold each labelled account was in, and the forest that never saw it. */
export interface StoredCrossFit {
  /** Labelled accounts in dataset order, and the fold of each. */
  accountIds: string[];
  folds: number[];
  /** forests[k] was fitted without the labels of fold k. */
  forests: RandomForestModel[];
}

/** A version's models as daily scoring needs them. */
export interface ModelBundle {
  training: TrainingRecord;
  forest: RandomForestModel;
  baseline: LogisticRegressionModel;
  segments: StoredSegments;
  /** Absent in versions trained before cross-fitting (their labelled accounts are scored in-sample). */
  crossFit?: StoredCrossFit;
  /** The stacker of the forest with the value index (revenue-label versions with cross-fitting only). */
  stacking?: StoredStacking;
}

const text = async (store: ObjectStore, key: string) =>
  Buffer.from(await store.get(key)).toString('utf8');

/** Reads a JSON object from the store. */
export async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  return JSON.parse(await text(store, key)) as T;
}

/** Writes a JSON object (2-space indented) to the store. */
export async function writeJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

/** The champion pointer, or null when no model was promoted yet. */
export async function readChampion(store: ObjectStore): Promise<ChampionPointer | null> {
  if (!(await store.exists(CHAMPION_KEY))) return null;
  return readJson<ChampionPointer>(store, CHAMPION_KEY);
}

/** Points the registry at a new champion. */
export async function writeChampion(store: ObjectStore, pointer: ChampionPointer): Promise<void> {
  await writeJson(store, CHAMPION_KEY, pointer);
}

/** Writes a version's models: training record, forest (compact), baseline and segments. */
export async function saveModelBundle(store: ObjectStore, bundle: ModelBundle): Promise<void> {
  const v = bundle.training.version;
  await writeJson(store, modelKey(v, MODEL_FILES.training), bundle.training);
  await store.put(
    modelKey(v, MODEL_FILES.forest),
    serializeForest(bundle.forest),
    'application/json',
  );
  await writeJson(store, modelKey(v, MODEL_FILES.baseline), bundle.baseline);
  await writeJson(store, modelKey(v, MODEL_FILES.segments), bundle.segments);
  if (bundle.crossFit) {
    const { accountIds, folds, forests } = bundle.crossFit;
    for (let f = 0; f < forests.length; f++)
      await store.put(
        modelKey(v, foldForestFile(f)),
        serializeForest(forests[f]),
        'application/json',
      );
    await writeJson(store, modelKey(v, MODEL_FILES.crossFit), {
      k: forests.length,
      accountIds,
      folds,
    });
  }
  if (bundle.stacking) await writeJson(store, modelKey(v, MODEL_FILES.stacking), bundle.stacking);
}

/** Reads a version's cross-fitting, or undefined when the version has none. */
async function loadCrossFit(
  store: ObjectStore,
  version: string,
): Promise<StoredCrossFit | undefined> {
  const key = modelKey(version, MODEL_FILES.crossFit);
  if (!(await store.exists(key))) return undefined;
  const { k, accountIds, folds } = await readJson<{
    k: number;
    accountIds: string[];
    folds: number[];
  }>(store, key);
  const forests = await Promise.all(
    Array.from({ length: k }, (_, f) =>
      text(store, modelKey(version, foldForestFile(f))).then(deserializeForest),
    ),
  );
  return { accountIds, folds, forests };
}

/** Reads a version's models; throws CvsError naming the version when one of its files is missing. */
export async function loadModelBundle(store: ObjectStore, version: string): Promise<ModelBundle> {
  try {
    const stackingKey = modelKey(version, MODEL_FILES.stacking);
    const [training, forest, baseline, segments, crossFit, stacking] = await Promise.all([
      readJson<TrainingRecord>(store, modelKey(version, MODEL_FILES.training)),
      text(store, modelKey(version, MODEL_FILES.forest)).then(deserializeForest),
      readJson<LogisticRegressionModel>(store, modelKey(version, MODEL_FILES.baseline)),
      readJson<StoredSegments>(store, modelKey(version, MODEL_FILES.segments)),
      loadCrossFit(store, version),
      store
        .exists(stackingKey)
        .then((has) => (has ? readJson<StoredStacking>(store, stackingKey) : undefined)),
    ]);
    return {
      training,
      forest,
      baseline,
      segments,
      ...(crossFit ? { crossFit } : {}),
      ...(crossFit && stacking ? { stacking } : {}),
    };
  } catch (err) {
    if (err instanceof ObjectNotFoundError)
      throw new CvsError(`model version ${version} is incomplete in the registry: ${err.message}`, {
        cause: err,
      });
    throw err;
  }
}

/** Copies a version's deliverables that exist into another store (the run folder); returns the keys copied. */
export async function copyDeliverables(
  output: ObjectStore,
  version: string,
  run: ObjectStore,
): Promise<string[]> {
  const copied: string[] = [];
  for (const file of RUN_DELIVERABLES) {
    const key = modelKey(version, file);
    if (!(await output.exists(key))) continue;
    await run.put(file, await output.get(key));
    copied.push(file);
  }
  return copied;
}
