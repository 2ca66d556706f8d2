import { sqlString } from '../sql/literals.ts';
import type { ColumnDef, ColumnType, TableDef } from './tables.ts';

/**
 * The validation SQL, built from the contract. Portable on purpose (Athena / Trino and DuckDB): only `try_cast`,
 * `CASE`, `row_number() over (...)`, `lower`, `trim`, `replace`, `floor`, `substr`, `concat_ws`, `nullif`, `||`,
 * and Trino's `regexp_like` (a macro in DuckDbEngine).
 * It reads a raw relation whose contract columns are all text, plus `_file` and `_row`; opening the files behind that
 * relation is engine-specific and lives elsewhere (`validateRaw.ts` for DuckDB).
 */

/** Columns the validation adds; an extra input column with one of these names is not kept. */
export const RESERVED_COLUMNS: ReadonlySet<string> = new Set([
  '_file',
  '_row',
  '_reason',
  '_categories',
  '_deleted',
]);

/** Name of the clean view (and Glue table): pendo tables keep theirs, Salesforce ones get `salesforce__<name>`. */
export function viewName(table: TableDef): string {
  return table.source === 'salesforce' ? `salesforce__${table.name}` : table.name;
}

/** A SQL identifier in double quotes (quotes inside doubled); valid in Trino and DuckDB. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const ARTICLE: Record<ColumnType, string> = {
  varchar: 'a varchar',
  bigint: 'a bigint',
  integer: 'an integer',
  double: 'a double',
  boolean: 'a boolean',
  date: 'a date',
  timestamp: 'a timestamp',
};

/** The reason category of a value that does not cast, e.g. `not a bigint`, `not an integer`. */
export function typeCategory(type: ColumnType): string {
  return `not ${ARTICLE[type]}`;
}

/** Reason categories besides the type ones. */
export const CATEGORY = {
  missing: 'missing value',
  range: 'out of range',
  duplicate: 'duplicate key',
  nonFinite: 'not a finite number',
  nul: 'NUL byte',
} as const;

const isNumeric = (t: ColumnType): boolean => t === 'bigint' || t === 'integer' || t === 'double';

/** Whether a blank value of the column is read as NULL (every typed column; varchar unless blankIsNull is false). */
const blankIsNull = (c: ColumnDef): boolean => c.type !== 'varchar' || c.blankIsNull !== false;

/** Text with ISO `T` / `Z` removed, so `2024-01-31T10:00:00Z` casts like `2024-01-31 10:00:00` in both engines. */
const isoText = (txt: string): string => `replace(replace(trim(${txt}), 'T', ' '), 'Z', '')`;

/**
 * True when a timestamp text carries its own offset (`+02:00`, `-0500`, `-05`): a `+` or `-` after the date (the
 * first 10 characters); a time never holds a sign.
 */
const hasZone = (iso: string): string =>
  `(strpos(substr(${iso}, 11), '+') > 0 OR strpos(substr(${iso}, 11), '-') > 0)`;

/**
 * A timestamp text as a timestamp in UTC: a text with a zone is converted to UTC (so its date is the UTC date), a
 * text without one is taken as UTC. Never depends on the session's or the machine's time zone.
 */
const utcTimestamp = (txt: string): string => {
  const iso = isoText(txt);
  return `CASE WHEN ${hasZone(iso)} THEN CAST(try_cast(${iso} AS timestamp with time zone) AT TIME ZONE 'UTC' AS timestamp) ELSE try_cast(${iso} AS timestamp) END`;
};

/** Largest finite double; NaN and the infinities fall outside -MAX..MAX in both engines. */
const MAX_DOUBLE = '1.7976931348623157e308';

/** True when a double expression is finite (false for NaN and +/-Infinity, NULL for NULL). */
const finite = (dbl: string): string => `(${dbl} BETWEEN -${MAX_DOUBLE} AND ${MAX_DOUBLE})`;

