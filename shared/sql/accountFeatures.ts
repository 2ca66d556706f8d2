import type { CvsConfig } from '../config/schema.ts';
import { addDays, checkDate } from '../dates.ts';
import { sqlDate, sqlString } from './literals.ts';

/**
 * The feature SQL: one row per Pendo account, written once in the SQL subset Athena (Trino) and DuckDB share —
 * doubles cast before division, `date_diff('day', a, b)`, date literals, no engine-only functions. It reads the
 * validated views named like the Glue tables (`pendo__*`, `salesforce__*`) and the one-row `cvs_sources` view the
 * validation step creates (which optional tables were present), so the SQL text does not change with the inputs.
 */

/**
 * The dates of a Salesforce account's activities: its tasks by `activity_date`, its events by
 * `coalesce(activity_date, activity_date_time)`. Columns: account_id (the Salesforce account), d (a date). Read by
 * the CRM features and by the trend grid's activity windows, so both count the same activities.
 */
export function crmActivityDatesSql(): string {
  return `SELECT account_id, cast(activity_date AS date) AS d FROM salesforce__task WHERE account_id IS NOT NULL
  UNION ALL
  SELECT account_id, cast(coalesce(activity_date, activity_date_time) AS date) AS d
  FROM salesforce__event WHERE account_id IS NOT NULL`;
}

/** Parameters the SQL depends on. */
export interface FeatureSqlParams {
  /** Run date, YYYY-MM-DD. */
  readonly asOf: string;
  readonly config: CvsConfig;
}

/**
 * Product breadth per account from visitor_feature. visitor_feature has no account_id, so clicks are attributed to
 * the visitor's current account (`pendo__visitor.account_id`); visitors absent from pendo__visitor are dropped here
 * and counted by the data-quality report.
 */
export function accountBreadthSql(): string {
  return `SELECT v.account_id,
    count(DISTINCT vf.feature_id) AS n_features_used,
    count(DISTINCT vf.product_area_id) AS n_product_areas_used,
    count(DISTINCT CASE WHEN f.is_core_event THEN vf.feature_id END) AS n_core_features_used,
    sum(vf.sum_clicks) AS total_feature_clicks,
    sum(vf.count_click_events) AS total_feature_click_events
  FROM pendo__visitor_feature vf
  JOIN pendo__visitor v
    ON v.visitor_id = vf.visitor_id AND coalesce(v.source_relation, '') = coalesce(vf.source_relation, '')
  LEFT JOIN pendo__feature f
    ON f.feature_id = vf.feature_id AND coalesce(f.source_relation, '') = coalesce(vf.source_relation, '')
  WHERE v.account_id IS NOT NULL
  GROUP BY v.account_id`;
}

/**
 * The account feature query (columns as in shared/features/columns.ts). Breadth comes from the view
 * `account_breadth` (columns of `accountBreadthSql()`), which validate-inputs creates over the weekly aggregate when
 * it matches the inputs, else as `accountBreadthSql()` itself.
 */
