import { createHash } from 'node:crypto';
import type { ClassifierConfig } from '../config/classifier.ts';
import {
  type AccountFeatures,
  CRM_NUMERIC_FEATURES,
  PRODUCT_FEATURES,
  REVENUE_LABEL_COLUMN,
} from '../features/columns.ts';
import type { Row } from '../ports/index.ts';
import { buildLabels, type LabelName, revenueAmount } from './labels.ts';

/** The old two-metric way (seeds 000-002): duration and frequency, as the baseline logistic regression sees them. */
export const BASELINE_FEATURES = ['sum_minutes', 'sum_events'] as const;

/** The labelled rows a model is trained and evaluated on. */
export interface TrainingDataset {
  /** The labelled accounts' feature rows, in row order (kept for segments and re-scoring; not hashed). */
  rows: AccountFeatures[];
  /** Account id per row. */
  accountIds: string[];
  /** Feature values per row, in `featureNames` order; NaN where the feature is NULL. */
  X: Float64Array[];
  /** 0/1 label per row. */
  y: Uint8Array;
  /**
   * Under the revenue label, the revenue amount of the label window per row (what the label's top share ranks; the
   * forest's regression target with `forest.revenueTarget: rank`); null under a label built from the features.
   */
  revenue: Float64Array | null;
  /** The forest's features: the product features, plus the CRM features when the run has CRM data. */
  featureNames: string[];
  label: LabelName;
  labelDescription: string;
  /** Why this label was used (auto resolution, fallbacks). */
  labelChoice: string;
  warnings: string[];
  /** SHA-256 (hex) of feature names, label, ids, values and labels: same data, same hash. */
  dataHash: string;
  /** Rows and positive rows. */
  nRows: number;
  nPositives: number;
  /** Earliest first_event_on and latest last_event_on of the rows (YYYY-MM-DD), null when unknown. */
  window: { firstEventOn: string | null; lastEventOn: string | null };
}

/**
 * Revenue won before the revenue label's window: total_won_amount minus won_amount_window (floored at 0), NULL when
 * either is. A model feature derived in `featureMatrix`, never a column of the feature table.
 */
export const PRIOR_REVENUE_FEATURE = 'won_amount_before_window';

/** A model feature computed from columns of the feature row. */
export interface DerivedFeature {
  /** The feature-table columns it is computed from. */
  readonly inputs: readonly string[];
  /** Its value from the inputs' values (null = NULL), in `inputs` order; null when it cannot be computed. */
  compute(values: readonly (number | null)[]): number | null;
}

/**
 * Features computed when a matrix is built, so training, scoring and `cvs evaluate`'s truth-trained reference
 * compute them alike.
 */
export const DERIVED_FEATURES: Readonly<Record<string, DerivedFeature>> = {
  [PRIOR_REVENUE_FEATURE]: {
    inputs: ['total_won_amount', REVENUE_LABEL_COLUMN],
    compute: ([total, window]) =>
      total === null || window === null ? null : Math.max(0, total - window),
  },
};

/** The derived feature of that name, or undefined for a column of the feature table. */
export function derivedFeature(name: string): DerivedFeature | undefined {
  return Object.hasOwn(DERIVED_FEATURES, name) ? DERIVED_FEATURES[name] : undefined;
}

const finiteOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/**
 * The forest's feature list: every product feature, plus the CRM numeric features when at least one row has CRM
 * data. The revenue label drops total_won_amount, which contains the won revenue it is computed from (the window
 * amount itself is never a feature); with `priorRevenue` it adds the revenue won before the window instead.
 */
export function modelFeatureNames(
  rows: readonly AccountFeatures[],
  label: LabelName,
  priorRevenue = false,
): string[] {
  const names: string[] = [...PRODUCT_FEATURES];
  const crm = rows.some((r) => r.has_crm);
  if (crm) names.push(...CRM_NUMERIC_FEATURES);
  if (label !== 'revenue') return names;
  const kept = names.filter((n) => n !== 'total_won_amount');
  return crm && priorRevenue ? [...kept, PRIOR_REVENUE_FEATURE] : kept;
}

/**
 * Builds one row of the feature matrix in `names` order from a getter of the feature table's columns (null = NULL):
 * a derived feature is computed from its inputs, a missing value is NaN. The classifier and `cvs evaluate`'s
 * truth-trained reference build their rows with it, so both read a feature the same way.
 */
export function featureRowBuilder(
  names: readonly string[],
): (get: (column: string) => number | null) => Float64Array {
  const derived = names.map(derivedFeature);
  return (get) =>
    Float64Array.from(names, (n, f) => {
      const d = derived[f];
      return (d ? d.compute(d.inputs.map(get)) : get(n)) ?? Number.NaN;
    });
}

/** Feature rows as a matrix in `names` order; NULL and absent features become NaN (missing). */
export function featureMatrix(
  rows: readonly AccountFeatures[],
  names: readonly string[],
): Float64Array[] {
  const build = featureRowBuilder(names);
  return rows.map((r) => {
    const rec = r as unknown as Record<string, unknown>;
    return build((c) => finiteOrNull(rec[c]));
  });
}

/** SHA-256 of a dataset's content (feature names, label, then per row: id, label, the values' bytes). */
export function hashDataset(
  featureNames: readonly string[],
  label: string,
  ids: readonly string[],
  X: readonly Float64Array[],
  y: Uint8Array,
): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ featureNames, label }));
  for (let i = 0; i < ids.length; i++) {
    h.update(`\n${ids[i]}\t${y[i]}\t`);
    h.update(new Uint8Array(X[i].buffer, X[i].byteOffset, X[i].byteLength));
  }
  return h.digest('hex');
}

/**
 * The training set of a run: the labelled accounts (product data; for the revenue label also CRM data) sorted by
 * account id, so the same accounts give the same dataset whatever order the feature table lists them in.
 */
export function buildDataset(
  features: readonly AccountFeatures[],
  scores: readonly Row[],
  config: ClassifierConfig,
): TrainingDataset {
  const labels = buildLabels(features, scores, config);
  const keep = features
    .map((f, i) => ({ f, y: labels.y[i] }))
    .filter((r): r is { f: AccountFeatures; y: 0 | 1 } => r.y !== null)
    .sort((a, b) =>
      a.f.account_id < b.f.account_id ? -1 : a.f.account_id > b.f.account_id ? 1 : 0,
    );
  const rows = keep.map((r) => r.f);
  const featureNames = modelFeatureNames(
    rows,
    labels.label,
    config.priorRevenueFeature && config.revenueWindowDays > 0,
  );
  const X = featureMatrix(rows, featureNames);
  const y = Uint8Array.from(keep, (r) => r.y);
  const revenue =
    labels.label === 'revenue'
      ? Float64Array.from(rows, (r) => revenueAmount(r, config) ?? 0)
      : null;
  const accountIds = rows.map((r) => r.account_id);
  const dates = (pick: (r: AccountFeatures) => string | null) =>
    rows
      .map(pick)
      .filter((d): d is string => d !== null)
      .sort();
  const first = dates((r) => r.first_event_on);
  const last = dates((r) => r.last_event_on);
  return {
    rows,
    accountIds,
    X,
    y,
    revenue,
    featureNames,
    label: labels.label,
    labelDescription: labels.description,
    labelChoice: labels.choice,
    warnings: labels.warnings,
    dataHash: hashDataset(featureNames, labels.label, accountIds, X, y),
    nRows: rows.length,
    nPositives: y.reduce((s, v) => s + v, 0),
    window: { firstEventOn: first[0] ?? null, lastEventOn: last.at(-1) ?? null },
  };
}