/**
 * The typed value of a normalized text expression, NULL when it does not cast. Whole numbers go through double so
 * both engines accept `10.0` / `1e3` and reject `1.5` (DuckDB alone would round it); the exact cast keeps big values.
 * NaN and +/-Infinity are no number of any type. Timestamps and dates are read in UTC (see utcTimestamp).
 */
export function typedExpr(type: ColumnType, txt: string): string {
  const t = `trim(${txt})`;
  const dbl = `try_cast(${t} AS double)`;
  switch (type) {
    case 'varchar':
      return txt;
    case 'bigint':
    case 'integer':
      return `CASE WHEN ${plainWhole(txt, type)} THEN try_cast(${txt} AS ${type}) ELSE ${`CASE WHEN ${finite(dbl)} AND ${dbl} = floor(${dbl}) THEN coalesce(try_cast(${t} AS ${type}), try_cast(${dbl} AS ${type})) END`} END`;
    case 'double':
      return `CASE WHEN ${plainDecimal(txt)} THEN try_cast(${txt} AS double) WHEN ${finite(dbl)} THEN ${dbl} END`;
    case 'boolean':
      return `CASE lower(${t}) WHEN 'true' THEN true WHEN 't' THEN true WHEN '1' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN 'f' THEN false WHEN '0' THEN false WHEN 'no' THEN false END`;
    case 'timestamp':
      return plainTimestamp(txt);
    case 'date':
      return `cast(${plainTimestamp(txt)} AS date)`;
  }
}

/*
 * Fast paths. Most cells of an export are in one plain form; for those the general expression above reduces to one
 * cast, so the cell is cast directly and only the others take the general path (same value either way: the plain
 * forms have nothing to trim, no T / Z and no zone, and cast to a finite value or none). Measured on 28.8 M daily-metric
 * rows: a date column 3.4 s -> about 2 s, a whole-number column about 0.9 s -> 0.6 s (2 threads), and less with the
 * whole number's round trip below instead of its digits' regular expression. `regexp_like` is
 * Trino's; DuckDbEngine defines it over DuckDB's regexp_matches (both: true when the pattern occurs in the text).
 * The length tests keep the anchored patterns whole-text matches without `$`, which Trino's default regex library
 * reads as "end of a line".
 */

/**
 * The text is the whole number the cast gives back as text (no sign but '-', no zero in front, nothing to trim):
 * cast it directly. Any other text takes the general path, which gives the same value for these texts. Cheaper than
 * a regular expression over the digits (8 whole-number columns of 2.9 M daily-metric rows: about 0.2 against 0.6 s).
 */
const plainWhole = (txt: string, type: 'bigint' | 'integer'): string =>
  `(CAST(try_cast(${txt} AS ${type}) AS varchar) = ${txt})`;

/** Only digits and points, at most 30 (nothing to trim, and finite when it casts). */
const plainDecimal = (txt: string): string =>
  `(length(${txt}) <= 30 AND NOT regexp_like(${txt}, '[^0-9.]'))`;

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, digits where digits go. */
const plainDateTime = (txt: string): string =>
  `((length(${txt}) = 19 AND regexp_like(${txt}, '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}')) OR (length(${txt}) = 10 AND regexp_like(${txt}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')))`;

/** A timestamp text as a UTC timestamp (utcTimestamp), cast directly when it is in a plain form. */
const plainTimestamp = (txt: string): string =>
  `CASE WHEN ${plainDateTime(txt)} THEN try_cast(${txt} AS timestamp) ELSE ${utcTimestamp(txt)} END`;

/** The text shown in a reason, at most 40 characters. */
const shown = (txt: string): string => `substr(${txt}, 1, 40)`;

function rangeText(c: ColumnDef): string | null {
  if (c.min !== undefined && c.max !== undefined) return `outside ${c.min}..${c.max}`;
  if (c.min !== undefined) return `below ${c.min}`;
  if (c.max !== undefined) return `above ${c.max}`;
  return null;
}

