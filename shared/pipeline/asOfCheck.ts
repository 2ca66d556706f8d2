import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDbEngine, sqlString } from '../adapters/local/duckdbEngine.ts';
import type { CvsConfig } from '../config/schema.ts';
import { CvsError } from '../errors.ts';
import { isRealDate } from './calendarDate.ts';

/**
 * The run date (as-of) is checked before a run reads anything: it must be a real calendar date, not before the
 * first date the exports hold (every "days since" would be negative and every account look lost), and not far
 * beyond their newest date (a run years after the data describes nothing and makes the trend history long) unless
 * the caller asks for it (`--allow-stale`).
 */

/** The as-of is outside what the exports cover (exit code 2: bad input for this data). */
export class AsOfOutOfRangeError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'AsOfOutOfRangeError';
  }
}

/** The first and newest dates the exports hold (YYYY-MM-DD), each NULL when none is readable. */
export interface DataDateRange {
  readonly first: string | null;
  readonly newest: string | null;
}

/** Whole days from a to b (YYYY-MM-DD, UTC). */
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * Checks an as-of against the data: refused (AsOfOutOfRangeError) before `range.first`, or more than
 * `maxDaysAfterNewest` days after `range.newest` unless `allowStale`. Unknown dates are not checked.
 */
export function checkAsOfRange(
  asOf: string,
  range: DataDateRange,
  opts: { readonly maxDaysAfterNewest: number; readonly allowStale?: boolean },
): void {
  if (!isRealDate(asOf)) throw new AsOfOutOfRangeError(`as-of ${asOf} is not a date that exists`);
  if (range.first !== null && asOf < range.first) {
    throw new AsOfOutOfRangeError(
      `as-of ${asOf} is before the first data date ${range.first}: there is nothing to score yet (use --as-of ${range.first} or later)`,
    );
  }
  if (range.newest !== null && !opts.allowStale) {
    const after = daysBetween(range.newest, asOf);
    if (after > opts.maxDaysAfterNewest) {
      throw new AsOfOutOfRangeError(
        `as-of ${asOf} is ${after} days after the newest data date ${range.newest} (more than ${opts.maxDaysAfterNewest}): the scores would describe stale exports; add --allow-stale to run anyway`,
      );
    }
  }
}

/** Where the first and newest data dates are read: Pendo events first, else Salesforce activities and syncs. */
const PENDO_FIRST: readonly (readonly [string, string])[] = [
  ['pendo/pendo__account', 'first_event_on'],
  ['pendo/pendo__account_daily_metrics', 'date_day'],
];
const PENDO_NEWEST: readonly (readonly [string, string])[] = [
  ['pendo/pendo__account', 'last_event_on'],
  ['pendo/pendo__account_daily_metrics', 'date_day'],
];
const CRM_FIRST: readonly (readonly [string, string])[] = [
  ['salesforce/task', 'activity_date'],
  ['salesforce/event', 'activity_date'],
  ['salesforce/opportunity', 'created_date'],
];
const CRM_NEWEST: readonly (readonly [string, string])[] = [
  ['salesforce/account', '_fivetran_synced'],
];

/** min or max over the given (folder, column) pairs of the raw exports (CSV, compressed CSV, Parquet). */
async function extremeDate(
  input: string,
  engine: DuckDbEngine,
  probes: readonly (readonly [string, string])[],
  fn: 'min' | 'max',
): Promise<string | null> {
  let best: string | null = null;
  for (const [folder, column] of probes) {
    if (!existsSync(join(input, folder))) continue;
    const dir = join(input, folder);
    const readers = [
      ...['*.csv', '*.csv.gz'].map(
        (g) =>
          `read_csv(${sqlString(join(dir, g))}, header = true, all_varchar = true, union_by_name = true)`,
      ),
      `read_parquet(${sqlString(join(dir, '*.parquet'))}, union_by_name = true)`,
    ];
    for (const reader of readers) {
      try {
        const v = `coalesce(try_cast(${column} AS date), cast(try_cast(${column} AS timestamp) AS date))`;
        const rows = await engine.query(`SELECT cast(${fn}(${v}) AS varchar) AS d FROM ${reader}`);
        const d = rows[0]?.d;
        if (typeof d === 'string' && (best === null || (fn === 'min' ? d < best : d > best)))
          best = d;
      } catch {
        // no file of that format, or unreadable: validation reports unreadable files by name
      }
    }
  }
  return best;
}

/** The first and newest data dates of an export folder (Pendo when present, else Salesforce). */
export async function dataDateRange(input: string, engine: DuckDbEngine): Promise<DataDateRange> {
  const first =
    (await extremeDate(input, engine, PENDO_FIRST, 'min')) ??
    (await extremeDate(input, engine, CRM_FIRST, 'min'));
  const newest =
    (await extremeDate(input, engine, PENDO_NEWEST, 'max')) ??
    (await extremeDate(input, engine, CRM_NEWEST, 'max'));
  return { first, newest };
}

/** Days after the newest data date an as-of may lie: `alerts.staleAsOfFactor` x `alerts.maxInputAgeDays`. */
export function maxDaysAfterNewest(config: CvsConfig): number {
  const { staleAsOfFactor, maxInputAgeDays } = config.insights.alerts;
  return Math.round(staleAsOfFactor * maxInputAgeDays);
}

/** Checks an as-of given by the user against the exports' dates (an inferred as-of is the newest date itself). */
export async function checkRequestedAsOf(
  asOf: string | undefined,
  input: string,
  engine: DuckDbEngine,
  config: CvsConfig,
  allowStale = false,
): Promise<void> {
  if (asOf === undefined) return;
  const range = await dataDateRange(input, engine);
  checkAsOfRange(asOf, range, { maxDaysAfterNewest: maxDaysAfterNewest(config), allowStale });
}
