/**
 * The truth file of a known-answer world (written by `cvs generate --truth FILE`, read only by `cvs evaluate`): one
 * row per Pendo account with its latent value now and at +91 / +182 days, whether it is truly high-value (top
 * quartile of the value now) and its true 3- and 6-month directions (Up above +10%, Down below -10%, else Flat).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CvsError } from '../errors.ts';
import { csvField } from '../generate/writeCsvTable.ts';

/** A trend direction call or truth. */
export type Direction = 'Up' | 'Flat' | 'Down';

/** The columns of the truth file, in order. */
export const TRUTH_COLUMNS = [
  'account_id',
  'world',
  'latent_value_now',
  'latent_value_3m',
  'latent_value_6m',
  'true_high_value',
  'true_direction_3m',
  'true_direction_6m',
] as const;

/** One account of the truth. */
export interface TruthRow {
  account_id: string;
  world: string;
  latent_value_now: number;
  latent_value_3m: number;
  latent_value_6m: number;
  true_high_value: 0 | 1;
  true_direction_3m: Direction;
  true_direction_6m: Direction;
}

/** Relative change beyond which a direction is Up or Down. */
export const DIRECTION_THRESHOLD = 0.1;

/** The direction of a change from `now` to `later`: Up above +10%, Down below -10%, else Flat (0 to 0 is Flat). */
export function direction(now: number, later: number): Direction {
  if (now <= 0) return later > 0 ? 'Up' : 'Flat';
  const change = later / now - 1;
  return change > DIRECTION_THRESHOLD ? 'Up' : change < -DIRECTION_THRESHOLD ? 'Down' : 'Flat';
}

/** Builds the truth rows from latent values: high-value = the top quartile (round(n/4) accounts) of the value now. */
export function truthRows(
  world: string,
  accounts: readonly { id: string; now: number; m3: number; m6: number }[],
): TruthRow[] {
  const order = accounts.map((_, i) => i).sort((a, b) => accounts[b].now - accounts[a].now);
  const top = new Set(order.slice(0, Math.round(accounts.length / 4)));
  return accounts.map((a, i) => ({
    account_id: a.id,
    world,
    latent_value_now: a.now,
    latent_value_3m: a.m3,
    latent_value_6m: a.m6,
    true_high_value: top.has(i) ? 1 : 0,
    true_direction_3m: direction(a.now, a.m3),
    true_direction_6m: direction(a.now, a.m6),
  }));
}

const num = (x: number): string => String(Math.round(x * 1e6) / 1e6);

/** Writes the truth CSV (header TRUTH_COLUMNS, `\n` line ends), creating the parent folder. */
export async function writeTruthFile(path: string, rows: readonly TruthRow[]): Promise<void> {
  const lines = [TRUTH_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        csvField(r.account_id),
        csvField(r.world),
        num(r.latent_value_now),
        num(r.latent_value_3m),
        num(r.latent_value_6m),
        String(r.true_high_value),
        r.true_direction_3m,
        r.true_direction_6m,
      ].join(','),
    );
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** The truth file is missing or ill-formed (bad usage: exit 2); the message names the file, column and row. */
export class TruthFileError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'TruthFileError';
  }
}

const DIRECTIONS = new Set(['Up', 'Flat', 'Down']);

/** Reads and checks a truth file; throws TruthFileError naming file, column and row on the first problem. */
export async function readTruthFile(path: string): Promise<TruthRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TruthFileError(
      code === 'ENOENT'
        ? `truth file ${path} does not exist (write one with cvs generate --world NAME --truth FILE)`
        : `truth file ${path} cannot be read: ${(err as Error).message}`,
    );
  }
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new TruthFileError(`truth file ${path} is not valid CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new TruthFileError(`truth file ${path} is empty`);
  const header = records[0];
  const missing = TRUTH_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new TruthFileError(`truth file ${path}: missing column(s) ${missing.join(', ')}`);
  const at = Object.fromEntries(TRUTH_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof TRUTH_COLUMNS)[number],
    number
  >;
  const seen = new Set<string>();
  const rows: TruthRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    const where = (col: string) => `truth file ${path}, row ${i + 1}, column ${col}`;
    const value = (col: (typeof TRUTH_COLUMNS)[number]): string => rec[at[col]] ?? '';
    const id = value('account_id').trim();
    if (id === '') throw new TruthFileError(`${where('account_id')}: empty account id`);
    if (seen.has(id)) throw new TruthFileError(`${where('account_id')}: duplicate account '${id}'`);
    seen.add(id);
    const number = (col: 'latent_value_now' | 'latent_value_3m' | 'latent_value_6m'): number => {
      const s = value(col).trim();
      const x = Number(s);
      if (s === '' || !Number.isFinite(x) || x < 0)
        throw new TruthFileError(`${where(col)}: expected a number >= 0, got '${value(col)}'`);
      return x;
    };
    const hv = value('true_high_value').trim();
    if (hv !== '0' && hv !== '1')
      throw new TruthFileError(`${where('true_high_value')}: expected 0 or 1, got '${hv}'`);
    const dir = (col: 'true_direction_3m' | 'true_direction_6m'): Direction => {
      const d = value(col).trim();
      if (!DIRECTIONS.has(d))
        throw new TruthFileError(`${where(col)}: expected Up, Flat or Down, got '${d}'`);
      return d as Direction;
    };
    rows.push({
      account_id: id,
      world: value('world'),
      latent_value_now: number('latent_value_now'),
      latent_value_3m: number('latent_value_3m'),
      latent_value_6m: number('latent_value_6m'),
      true_high_value: hv === '1' ? 1 : 0,
      true_direction_3m: dir('true_direction_3m'),
      true_direction_6m: dir('true_direction_6m'),
    });
  }
  if (rows.length === 0) throw new TruthFileError(`truth file ${path} has no account rows`);
  return rows;
}
