import type { InsightsConfig } from '../config/insights.ts';
import { TRAIT_FEATURES } from './highRiskTraits.ts';
import { quantileType7 } from './stats.ts';
import type { HealthBand, ScoredAccount } from './types.ts';

/** Contribution tier by predicted 6-month revenue: A above Q75, C below Q25, B otherwise. */
export type ContributionTier = 'A' | 'B' | 'C';

/** Health cut-offs (0-100) that define the bands; pass the crmHealth config's values. */
export interface BandCutoffs {
  /** Health at or above: High. @default 80 */
  highBand: number;
  /** Health below: Low (high-risk). @default 50 */
  riskBelow: number;
}

/** The seed 004 bands: High 80+, Medium 50-79, Low < 50. */
export const SEED_BANDS: BandCutoffs = { highBand: 80, riskBelow: 50 };

/** The seed 004 formula's parts for one account, in the account's currency. */
export interface RevenueParts {
  /** health / 100, 0-1. */
  p_win: number;
  /** current_pipeline_amount x p_win. */
  pipeline_component: number;
  /** share x total_won_amount x (base + slope x p_win); seed: 0.5 x won x (0.05 + 0.25 p_win). */
  upsell_component: number;
  /** pipeline_component + upsell_component. */
  predicted_6m_revenue: number;
}

/** The seed 004 6-month revenue at win probability pWin (0-1); NULL amounts count as 0. */
export function revenueAt(
  row: Pick<ScoredAccount, 'current_pipeline_amount' | 'total_won_amount'>,
  pWin: number,
  revenue: InsightsConfig['revenue'],
): RevenueParts {
  const pipeline = (row.current_pipeline_amount ?? 0) * pWin;
  const upsell =
    revenue.upsellShare *
    (row.total_won_amount ?? 0) *
    (revenue.upsellBase + revenue.upsellPerPWin * pWin);
  return {
    p_win: pWin,
    pipeline_component: pipeline,
    upsell_component: upsell,
    predicted_6m_revenue: pipeline + upsell,
  };
}

/** One row of account_health_and_prediction.csv. */
export type AccountPredictionRow = {
  account_id: string;
  account_name: string | null;
  industry: string | null;
  account_size_segment: string | null;
  health_score: number | null;
  risk_band: HealthBand | null;
  predicted_6m_revenue: number | null;
  predicted_6m_revenue_low: number | null;
  predicted_6m_revenue_high: number | null;
  contribution_tier: ContributionTier | null;
  pipeline_component: number | null;
  upsell_component: number | null;
  p_win: number | null;
  /**
   * Inputs that were NULL, `;`-separated: the health scorer's list (row.missing_inputs) plus the revenue inputs
   * (one NULL amount counted as 0; without crm_health_score, or with both amounts NULL because the opportunity
   * table was not exported, there is no prediction). Empty when none.
   */
  missing_inputs: string;
} & Pick<ScoredAccount, (typeof CRM_INPUTS)[number]>;

/** The CRM inputs copied into account_health_and_prediction.csv: the same inputs the traits table compares. */
export const CRM_INPUTS = TRAIT_FEATURES;

/** Notes on the derived columns of account_health_and_prediction.csv, for the data dictionary. */
export const ACCOUNT_PREDICTION_COLUMN_NOTES: Record<string, string> = {
  p_win: 'health_score / 100 (seed 004).',
  pipeline_component: 'current_pipeline_amount x p_win (NULL amount counted as 0).',
  upsell_component: '0.5 x total_won_amount x (0.05 + 0.25 x p_win) (NULL amount counted as 0).',
  predicted_6m_revenue:
    'pipeline_component + upsell_component: seed 004 rule-based 6-month contribution.',
  predicted_6m_revenue_low:
    "The prediction with p_win at the lower bound of the account's health band (Low 0, Medium 0.5, High 0.8): a band-uncertainty range, not a statistical confidence interval.",
  predicted_6m_revenue_high:
    "The prediction with p_win at the upper bound of the account's health band (Low 0.5, Medium 0.8, High 1.0): a band-uncertainty range, not a statistical confidence interval.",
  contribution_tier:
    'A above the 75th percentile of predicted_6m_revenue, C below the 25th, B otherwise (linear interpolation, numpy default).',
  missing_inputs:
    'What the prediction did not see: a field name is a NULL value (health field scored 0, one amount counted as 0); a table name (salesforce/contact) is a table not exported, whose health term was left out with the weights renormalised. Without health_score, or without the opportunity table, there is no prediction.',
};

/** One row of tier_summary.csv. */
export interface TierSummaryRow {
  tier: ContributionTier;
  accounts: number;
  total_predicted_6m_revenue: number;
  /** Mean health of the tier's accounts, 0-100; NULL for an empty tier. */
  average_health: number | null;
  q25_threshold: number | null;
  q75_threshold: number | null;
}

/** The result of revenueForecast: both deliverables plus the tier thresholds. */
export interface RevenueForecast {
  accounts: AccountPredictionRow[];
  tiers: TierSummaryRow[];
  q25: number | null;
  q75: number | null;
}

