import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FolderStore } from '../adapters/local/folderStore.ts';
import type { CvsConfig } from '../config/schema.ts';
import { trendsOf } from '../config/trends.ts';
import { validateInputs } from '../contract/validate.ts';
import { ContractViolationError, CvsError } from '../errors.ts';
import type { ScoreRecord, ScoreStore } from '../ports/index.ts';
import { activeRange } from '../trends/trendData.ts';
import { dateGrid, pitPointsAt, pitStoreValues } from '../trends/trendHistory.ts';
import { codeVersion } from './codeVersion.ts';
import { openLocalPorts } from './runLocal.ts';
import { withRunLock } from './runLock.ts';

/** Options of a local backfill of point-in-time trend value scores. */
export interface BackfillOptions {
  /** Folder with the exports (`pendo/pendo__account_daily_metrics/` is the one read). */
  readonly input: string;
  /** Output folder whose `score-store/` receives the records (the store daily runs use). */
  readonly out: string;
  /** First date, YYYY-MM-DD. */
  readonly from: string;
  /** Last date, YYYY-MM-DD (inclusive when on the grid). */
  readonly to: string;
  /** Days between dates, >= 1. */
  readonly everyDays: number;
  readonly config: CvsConfig;
  readonly log?: (message: string) => void;
}

/** What a backfill did. */
export interface BackfillResult {
  /** Dates written to the score store. */
  readonly written: string[];
  /** Dates skipped because a daily run (not a backfill) is already stored there. */
  readonly skipped: string[];
  /** Dates with no account active yet, or after the last day of the daily metrics (nothing written). */
  readonly empty: string[];
  /** Records written, summed over dates. */
  readonly records: number;
  readonly elapsedMs: number;
}

/** True when a stored run exists and any of its records is not a backfill (a real daily run, never overwritten). */
async function hasDailyRun(store: ScoreStore, date: string): Promise<boolean> {
  const records = await store.getRun(date);
  return records.some((r) => r.values.backfilled !== true);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The tables a backfill validates: the daily metrics it reads, and the account table for the cross-table checks
 * between the two. The others are never read here, and validating them took most of a large backfill's time.
 */
export const BACKFILL_TABLES: readonly string[] = [
  'pendo/pendo__account',
  'pendo/pendo__account_daily_metrics',
];

/**
 * Rebuilds point-in-time trend value scores for past dates (from, from + every, ... <= to) from the daily metrics,
 * each date from rows on or before it only, into the score store. Records carry `backfilled: true`, when and by
 * which code. A date that already holds a daily run is skipped; an earlier backfill of a date is replaced.
 */
export async function runBackfill(opts: BackfillOptions): Promise<BackfillResult> {
  return withRunLock(opts.out, 'backfill', opts.log, () => backfillLocked(opts));
}

/** runBackfill once the output folder's run lock is held (runLock.ts). */
async function backfillLocked(opts: BackfillOptions): Promise<BackfillResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  if (!DATE_RE.test(opts.from) || !DATE_RE.test(opts.to) || opts.from > opts.to) {
    throw new CvsError(
      `backfill needs --from <= --to as YYYY-MM-DD, got ${opts.from} .. ${opts.to}`,
    );
  }
  if (!Number.isInteger(opts.everyDays) || opts.everyDays < 1) {
    throw new CvsError(`--every must be a whole number of days >= 1, got ${opts.everyDays}`);
  }
  if (!existsSync(opts.input))
    throw new ContractViolationError(`input folder ${opts.input} does not exist`);
  const config = trendsOf(opts.config);
  const ports = await openLocalPorts(opts.input, opts.out, opts.config);
  try {
    const run = new FolderStore(join(opts.out, 'backfill', opts.to));
    const report = await validateInputs({
      input: ports.input,
      engine: ports.query,
      run,
      asOf: opts.to,
      linkColumn: opts.config.crm.linkColumn,
      log,
      only: BACKFILL_TABLES,
    });
    report.notes.push(
      `backfill: only ${BACKFILL_TABLES.join(' and ')} validated (the daily metrics are the only table read)`,
    );
    if (!report.tables['pendo/pendo__account_daily_metrics']?.present) {
      throw new ContractViolationError(
        'backfill needs the pendo__account_daily_metrics export, which is absent',
      );
    }
    await run.put('data_quality.json', JSON.stringify(report, null, 2));
    const dates = dateGrid(opts.from, opts.to, opts.everyDays, 'from');
    const written: string[] = [];
    const skipped: string[] = [];
    const empty: string[] = [];
    const todo: string[] = [];
    for (const d of dates) ((await hasDailyRun(ports.scores, d)) ? skipped : todo).push(d);
    const stamp = {
      backfilled: true,
      backfilled_at: new Date().toISOString(),
      code_version: codeVersion(),
    };
    let records = 0;
    // The history is bounded by the data: a date after the newest daily-metrics row would only repeat the last
    // one with every account a little less recent, so it is not computed.
    const { last } = await activeRange(ports.query, opts.to);
    for (const d of todo) {
      if (last === null || d > last) {
        empty.push(d);
        continue;
      }
      // One date per query: memory grows with the number of accounts, never accounts x dates.
      const points = await pitPointsAt(ports.query, d, config);
      const out: ScoreRecord[] = [...points.values()].map((p) => ({
        accountId: p.accountId,
        asOf: d,
        values: { account_id: p.accountId, ...pitStoreValues(p), ...stamp },
      }));
      if (out.length === 0) {
        empty.push(d);
        continue;
      }
      await ports.scores.putRun(d, out);
      written.push(d);
      records += out.length;
      if ((written.length + empty.length) % 8 === 0)
        log(`backfill: ${written.length + empty.length}/${todo.length} dates done`);
    }
    if (last !== null && todo.some((d) => d > last))
      log(
        `backfill: ${todo.filter((d) => d > last).length} dates after the last data day ${last} not computed`,
      );
    if (skipped.length)
      log(
        `backfill: ${skipped.length} dates kept (a daily run is stored there): ${skipped.join(', ')}`,
      );
    return { written, skipped, empty, records, elapsedMs: Date.now() - started };
  } finally {
    await ports.query.close();
  }
}
