import { createHash } from 'node:crypto';
import type { DataQualityReport } from '../contract/dataQuality.ts';
import type { ObjectStore, QueryEngine } from '../ports/index.ts';
import { accountBreadthSql } from '../sql/accountFeatures.ts';
import { sqlString } from '../sql/literals.ts';

/**
 * The weekly breadth aggregate (product breadth per account from visitor_feature, the heaviest GROUP BY) and how the
 * daily job decides whether it may use it. The weekly job publishes the result of `accountBreadthSql()` with a sidecar
 * naming the SHA-256 of every visitor_feature / visitor / feature input file and of the SQL text; validate-inputs then
 * creates the view `account_breadth` over the published file only when the sidecar matches the current inputs, and
 * as the inline `accountBreadthSql()` otherwise, so scores are never built on a stale aggregate. The feature SQL
 * reads `account_breadth` either way, so its text is the same in both runtimes.
 */

/** Run-folder key of the weekly account-breadth query result. */
export const BREADTH_RESULT_KEY = 'parts/breadth.csv';

/**
 * Output-store key of the published aggregate. It sits alone in its folder because an Athena table's LOCATION is a
 * folder: the sidecar must not be read as data.
 */
export const BREADTH_AGGREGATE_KEY = 'aggregates/account_breadth/account_breadth.csv';

/** Output-store key of the aggregate's sidecar (as-of, input hashes, SQL hash, rows). */
export const BREADTH_SIDECAR_KEY = 'aggregates/account_breadth.json';

/** The data-quality report tables the aggregate is built from. */
export const BREADTH_INPUT_TABLES = [
  'pendo/pendo__visitor_feature',
  'pendo/pendo__visitor',
  'pendo/pendo__feature',
] as const;

/** Columns of the aggregate, in the order `accountBreadthSql()` returns them; all but account_id are bigint counts. */
export const BREADTH_COLUMNS = [
  'account_id',
  'n_features_used',
  'n_product_areas_used',
  'n_core_features_used',
  'total_feature_clicks',
  'total_feature_click_events',
] as const;

/** Name of the Athena table over the published aggregate folder (the view `account_breadth` casts its text). */
export const PUBLISHED_BREADTH_TABLE = 'cvs_account_breadth_published';

/** One input file the aggregate depends on (key relative to the input root, lower-case hex SHA-256). */
export interface BreadthInputFile {
  readonly table: string;
  readonly key: string;
  readonly sha256: string;
}

/** The sidecar JSON of the published aggregate. */
export interface BreadthSidecar {
  /** As-of date of the weekly run that built it, YYYY-MM-DD. */
  readonly asOf: string;
  readonly runId: string;
  /** ISO timestamp of publication. */
  readonly publishedAt: string;
  /** SHA-256 of the `accountBreadthSql()` text it was built with. */
  readonly sqlSha256: string;
  /** Data rows in the aggregate (accounts with at least one attributed click). */
  readonly rows: number;
  /** The input files, sorted by table then key. */
  readonly inputs: readonly BreadthInputFile[];
  /** True while a publication is in progress (written before the CSV, replaced after it). */
  readonly publishing?: boolean;
}

/** How validate-inputs built `account_breadth`: from the published aggregate, or inline, with the reason. */
export interface BreadthChoice {
  readonly source: 'aggregate' | 'inline';
  readonly reason: string;
}

/** SHA-256 of the breadth SQL text (a changed query invalidates every published aggregate). */
export function breadthSqlSha256(): string {
  return createHash('sha256').update(accountBreadthSql()).digest('hex');
}

/** The breadth input files of a data-quality report (absent tables contribute none), sorted by table then key. */
export function breadthInputs(report: Pick<DataQualityReport, 'tables'>): BreadthInputFile[] {
  return BREADTH_INPUT_TABLES.flatMap((table) =>
    (report.tables[table]?.files ?? []).map((f) => ({ table, key: f.key, sha256: f.sha256 })),
  ).sort((a, b) =>
    a.table === b.table ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.table < b.table ? -1 : 1,
  );
}

