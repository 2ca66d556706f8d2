import type { AccountFeatures } from '../../shared/features/columns.ts';

/** An account feature row with every number null, product and CRM flags off; override what the test needs. */
export function account(
  overrides: Partial<AccountFeatures> & { account_id: string },
): AccountFeatures {
  return {
    salesforce_account_id: null,
    account_name: null,
    industry: null,
    account_size_segment: null,
    first_event_on: null,
    last_event_on: null,
    has_crm: false,
    has_product: false,
    sum_minutes: null,
    sum_events: null,
    count_active_days: null,
    count_active_months: null,
    average_daily_minutes: null,
    average_daily_events: null,
    count_associated_visitors: null,
    count_active_visitors: null,
    avg_nps_rating: null,
    min_nps_rating: null,
    max_nps_rating: null,
    days_since_last_event: null,
    n_features_used: null,
    n_product_areas_used: null,
    n_core_features_used: null,
    total_feature_clicks: null,
    total_feature_click_events: null,
    total_contacts: null,
    contacts_with_email: null,
    total_activities_30d: null,
    days_since_last_activity: null,
    total_won_amount: null,
    current_pipeline_amount: null,
    number_of_employees: null,
    annual_revenue: null,
    ...overrides,
  };
}
