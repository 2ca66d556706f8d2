import type { CvsConfig } from '../config/schema.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { type CrmHealthScore, crmHealth } from './crmHealth.ts';
import { productHealth } from './productHealth.ts';
import { type ScorecardScore, scorecards } from './scorecards.ts';
import { type ValueIndexScore, valueIndex } from './valueIndex.ts';

/** Every v1 score of one account, keyed by account_id. */
export type AccountScores = {
  account_id: string;
  product_health_score: number | null;
} & ValueIndexScore &
  ScorecardScore &
  CrmHealthScore;

/** The columns of AccountScores in output order. */
export const SCORE_COLUMNS = [
  'account_id',
  'value_index',
  'high_value_index',
  'value_usage',
  'value_intensity',
  'value_breadth',
  'value_nps',
  'value_freshness',
  'value_commercial',
  'quintile_total',
  'high_value_quintile',
  'weighted_score',
  'high_value_weighted',
  'baseline_2d_score',
  'high_value_baseline_2d',
  'product_health_score',
  'crm_health_score',
  'crm_health_band',
  'high_risk',
  'crm_activity_score',
  'crm_contact_score',
  'crm_business_score',
  'crm_scale_score',
  'contact_ratio',
  'missing_inputs',
] as const;

/** Runs every v1 scorer over the accounts of one run (percentiles and min-max are relative to these rows). */
export function scoreAccounts(
  rows: readonly AccountFeatures[],
  config: CvsConfig,
): AccountScores[] {
  const vi = valueIndex(rows, config);
  const sc = scorecards(rows, config);
  const ph = productHealth(rows, config);
  const crm = crmHealth(rows, config);
  return rows.map((r, i) => ({
    account_id: r.account_id,
    ...vi[i],
    ...sc[i],
    product_health_score: ph[i],
    ...crm[i],
  }));
}
