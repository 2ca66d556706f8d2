/**
 * CSV injection ("formula injection"): a spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@`
 * as a formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`), and a leading tab or carriage return can hide such a
 * start. OWASP's guidance: prefix those cells with a single quote so they are shown as text. Numbers are never
 * touched: a value written from a number, or a text that is a plain decimal number (`-5`, `-0.25`, `1e-3`), cannot
 * be a formula. Applied to the CSV deliverables; Parquet copies and intermediate parts keep the raw values.
 */

/** First characters that make a spreadsheet read a cell as a formula (with their full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain decimal number, as written for numeric cells. */
const PLAIN_NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** The text made safe to open in a spreadsheet: `'` before a formula-like start; anything else unchanged. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * The same rule as a SQL expression over a varchar expression, for CSV files written by the query engine (portable:
 * `substr`, `chr` and `regexp_replace` exist in Athena/Trino and DuckDB alike).
 */
export function spreadsheetSafeSql(expr: string): string {
  const starts = `'=', '+', '-', '@', chr(9), chr(13), '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'`;
  const notNumber = `regexp_replace(${expr}, '^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$', '') <> ''`;
  return `CASE WHEN substr(${expr}, 1, 1) IN (${starts}) AND ${notNumber} THEN '''' || ${expr} ELSE ${expr} END`;
}