/** One check of a cell: the condition that fails it, the reason text and the category, as SQL expressions. */
interface CellCheck {
  readonly cond: string;
  readonly reason: string;
  readonly category: string;
}

/** The checks of one column: NUL byte, missing value, non-finite number, type, range. */
function cellChecks(c: ColumnDef, txt: string, typed: string): CellCheck[] {
  const out: CellCheck[] = [];
  out.push({
    cond: `strpos(${txt}, chr(0)) > 0`,
    reason: sqlString(`${c.name}: ${CATEGORY.nul}`),
    category: sqlString(CATEGORY.nul),
  });
  if (c.nullable === false) {
    out.push({
      cond: `${txt} IS NULL`,
      reason: sqlString(`${c.name}: ${CATEGORY.missing}`),
      category: sqlString(CATEGORY.missing),
    });
  }
  const nonFinite = `NOT ${finite(`try_cast(trim(${txt}) AS double)`)}`;
  if (isNumeric(c.type)) {
    out.push({
      cond: nonFinite,
      reason: `${sqlString(`${c.name}: ${CATEGORY.nonFinite} ('`)} || ${shown(txt)} || ${sqlString("')")}`,
      category: sqlString(CATEGORY.nonFinite),
    });
  }
  if (c.type !== 'varchar') {
    const cat = typeCategory(c.type);
    const notNonFinite = isNumeric(c.type) ? ` AND NOT coalesce(${nonFinite}, false)` : '';
    out.push({
      cond: `${txt} IS NOT NULL AND ${typed} IS NULL${notNonFinite}`,
      reason: `${sqlString(`${c.name}: ${cat} ('`)} || ${shown(txt)} || ${sqlString("')")}`,
      category: sqlString(cat),
    });
  }
  const range = rangeText(c);
  if (isNumeric(c.type) && range) {
    const cond = [
      c.min !== undefined ? `${typed} < ${c.min}` : null,
      c.max !== undefined ? `${typed} > ${c.max}` : null,
    ]
      .filter((x) => x !== null)
      .join(' OR ');
    out.push({
      cond,
      reason: `${sqlString(`${c.name}: `)} || ${shown(`trim(${txt})`)} || ${sqlString(` ${range}`)}`,
      category: sqlString(CATEGORY.range),
    });
  }
  return out;
}

const txt = (i: number): string => `cvs_txt_${i}`;

/** Name of the column of the validated table holding a quarantined row's original text of column i. */
export const rawTextColumn = (i: number): string => `cvs_raw_${i}`;

/**
 * The text with a blank value (empty or only what trim removes) read as NULL: `CASE WHEN trim(x) = '' THEN NULL ELSE
 * x END`, except that a value whose first character is printable ASCII other than a space ('!' to '~') is kept
 * without trimming it: trim removes no such character in either engine, so the value is not blank. Trimming every
 * cell was the largest part of reading a clean export (about 1.2 of 4.4 CPU s of the validated select over 2.9 M
 * daily-metric rows); almost every cell takes the first branch.
 */
export function blankToNull(raw: string): string {
  return `CASE WHEN substr(${raw}, 1, 1) BETWEEN '!' AND '~' THEN ${raw} WHEN trim(${raw}) = '' THEN NULL ELSE ${raw} END`;
}

/** The first CTEs, left open: `cvs_n` (text, blanks as NULL, and the text as read) and `cvs_t` (plus every column typed). */
function typedLayers(columns: readonly ColumnDef[], rawRelation: string): string {
  const norm = columns.map((c, i) => {
    const raw = quoteIdent(c.name);
    const value = blankIsNull(c) ? blankToNull(raw) : raw;
    return `${value} AS ${txt(i)}, ${raw} AS ${rawTextColumn(i)}`;
  });
  const typed = columns.map((c, i) => `${typedExpr(c.type, txt(i))} AS ${quoteIdent(c.name)}`);
  return [
    'WITH cvs_n AS (',
    `  SELECT _file, _row, ${norm.join(', ')} FROM ${rawRelation}`,
    '), cvs_t AS (',
    `  SELECT cvs_n.*, ${typed.join(', ')} FROM cvs_n`,
  ].join('\n');
}