/** Why the sidecar does not fit the current inputs, or null when the aggregate may be used. */
export function staleReason(
  sidecar: BreadthSidecar | null,
  current: readonly BreadthInputFile[],
): string | null {
  if (!sidecar) return 'no published aggregate';
  if (sidecar.publishing) return 'aggregate publication incomplete';
  if (sidecar.sqlSha256 !== breadthSqlSha256()) return 'aggregate built with another breadth SQL';
  const a = JSON.stringify(sidecar.inputs.map((f) => [f.table, f.key, f.sha256]));
  const b = JSON.stringify(current.map((f) => [f.table, f.key, f.sha256]));
  return a === b ? null : `aggregate of ${sidecar.asOf} was built from other input files`;
}

/** The published sidecar, or null when there is none or it cannot be read as JSON. */
export async function readBreadthSidecar(output: ObjectStore): Promise<BreadthSidecar | null> {
  if (!(await output.exists(BREADTH_SIDECAR_KEY))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(await output.get(BREADTH_SIDECAR_KEY)).toString('utf8'));
    return Array.isArray(parsed?.inputs) ? (parsed as BreadthSidecar) : null;
  } catch {
    return null;
  }
}

/** CREATE VIEW account_breadth as the inline aggregate over the validated views (portable SQL). */
export function inlineBreadthViewSql(): string {
  return `CREATE OR REPLACE VIEW account_breadth AS ${accountBreadthSql()}`;
}

/**
 * The statements creating `account_breadth` over the published CSV at `location` (the output store's `locate` of
 * BREADTH_AGGREGATE_KEY). Opening a file is engine-specific, the one place this module is: an `s3://` location
 * gets an Athena external table over its folder (OpenCSVSerde, header skipped); a local path a DuckDB `read_csv`
 * with the columns fixed. The view on top is the same portable SQL, text cast to bigint, blank as NULL.
 */
export function publishedBreadthViewSql(location: string): string[] {
  const casts = BREADTH_COLUMNS.map((c) =>
    c === 'account_id' ? c : `try_cast(nullif(trim(${c}), '') AS bigint) AS ${c}`,
  ).join(', ');
  if (location.startsWith('s3://')) {
    const folder = location.slice(0, location.lastIndexOf('/') + 1);
    const cols = BREADTH_COLUMNS.map((c) => `\`${c}\` string`).join(', ');
    return [
      `DROP TABLE IF EXISTS \`${PUBLISHED_BREADTH_TABLE}\``,
      `CREATE EXTERNAL TABLE \`${PUBLISHED_BREADTH_TABLE}\` (${cols})
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
LOCATION ${sqlString(folder)} TBLPROPERTIES ('skip.header.line.count'='1')`,
      `CREATE OR REPLACE VIEW account_breadth AS SELECT ${casts} FROM ${PUBLISHED_BREADTH_TABLE}`,
    ];
  }
  const struct = BREADTH_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ');
  const reader =
    `read_csv(${sqlString(location)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
    `escape = '"', columns = {${struct}})`;
  return [`CREATE OR REPLACE VIEW account_breadth AS SELECT ${casts} FROM ${reader}`];
}

/**
 * Creates the view `account_breadth` for this run: over the published aggregate when its sidecar matches the report's
 * breadth input files and SQL, otherwise inline. Call after the validated views exist.
 */
export async function createBreadthView(
  report: Pick<DataQualityReport, 'tables'>,
  output: ObjectStore,
  engine: QueryEngine,
): Promise<BreadthChoice> {
  const sidecar = await readBreadthSidecar(output);
  const stale = staleReason(sidecar, breadthInputs(report));
  if (stale === null && (await output.exists(BREADTH_AGGREGATE_KEY))) {
    for (const sql of publishedBreadthViewSql(output.locate(BREADTH_AGGREGATE_KEY)))
      await engine.execute(sql);
    return {
      source: 'aggregate',
      reason: `weekly aggregate of ${sidecar?.asOf} matches the inputs`,
    };
  }
  await engine.execute(inlineBreadthViewSql());
  return { source: 'inline', reason: stale ?? 'published aggregate file missing' };
}
