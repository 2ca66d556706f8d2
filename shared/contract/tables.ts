/**
 * The input contract: every table CVS reads, with its real column names, Athena (Trino) types, which columns a run
 * needs, value ranges and the key that makes a row unique. Source: ../shared/input-contract.md (dbt_pendo v1.4.0,
 * dbt_salesforce v2.1.0). The sample generator, the validation SQL and the Glue tables are all built from this list.
 */

/** Athena / Trino logical types used by the contract. */
export type ColumnType =
  | 'varchar'
  | 'bigint'
  | 'integer'
  | 'double'
  | 'boolean'
  | 'date'
  | 'timestamp';

/** One column of an input table. */
export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** The run stops when a required column is missing from a file's header. */
  readonly required?: boolean;
  /** A NULL (empty) value is a quarantine reason when false. @default true */
  readonly nullable?: boolean;
  /** Inclusive lower bound for numeric columns; a smaller value is quarantined. */
  readonly min?: number;
  /** Inclusive upper bound for numeric columns; a larger value is quarantined. */
  readonly max?: number;
  /** A value made only of blanks is treated as NULL (Salesforce picklists and ids). @default true */
  readonly blankIsNull?: boolean;
}

/** Which export a table belongs to; each source is optional, at least one is required. */
export type SourceName = 'pendo' | 'salesforce';

/** One input table: the folder `DIR/<source>/<name>/` holds its CSV or Parquet files. */
export interface TableDef {
  readonly source: SourceName;
  readonly name: string;
  /** One-line description of the grain. */
  readonly grain: string;
  readonly columns: readonly ColumnDef[];
  /** Columns whose combination must be unique; later duplicates are quarantined. */
  readonly key: readonly string[];
  /** Rows with `is_deleted = true` (and `_fivetran_active = false`) are dropped, counted, not quarantined. */
  readonly softDelete?: boolean;
  /** The run can go on without this table (its scores are skipped with a note). */
  readonly optional?: boolean;
}

const v = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'varchar',
  ...extra,
});
const b = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'bigint',
  min: 0,
  ...extra,
});
const d = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'double',
  ...extra,
});
const ts = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'timestamp',
  ...extra,
});
const dt = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'date',
  ...extra,
});
const bool = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'boolean',
  ...extra,
});
const req = { required: true } as const;
const key = { required: true, nullable: false } as const;
const nps = { type: 'integer', min: 0, max: 10 } as const;

/** pendo__account: one row per (source_relation, account_id), latest account_history row. */
export const pendoAccount: TableDef = {
  source: 'pendo',
  name: 'pendo__account',
  grain: 'one row per (source_relation, account_id)',
  key: ['source_relation', 'account_id'],
  columns: [
    v('source_relation'),
    v('account_id', key),
    ts('last_updated_at'),
    b('account_id_hash', { max: 4_294_967_295 }),
    ts('first_visit_at'),
    ts('last_visit_at'),
    ts('_fivetran_synced'),
    b('latest_account_index'),
    v('agent_name'),
    v('agent_planlevel'),
    v('agent_is_paying'),
    v('agent_salesforceaccountid'),
    b('count_associated_visitors', req),
    { name: 'min_nps_rating', ...nps, required: true },
    { name: 'max_nps_rating', ...nps, required: true },
    d('avg_nps_rating', { required: true, min: 0, max: 10 }),
    b('count_active_visitors', req),
    b('count_page_viewing_visitors'),
    b('count_feature_clicking_visitors'),
    b('count_active_days', req),
    b('count_active_months', req),
    b('sum_minutes', req),
    b('sum_events', req),
    b('count_event_records'),
    d('average_daily_minutes', { required: true, min: 0 }),
    d('average_daily_events', { required: true, min: 0 }),
    dt('first_event_on', req),
    dt('last_event_on', req),
  ],
};