/** Number of keys repeated among the not-deleted rows of a stored validated table (0: no key repeats). */
export function storedDuplicateKeysSql(table: TableDef, validatedRelation: string): string {
  const keyCols = table.key.map(quoteIdent).join(', ');
  return `SELECT count(*) AS n FROM (SELECT ${keyCols} FROM ${validatedRelation} WHERE NOT _deleted GROUP BY ${keyCols} HAVING count(*) > 1) cvs_d`;
}

/**
 * SELECT over `rawRelation` (text columns named like `columns`, plus `_file`, `_row`) giving `_file`, `_row`, every
 * column cast to its type, `_deleted` (soft-deleted Salesforce row), `_reason` (`; `-joined cell problems, NULL when
 * the row is valid or deleted), `_categories` (`;`-joined reason categories) and, for rows with a reason only, the
 * text of every column as read (`cvs_raw_<i>`, NULL otherwise), for the quarantine file. One pass over the files, no
 * window: repeated keys are found afterwards over the stored table (storedDuplicateKeysSql, duplicateRowsSql).
 */
export function validatedSelectSql(
  table: TableDef,
  columns: readonly ColumnDef[],
  rawRelation: string,
): string {
  const idx = new Map(columns.map((c, i) => [c.name, i]));
  const checks = columns.flatMap((c, i) => cellChecks(c, txt(i), quoteIdent(c.name)));
  // The checks' conditions and reason texts are evaluated only for rows the cheap test does not pass (CASE evaluates
  // its branches only for the rows that reach them): on a clean export, only the typed values and the test run.
  const flag = (c: CellCheck): string => `coalesce(${c.cond}, false)`;
  const whenFlag = (pick: (c: CellCheck) => string): string =>
    checks.map((c) => `CASE WHEN ${flag(c)} THEN ${pick(c)} END`).join(', ');
  const has = (name: string): boolean => idx.has(name);
  const deleted = table.softDelete
    ? [
        has('is_deleted') ? `coalesce("is_deleted", false)` : null,
        has('_fivetran_active') ? `NOT coalesce("_fivetran_active", true)` : null,
      ].filter((x) => x !== null)
    : [];
  const deletedExpr = deleted.length > 0 ? `(${deleted.join(' OR ')})` : 'false';
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  const rawCols = columns
    .map(
      (_, i) =>
        `CASE WHEN cvs_reason IS NOT NULL THEN ${rawTextColumn(i)} END AS ${rawTextColumn(i)}`,
    )
    .join(', ');
  const passes = columns.map((c, i) => cellPasses(c, txt(i), quoteIdent(c.name))).join(' AND ');
  return [
    typedLayers(columns, rawRelation),
    '), cvs_f AS (',
    `  SELECT cvs_t.*, ${deletedExpr} AS cvs_deleted, (${passes}) AS cvs_passes FROM cvs_t`,
    '), cvs_c AS (',
    '  SELECT cvs_f.*,',
    `    CASE WHEN cvs_deleted OR cvs_passes THEN NULL ELSE nullif(concat_ws('; ', ${whenFlag((c) => c.reason)}), '') END AS cvs_reason,`,
    `    CASE WHEN cvs_deleted OR cvs_passes THEN NULL ELSE nullif(concat_ws(';', ${whenFlag((c) => c.category)}), '') END AS cvs_categories`,
    '  FROM cvs_f',
    ')',
    `SELECT _file, _row, ${cols}, cvs_deleted AS _deleted, cvs_reason AS _reason, cvs_categories AS _categories, ${rawCols}`,
    'FROM cvs_c',
  ].join('\n');
}

