import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
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
  const records: Record<string, string>[] = parse(body, {
    // csv-parse skips a column whose name is given as false
    columns: only ? (header: string[]) => header.map((h) => (only.has(h) ? h : false)) : true,
    bom: true,
    skip_empty_lines: true,
  });
  return records.map((r) => {
    const row: Row = {};
    for (const [k, v] of Object.entries(r)) row[k] = cell(k, v, text);
    return row;
  });
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

/** CSV text with a header, columns in the given order; `raw` keeps text as is (default: spreadsheet-safe). */
export function toCsv(rows: readonly object[], columns: readonly string[], raw = false): string {
  return stringify(
    rows.map((r) => columns.map((c) => format((r as Record<string, unknown>)[c], raw))),
    { header: true, columns: [...columns] },
  );
}

/** Rows per CSV chunk of `toCsvBytes`. */
const CSV_CHUNK_ROWS = 5000;

/**
 * The same CSV as `toCsv`, as bytes built chunk by chunk: no single string of the whole table (V8 caps a string at
 * about 512 MB, a million accounts x 60 columns passes it) and no rows x columns array of formatted cells.
 */
export function toCsvBytes(
  rows: readonly object[],
  columns: readonly string[],
  raw = false,
): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; i === 0 || i < rows.length; i += CSV_CHUNK_ROWS) {
    const part = rows.slice(i, i + CSV_CHUNK_ROWS);
    chunks.push(
      Buffer.from(
        stringify(
          part.map((r) => columns.map((c) => format((r as Record<string, unknown>)[c], raw))),
          { header: i === 0, columns: [...columns] },
        ),
      ),
    );
  }
  return Buffer.concat(chunks);
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
