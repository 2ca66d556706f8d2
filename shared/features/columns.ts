/**
 * The account feature table: one row per Pendo account, built by the feature SQL (shared/sql/accountFeatures.ts)
 * and read by every scorer. Numbers are plain JS numbers; NULL stays null (never silently 0).
 */

/** Product-usage features from pendo__account, pendo__visitor and pendo__visitor_feature. */
export const PRODUCT_FEATURES = [
  'sum_minutes',
  'sum_events',
  'count_active_days',
  'count_active_months',
  'average_daily_minutes',
  'average_daily_events',
  'count_associated_visitors',
  'count_active_visitors',
  'avg_nps_rating',
  'min_nps_rating',
  'max_nps_rating',
  'days_since_last_event',
  'n_features_used',
  'n_product_areas_used',
  'n_core_features_used',
  'total_feature_clicks',
  'total_feature_click_events',
] as const;

/** CRM features from the Salesforce tables, as of the run date. */
export const CRM_NUMERIC_FEATURES = [
  'total_contacts',
  'contacts_with_email',
  'total_activities_30d',
  'days_since_last_activity',
  'total_won_amount',
  'current_pipeline_amount',
  'number_of_employees',
  'annual_revenue',
] as const;

/**
 * Revenue won in the classifier's label window (closed-won amount with a close date in the trailing
 * `classifier.revenueWindowDays`): the revenue label is computed from it, so it is never a model feature.
 */
export const REVENUE_LABEL_COLUMN = 'won_amount_window' as const;

/** Text columns of the feature row. */
export const TEXT_COLUMNS = [
  'account_id',
  'salesforce_account_id',
  'account_name',
  'industry',
  'account_size_segment',
  'first_event_on',
  'last_event_on',
] as const;

export type ProductFeature = (typeof PRODUCT_FEATURES)[number];
export type CrmNumericFeature = (typeof CRM_NUMERIC_FEATURES)[number];

/** One account's features; `has_crm` tells whether a Salesforce account row was linked. */
export type AccountFeatures = { [K in ProductFeature | CrmNumericFeature]: number | null } & {
  account_id: string;
  salesforce_account_id: string | null;
  account_name: string | null;
  industry: string | null;
  account_size_segment: 'Enterprise' | 'Large' | 'Mid-Market' | 'Small Business' | 'Unknown' | null;
  first_event_on: string | null;
  last_event_on: string | null;
  has_crm: boolean;
  /** See REVENUE_LABEL_COLUMN; null without CRM or opportunity data (absent in feature rows built by hand). */
  won_amount_window?: number | null;
  /** True when the account is in pendo__account (false: a Salesforce account no Pendo account links to). */
  has_product: boolean;
};
