/** SQL literals, written once for DuckDB and Athena (Trino): both double a quote inside a string. */
import { checkDate } from '../dates.ts';

/** A SQL string literal in single quotes (quotes inside doubled). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A SQL DATE literal of a YYYY-MM-DD day (checked: anything else throws). */
export function sqlDate(date: string): string {
  return `DATE '${checkDate(date)}'`;
}
