import { parse } from 'csv-parse/sync';
import { TEXT_COLUMNS } from '../features/columns.ts';
import type { ObjectStore, Row } from '../ports/index.ts';
import { spreadsheetSafe } from './spreadsheetSafe.ts';

/** Columns that are always text, even when a value looks numeric (ids, names, dates, labels, playbooks). */
export const TEXT_COLUMN_NAMES: ReadonlySet<string> = new Set([
  ...TEXT_COLUMNS,
  'missing_inputs',
  'crm_health_band',
  'feature',
  'tier',
  'cluster',
  'value_segment',
  'hv_band',
  'hv_source',
  'model_version',
  'playbook_id',
  'playbook',
  'trend_playbook_id',
  'segment_playbook_id',
  'contribution_tier',
  'trend_3m',
  'trend_6m',
  'triggers_fired',
  'trigger_reasons',
]);

const NUMBER_RE = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Parses one CSV cell: '' is null, true/false are booleans, numbers are numbers, the rest text. */
function cell(column: string, value: string, text: ReadonlySet<string>): Row[string] {
  if (value === '') return null;
  if (text.has(column)) return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (NUMBER_RE.test(value)) return Number(value);
  return value;
}

/**
 * Reads a CSV object with a header into typed rows (see `cell`); `text` names columns kept as strings. With `only`,
 * the other columns are skipped while parsing (rows hold just the wanted columns the file has): a step that needs a
 * few columns of a wide table does not hold every cell of it.
 */
export async function readCsvRows(
  store: ObjectStore,
  key: string,
  text: ReadonlySet<string> = TEXT_COLUMN_NAMES,
  only?: ReadonlySet<string>,
): Promise<Row[]> {
  // Parsed from the bytes: a text copy of a large file would double its memory (and pass V8's string limit).
  const body = Buffer.from(await store.get(key));
  // Each record is typed as it is parsed (on_record), so a large part is never held twice, as text and as cells.
  return parse(body, {
    // csv-parse skips a column whose name is given as false
    columns: only ? (header: string[]) => header.map((h) => (only.has(h) ? h : false)) : true,
    bom: true,
    skip_empty_lines: true,
    on_record: (r: Record<string, string>): Row => {
      const row: Row = {};
      for (const k in r) row[k] = cell(k, r[k], text);
      return row;
    },
  }) as Row[];
}

/** A CSV table as column names and rows of typed cells in column order (`undefined`: no value, written empty). */
export interface CsvTable {
  readonly columns: string[];
  readonly rows: (Row[string] | undefined)[][];
}

/**
 * Reads a CSV object with a header as a `CsvTable` of typed cells (see `cell`): the same values as `readCsvRows`,
 * without an object per row (a wide table's rows as objects cost several times the memory and time).
 */
export async function readCsvTable(
  store: ObjectStore,
  key: string,
  text: ReadonlySet<string> = TEXT_COLUMN_NAMES,
): Promise<CsvTable> {
  const body = Buffer.from(await store.get(key));
  let records: string[][];
  try {
    records = parse(body, { bom: true, skip_empty_lines: true });
  } catch (err) {
    throw new Error(`${key}: ${(err as Error).message}`, { cause: err });
  }
  const columns = records[0] ?? [];
  const rows: Row[string][][] = new Array(Math.max(0, records.length - 1));
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    for (let c = 0; c < r.length; c++) (r as Row[string][])[c] = cell(columns[c], r[c], text);
    rows[i - 1] = r as Row[string][];
  }
  return { columns, rows };
}

/**
 * Formats a value for CSV: null as empty, numbers with up to 6 decimals, booleans as true/false, text made
 * spreadsheet-safe (spreadsheetSafe.ts) unless `raw`.
 */
function format(v: unknown, raw: boolean): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
  return raw ? String(v) : spreadsheetSafe(String(v));
}

/**
 * True when the spreadsheet-safe CSV of the table differs from the raw one (`format` with and without `raw`): some
 * text cell is changed by spreadsheetSafe. Writing the 100,000-account table a second time took about 2.5 s and as much again in garbage
 * collection, so publish-scores writes it once when this is false.
 */
export function needsSpreadsheetQuote(table: CsvTable): boolean {
  for (const row of table.rows)
    for (const v of row) {
      // format's text branch: numbers and NULL are written the same either way
      if (v === null || v === undefined || typeof v === 'number') continue;
      const text = String(v);
      if (spreadsheetSafe(text) !== text) return true;
    }
  return false;
}

/** Rows per CSV chunk of `toCsvBytes`. */
const CSV_CHUNK_ROWS = 5000;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field with RFC 4180 quoting: NULL is empty; a value holding a comma, a double quote or a line break is
 * enclosed in double quotes with inner quotes doubled. Byte-identical to csv-stringify's defaults (the tests check
 * that) at a fraction of its cost: csv-stringify took 21 s to write the 173 MB account_scores.csv of 100,000
 * accounts, most of it per-field option handling.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV bytes of `count` rows, the cell of row i and column c given by `at(i, c)`, chunk by chunk. */
function csvBytes(
  columns: readonly string[],
  count: number,
  at: (i: number, c: number) => unknown,
  raw: boolean,
): Buffer {
  const chunks: Buffer[] = [Buffer.from(`${columns.map(csvField).join(',')}\n`)];
  // Lines joined from arrays: a string grown by += per cell is a rope that costs more to flatten than to build.
  const cells: string[] = new Array(columns.length);
  for (let start = 0; start < count; start += CSV_CHUNK_ROWS) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + CSV_CHUNK_ROWS); i++) {
      for (let c = 0; c < columns.length; c++) cells[c] = csvField(format(at(i, c), raw));
      lines.push(cells.join(','));
    }
    lines.push('');
    chunks.push(Buffer.from(lines.join('\n')));
  }
  return Buffer.concat(chunks);
}

/**
 * CSV with a header, columns in the given order, as bytes built chunk by chunk (`raw` keeps text as is; default:
 * spreadsheet-safe): no single string of the whole table (V8 caps a string at about 512 MB, a million accounts x 60
 * columns passes it) and no rows x columns array of formatted cells.
 */
export function toCsvBytes(
  rows: readonly object[],
  columns: readonly string[],
  raw = false,
): Buffer {
  return csvBytes(
    columns,
    rows.length,
    (i, c) => (rows[i] as Record<string, unknown>)[columns[c]],
    raw,
  );
}

/** `toCsvBytes` for a `CsvTable`. */
export function csvTableBytes(table: CsvTable, raw = false): Buffer {
  return csvBytes(table.columns, table.rows.length, (i, c) => table.rows[i][c], raw);
}

/**
 * Writes rows as a CSV object, columns in the given order (default: the first row's keys). Deliverables are
 * spreadsheet-safe; intermediate parts (`parts/...`, read back by later steps) keep the raw text.
 */
export async function writeCsvRows(
  store: ObjectStore,
  key: string,
  rows: readonly object[],
  columns: readonly string[] = rows[0] ? Object.keys(rows[0]) : [],
): Promise<void> {
  await store.put(key, toCsvBytes(rows, columns, key.startsWith('parts/')), 'text/csv');
}
