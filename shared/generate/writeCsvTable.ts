import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ColumnDef, TableDef } from '../contract/tables.ts';
import { csvField } from '../io/csvTable.ts';

/** RFC 4180 quoting of one field (shared with the run's CSV writer). */
export { csvField };

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
 * (RFC 4180 quoting, `\n` line ends), written in batches of a few thousand rows so memory stays flat. The first
 * row's keys are checked against the contract, so a generator column the contract does not know fails loudly.
 * Returns the number of data rows written.
 */
export async function writeCsvTable(
  path: string,
  def: TableDef,
  rows: Iterable<SampleRow>,
): Promise<number> {
  const names = def.columns.map((c) => c.name);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const done = new Promise<void>((ok, fail) => {
    out.on('finish', ok);
    out.on('error', fail);
  });
  done.catch(() => undefined); // observed below; this only keeps an early throw from leaving it unhandled
  let count = 0;
  let text = `${names.map(csvField).join(',')}\n`;
  let pending = 0;
  const flush = async (): Promise<void> => {
    const chunk = text;
    text = '';
    pending = 0;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    for (const row of rows) {
      if (count === 0) {
        const unknown = Object.keys(row).filter((k) => !names.includes(k));
        if (unknown.length > 0) {
          throw new Error(
            `${def.source}/${def.name}: columns not in the contract: ${unknown.join(', ')}`,
          );
        }
      }
      count++;
      let line = '';
      for (let i = 0; i < def.columns.length; i++) {
        const c = def.columns[i];
        line += (i === 0 ? '' : ',') + csvField(formatCell(c, row[c.name]));
      }
      text += `${line}\n`;
      if (++pending === BATCH_ROWS) await flush();
    }
    await flush();
  } finally {
    out.end();
  }
  await done;
  return count;
}
