import type { RawFileSpec } from '../ports/index.ts';
import { sqlString } from '../sql/literals.ts';
import { quoteIdent } from './validationSql.ts';

/**
 * The raw relation of a table in DuckDB (`DuckDbEngine.rawRelation`; Athena reads the Glue tables instead, see
 * `athenaRawRelation.ts`): one SELECT per file, UNION ALL, every
 * column as VARCHAR (NULL when the file lacks it), `_file` (the key relative to the input root) and `_row`.
 *
 * For Parquet `_row` is the 1-based row number (`file_row_number` + 1). For CSV `_row` is NULL in the relation: a
 * row number computed while reading (`WITH ORDINALITY`, `row_number() OVER ()`) is an order-preserving streaming
 * window that runs the whole read on one thread (measured: 133 s instead of about half that for 28.8 M rows on 2
 * cores). The numbers are given afterwards, only to the rows that need them, by `numberCsvRowsSql` over the stored
 * table: DuckDB stores the rows of `CREATE TABLE AS SELECT` over a UNION ALL of file scans in the files' order
 * (the documented insertion-order preservation, `preserve_insertion_order = true`, the default), so a row's
 * `rowid` minus the smallest `rowid` of its file is its record's position. `_row` is then the record's row as a
 * spreadsheet shows it: the header is row 1, the first data row is row 2; a quoted value spanning lines still counts
 * as one row, DuckDB skips blank lines, so they are not counted, and records read_csv rejects are not counted
 * (`rejectsSql` gives their shift).
 */
export function rawRelationSql(
  layouts: readonly RawFileSpec[],
  columns: readonly string[],
  locate: (key: string) => string,
  rejects?: RejectTables,
): string {
  if (layouts.length === 0) {
    const cols = columns.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`);
    return `SELECT ${[...cols, 'CAST(NULL AS VARCHAR) AS _file', 'CAST(NULL AS BIGINT) AS _row'].join(', ')} WHERE 1 = 0`;
  }
  return layouts
    .map((l) => fileSelectSql(l, columns, locate(l.key), rejects))
    .join('\nUNION ALL\n');
}

/** The SELECT of one file for the raw relation. */
export function fileSelectSql(
  layout: RawFileSpec,
  columns: readonly string[],
  path: string,
  rejects?: RejectTables,
): string {
  const cols = columns.map((c) => {
    const phys = (layout.columns[c] ?? []).map((p) => `CAST(${quoteIdent(p)} AS VARCHAR)`);
    const value =
      phys.length === 0
        ? 'CAST(NULL AS VARCHAR)'
        : phys.length === 1
          ? phys[0]
          : `coalesce(${phys.join(', ')})`;
    return `${value} AS ${quoteIdent(c)}`;
  });
  const file = `${sqlString(layout.key)} AS _file`;
  if (layout.format === 'parquet') {
    const from = `read_parquet(${sqlString(path)}, file_row_number = true)`;
    return `SELECT ${[...cols, file, 'CAST(file_row_number + 1 AS BIGINT) AS _row'].join(', ')} FROM ${from}`;
  }
  return `SELECT ${[...cols, file, 'CAST(NULL AS BIGINT) AS _row'].join(', ')} FROM ${csvReader(layout, path, rejects)}`;
}

/**
 * read_csv of one file with a fixed dialect and positional VARCHAR columns `c0..c<width-1>`, no sniffing; a file
 * ending in `.gz` or `.zst` is decompressed (DuckDB picks the compression from the extension). With `rejects`, a
 * record DuckDB cannot parse (too few or too many fields, an unterminated quote, invalid UTF-8, a line over 2 MB) is
 * skipped and stored in the rejects tables instead of failing the read.
 */
export function csvReader(
  layout: Pick<RawFileSpec, 'width'>,
  path: string,
  rejects?: RejectTables,
): string {
  const struct = Array.from({ length: layout.width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const store = rejects
    ? `, store_rejects = true, rejects_table = ${sqlString(rejects.errors)}, rejects_scan = ${sqlString(rejects.scans)}`
    : '';
  return (
    `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
    `escape = '"', columns = {${struct}}${store})`
  );
}

/**
 * The UPDATE giving `_row` to the rows of CSV files (those with a NULL `_row`) of a table stored from the raw
 * relation: `rowid` - the file's first `rowid` + 2. With `onlyFlagged`, only rows with a `_reason` are numbered (all
 * that the quarantine file shows); run it once per stored table, before any of its rows has a number.
 */
export function numberCsvRowsSql(table: string, onlyFlagged: boolean): string {
  return [
    `UPDATE ${table} AS cvs_v SET _row = cvs_v.rowid - cvs_s.cvs_first + 2`,
    `FROM (SELECT _file AS cvs_file, min(rowid) AS cvs_first FROM ${table} WHERE _row IS NULL GROUP BY _file) cvs_s`,
    `WHERE cvs_v._row IS NULL AND cvs_v._file = cvs_s.cvs_file${onlyFlagged ? ' AND cvs_v._reason IS NOT NULL' : ''}`,
  ].join('\n');
}

