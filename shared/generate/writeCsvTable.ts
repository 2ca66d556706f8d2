import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { ColumnDef, TableDef } from '../contract/tables.ts';

const BATCH_ROWS = 2_000;

/** One value of a sample row: NULL (null/undefined) is written as an empty field. */
export type Cell = string | number | boolean | null | undefined;

/** A sample row keyed by contract column name; columns the row omits are NULL. */
export type SampleRow = Record<string, Cell>;

/** Renders a value in the sample's format for the column's type: booleans true/false, doubles up to 6 decimals. */
export function formatCell(col: ColumnDef, value: Cell): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`column ${col.name}: non-finite value ${value}`);
    if (col.type === 'double') return String(Math.round(value * 1e6) / 1e6);
    return String(Math.round(value));
  }
  return value;
}

/**
 * Streams rows into one CSV file with a header row whose columns are exactly the contract's, in contract order
 * (RFC 4180 quoting by csv-stringify, in batches of a few thousand rows so memory stays flat). The first row's keys
 * are checked against the contract, so a generator column the contract does not know fails loudly. Returns the
 * number of data rows written.
 */
export async function writeCsvTable(path: string, def: TableDef, rows: Iterable<SampleRow>): Promise<number> {
  const names = def.columns.map((c) => c.name);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const done = new Promise<void>((ok, fail) => {
    out.on('finish', ok);
    out.on('error', fail);
  });
  let count = 0;
  let batch: (string | null)[][] = [];
  const flush = async (): Promise<void> => {
    const text = stringify(batch, { header: count === batch.length, columns: names });
    batch = [];
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    for (const row of rows) {
      if (count === 0) {
        const unknown = Object.keys(row).filter((k) => !names.includes(k));
        if (unknown.length > 0) {
          throw new Error(`${def.source}/${def.name}: columns not in the contract: ${unknown.join(', ')}`);
        }
      }
      count++;
      batch.push(def.columns.map((c) => formatCell(c, row[c.name])));
      if (batch.length === BATCH_ROWS) await flush();
    }
    if (batch.length > 0 || count === 0) await flush();
  } finally {
    out.end();
  }
  await done;
  return count;
}
