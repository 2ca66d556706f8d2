/** Run-folder keys shared by the steps. */

/** The feature table written by the account-features step. */
export const FEATURES_KEY = 'parts/features.csv';

/** The key of one step's per-account columns, merged into account_scores.csv by publish-scores. */
export function partKey(name: string): string {
  return `parts/${name}.csv`;
}

/** The data-quality report of the run. */
export const DATA_QUALITY_KEY = 'data_quality.json';

/** The merged per-account table, one row per account with every feature and score. */
export const ACCOUNT_SCORES_KEY = 'account_scores.csv';

/** The run manifest (inputs, config, code version, row counts, timings). */
export const MANIFEST_KEY = 'manifest.json';

/** The alert digests built by risk-and-revenue and sent by send-alerts. */
export const DIGESTS_KEY = 'alerts/digests.json';

/** Alerts sent so far (output-store root, across runs), for the cool-down. */
export const ALERT_LOG_KEY = 'state/alert_log.jsonl';