/**
 * The statement giving `_row` to the rows of CSV files of a relation stored by `DuckDbEngine.storeRows` (a view over
 * the Parquet file `file`, written in the raw relation's order): it redefines the view `name` with `_row` = the
 * row's position in the Parquet file (`file_row_number`) - the file's first position + 2, as numberCsvRowsSql does
 * with `rowid`. Every row is numbered, when it is read (the positions of a file's rows are its first position and
 * the ones after it); rows with a `_row` already (Parquet inputs) keep it.
 */
export function numberStoredCsvRowsSql(name: string, file: string): string {
  const rows = `read_parquet(${sqlString(file)}, file_row_number = true)`;
  return [
    `CREATE OR REPLACE VIEW ${name} AS`,
    'SELECT cvs_p.* EXCLUDE (file_row_number) REPLACE (coalesce(cvs_p._row, cvs_p.file_row_number - cvs_s.cvs_first + 2) AS _row)',
    `FROM ${rows} cvs_p`,
    `LEFT JOIN (SELECT _file AS cvs_file, min(file_row_number) AS cvs_first FROM ${rows} WHERE _row IS NULL GROUP BY _file) cvs_s`,
    '  ON cvs_p._file = cvs_s.cvs_file',
  ].join('\n');
}

/** DuckDB's two temporary tables of rejected CSV records (read_csv `rejects_table` / `rejects_scan`). */
export interface RejectTables {
  readonly errors: string;
  readonly scans: string;
}

/** The rejects tables of one table's read, by its view name. */
export function rejectTables(view: string): RejectTables {
  return { errors: `cvs_rejects_${view}`, scans: `cvs_reject_scans_${view}` };
}

/** Longest raw text kept for a rejected record (an unterminated quote can swallow the rest of a file). */
export const MAX_RAW_CHARS = 10_000;

/** Each DuckDB error type, by priority, and its reason category. */
const REJECT_CATEGORIES: readonly (readonly [string, string])[] = [
  ['UNQUOTED VALUE', 'unterminated quote'],
  ['INVALID ENCODING', 'invalid UTF-8'],
  ['LINE SIZE OVER MAXIMUM', 'line too long'],
  ['TOO MANY COLUMNS', 'too many fields'],
  ['MISSING COLUMNS', 'too few fields'],
];

/**
 * SELECT of the records DuckDB rejected while reading the files (run after the read): one row per record with
 * `_file` (input key), `_row` (DuckDB's line of the record: the header is 1, a value spanning lines counts once),
 * `_categories` (one category, the first of REJECT_CATEGORIES that applies), `_reason`, `_raw` (the record as
 * written, at most MAX_RAW_CHARS) and `_shift` (`_row` minus the rejected records before it in the file; a valid
 * row counted without the rejected ones comes after this record when its count is at least `_shift`).
 */
export function rejectsSql(
  tables: RejectTables,
  files: readonly { key: string; path: string }[],
): string {
  const keyOf =
    files.length === 0
      ? 'CAST(NULL AS VARCHAR)'
      : `CASE s.file_path ${files.map((f) => `WHEN ${sqlString(f.path)} THEN ${sqlString(f.key)}`).join(' ')} END`;
  const rank = `CASE e.error_type ${REJECT_CATEGORIES.map(([t], i) => `WHEN ${sqlString(t)} THEN ${i}`).join(' ')} ELSE ${REJECT_CATEGORIES.length} END`;
  const category = `CASE min(cvs_rank) ${REJECT_CATEGORIES.map(([, c], i) => `WHEN ${i} THEN ${sqlString(c)}`).join(' ')} ELSE 'unreadable record' END`;
  return [
    'SELECT _file, _row, _categories, _reason, _raw,',
    '  _row - row_number() OVER (PARTITION BY _file ORDER BY _row) + 1 AS _shift',
    'FROM (',
    `  SELECT _file, _row, ${category} AS _categories,`,
    `    ${category} || ': ' || arg_min(cvs_message, cvs_rank) AS _reason,`,
    `    substr(arg_min(cvs_raw, cvs_rank), 1, ${MAX_RAW_CHARS}) AS _raw`,
    '  FROM (',
    `    SELECT ${keyOf} AS _file, CAST(e.line AS BIGINT) AS _row, ${rank} AS cvs_rank,`,
    '      e.error_message AS cvs_message, e.csv_line AS cvs_raw',
    `    FROM ${tables.errors} e JOIN ${tables.scans} s ON e.scan_id = s.scan_id AND e.file_id = s.file_id`,
    '  ) cvs_e GROUP BY _file, _row',
    ') cvs_g',
  ].join('\n');
}
