import type { ColumnType } from './tables.ts';
import { TABLES, type TableDef } from './tables.ts';

/**
 * Views that keep the feature SQL static whatever the inputs: an empty, typed view for every absent table, and the
 * one-row `cvs_sources` view of presence flags (`has_<table>`), so a CRM field is NULL (missing) rather than 0 when its
 * table was not exported. Portable SQL (Athena and DuckDB).
 */

/** SQL type of each contract column type (the same names in Athena and DuckDB). */
export const SQL_TYPE: Record<ColumnType, string> = {
  varchar: 'varchar',
  bigint: 'bigint',
  integer: 'integer',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/** The flag column for a table in `cvs_sources`, e.g. `has_visitor_feature`, `has_opportunity`. */
export function presenceFlag(table: TableDef): string {
  return `has_${table.name.replace(/^pendo__/, '')}`;
}

/** CREATE VIEW for an absent table: its contract columns, typed, no rows. */
export function emptyViewSql(table: TableDef, view: string): string {
  const cols = table.columns
    .map((c) => `cast(NULL AS ${SQL_TYPE[c.type]}) AS ${c.name}`)
    .join(', ');
  return `CREATE OR REPLACE VIEW ${view} AS SELECT ${cols} WHERE 1 = 0`;
}

/** CREATE VIEW cvs_sources with one boolean per contract table. */
export function sourcesViewSql(present: ReadonlySet<string>): string {
  const flags = TABLES.map(
    (t) => `${present.has(`${t.source}/${t.name}`) ? 'true' : 'false'} AS ${presenceFlag(t)}`,
  );
  return `CREATE OR REPLACE VIEW cvs_sources AS SELECT ${flags.join(', ')}`;
}
