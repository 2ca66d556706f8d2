import { CvsError } from '../errors.ts';
import { writeCsvRows } from '../io/csvTable.ts';
import {
  accuracy,
  compareAuc,
  forestPermutationImportance,
  isRegressionForest,
  type PairedAucComparison,
  predictProba,
  predictProbaLogistic,
  rocAuc,
} from '../models/index.ts';
import type { Row } from '../ports/index.ts';
import { BASELINE_FEATURES, buildDataset } from './dataset.ts';
import { evaluateModel, forestThreshold, type ModelEvaluation } from './evaluate.ts';
import type { LabelName } from './labels.ts';
import { loadModelBundle, MODEL_FILES, modelKey, readChampion, writeJson } from './registry.ts';
import { forestScores } from './scoreHighValue.ts';
import { clusterTraits } from './segmentNames.ts';
import type { SegmentModel } from './segments.ts';
import type { RunData, StageContext } from './trainCandidate.ts';
import { baselineColumns, pickRows, splitDataset } from './trainModels.ts';

/**
 * The champion re-scored on the candidate's holdout (the gate compares on the same rows); accounts the champion was
 * trained on are scored by its fold forests, so it is never credited with a label it memorised.
 */
export interface ChampionOnHoldout {
  version: string;
  label: LabelName;
  accuracy: number;
  auc: number;
  /** Holdout accounts it scored out-of-fold (it was trained on them) and with its full forest. */
  outOfFold: number;
  full: number;
}

/** The composite value index (seed 000) read as a score on the same holdout, against the same label. */
export interface ValueIndexOnHoldout {
  /** Holdout rows with a value index. */
  n: number;
  auc: number;
  /** Accuracy of its own top-quartile flag (high_value_index) against the label. */
  accuracy: number;
}

/** The DeLong comparisons of the candidate with the others on the holdout (candidate minus other). */
export interface HoldoutComparisons {
  baseline: PairedAucComparison | null;
  champion: PairedAucComparison | null;
  valueIndex: PairedAucComparison | null;
}

/** Out-of-fold AUC of the cross-fitted forests over every labelled account (each scored by a forest that never saw it). */
export interface CrossFitSummary {
  folds: number;
  rows: number;
  auc: number;
}