/** pendo__visitor: one row per (source_relation, visitor_id); visitor ids are case-sensitive. */
export const pendoVisitor: TableDef = {
  source: 'pendo',
  name: 'pendo__visitor',
  grain: 'one row per (source_relation, visitor_id)',
  key: ['source_relation', 'visitor_id'],
  columns: [
    v('source_relation'),
    v('visitor_id', { ...key, blankIsNull: false }),
    v('account_id', req),
    ts('first_visit_at'),
    b('visitor_id_hash', { max: 4_294_967_295 }),
    v('last_browser_name'),
    v('last_browser_version'),
    v('last_operating_system'),
    v('last_server_name'),
    ts('last_updated_at'),
    v('last_user_agent'),
    ts('last_visit'),
    v('n_id'),
    ts('_fivetran_synced'),
    b('latest_visitor_index'),
    v('agent_email'),
    b('count_associated_accounts'),
    { name: 'latest_nps_rating', ...nps },
    b('count_active_days'),
    b('count_active_months'),
    b('sum_minutes'),
    b('sum_events'),
    b('count_event_records'),
    d('average_daily_minutes', { min: 0 }),
    d('average_daily_events', { min: 0 }),
    dt('first_event_on'),
    dt('last_event_on'),
  ],
};

/** pendo__feature: one row per (source_relation, feature_id), including never-clicked features. */
export const pendoFeature: TableDef = {
  source: 'pendo',
  name: 'pendo__feature',
  grain: 'one row per (source_relation, feature_id)',
  key: ['source_relation', 'feature_id'],
  columns: [
    v('source_relation'),
    v('feature_id', key),
    v('app_id'),
    ts('created_at'),
    v('created_by_user_id'),
    bool('is_dirty'),
    v('group_id'),
    bool('is_core_event', req),
    ts('last_updated_at'),
    v('last_updated_by_user_id'),
    v('feature_name'),
    v('page_id'),
    v('root_version_id'),
    v('stable_version_id'),
    ts('valid_through'),
    ts('_fivetran_synced'),
    v('product_area_name'),
    v('page_name'),
    ts('page_created_at'),
    ts('page_valid_through'),
    v('app_display_name'),
    v('app_platform'),
    v('created_by_user_full_name'),
    v('created_by_user_username'),
    v('last_updated_by_user_full_name'),
    v('last_updated_by_user_username'),
    b('count_visitors'),
    b('count_accounts'),
    b('sum_clicks'),
    b('count_click_events'),
    ts('first_click_at'),
    ts('last_click_at'),
    d('avg_visitor_minutes', { min: 0 }),
    d('avg_visitor_events', { min: 0 }),
  ],
};

/** pendo__visitor_feature: one row per (source_relation, visitor_id, feature_id); no account_id column. */
export const pendoVisitorFeature: TableDef = {
  source: 'pendo',
  name: 'pendo__visitor_feature',
  grain: 'one row per (source_relation, visitor_id, feature_id)',
  key: ['source_relation', 'visitor_id', 'feature_id'],
  columns: [
    v('source_relation'),
    v('visitor_id', { ...key, blankIsNull: false }),
    v('feature_id', key),
    v('feature_name'),
    v('product_area_id', req),
    v('product_area_name'),
    ts('first_click_at'),
    ts('last_click_at'),
    b('sum_clicks', req),
    b('sum_minutes'),
    d('avg_daily_minutes', { min: 0 }),
    b('count_active_days'),
    b('count_click_events', req),
  ],
};

/** pendo__account_daily_metrics: one row per (source_relation, account_id, date_day); inactive days are NULL. */
export const pendoAccountDailyMetrics: TableDef = {
  source: 'pendo',
  name: 'pendo__account_daily_metrics',
  grain: 'one row per (source_relation, account_id, date_day)',
  key: ['source_relation', 'account_id', 'date_day'],
  optional: true,
  columns: [
    v('source_relation'),
    dt('date_day', key),
    v('account_id', req),
    b('count_active_visitors', req),
    b('sum_minutes', req),
    b('sum_events', req),
    b('count_event_records'),
    b('count_pages_viewed'),
    b('count_features_clicked', req),
    b('count_page_viewing_visitors'),
    b('count_feature_clicking_visitors'),
  ],
};

const sfDeleted = [bool('is_deleted'), bool('_fivetran_active')];

