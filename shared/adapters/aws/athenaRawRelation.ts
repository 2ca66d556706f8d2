import { firstColumnOutOfPlace } from '../../contract/validateHeader.ts';
import { quoteIdent } from '../../contract/validationSql.ts';
import { ContractViolationError } from '../../errors.ts';
import type { RawRelation, RawTableSpec } from '../../ports/index.ts';
import { sqlString } from '../../sql/literals.ts';

/**
 * The raw relation of a table in Athena: the Glue table `raw_<view>` the stack defines over the table's export folder
 * (CSV: OpenCSVSerde, every contract column a string, read by position, header skipped; Parquet: contract types,
 * read by name), limited to the files validation discovered and checked.
 */

/** Longest `"$path" IN (...)` list, characters; past it the files are picked by extension (Athena's query text limit is 256 KiB). */
const MAX_PATH_LIST_CHARS = 100_000;

/** The note added to the data-quality report when rows carry no file row number. */
export const NO_ROW_NUMBERS_NOTE =
  "row numbers: Athena does not tell a record's row in its file, so _row is empty in the quarantine files; " +
  'find a quarantined row by its _file and values';

const FORMAT_NAME = { csv: 'CSV', parquet: 'Parquet' } as const;

/**
 * SELECT over `raw_<view>`: each contract column as varchar, `_file` (the input key, from `"$path"`) and `_row`, a
 * number telling the rows of one file apart (`row_number()` per file, in read order: no file position, stable only
 * once stored). Only the contract columns are given: the Glue table has no others. Throws ContractViolationError when
 * a file's format is not the Glue table's, or a file's columns are not where the Glue table reads them (CSV: contract
 * order; Parquet: contract names).
 */
export function athenaRawRelation(spec: RawTableSpec, rawFormat: 'csv' | 'parquet'): RawRelation {
  const glue = `raw_${spec.view}`;
  for (const f of spec.files) {
    if (f.format !== rawFormat) {
      throw new ContractViolationError(
        `${spec.label}: file ${f.key} is ${FORMAT_NAME[f.format]}, but the Glue table ${glue} reads ` +
          `${FORMAT_NAME[rawFormat]} (the stack's exportFormat): export ${FORMAT_NAME[rawFormat]} files or redeploy ` +
          `with exportFormat=${f.format}`,
      );
    }
    const miss = firstColumnOutOfPlace(spec.contractColumns, f);
    if (miss === null) continue;
    const found = miss.found === null ? 'no column' : `"${miss.found}"`;
    throw new ContractViolationError(
      f.format === 'csv'
        ? `${spec.label}: file ${f.key} row 1 (header): column "${miss.column}" is out of place: the contract has ` +
            `it at position ${miss.position}, the header has ${found} there. Athena reads CSV columns by position ` +
            `(Glue table ${glue}), so the header must list the contract columns in contract order (columns may be ` +
            'left out only at the end; extra columns only after them)'
        : `${spec.label}: file ${f.key}: column "${miss.column}" is named ${found} in the file. Athena reads ` +
            `Parquet columns by name (Glue table ${glue}), so the file must use the contract name`,
    );
  }
  const contract = new Set(spec.contractColumns);
  const columns = spec.columns.filter((c) => contract.has(c));
  const extra = spec.columns.filter((c) => !contract.has(c));
  const notes = [NO_ROW_NUMBERS_NOTE];
  if (extra.length > 0) {
    notes.push(
      `${spec.label}: extra column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not read: the Glue table ` +
        `${glue} has only the contract columns`,
    );
  }
  const root = spec.locate('');
  for (const f of spec.files) {
    if (spec.locate(f.key) !== root + f.key)
      throw new Error(`input store locates ${f.key} outside its root ${root}`);
  }
  const select = [
    ...columns.map((c) => `CAST(${quoteIdent(c)} AS varchar) AS ${quoteIdent(c)}`),
    `substr("$path", ${root.length + 1}) AS _file`,
    'row_number() OVER (PARTITION BY "$path") AS _row',
  ];
  return {
    sql: `SELECT ${select.join(', ')} FROM ${glue} WHERE ${pathFilter(spec, rawFormat)}`,
    columns,
    rowNumbers: false,
    notes,
  };
}

/** The files to read: their paths listed, or (too many to list) every file of the format under the table's folder. */
function pathFilter(spec: RawTableSpec, rawFormat: 'csv' | 'parquet'): string {
  if (spec.files.length === 0) return '1 = 0';
  const list = spec.files.map((f) => sqlString(spec.locate(f.key))).join(', ');
  if (list.length <= MAX_PATH_LIST_CHARS) return `"$path" IN (${list})`;
  const like = (ext: string) => `lower("$path") LIKE ${sqlString(`%.${ext}`)}`;
  return rawFormat === 'csv' ? `(${like('csv')} OR ${like('csv.gz')})` : like(rawFormat);
}