/** The band of a health score (0-100) under the cut-offs. */
export function bandOf(health: number, bands: BandCutoffs = SEED_BANDS): HealthBand {
  return health >= bands.highBand ? 'High' : health >= bands.riskBelow ? 'Medium' : 'Low';
}

/** p_win bounds (0-1) of a band: Low [0, riskBelow), Medium [riskBelow, highBand), High [highBand, 1]. */
export function bandPWinRange(band: HealthBand, bands: BandCutoffs = SEED_BANDS): [number, number] {
  if (band === 'Low') return [0, bands.riskBelow / 100];
  if (band === 'Medium') return [bands.riskBelow / 100, bands.highBand / 100];
  return [bands.highBand / 100, 1];
}

/** The tier of a predicted revenue given the lower and upper quantile thresholds. */
export function tierOf(value: number, q25: number, q75: number): ContributionTier {
  return value > q75 ? 'A' : value < q25 ? 'C' : 'B';
}

/**
 * Seed 004 6-month revenue contribution for every account, its band range, and tiers A/B/C by the 25th and 75th
 * percentiles (type 7) of the accounts that have a prediction (a health score). Rows keep the input order.
 */
export function revenueForecast(
  rows: readonly ScoredAccount[],
  config: Pick<InsightsConfig, 'revenue'>,
  bands: BandCutoffs = SEED_BANDS,
): RevenueForecast {
  const accounts = rows.map((row) => predictionRow(row, config.revenue, bands));
  const values = accounts.flatMap((a) =>
    a.predicted_6m_revenue === null ? [] : [a.predicted_6m_revenue],
  );
  const q25 = quantileType7(values, config.revenue.lowerQuantile);
  const q75 = quantileType7(values, config.revenue.upperQuantile);
  const sums = {
    A: { n: 0, total: 0, health: 0 },
    B: { n: 0, total: 0, health: 0 },
    C: { n: 0, total: 0, health: 0 },
  };
  for (const a of accounts) {
    if (a.predicted_6m_revenue === null || q25 === null || q75 === null) continue;
    const tier = tierOf(a.predicted_6m_revenue, q25, q75);
    a.contribution_tier = tier;
    sums[tier].n += 1;
    sums[tier].total += a.predicted_6m_revenue;
    sums[tier].health += a.health_score ?? 0;
  }
  const tiers = (['A', 'B', 'C'] as const).map(
    (tier): TierSummaryRow => ({
      tier,
      accounts: sums[tier].n,
      total_predicted_6m_revenue: sums[tier].total,
      average_health: sums[tier].n === 0 ? null : sums[tier].health / sums[tier].n,
      q25_threshold: q25,
      q75_threshold: q75,
    }),
  );
  return { accounts, tiers, q25, q75 };
}

function predictionRow(
  row: ScoredAccount,
  revenue: InsightsConfig['revenue'],
  bands: BandCutoffs,
): AccountPredictionRow {
  const fromHealth = row.missing_inputs ? row.missing_inputs.split(';').filter(Boolean) : [];
  const fromRevenue = (
    ['crm_health_score', 'current_pipeline_amount', 'total_won_amount'] as const
  ).filter((c) => row[c] === null);
  const missing = [...new Set([...fromHealth, ...fromRevenue])];
  const health = row.crm_health_score;
  const band = health === null ? null : (row.crm_health_band ?? bandOf(health, bands));
  let parts: RevenueParts | null = null;
  let low: number | null = null;
  let high: number | null = null;
  // Both amounts NULL: the opportunity table was not exported (the feature SQL counts an account without
  // opportunities as 0), so there is nothing to predict from; a 0 would rank it as worthless.
  const noOpportunities = row.current_pipeline_amount === null && row.total_won_amount === null;
  if (health !== null && band !== null && !noOpportunities) {
    parts = revenueAt(row, health / 100, revenue);
    const [pLow, pHigh] = bandPWinRange(band, bands);
    const atLow = revenueAt(row, pLow, revenue).predicted_6m_revenue;
    const atHigh = revenueAt(row, pHigh, revenue).predicted_6m_revenue;
    // Negative amounts would make the formula decreasing in p_win: order the pair.
    low = Math.min(atLow, atHigh);
    high = Math.max(atLow, atHigh);
  }
  return {
    account_id: row.account_id,
    account_name: row.account_name,
    industry: row.industry,
    account_size_segment: row.account_size_segment,
    health_score: health,
    risk_band: band,
    predicted_6m_revenue: parts?.predicted_6m_revenue ?? null,
    predicted_6m_revenue_low: low,
    predicted_6m_revenue_high: high,
    contribution_tier: null,
    pipeline_component: parts?.pipeline_component ?? null,
    upsell_component: parts?.upsell_component ?? null,
    p_win: parts?.p_win ?? null,
    missing_inputs: missing.join(';'),
    days_since_last_activity: row.days_since_last_activity,
    total_activities_30d: row.total_activities_30d,
    total_contacts: row.total_contacts,
    contacts_with_email: row.contacts_with_email,
    contact_ratio: row.contact_ratio,
    annual_revenue: row.annual_revenue,
    number_of_employees: row.number_of_employees,
    total_won_amount: row.total_won_amount,
    current_pipeline_amount: row.current_pipeline_amount,
  };
}