/** Salesforce account: one row per id. */
export const sfAccount: TableDef = {
  source: 'salesforce',
  name: 'account',
  grain: 'one row per Salesforce account id',
  key: ['id'],
  softDelete: true,
  columns: [
    v('id', key),
    v('name', req),
    v('industry', req),
    { name: 'number_of_employees', type: 'integer', min: 0, required: true },
    d('annual_revenue', { required: true, min: 0 }),
    v('type'),
    v('rating'),
    v('account_source'),
    v('owner_id'),
    v('parent_id'),
    ts('last_activity_date'),
    v('billing_country'),
    v('billing_state'),
    v('billing_city'),
    v('website'),
    ...sfDeleted,
    ts('_fivetran_synced'),
  ],
};

/** Salesforce contact: one row per id; e-mail is personal data and is never logged. */
export const sfContact: TableDef = {
  source: 'salesforce',
  name: 'contact',
  grain: 'one row per Salesforce contact id',
  key: ['id'],
  softDelete: true,
  optional: true,
  columns: [
    v('id', key),
    v('account_id', req),
    v('email', req),
    v('first_name'),
    v('last_name'),
    v('name'),
    v('title'),
    v('department'),
    v('lead_source'),
    ts('last_activity_date'),
    v('owner_id'),
    ...sfDeleted,
  ],
};

/** Salesforce opportunity: one row per id; amount is often NULL. */
export const sfOpportunity: TableDef = {
  source: 'salesforce',
  name: 'opportunity',
  grain: 'one row per Salesforce opportunity id',
  key: ['id'],
  softDelete: true,
  optional: true,
  columns: [
    v('id', key),
    v('account_id', req),
    d('amount', { required: true, min: 0 }),
    v('stage_name'),
    bool('is_closed', req),
    bool('is_won', req),
    ts('close_date'),
    ts('created_date'),
    v('forecast_category', req),
    v('forecast_category_name'),
    d('probability', { min: 0, max: 100 }),
    d('expected_revenue'),
    v('type'),
    v('owner_id'),
    v('lead_source'),
    { name: 'fiscal_year', type: 'integer' },
    { name: 'fiscal_quarter', type: 'integer', min: 1, max: 4 },
    ...sfDeleted,
  ],
};

/** Salesforce task: one row per id; activity_date is a due date and can be in the future. */
export const sfTask: TableDef = {
  source: 'salesforce',
  name: 'task',
  grain: 'one row per Salesforce task id',
  key: ['id'],
  softDelete: true,
  optional: true,
  columns: [
    v('id', key),
    v('account_id', req),
    ts('activity_date', req),
    ts('completed_date_time'),
    ts('created_date'),
    v('status'),
    bool('is_closed'),
    v('type'),
    v('task_subtype'),
    v('subject'),
    v('who_id'),
    v('what_id'),
    { name: 'call_duration_in_seconds', type: 'integer', min: 0 },
    v('owner_id'),
    ...sfDeleted,
  ],
};

/** Salesforce event: one row per id; all-day events have activity_date, timed ones activity_date_time. */
export const sfEvent: TableDef = {
  source: 'salesforce',
  name: 'event',
  grain: 'one row per Salesforce event id',
  key: ['id'],
  softDelete: true,
  optional: true,
  columns: [
    v('id', key),
    v('account_id', req),
    ts('activity_date', req),
    ts('activity_date_time', req),
    ts('start_date_time'),
    ts('end_date_time'),
    v('type'),
    v('event_subtype'),
    v('subject'),
    v('who_id'),
    v('what_id'),
    v('owner_id'),
    ts('created_date'),
    ...sfDeleted,
  ],
};

/** Every input table, Pendo first; the order is the order of validation and of the data-quality report. */
export const TABLES: readonly TableDef[] = [
  pendoAccount,
  pendoVisitor,
  pendoFeature,
  pendoVisitorFeature,
  pendoAccountDailyMetrics,
  sfAccount,
  sfContact,
  sfOpportunity,
  sfTask,
  sfEvent,
];

/** The table definition by source and name; throws when the contract has no such table. */
export function tableDef(source: SourceName, name: string): TableDef {
  const found = TABLES.find((t) => t.source === source && t.name === name);
  if (!found) throw new Error(`no table ${source}/${name} in the input contract`);
  return found;
}

/** The core tables a source needs to be scored at all; the others are optional. */
export const CORE_TABLES: Record<SourceName, string> = {
  pendo: 'pendo__account',
  salesforce: 'account',
};
