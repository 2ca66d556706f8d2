import {
  accuracy,
  precision,
  recall,
  reliabilityTable,
  rocAuc,
  rocCurve,
} from '../models/metrics.ts';
import type { Row } from '../ports/index.ts';
import { numberOf } from './accountSections.ts';

/**
 * The models the report compares. The composite value index appears only in the metric comparison, from
 * model_metrics.json (`valueIndex`: its AUC and its top-quartile flag's accuracy on the same holdout and label).
 */
export type ModelName = 'Forest' | '2-D baseline' | 'Composite value index';

/** The metrics of the comparison chart, all 0-1. */
export const COMPARED_METRICS = ['accuracy', 'precision', 'recall', 'auc'] as const;

/** One bar of the comparison: a model's value of one metric (0-1). */
export interface MetricValue {
  model: ModelName;
  metric: (typeof COMPARED_METRICS)[number];
  value: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first object (depth-first) under one of the keys that holds an `accuracy` number. */
function findMetricsObject(json: unknown, keys: readonly string[], depth = 0): Json | null {
  if (!isObject(json) || depth > 4) return null;
  for (const k of keys) {
    const v = json[k];
    if (isObject(v) && typeof v.accuracy === 'number') return v;
  }
  for (const v of Object.values(json)) {
    const found = findMetricsObject(v, keys, depth + 1);
    if (found) return found;
  }
  return null;
}

const FOREST_KEYS = ['forest', 'randomForest', 'random_forest'];
const BASELINE_KEYS = ['baseline', 'logistic', 'baseline2d', 'baseline_2d', 'logisticRegression'];

function metricOf(m: Json, metric: MetricValue['metric']): number | null {
  const names = metric === 'auc' ? ['auc', 'rocAuc', 'roc_auc', 'AUC'] : [metric];
  for (const n of names) {
    const v = numberOf(m[n]);
    if (v !== null) return v;
  }
  return null;
}

/** The test set as labels and the two models' probabilities; null when the columns are missing. */
export function testSetArrays(
  rows: readonly Row[] | null,
): { y: number[]; forest: number[]; baseline: number[] } | null {
  if (!rows || rows.length === 0) return null;
  const labelCol = ['label', 'y_true', 'y', 'high_value'].find((c) => c in rows[0]);
  if (!labelCol || !('p_forest' in rows[0]) || !('p_baseline' in rows[0])) return null;
  const kept = rows.filter(
    (r) => numberOf(r.p_forest) !== null && numberOf(r.p_baseline) !== null && r[labelCol] !== null,
  );
  const label = (v: Row[string]) => (v === true || v === 1 || v === '1' ? 1 : 0);
  return {
    y: kept.map((r) => label(r[labelCol])),
    forest: kept.map((r) => numberOf(r.p_forest) as number),
    baseline: kept.map((r) => numberOf(r.p_baseline) as number),
  };
}

/**
 * Forest vs 2-D baseline on accuracy, precision, recall and AUC: as model_metrics.json states them, else computed
 * from hv_predictions_testset.csv at threshold 0.5. Empty when neither is in the run.
 */
export function modelComparison(
  metrics: Json | null,
  testSet: readonly Row[] | null,
): { values: MetricValue[]; source: string } {
  const forest = metrics ? findMetricsObject(metrics, FOREST_KEYS) : null;
  const baseline = metrics ? findMetricsObject(metrics, BASELINE_KEYS) : null;
  if (forest && baseline && forest !== baseline) {
    const values: MetricValue[] = [];
    for (const [model, m] of [
      ['Forest', forest],
      ['2-D baseline', baseline],
    ] as const)
      for (const metric of COMPARED_METRICS) {
        const value = metricOf(m, metric);
        if (value !== null) values.push({ model, metric, value });
      }
    const vi = metrics?.valueIndex;
    if (isObject(vi))
      for (const metric of ['accuracy', 'auc'] as const) {
        const value = numberOf(vi[metric]);
        if (value !== null) values.push({ model: 'Composite value index', metric, value });
      }
    return { values, source: 'model_metrics.json' };
  }
  const t = testSetArrays(testSet);
  if (!t) return { values: [], source: '' };
  const values: MetricValue[] = [];
  for (const [model, p] of [
    ['Forest', t.forest],
    ['2-D baseline', t.baseline],
  ] as const) {
    const computed = {
      accuracy: accuracy(t.y, p),
      precision: precision(t.y, p),
      recall: recall(t.y, p),
      auc: rocAuc(t.y, p),
    };
    for (const metric of COMPARED_METRICS)
      if (Number.isFinite(computed[metric]))
        values.push({ model, metric, value: computed[metric] });
  }
  return { values, source: 'hv_predictions_testset.csv (threshold 0.5)' };
}

/** ROC points of both models on the test set, at most maxPoints per model (evenly thinned, ends kept). */
export function rocPoints(
  testSet: readonly Row[] | null,
  maxPoints = 150,
): { model: ModelName; fpr: number; tpr: number; order: number }[] {
  const t = testSetArrays(testSet);
  if (!t) return [];
  return (
    [
      ['Forest', t.forest],
      ['2-D baseline', t.baseline],
    ] as const
  ).flatMap(([model, p]) => {
    const roc = rocCurve(t.y, p);
    const n = roc.fpr.length;
    const step = Math.max(1, Math.ceil(n / maxPoints));
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => i % step === 0 || i === n - 1);
    return idx.map((i, order) => ({ model, fpr: roc.fpr[i], tpr: roc.tpr[i], order }));
  });
}

