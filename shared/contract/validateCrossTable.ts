import type { QueryEngine } from '../ports/index.ts';
import { sqlString } from '../sql/literals.ts';
import { quoteIdent } from './validationSql.ts';

/** One cross-table count: its report key and a portable scalar subquery over the clean views. */
export interface CrossTableCheck {
  readonly key: string;
  readonly sql: string;
}

/** What the cross-table checks need to know about the run. */
export interface CrossTableInput {
  /** Clean views that exist with rows from files (`pendo__visitor`, `salesforce__account`, ...). */
  readonly present: ReadonlySet<string>;
  /** Columns of the pendo__account clean view (contract and extra). */
  readonly accountColumns: readonly string[];
  /** pendo__account column holding the Salesforce Account.Id. */
  readonly linkColumn: string;
  /** Scoring date, YYYY-MM-DD. */
  readonly asOf: string;
}

const sameRelation = (a: string, b: string): string =>
  `coalesce(${a}.source_relation, '') = coalesce(${b}.source_relation, '')`;

/** Count of distinct (source_relation, id) in `child` with no row of that id in `parent`. */
function orphans(child: string, parent: string, childCol: string, parentCol: string): string {
  return (
    `(SELECT count(*) FROM (SELECT DISTINCT source_relation, ${childCol} FROM ${child} WHERE ${childCol} IS NOT NULL) c ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.${parentCol} = c.${childCol} AND ${sameRelation('p', 'c')}))`
  );
}

/**
 * The cross-table checks that apply to the present views: Pendo orphans (visitor_feature visitors / features,
 * daily-metrics accounts and NULL-account rows), the Pendo -> Salesforce link (empty, or not a Salesforce account),
 * Salesforce rows whose account_id is NULL or unknown, tasks due after the as-of date. Portable SQL.
 */
export function crossTableChecks(input: CrossTableInput): {
  checks: CrossTableCheck[];
  notes: string[];
} {
  const has = (v: string): boolean => input.present.has(v);
  const checks: CrossTableCheck[] = [];
  const notes: string[] = [];
  if (has('pendo__visitor_feature') && has('pendo__visitor')) {
    checks.push({
      key: 'visitor_feature_visitors_not_in_visitor',
      sql: orphans('pendo__visitor_feature', 'pendo__visitor', 'visitor_id', 'visitor_id'),
    });
  }
  if (has('pendo__visitor_feature') && has('pendo__feature')) {
    checks.push({
      key: 'visitor_feature_features_not_in_feature',
      sql: orphans('pendo__visitor_feature', 'pendo__feature', 'feature_id', 'feature_id'),
    });
  }
  if (has('pendo__account_daily_metrics') && has('pendo__account')) {
    checks.push({
      key: 'daily_metrics_accounts_not_in_account',
      sql: orphans('pendo__account_daily_metrics', 'pendo__account', 'account_id', 'account_id'),
    });
    checks.push({
      key: 'daily_metrics_rows_null_account',
      sql: '(SELECT count(*) FROM pendo__account_daily_metrics WHERE account_id IS NULL)',
    });
  }
  if (has('pendo__account')) {
    const link = quoteIdent(input.linkColumn);
    if (!input.accountColumns.includes(input.linkColumn)) {
      notes.push(
        `pendo__account has no column ${input.linkColumn} (crm.linkColumn): no Pendo account is linked to Salesforce`,
      );
      checks.push({
        key: 'pendo_accounts_without_crm_link',
        sql: '(SELECT count(*) FROM pendo__account)',
      });
    } else {
      checks.push({
        key: 'pendo_accounts_without_crm_link',
        sql: `(SELECT count(*) FROM pendo__account WHERE ${link} IS NULL OR trim(${link}) = '')`,
      });
      if (has('salesforce__account')) {
        checks.push({
          key: 'pendo_accounts_crm_link_not_found',
          sql:
            `(SELECT count(*) FROM pendo__account a WHERE trim(a.${link}) <> '' AND NOT EXISTS ` +
            `(SELECT 1 FROM salesforce__account s WHERE s.id = trim(a.${link})))`,
        });
      }
    }
  }
  for (const name of ['contact', 'opportunity', 'task', 'event']) {
    const view = `salesforce__${name}`;
    if (!has(view)) continue;
    checks.push({
      key: `salesforce_${name}_without_account`,
      sql: `(SELECT count(*) FROM ${view} WHERE account_id IS NULL)`,
    });
    if (has('salesforce__account')) {
      checks.push({
        key: `salesforce_${name}_account_not_found`,
        sql:
          `(SELECT count(*) FROM ${view} x WHERE x.account_id IS NOT NULL AND NOT EXISTS ` +
          '(SELECT 1 FROM salesforce__account a WHERE a.id = x.account_id))',
      });
    }
  }
  if (has('salesforce__task')) {
    checks.push({
      key: 'salesforce_task_future_dated',
      sql: `(SELECT count(*) FROM salesforce__task WHERE cast(activity_date AS date) > DATE ${sqlString(input.asOf)})`,
    });
  }
  return { checks, notes };
}

/** Runs the checks in one query and returns count per key (empty when there is none). */
export async function runCrossTableChecks(
  engine: QueryEngine,
  checks: readonly CrossTableCheck[],
): Promise<Record<string, number>> {
  if (checks.length === 0) return {};
  const [row] = await engine.query(
    `SELECT ${checks.map((c) => `${c.sql} AS ${c.key}`).join(',\n  ')}`,
  );
  return Object.fromEntries(checks.map((c) => [c.key, Number(row?.[c.key] ?? 0)]));
}