export function accountFeaturesSql({ asOf, config }: FeatureSqlParams): string {
  // account_keys.pendo_id is the account's Pendo id, NULL for a Salesforce-only account, so the Pendo tables join on
  // an equality alone: a join condition `k.in_pendo AND a.account_id = k.account_id` made DuckDB plan two
  // nested-loop joins (35 of the query's 40 s at 100,000 accounts).
  checkDate(asOf, 'as-of');
  const { linkColumn, activityWindowDays, sizeCutoffs, pipelineCategories } = config.crm;
  const asOfLit = sqlDate(asOf);
  const windowStart = sqlDate(addDays(asOf, -activityWindowDays));
  const categories = pipelineCategories.map((c) => sqlString(c.toLowerCase())).join(', ');
  const revenueDays = config.classifier.revenueWindowDays;
  const wonInWindow =
    revenueDays > 0
      ? `is_won AND cast(close_date AS date) > ${sqlDate(addDays(asOf, -revenueDays))} AND cast(close_date AS date) <= ${asOfLit}`
      : 'is_won';
  return `WITH src AS (SELECT * FROM cvs_sources),
contacts AS (
  SELECT account_id,
    count(*) AS total_contacts,
    count(CASE WHEN email IS NOT NULL AND trim(email) <> '' THEN 1 END) AS contacts_with_email
  FROM salesforce__contact WHERE account_id IS NOT NULL GROUP BY account_id
),
activity_dates AS (${crmActivityDatesSql()}),
activities AS (
  SELECT account_id,
    count(CASE WHEN d > ${windowStart} AND d <= ${asOfLit} THEN 1 END) AS total_activities_30d,
    max(CASE WHEN d <= ${asOfLit} THEN d END) AS last_activity_on
  FROM activity_dates GROUP BY account_id
),
opportunities AS (
  SELECT account_id,
    sum(CASE WHEN is_won AND (close_date IS NULL OR cast(close_date AS date) <= ${asOfLit})
        THEN coalesce(amount, 0) ELSE 0 END) AS total_won_amount,
    sum(CASE WHEN ${wonInWindow} THEN coalesce(amount, 0) ELSE 0 END) AS won_amount_window,
    sum(CASE WHEN NOT is_closed AND lower(forecast_category) IN (${categories})
        THEN coalesce(amount, 0) ELSE 0 END) AS current_pipeline_amount
  FROM salesforce__opportunity
  WHERE account_id IS NOT NULL AND (created_date IS NULL OR cast(created_date AS date) <= ${asOfLit})
  GROUP BY account_id
),
account_keys AS (
  SELECT account_id, ${linkColumn} AS link_id, true AS in_pendo, account_id AS pendo_id FROM pendo__account
  UNION ALL
  SELECT id AS account_id, id AS link_id, false AS in_pendo, cast(NULL AS varchar) AS pendo_id
  FROM salesforce__account
  WHERE id NOT IN (SELECT ${linkColumn} FROM pendo__account WHERE ${linkColumn} IS NOT NULL)
)
SELECT
  k.account_id,
  sf.id AS salesforce_account_id,
  sf.name AS account_name,
  sf.industry,
  CASE WHEN sf.id IS NULL THEN NULL
       WHEN sf.number_of_employees IS NULL THEN 'Unknown'
       WHEN sf.number_of_employees < ${sizeCutoffs.smallBelow} THEN 'Small Business'
       WHEN sf.number_of_employees < ${sizeCutoffs.midBelow} THEN 'Mid-Market'
       WHEN sf.number_of_employees < ${sizeCutoffs.largeBelow} THEN 'Large'
       ELSE 'Enterprise' END AS account_size_segment,
  cast(a.first_event_on AS varchar) AS first_event_on,
  cast(a.last_event_on AS varchar) AS last_event_on,
  cast(a.sum_minutes AS double) AS sum_minutes,
  cast(a.sum_events AS double) AS sum_events,
  cast(a.count_active_days AS double) AS count_active_days,
  cast(a.count_active_months AS double) AS count_active_months,
  CASE WHEN k.in_pendo THEN coalesce(cast(a.sum_minutes AS double) / nullif(a.count_active_days, 0), 0) END
    AS average_daily_minutes,
  CASE WHEN k.in_pendo THEN coalesce(cast(a.sum_events AS double) / nullif(a.count_active_days, 0), 0) END
    AS average_daily_events,
  cast(a.count_associated_visitors AS double) AS count_associated_visitors,
  cast(a.count_active_visitors AS double) AS count_active_visitors,
  cast(a.avg_nps_rating AS double) AS avg_nps_rating,
  cast(a.min_nps_rating AS double) AS min_nps_rating,
  cast(a.max_nps_rating AS double) AS max_nps_rating,
  cast(date_diff('day', a.last_event_on, ${asOfLit}) AS double) AS days_since_last_event,
  CASE WHEN k.in_pendo AND src.has_visitor_feature THEN cast(coalesce(b.n_features_used, 0) AS double) END
    AS n_features_used,
  CASE WHEN k.in_pendo AND src.has_visitor_feature THEN cast(coalesce(b.n_product_areas_used, 0) AS double) END
    AS n_product_areas_used,
  CASE WHEN k.in_pendo AND src.has_visitor_feature THEN cast(coalesce(b.n_core_features_used, 0) AS double) END
    AS n_core_features_used,
  CASE WHEN k.in_pendo AND src.has_visitor_feature THEN cast(coalesce(b.total_feature_clicks, 0) AS double) END
    AS total_feature_clicks,
  CASE WHEN k.in_pendo AND src.has_visitor_feature
       THEN cast(coalesce(b.total_feature_click_events, 0) AS double) END AS total_feature_click_events,
  CASE WHEN sf.id IS NOT NULL AND src.has_contact THEN cast(coalesce(c.total_contacts, 0) AS double) END
    AS total_contacts,
  CASE WHEN sf.id IS NOT NULL AND src.has_contact THEN cast(coalesce(c.contacts_with_email, 0) AS double) END
    AS contacts_with_email,
  CASE WHEN sf.id IS NOT NULL AND (src.has_task OR src.has_event)
       THEN cast(coalesce(act.total_activities_30d, 0) AS double) END AS total_activities_30d,
  cast(date_diff('day', act.last_activity_on, ${asOfLit}) AS double) AS days_since_last_activity,
  CASE WHEN sf.id IS NOT NULL AND src.has_opportunity THEN coalesce(o.total_won_amount, 0) END
    AS total_won_amount,
  CASE WHEN sf.id IS NOT NULL AND src.has_opportunity THEN coalesce(o.current_pipeline_amount, 0) END
    AS current_pipeline_amount,
  CASE WHEN sf.id IS NOT NULL AND src.has_opportunity THEN coalesce(o.won_amount_window, 0) END
    AS won_amount_window,
  cast(sf.number_of_employees AS double) AS number_of_employees,
  cast(sf.annual_revenue AS double) AS annual_revenue,
  sf.id IS NOT NULL AS has_crm,
  k.in_pendo AS has_product
FROM account_keys k
CROSS JOIN src
LEFT JOIN pendo__account a ON a.account_id = k.pendo_id
LEFT JOIN account_breadth b ON b.account_id = k.pendo_id
LEFT JOIN salesforce__account sf ON sf.id = k.link_id
LEFT JOIN contacts c ON c.account_id = sf.id
LEFT JOIN activities act ON act.account_id = sf.id
LEFT JOIN opportunities o ON o.account_id = sf.id
ORDER BY k.account_id`;
}