/** Reliability table of both models on the test set (10 equal-width bins; empty bins left out). */
export function calibrationPoints(
  testSet: readonly Row[] | null,
): { model: ModelName; meanPredicted: number; observedRate: number; count: number }[] {
  const t = testSetArrays(testSet);
  if (!t) return [];
  return (
    [
      ['Forest', t.forest],
      ['2-D baseline', t.baseline],
    ] as const
  ).flatMap(([model, p]) =>
    reliabilityTable(t.y, p)
      .filter((b) => b.count > 0)
      .map((b) => ({
        model,
        meanPredicted: b.meanPredicted,
        observedRate: b.observedRate,
        count: b.count,
      })),
  );
}

/** Permutation importance rows (feature, mean, std), the n largest means first; [] without the file. */
export function importanceRows(
  rows: readonly Row[] | null,
  n = 20,
): { feature: string; mean: number; std: number }[] {
  if (!rows) return [];
  const pick = (r: Row, names: string[]) => {
    for (const c of names) if (numberOf(r[c]) !== null) return numberOf(r[c]) as number;
    return null;
  };
  return rows
    .map((r) => ({
      feature: String(r.feature ?? r.name ?? ''),
      mean: pick(r, [
        'forest_importance_mean',
        'importance_mean',
        'mean',
        'importance',
        'permutation_importance_mean',
      ]),
      std:
        pick(r, ['forest_importance_std', 'importance_std', 'std', 'permutation_importance_std']) ??
        0,
    }))
    .filter(
      (r): r is { feature: string; mean: number; std: number } =>
        r.mean !== null && r.feature !== '',
    )
    .sort((a, b) => b.mean - a.mean)
    .slice(0, n);
}

/** Model version and label as model_metrics.json names them (several spellings accepted); null when absent. */
export function modelIdentity(metrics: Json | null): {
  version: string | null;
  label: string | null;
} {
  if (!metrics) return { version: null, label: null };
  const text = (names: string[]): string | null => {
    for (const n of names) {
      const v = metrics[n];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      if (isObject(v) && typeof v.name === 'string') return v.name;
      if (isObject(v) && typeof v.kind === 'string') return v.kind;
    }
    return null;
  };
  return {
    version: text(['version', 'modelVersion', 'model_version', 'champion']),
    label: text(['label', 'labelUsed', 'label_used', 'labelKind', 'label_kind']),
  };
}

/**
 * Why p_high_value is not a model's probability in this run: model_metrics.json says no model was trained
 * (`trained: false`) or that scoring fell back to the value index (`hv_source` value-index-fallback, for instance
 * because the promotion gate refused the model); else null.
 */
export function noModelReason(metrics: Json | null): string | null {
  if (!metrics) return null;
  if (metrics.hv_source === 'value-index-fallback' && typeof metrics.fallback_reason === 'string')
    return `No classifier model scored this run: ${metrics.fallback_reason}.`;
  if (metrics.trained !== false) return null;
  const reason = typeof metrics.reason === 'string' ? metrics.reason : 'no reason given';
  return `No classifier model in this run: ${reason}.`;
}

/**
 * The notes model_metrics.json carries: why the label was chosen, the gate's verdict when it refused the model, and
 * the warnings (label caveats, champion label changes).
 */
export function modelWarnings(metrics: Json | null): string[] {
  const out: string[] = [];
  if (typeof metrics?.labelChoice === 'string') out.push(`Label: ${metrics.labelChoice}.`);
  const gate = metrics?.gate;
  if (isObject(gate) && gate.promote === false && typeof gate.reason === 'string')
    out.push(`Promotion gate: ${gate.reason}.`);
  const w = metrics?.warnings;
  if (Array.isArray(w)) out.push(...w.map(String));
  return out;
}
