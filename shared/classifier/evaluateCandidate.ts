import { CvsError } from '../errors.ts';
import { writeCsvRows } from '../io/csvTable.ts';
import { accuracy, predictProba, predictProbaLogistic, rocAuc } from '../models/index.ts';
import { BASELINE_FEATURES, buildDataset, featureMatrix } from './dataset.ts';
import { evaluateModel, type ModelEvaluation } from './evaluate.ts';
import type { LabelName } from './labels.ts';
import { loadModelBundle, MODEL_FILES, modelKey, readChampion, writeJson } from './registry.ts';
import { clusterTraits } from './segmentNames.ts';
import type { SegmentModel } from './segments.ts';
import type { RunData, StageContext } from './trainCandidate.ts';
import { baselineColumns, pickRows, splitDataset } from './trainModels.ts';

/** The champion re-scored on the candidate's holdout (the gate compares on the same rows). */
export interface ChampionOnHoldout {
  version: string;
  label: LabelName;
  accuracy: number;
  auc: number;
}

/** metrics.json of a version: both models side by side on the same holdout, and the champion on it. */
export interface CandidateMetrics {
  version: string;
  asOf: string;
  label: LabelName;
  labelDescription: string;
  warnings: string[];
  dataHash: string;
  window: { firstEventOn: string | null; lastEventOn: string | null };
  rows: number;
  positives: number;
  nTrain: number;
  nTest: number;
  forest: ModelEvaluation & { features: string[] };
  baseline: ModelEvaluation & { features: string[] };
  champion: ChampionOnHoldout | null;
  segments: {
    value: { names: string[]; sizes: number[] };
    behaviour: { names: string[]; sizes: number[]; traits: ReturnType<typeof clusterTraits>[] };
  };
}

/** Columns of hv_predictions_testset.csv (seed 000). */
export const PREDICTION_COLUMNS = [
  'account_id',
  'label',
  'p_forest',
  'p_baseline',
  'predicted_forest',
  'predicted_baseline',
] as const;

/** Columns of feature_importances.csv (seed 000): permutation importance as the drop of holdout AUC. */
export const IMPORTANCE_COLUMNS = [
  'feature',
  'forest_importance_mean',
  'forest_importance_std',
  'baseline_importance_mean',
  'baseline_importance_std',
] as const;

const segmentSummary = (m: SegmentModel) => ({ names: m.names, sizes: m.sizes });

/**
 * Evaluate stage: re-builds the version's dataset from the run (its hash must match training.json), scores the
 * holdout with the forest and the baseline, re-scores the current champion on the same holdout, and writes
 * metrics.json, hv_predictions_testset.csv and feature_importances.csv into the version folder.
 */
export async function evaluateCandidate(
  sc: StageContext,
  data: RunData,
  version: string,
): Promise<CandidateMetrics> {
  const bundle = await loadModelBundle(sc.output, version);
  const dataset = buildDataset(data.features, data.scores, sc.config);
  if (dataset.dataHash !== bundle.training.dataHash)
    throw new CvsError(
      `evaluate-model: the run's data differs from what ${version} was trained on (hash ${dataset.dataHash.slice(0, 12)} vs ${bundle.training.dataHash.slice(0, 12)})`,
    );
  const { test } = splitDataset(dataset, sc.config);
  const X = pickRows(dataset.X, test);
  const y = Uint8Array.from(test, (i) => dataset.y[i]);
  const Xb = pickRows(dataset.X, test, baselineColumns(dataset));
  const pForest = predictProba(bundle.forest, X);
  const pBaseline = predictProbaLogistic(bundle.baseline, Xb);
  const forest = evaluateModel(
    (m) => predictProba(bundle.forest, m),
    X,
    y,
    dataset.featureNames,
    sc.config,
  );
  const baseline = evaluateModel(
    (m) => predictProbaLogistic(bundle.baseline, m),
    Xb,
    y,
    BASELINE_FEATURES,
    sc.config,
  );
  const pointer = await readChampion(sc.output);
  let champion: ChampionOnHoldout | null = null;
  if (pointer) {
    const champ =
      pointer.version === version ? bundle : await loadModelBundle(sc.output, pointer.version);
    const rows = Array.from(test, (i) => dataset.rows[i]);
    const p = predictProba(champ.forest, featureMatrix(rows, champ.forest.featureNames));
    champion = {
      version: pointer.version,
      label: champ.training.label,
      accuracy: accuracy(y, p, sc.config.threshold),
      auc: rocAuc(y, p),
    };
    if (champ.training.label !== dataset.label)
      dataset.warnings.push(
        `the champion ${pointer.version} was trained on label ${champ.training.label}, the candidate on ${dataset.label}: the gate compares both against ${dataset.label}`,
      );
  }
  const metrics: CandidateMetrics = {
    version,
    asOf: sc.asOf,
    label: dataset.label,
    labelDescription: dataset.labelDescription,
    warnings: dataset.warnings,
    dataHash: dataset.dataHash,
    window: dataset.window,
    rows: dataset.nRows,
    positives: dataset.nPositives,
    nTrain: dataset.nRows - test.length,
    nTest: test.length,
    forest: { features: dataset.featureNames, ...forest },
    baseline: { features: [...BASELINE_FEATURES], ...baseline },
    champion,
    segments: {
      value: segmentSummary(bundle.segments.value),
      behaviour: {
        ...segmentSummary(bundle.segments.behaviour),
        traits: bundle.segments.behaviour.kmeans.centers.map((c) =>
          clusterTraits(c, bundle.segments.behaviour.prep.features),
        ),
      },
    },
  };
  await writeJson(sc.output, modelKey(version, MODEL_FILES.metrics), metrics);
  const t = sc.config.threshold;
  await writeCsvRows(
    sc.output,
    modelKey(version, MODEL_FILES.predictions),
    Array.from(test, (i, k) => ({
      account_id: dataset.accountIds[i],
      label: y[k],
      p_forest: pForest[k],
      p_baseline: pBaseline[k],
      predicted_forest: pForest[k] >= t ? 1 : 0,
      predicted_baseline: pBaseline[k] >= t ? 1 : 0,
    })),
    PREDICTION_COLUMNS,
  );
  const baselineByName = new Map(baseline.importance.map((b) => [b.feature, b]));
  const importances = forest.importance
    .map((f) => ({
      feature: f.feature,
      forest_importance_mean: f.mean,
      forest_importance_std: f.std,
      baseline_importance_mean: baselineByName.get(f.feature)?.mean ?? null,
      baseline_importance_std: baselineByName.get(f.feature)?.std ?? null,
    }))
    .sort(
      (a, b) =>
        b.forest_importance_mean - a.forest_importance_mean || (a.feature < b.feature ? -1 : 1),
    );
  await writeCsvRows(
    sc.output,
    modelKey(version, MODEL_FILES.importances),
    importances,
    IMPORTANCE_COLUMNS,
  );
  sc.log(
    `evaluate-model: forest accuracy ${forest.accuracy.toFixed(4)} AUC ${forest.auc.toFixed(4)}; baseline accuracy ${baseline.accuracy.toFixed(4)} AUC ${baseline.auc.toFixed(4)}${champion ? `; champion ${champion.version} AUC ${champion.auc.toFixed(4)} on the same holdout` : ''}`,
  );
  return metrics;
}
