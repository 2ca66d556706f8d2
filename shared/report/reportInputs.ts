import { ObjectNotFoundError } from '../errors.ts';
import { readCsvRows } from '../io/csvTable.ts';
import { RUN_KEYS } from '../pipeline/steps/keys.ts';
import type { ObjectStore, Row } from '../ports/index.ts';

/** Run-folder keys the report reads; every one but account_scores.csv may be absent. */
export const REPORT_INPUT_KEYS = {
  accountScores: RUN_KEYS.accountScores,
  dataQuality: RUN_KEYS.dataQuality,
  manifest: RUN_KEYS.manifest,
  modelMetrics: RUN_KEYS.modelMetrics,
  featureImportances: RUN_KEYS.featureImportances,
  testSet: RUN_KEYS.testSet,
  riskMatrix: RUN_KEYS.riskMatrix,
  segmentRates: RUN_KEYS.segmentRates,
  tierSummary: RUN_KEYS.tierSummary,
  trendBacktest: RUN_KEYS.trendBacktest,
} as const;

/**
 * The columns of account_scores.csv the report reads (every other column is skipped while parsing: at 10^6 accounts
 * the whole table as objects would not fit the build-report Lambda). A test renders the report from rows holding
 * only these columns and from whole rows and compares, and records every column the report touches.
 */
export const REPORT_ACCOUNT_COLUMNS: ReadonlySet<string> = new Set([
  'account_id',
  'account_name',
  'industry',
  'account_size_segment',
  'sum_minutes',
  'count_active_days',
  'count_associated_visitors',
  'avg_nps_rating',
  'days_since_last_event',
  'n_features_used',
  'total_won_amount',
  'current_pipeline_amount',
  'has_crm',
  'has_product',
  'identified_visitors',
  'champion_1',
  'champion_2',
  'champion_3',
  'champion_activity_share',
  'champion_silent',
  'champion_silent_reason',
  'changed_since',
  'delta_value_index',
  'delta_p_high_value',
  'delta_product_health',
  'delta_crm_health',
  'value_tier_change',
  'crm_health_band_change',
  'hv_band_change',
  'why_changed',
  'change_note',
  'p_high_value',
  'hv_band',
  'value_segment',
  'cluster',
  'hv_source',
  'model_version',
  'contribution_tier',
  'playbook_id',
  'playbook',
  'trigger_reasons',
  'triggers',
  'triggered',
  'reasons',
  'alert_reasons',
  'value_index',
  'high_value_quintile',
  'crm_health_score',
  'crm_health_band',
  'high_risk',
  'trend_3m',
  'trend_6m',
  'value_tier',
  'value_rank',
]);

/** Everything the report shows, read from one run folder; `null` when the file is not in the run. */
export interface ReportInputs {
  /** Scoring date, YYYY-MM-DD. */
  readonly asOf: string;
  /** account_scores.csv: one row per account, with the columns of REPORT_ACCOUNT_COLUMNS it has. */
  readonly accounts: Row[];
  readonly dataQuality: Record<string, unknown> | null;
  readonly manifest: Record<string, unknown> | null;
  readonly modelMetrics: Record<string, unknown> | null;
  readonly featureImportances: Row[] | null;
  readonly testSet: Row[] | null;
  readonly riskMatrix: Row[] | null;
  readonly segmentRates: Row[] | null;
  readonly tierSummary: Row[] | null;
  readonly trendBacktest: Record<string, unknown> | null;
  /** Step outputs of the run (from the run state in the pipeline, from manifest.json afterwards). */
  readonly steps: Record<string, Record<string, unknown>>;
}

async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return null;
    throw err;
  }
}

async function readJson(store: ObjectStore, key: string): Promise<Record<string, unknown> | null> {
  return optional(
    async () =>
      JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as Record<string, unknown>,
  );
}

const readCsv = (store: ObjectStore, key: string) => optional(() => readCsvRows(store, key));

/**
 * Reads a run folder's outputs for the report (nothing is recomputed). The as-of date comes from the argument,
 * else data_quality.json, else manifest.json; the step outputs from the argument, else the manifest.
 */
export async function loadReportInputs(
  store: ObjectStore,
  known: { asOf?: string; steps?: Record<string, Record<string, unknown>> } = {},
): Promise<ReportInputs> {
  const k = REPORT_INPUT_KEYS;
  const [accounts, dataQuality, manifest, modelMetrics, trendBacktest] = await Promise.all([
    readCsvRows(store, k.accountScores, undefined, REPORT_ACCOUNT_COLUMNS),
    readJson(store, k.dataQuality),
    readJson(store, k.manifest),
    readJson(store, k.modelMetrics),
    readJson(store, k.trendBacktest),
  ]);
  const [featureImportances, testSet, riskMatrix, segmentRates, tierSummary] = await Promise.all([
    readCsv(store, k.featureImportances),
    readCsv(store, k.testSet),
    readCsv(store, k.riskMatrix),
    readCsv(store, k.segmentRates),
    readCsv(store, k.tierSummary),
  ]);
  const asOf =
    known.asOf ??
    (typeof dataQuality?.as_of === 'string' ? dataQuality.as_of : null) ??
    (typeof manifest?.asOf === 'string' ? manifest.asOf : null) ??
    'unknown date';
  const steps =
    known.steps ?? (manifest?.steps as Record<string, Record<string, unknown>> | undefined) ?? {};
  return {
    asOf,
    accounts,
    dataQuality,
    manifest,
    modelMetrics,
    featureImportances,
    testSet,
    riskMatrix,
    segmentRates,
    tierSummary,
    trendBacktest,
    steps,
  };
}