/**
 * A cheap test that a cell fails none of its cellChecks (true only when none fails; false may still be a valid cell,
 * which the full checks then clear): no NUL byte; a value when the column requires one; for a typed column, blank or
 * cast (a value that does not cast, NaN and the infinities give a NULL typed value); within the range.
 */
function cellPasses(c: ColumnDef, txt: string, typed: string): string {
  const parts = [`coalesce(strpos(${txt}, chr(0)) = 0, true)`];
  if (c.nullable === false) parts.push(`${txt} IS NOT NULL`);
  if (c.type !== 'varchar') parts.push(`(${txt} IS NULL OR ${typed} IS NOT NULL)`);
  if (isNumeric(c.type)) {
    if (c.min !== undefined) parts.push(`coalesce(${typed} >= ${c.min}, true)`);
    if (c.max !== undefined) parts.push(`coalesce(${typed} <= ${c.max}, true)`);
  }
  return parts.join(' AND ');
}

/**
 * SELECT of the later rows of every repeated key of a stored validated table: `_file`, `_row` and `_dup_reason`
 * (`duplicate key (...) = (...)`). Of the not-deleted rows of a key, the first valid one is kept (valid rows first,
 * then by file and row); deleted rows take no part. Only the rows of repeated keys are ranked.
 */
