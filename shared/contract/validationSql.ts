import type { ColumnDef, ColumnType, TableDef } from './tables.ts';

/**
 * The validation SQL, built from the contract. Portable on purpose (Athena / Trino and DuckDB): only `try_cast`,
 * `CASE`, `row_number() over (...)`, `lower`, `trim`, `replace`, `floor`, `substr`, `concat_ws`, `nullif`, `||`.
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

/** A SQL string literal in single quotes (quotes inside doubled). */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
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
} as const;

const isNumeric = (t: ColumnType): boolean => t === 'bigint' || t === 'integer' || t === 'double';

/** Whether a blank value of the column is read as NULL (every typed column; varchar unless blankIsNull is false). */
const blankIsNull = (c: ColumnDef): boolean => c.type !== 'varchar' || c.blankIsNull !== false;

/** Text with ISO `T` / `Z` removed, so `2024-01-31T10:00:00Z` casts like `2024-01-31 10:00:00` in both engines. */
const isoText = (txt: string): string => `replace(replace(trim(${txt}), 'T', ' '), 'Z', '')`;

/**
 * The typed value of a normalized text expression, NULL when it does not cast. Whole numbers go through double so
 * both engines accept `10.0` / `1e3` and reject `1.5` (DuckDB alone would round it); the exact cast keeps big values.
 */
export function typedExpr(type: ColumnType, txt: string): string {
  const t = `trim(${txt})`;
  const dbl = `try_cast(${t} AS double)`;
  switch (type) {
    case 'varchar':
      return txt;
    case 'bigint':
    case 'integer':
      return `CASE WHEN ${dbl} = floor(${dbl}) THEN coalesce(try_cast(${t} AS ${type}), try_cast(${dbl} AS ${type})) END`;
    case 'double':
      return dbl;
    case 'boolean':
      return `CASE lower(${t}) WHEN 'true' THEN true WHEN 't' THEN true WHEN '1' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN 'f' THEN false WHEN '0' THEN false WHEN 'no' THEN false END`;
    case 'timestamp':
      return `try_cast(${isoText(txt)} AS timestamp)`;
    case 'date':
      return `cast(try_cast(${isoText(txt)} AS timestamp) AS date)`;
  }
}

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

/** The checks of one column: missing value, type, range. */
function cellChecks(c: ColumnDef, txt: string, typed: string): CellCheck[] {
  const out: CellCheck[] = [];
  if (c.nullable === false) {
    out.push({
      cond: `${txt} IS NULL`,
      reason: sqlLiteral(`${c.name}: ${CATEGORY.missing}`),
      category: sqlLiteral(CATEGORY.missing),
    });
  }
  if (c.type !== 'varchar') {
    const cat = typeCategory(c.type);
    out.push({
      cond: `${txt} IS NOT NULL AND ${typed} IS NULL`,
      reason: `${sqlLiteral(`${c.name}: ${cat} ('`)} || ${shown(txt)} || ${sqlLiteral("')")}`,
      category: sqlLiteral(cat),
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
      reason: `${sqlLiteral(`${c.name}: `)} || ${shown(`trim(${txt})`)} || ${sqlLiteral(` ${range}`)}`,
      category: sqlLiteral(CATEGORY.range),
    });
  }
  return out;
}

const txt = (i: number): string => `cvs_txt_${i}`;

/** The first CTEs, left open: `cvs_n` (text, blanks as NULL) and `cvs_t` (plus every column typed). */
function typedLayers(columns: readonly ColumnDef[], rawRelation: string): string {
  const norm = columns.map((c, i) => {
    const raw = quoteIdent(c.name);
    const value = blankIsNull(c) ? `CASE WHEN trim(${raw}) = '' THEN NULL ELSE ${raw} END` : raw;
    return `${value} AS ${txt(i)}`;
  });
  const typed = columns.map((c, i) => `${typedExpr(c.type, txt(i))} AS ${quoteIdent(c.name)}`);
  return [
    'WITH cvs_n AS (',
    `  SELECT _file, _row, ${norm.join(', ')} FROM ${rawRelation}`,
    '), cvs_t AS (',
    `  SELECT cvs_n.*, ${typed.join(', ')} FROM cvs_n`,
  ].join('\n');
}

/** Number of keys repeated among the not-deleted rows of a stored validated table (0: no key check needed). */
export function storedDuplicateKeysSql(table: TableDef, validatedRelation: string): string {
  const keyCols = table.key.map(quoteIdent).join(', ');
  return `SELECT count(*) AS n FROM (SELECT ${keyCols} FROM ${validatedRelation} WHERE NOT _deleted GROUP BY ${keyCols} HAVING count(*) > 1) cvs_d`;
}

/**
 * SELECT over `rawRelation` (text columns named like `columns`, plus `_file`, `_row`) giving `_file`, `_row`, every
 * column cast to its type, `_deleted` (soft-deleted Salesforce row), `_reason` (`; `-joined, NULL when the row is
 * valid or deleted) and `_categories` (`;`-joined reason categories). The first row of a key (valid rows first, then
 * by file and row) is kept; later ones get `duplicate key (...) = (...)`. Deleted rows take no part in the key check.
 * `keyCheck: false` leaves the key check out, for a relation known to have no duplicate key (see storedDuplicateKeysSql).
 */
