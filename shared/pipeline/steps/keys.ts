/**
 * Run-folder keys: every file a run writes and a later step, the report, the CLI summary or `cvs evaluate` reads,
 * named once. Renaming a deliverable is one edit here.
 */
export const RUN_KEYS = {
  /** The feature table written by the account-features step. */
  features: 'parts/features.csv',
  /** The data-quality report of the run. */
  dataQuality: 'data_quality.json',
  /** The merged per-account table, one row per account with every feature and score. */
  accountScores: 'account_scores.csv',
  /** The run manifest (inputs, config, code version, row counts, timings). */
  manifest: 'manifest.json',
  /** The alert digests built by risk-and-revenue and sent by send-alerts. */
  digests: 'alerts/digests.json',
  /** Seed 000 classifier deliverables (copied from the model version). */
  modelMetrics: 'model_metrics.json',
  featureImportances: 'feature_importances.csv',
  testSet: 'hv_predictions_testset.csv',
  /** Value trends (seed 000) and their rolling-origin backtest. */
  valueTrends: 'value_trends_all_accounts.csv',
  trendBacktest: 'trend_backtest.json',
  /** Seed 004 deliverables of the risk-and-revenue step. */
  riskMatrix: 'risk_matrix_counts.csv',
  segmentRates: 'high_risk_segment_rates.csv',
  highRiskTraits: 'high_risk_characteristics_vs_all.csv',
  accountPredictions: 'account_health_and_prediction.csv',
  dataDictionary: 'data_dictionary.json',
  tierSummary: 'tier_summary.csv',
  /** Seed 002 at visitor level (champions). */
  visitorScores: 'visitor_scores.csv',
  /** The one-page report. */
  report: 'report.html',
} as const;

/** A run-folder key of RUN_KEYS. */
export type RunKey = (typeof RUN_KEYS)[keyof typeof RUN_KEYS];

/** The feature table written by the account-features step. */
export const FEATURES_KEY = RUN_KEYS.features;

/** The key of one step's per-account columns, merged into account_scores.csv by publish-scores. */
export function partKey(name: string): string {
  return `parts/${name}.csv`;
}

/** The data-quality report of the run. */
export const DATA_QUALITY_KEY = RUN_KEYS.dataQuality;

/** The merged per-account table, one row per account with every feature and score. */
export const ACCOUNT_SCORES_KEY = RUN_KEYS.accountScores;

/** The run manifest (inputs, config, code version, row counts, timings). */
export const MANIFEST_KEY = RUN_KEYS.manifest;

/** The alert digests built by risk-and-revenue and sent by send-alerts. */
export const DIGESTS_KEY = RUN_KEYS.digests;

/** Alerts sent so far (output-store root, across runs), for the cool-down. */
export const ALERT_LOG_KEY = 'state/alert_log.jsonl';