export function duplicateRowsSql(table: TableDef, validatedRelation: string): string {
  const keyCols = table.key.map(quoteIdent).join(', ');
  const same = table.key
    .map((k) => `v.${quoteIdent(k)} IS NOT DISTINCT FROM d.${quoteIdent(k)}`)
    .join(' AND ');
  const keyText = table.key
    .map((k) => `coalesce(substr(CAST(${quoteIdent(k)} AS varchar), 1, 40), 'NULL')`)
    .join(` || ', ' || `);
  return [
    `SELECT _file, _row, ${sqlString(`duplicate key (${table.key.join(', ')}) = (`)} || ${keyText} || ')' AS _dup_reason`,
    'FROM (',
    `  SELECT v._file, v._row, ${table.key.map((k) => `v.${quoteIdent(k)}`).join(', ')},`,
    `    row_number() OVER (PARTITION BY ${table.key.map((k) => `v.${quoteIdent(k)}`).join(', ')}`,
    '      ORDER BY CASE WHEN v._reason IS NULL THEN 0 ELSE 1 END, v._file, v._row) AS cvs_key_rank',
    `  FROM ${validatedRelation} v`,
    `  JOIN (SELECT ${keyCols} FROM ${validatedRelation} WHERE NOT _deleted GROUP BY ${keyCols} HAVING count(*) > 1) d ON ${same}`,
    '  WHERE NOT v._deleted',
    ') cvs_r',
    'WHERE cvs_key_rank > 1',
  ].join('\n');
}

/**
 * The checked rows of a table: the stored validated table with the duplicate-key reasons of `duplicates` (a stored
 * duplicateRowsSql result) folded into `_reason` and `_categories`; the validated table itself when no key repeats.
 */
export function checkedRelationSql(
  columns: readonly ColumnDef[],
  validatedRelation: string,
  duplicates: string | null,
): string {
  if (duplicates === null) return validatedRelation;
  const cols = columns.map((c) => `v.${quoteIdent(c.name)}`).join(', ');
  const raw = columns
    .map(
      (c, i) =>
        `CASE WHEN d._dup_reason IS NOT NULL THEN coalesce(v.${rawTextColumn(i)}, CAST(v.${quoteIdent(c.name)} AS varchar)) ELSE v.${rawTextColumn(i)} END AS ${rawTextColumn(i)}`,
    )
    .join(', ');
  return [
    `(SELECT v._file, v._row, ${cols}, v._deleted,`,
    `  nullif(concat_ws('; ', v._reason, d._dup_reason), '') AS _reason,`,
    `  nullif(concat_ws(';', v._categories, CASE WHEN d._dup_reason IS NOT NULL THEN ${sqlString(CATEGORY.duplicate)} END), '') AS _categories,`,
    `  ${raw}`,
    `FROM ${validatedRelation} v LEFT JOIN ${duplicates} d ON v._file = d._file AND v._row = d._row)`,
  ].join('\n');
}

/**
 * SELECT of the clean rows: the typed columns of rows with no reason, not deleted, and (when `duplicates` names a
 * stored duplicateRowsSql result) not a later row of a repeated key.
 */
export function cleanSelectSql(
  columns: readonly ColumnDef[],
  validatedRelation: string,
  duplicates: string | null = null,
): string {
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  const notDup =
    duplicates === null
      ? ''
      : ` AND NOT EXISTS (SELECT 1 FROM ${duplicates} cvs_d WHERE cvs_d._file = ${validatedRelation}._file AND cvs_d._row = ${validatedRelation}._row)`;
  return `SELECT ${cols} FROM ${validatedRelation} WHERE _reason IS NULL AND NOT _deleted${notDup}`;
}

/** How the quarantine SELECT numbers rows. */
export interface QuarantineRows {
  /** False when `_row` only tells rows apart (Athena): the file shows it empty. */
  readonly rowNumbers: boolean;
  /**
   * A stored table of the records the engine could not parse (`_file`, `_row`, `_reason`, `_raw`, `_shift`), or
   * null. Its records are listed too, and the valid rows' `_row` (counted without them) is moved past them.
   */
  readonly rejects: string | null;
}

/**
 * SELECT of the quarantined rows in file order: the original text of every column, `_file`, `_row`, `_reason` and
 * `_raw` (the record as written, for records the engine could not parse into columns).
 */
export function quarantineSelectSql(
  columns: readonly ColumnDef[],
  checkedRelation: string,
  opts: QuarantineRows,
): string {
  const cols = columns.map((c, i) => `q.${rawTextColumn(i)} AS ${quoteIdent(c.name)}`).join(', ');
  const row = !opts.rowNumbers
    ? 'CAST(NULL AS bigint)'
    : opts.rejects === null
      ? 'q._row'
      : `q._row + (SELECT count(*) FROM ${opts.rejects} cvs_j WHERE cvs_j._file = q._file AND cvs_j._shift <= q._row)`;
  const values = `SELECT ${cols}, q._file, ${row} AS _row, q._reason, CAST(NULL AS varchar) AS _raw FROM ${checkedRelation} q WHERE q._reason IS NOT NULL`;
  if (opts.rejects === null) return `SELECT * FROM (${values}) cvs_q ORDER BY _file, _row`;
  const nulls = columns.map((c) => `CAST(NULL AS varchar) AS ${quoteIdent(c.name)}`).join(', ');
  const rejects = `SELECT ${nulls}, _file, _row, _reason, _raw FROM ${opts.rejects}`;
  return `SELECT * FROM (${values}\nUNION ALL\n${rejects}) cvs_q ORDER BY _file, _row`;
}

/**
 * SELECT of counts per file and reason categories: `_file`, `_categories`, `rows_read`, `rows_valid`,
 * `rows_quarantined`, `deleted_rows` (sum over a file's groups for the file's counts).
 */
export function fileCountsSql(checkedRelation: string): string {
  return [
    'SELECT _file, _categories, count(*) AS rows_read,',
    '  sum(CASE WHEN _reason IS NULL AND NOT _deleted THEN 1 ELSE 0 END) AS rows_valid,',
    '  sum(CASE WHEN _reason IS NOT NULL THEN 1 ELSE 0 END) AS rows_quarantined,',
    '  sum(CASE WHEN _deleted THEN 1 ELSE 0 END) AS deleted_rows',
    `FROM ${checkedRelation} cvs_v GROUP BY _file, _categories`,
  ].join('\n');
}