export function validatedSelectSql(
  table: TableDef,
  columns: readonly ColumnDef[],
  rawRelation: string,
  options: { keyCheck?: boolean } = {},
): string {
  const idx = new Map(columns.map((c, i) => [c.name, i]));
  const checks = columns.flatMap((c, i) => cellChecks(c, txt(i), quoteIdent(c.name)));
  // Each check's condition is computed once as a boolean flag; the reason text is only built for failing rows.
  const flags = checks.map((c, j) => `coalesce(${c.cond}, false) AS cvs_f${j}`);
  const anyFlag = checks.map((_, j) => `cvs_f${j}`).join(' OR ');
  const whenFlag = (pick: (c: CellCheck) => string): string =>
    checks.map((c, j) => `CASE WHEN cvs_f${j} THEN ${pick(c)} END`).join(', ');
  const has = (name: string): boolean => idx.has(name);
  const deleted = table.softDelete
    ? [
        has('is_deleted') ? `coalesce("is_deleted", false)` : null,
        has('_fivetran_active') ? `NOT coalesce("_fivetran_active", true)` : null,
      ].filter((x) => x !== null)
    : [];
  const deletedExpr = deleted.length > 0 ? `(${deleted.join(' OR ')})` : 'false';
  const keyCols = table.key.map(quoteIdent).join(', ');
  const keyText = table.key
    .map((k) => `coalesce(${shown(txt(idx.get(k) ?? -1))}, 'NULL')`)
    .join(` || ', ' || `);
  const dupReason = `CASE WHEN cvs_key_rank > 1 THEN ${sqlLiteral(`duplicate key (${table.key.join(', ')}) = (`)} || ${keyText} || ')' END`;
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  const rank =
    options.keyCheck === false
      ? '  SELECT cvs_c.*, 1 AS cvs_key_rank FROM cvs_c'
      : [
          `  SELECT cvs_c.*, row_number() OVER (PARTITION BY cvs_deleted, ${keyCols}`,
          '    ORDER BY CASE WHEN cvs_cell_reason IS NULL THEN 0 ELSE 1 END, _file, _row) AS cvs_key_rank',
          '  FROM cvs_c',
        ].join('\n');
  return [
    typedLayers(columns, rawRelation),
    '), cvs_f AS (',
    `  SELECT cvs_t.*, ${deletedExpr} AS cvs_deleted, ${flags.join(', ')} FROM cvs_t`,
    '), cvs_c AS (',
    '  SELECT cvs_f.*,',
    `    CASE WHEN ${anyFlag} THEN nullif(concat_ws('; ', ${whenFlag((c) => c.reason)}), '') END AS cvs_cell_reason,`,
    `    CASE WHEN ${anyFlag} THEN nullif(concat_ws(';', ${whenFlag((c) => c.category)}), '') END AS cvs_cell_categories`,
    '  FROM cvs_f',
    '), cvs_k AS (',
    rank,
    ')',
    `SELECT _file, _row, ${cols}, cvs_deleted AS _deleted,`,
    `  CASE WHEN cvs_deleted THEN NULL ELSE nullif(concat_ws('; ', cvs_cell_reason, ${dupReason}), '') END AS _reason,`,
    `  CASE WHEN cvs_deleted THEN NULL ELSE nullif(concat_ws(';', cvs_cell_categories, CASE WHEN cvs_key_rank > 1 THEN ${sqlLiteral(CATEGORY.duplicate)} END), '') END AS _categories`,
    'FROM cvs_k',
  ].join('\n');
}

/** SELECT of the clean rows of a validated relation: the typed columns of rows with no reason, not deleted. */
export function cleanSelectSql(columns: readonly ColumnDef[], validatedRelation: string): string {
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ${cols} FROM ${validatedRelation} WHERE _reason IS NULL AND NOT _deleted`;
}

/** SELECT of the quarantined rows: the original text of every column, `_file`, `_row`, `_reason`, in file order. */
export function quarantineSelectSql(
  columns: readonly ColumnDef[],
  rawRelation: string,
  validatedRelation: string,
): string {
  const cols = columns.map((c) => `r.${quoteIdent(c.name)}`).join(', ');
  return [
    `SELECT ${cols}, r._file, r._row, v._reason`,
    `FROM ${rawRelation} r JOIN ${validatedRelation} v ON r._file = v._file AND r._row = v._row`,
    'WHERE v._reason IS NOT NULL',
    'ORDER BY r._file, r._row',
  ].join('\n');
}

/** SELECT of per-file counts: `_file`, `rows_read`, `rows_valid`, `rows_quarantined`, `deleted_rows`. */
export function fileCountsSql(validatedRelation: string): string {
  return [
    'SELECT _file, count(*) AS rows_read,',
    '  sum(CASE WHEN _reason IS NULL AND NOT _deleted THEN 1 ELSE 0 END) AS rows_valid,',
    '  sum(CASE WHEN _reason IS NOT NULL THEN 1 ELSE 0 END) AS rows_quarantined,',
    '  sum(CASE WHEN _deleted THEN 1 ELSE 0 END) AS deleted_rows',
    `FROM ${validatedRelation} GROUP BY _file`,
  ].join('\n');
}

/** SELECT of quarantined-row counts by their `;`-joined reason categories (`_categories`, `n`). */
export function categoryCountsSql(validatedRelation: string): string {
  return `SELECT _categories, count(*) AS n FROM ${validatedRelation} WHERE _reason IS NOT NULL GROUP BY _categories`;
}
