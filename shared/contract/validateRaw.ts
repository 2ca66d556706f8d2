import type { RawFileSpec } from '../ports/index.ts';
import { quoteIdent, sqlLiteral } from './validationSql.ts';

/**
 * The raw relation of a table in DuckDB (`DuckDbEngine.rawRelation`; Athena reads the Glue tables instead, see
 * `athenaRawRelation.ts`): one SELECT per file, UNION ALL, every
 * column as VARCHAR (NULL when the file lacks it), `_file` (the key relative to the input root) and `_row`.
 *
 * `_row` for CSV is the record's row as a spreadsheet shows it: the header is row 1, the first data row is row 2; a
 * quoted value spanning lines still counts as one row, and DuckDB skips blank lines, so they are not counted. It
 * comes from `WITH ORDINALITY` on `read_csv`, which DuckDB computes with an order-preserving streaming window in the
 * file's order (checked on a 2-million-row file with 4 threads; relies on the default
 * `preserve_insertion_order = true`). For Parquet `_row` is the 1-based row number (`file_row_number` + 1).
 */
export function rawRelationSql(
  layouts: readonly RawFileSpec[],
  columns: readonly string[],
  locate: (key: string) => string,
): string {
  if (layouts.length === 0) {
    const cols = columns.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`);
    return `SELECT ${[...cols, 'CAST(NULL AS VARCHAR) AS _file', 'CAST(NULL AS BIGINT) AS _row'].join(', ')} WHERE 1 = 0`;
  }
  return layouts.map((l) => fileSelectSql(l, columns, locate(l.key))).join('\nUNION ALL\n');
}

/** The SELECT of one file for the raw relation. */
export function fileSelectSql(
  layout: RawFileSpec,
  columns: readonly string[],
  path: string,
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
  const file = `${sqlLiteral(layout.key)} AS _file`;
  if (layout.format === 'parquet') {
    const from = `read_parquet(${sqlLiteral(path)}, file_row_number = true)`;
    return `SELECT ${[...cols, file, 'CAST(file_row_number + 1 AS BIGINT) AS _row'].join(', ')} FROM ${from}`;
  }
  return `SELECT ${[...cols, file, 'CAST(ordinality + 1 AS BIGINT) AS _row'].join(', ')} FROM ${csvReader(layout, path)} WITH ORDINALITY`;
}

/** read_csv of one file with a fixed dialect and positional VARCHAR columns `c0..c<width-1>`, no sniffing. */
export function csvReader(layout: Pick<RawFileSpec, 'width'>, path: string): string {
  const struct = Array.from({ length: layout.width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  return (
    `read_csv(${sqlLiteral(path)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
    `escape = '"', columns = {${struct}})`
  );
}