/** metrics.json of a version: both models side by side on the same holdout, and the champion on it. */
export interface CandidateMetrics {
  version: string;
  asOf: string;
  label: LabelName;
  labelDescription: string;
  /** Why this label was used. */
  labelChoice: string;
  warnings: string[];
  dataHash: string;
  window: { firstEventOn: string | null; lastEventOn: string | null };
  rows: number;
  positives: number;
  nTrain: number;
  nTest: number;
  /**
   * What the forest was fitted to: `label` (a classification forest; its output is a probability) or `revenue-rank`
   * (a regression forest on the revenue percentile, `forest.revenueTarget: rank`; its holdout accuracy flags an
   * output of at least 1 - revenueTopShare, and its Brier score and calibration read the percentile estimate as a
   * probability). Absent in metrics written before the choice existed (then `label`).
   */
  forestTarget?: 'label' | 'revenue-rank';
  forest: ModelEvaluation & { features: string[] };
  baseline: ModelEvaluation & { features: string[] };
  champion: ChampionOnHoldout | null;
  valueIndex: ValueIndexOnHoldout | null;
  comparisons: HoldoutComparisons;
  crossFit: CrossFitSummary | null;
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

/** compareAuc, or null when it cannot be computed (a class missing, no rows). */
function tryCompare(
  y: Uint8Array,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  confidence: number,
): PairedAucComparison | null {
  try {
    return compareAuc(y, a, b, confidence);
  } catch {
    return null;
  }
}

/** The holdout rows that have a value index: their positions, the index and its top-quartile flag. */
function valueIndexScores(
  ids: readonly string[],
  scores: readonly Row[],
): { keep: number[]; index: number[]; flag: number[] } {
  const byId = new Map(scores.map((s) => [String(s.account_id), s]));
  const keep: number[] = [];
  const index: number[] = [];
  const flag: number[] = [];
  ids.forEach((id, k) => {
    const s = byId.get(id);
    if (typeof s?.value_index !== 'number') return;
    keep.push(k);
    index.push(s.value_index);
    flag.push(s.high_value_index === true ? 1 : 0);
  });
  return { keep, index, flag };
}

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
  const tForest = forestThreshold(bundle.forest, sc.config);
  const forest = evaluateModel(
    (m) => predictProba(bundle.forest, m),
    X,
    y,
    dataset.featureNames,
    { ...sc.config, threshold: tForest },
    (Xs, ys, o) => forestPermutationImportance(bundle.forest, Xs, ys, o),
  );
  const baseline = evaluateModel(
    (m) => predictProbaLogistic(bundle.baseline, m),
    Xb,
    y,
    BASELINE_FEATURES,
    sc.config,
  );
  const conf = sc.config.gate.confidence;
  const pointer = await readChampion(sc.output);
  let champion: ChampionOnHoldout | null = null;
  let championComparison: PairedAucComparison | null = null;
  if (pointer) {
    const champ =
      pointer.version === version ? bundle : await loadModelBundle(sc.output, pointer.version);
    const rows = Array.from(test, (i) => dataset.rows[i]);
    const scored = forestScores(champ, rows);
    const p = scored.p;
    champion = {
      version: pointer.version,
      label: champ.training.label,
      accuracy: accuracy(y, p, forestThreshold(champ.forest, sc.config)),
      auc: rocAuc(y, p),
      outOfFold: scored.outOfFold,
      full: scored.full,
    };
    championComparison = tryCompare(y, pForest, p, conf);
    if (champ.training.label !== dataset.label)
      dataset.warnings.push(
        `the champion ${pointer.version} was trained on label ${champ.training.label}, the candidate on ${dataset.label}: the gate compares both against ${dataset.label}`,
      );
  }
  const testIds = Array.from(test, (i) => dataset.accountIds[i]);
  const vi = valueIndexScores(testIds, data.scores);
  const yVi = Uint8Array.from(vi.keep, (k) => y[k]);
  const valueIndex: ValueIndexOnHoldout | null =
    vi.keep.length > 0
      ? {
          n: vi.keep.length,
          auc: rocAuc(yVi, vi.index),
          accuracy: accuracy(yVi, vi.flag, 0.5),
        }
      : null;
  const comparisons: HoldoutComparisons = {
    baseline: tryCompare(y, pForest, pBaseline, conf),
    champion: championComparison,
    valueIndex: tryCompare(
      yVi,
      vi.keep.map((k) => pForest[k]),
      vi.index,
      conf,
    ),
  };
  const all = forestScores(bundle, dataset.rows);
  const crossFit: CrossFitSummary | null = bundle.crossFit
    ? { folds: bundle.crossFit.forests.length, rows: all.outOfFold, auc: rocAuc(dataset.y, all.p) }
    : null;
  const metrics: CandidateMetrics = {
    version,
    asOf: sc.asOf,
    label: dataset.label,
    labelDescription: dataset.labelDescription,
    labelChoice: dataset.labelChoice,
    warnings: dataset.warnings,
    dataHash: dataset.dataHash,
    window: dataset.window,
    rows: dataset.nRows,
    positives: dataset.nPositives,
    nTrain: dataset.nRows - test.length,
    nTest: test.length,
    forestTarget: isRegressionForest(bundle.forest) ? 'revenue-rank' : 'label',
    forest: { features: dataset.featureNames, ...forest },
    baseline: { features: [...BASELINE_FEATURES], ...baseline },
    champion,
    valueIndex,
    comparisons,
    crossFit,
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
      predicted_forest: pForest[k] >= tForest ? 1 : 0,
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
    `evaluate-model: forest accuracy ${forest.accuracy.toFixed(4)} AUC ${forest.auc.toFixed(4)}; baseline accuracy ${baseline.accuracy.toFixed(4)} AUC ${baseline.auc.toFixed(4)}${valueIndex ? `; value index AUC ${valueIndex.auc.toFixed(4)}` : ''}${champion ? `; champion ${champion.version} AUC ${champion.auc.toFixed(4)} on the same holdout` : ''}${crossFit ? `; out-of-fold AUC over ${crossFit.rows} labelled accounts ${crossFit.auc.toFixed(4)}` : ''}`,
  );
  return metrics;
}
