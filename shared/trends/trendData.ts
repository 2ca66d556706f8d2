import type { TrendsConfig } from '../config/trends.ts';
import { daysBetween } from '../dates.ts';
import type { QueryEngine, Row } from '../ports/index.ts';
import {
  activeRangeSql,
  gridSampleSql,
  originMediansSql,
  shrinkagePairSumsSql,
  trendAsOfSql,
  trendGridSql,
  weeklyActivitySql,
} from '../sql/pointInTime.ts';
import { type RawPairSums, sampleIds, type WindowRow, windowRowOf } from './ownTrend.ts';
import type { HistoryFrame, OriginMedians, SampledHistory } from './trendBacktest.ts';

/** Engine table of the trend grid (dropped after use). */
export const TREND_GRID_TABLE = 'cvs_trend_grid';

/** Engine table of the weekly activity up to the as-of (`weeklyActivitySql`), dropped after use. */
export const TREND_WEEKLY_TABLE = 'cvs_trend_weekly';

/**
 * Runs `fn` with the weekly activity up to the as-of stored once as a temporary table (its name passed to `fn`),
 * dropped afterwards: the as-of rows and the trend grid both read it instead of grouping the daily metrics twice
 * (about 4 s each at 100,000 accounts).
 */
export async function withWeeklyActivity<T>(
  query: QueryEngine,
  asOf: string,
  fn: (weekly: string) => Promise<T>,
): Promise<T> {
  await query.createTable(TREND_WEEKLY_TABLE, weeklyActivitySql(asOf), { temporary: true });
  try {
    return await fn(TREND_WEEKLY_TABLE);
  } finally {
    await query.dropTable(TREND_WEEKLY_TABLE);
  }
}

/** First and last active day in the daily metrics, on or before the as-of (nulls when none). */
export async function activeRange(
  query: QueryEngine,
  asOf: string,
): Promise<{ first: string | null; last: string | null }> {
  const [r] = await query.query(activeRangeSql(asOf));
  return {
    first: (r?.first_day as string | null) ?? null,
    last: (r?.last_day as string | null) ?? null,
  };
}

/**
 * Every account's trend window row at the as-of (one row per account: memory grows with accounts only); `weekly`:
 * the table of `withWeeklyActivity`, else computed inline.
 */
export async function asOfRows(
  query: QueryEngine,
  asOf: string,
  config: TrendsConfig,
  weekly?: string,
): Promise<WindowRow[]> {
  const rows = await query.query(trendAsOfSql({ asOf, windowWeeks: config.windowWeeks, weekly }));
  const out: WindowRow[] = [];
  for (const r of rows) {
    const w = windowRowOf(r);
    if (w) out.push(w);
  }
  return out;
}

/** The origin weeks the history spans: from the week of the last data day to the week of the first. */
export function historyWeeks(frame: HistoryFrame): { fromWeek: number; toWeek: number } {
  return {
    fromWeek: Math.floor(daysBetween(frame.lastDay, frame.asOf) / 7),
    toWeek: Math.floor(daysBetween(frame.firstDay, frame.asOf) / 7),
  };
}

/** One row of shrinkagePairSumsSql as numbers (Athena returns text: parse either); null when malformed. */
export function rawPairSumsOf(r: Row): (RawPairSums & { w: number }) | null {
  const keys = ['w', 'n', 'sx', 'sy', 'sxy', 'sxx', 'sum_noise', 'noise_pairs'] as const;
  const v = keys.map((k) => (r[k] === null || r[k] === undefined ? Number.NaN : Number(r[k])));
  if (!v.every(Number.isFinite)) return null;
  const [w, n, sx, sy, sxy, sxx, sumNoise, noisePairs] = v;
  // the earliest window's noise (for the per-account reliability): absent from an older query's rows
  const sumNoisePrev2 = Number(r.sum_noise_prev2 ?? Number.NaN);
  const noisePrev2Pairs = Number(r.noise_prev2_pairs ?? Number.NaN);
  return {
    w,
    n,
    sx,
    sy,
    sxy,
    sxx,
    sumNoise,
    noisePairs,
    ...(Number.isFinite(sumNoisePrev2) && Number.isFinite(noisePrev2Pairs)
      ? { sumNoisePrev2, noisePrev2Pairs }
      : {}),
  };
}

/**
 * The sampled history: the trend grid (every account x every week the data covers) is built in the engine; only
 * the population medians per week and the rows of a seeded sample of accounts (model.sampleAccounts) are read back
 * (with `shrinkage.pairs: all-accounts`, also the sums of every account's shrinkage pairs per week).
 * The weeks are bounded by the data's first and last active days, whatever the as-of.
 */
export async function sampledHistory(args: {
  query: QueryEngine;
  frame: HistoryFrame;
  accountIds: readonly string[];
  config: TrendsConfig;
  /** The table of `withWeeklyActivity`; without it the weekly activity is computed inline. */
  weekly?: string;
  /** CRM activity windows in the grid (the `crm-instrument` estimator): the link column of pendo__account. */
  crm?: { linkColumn: string };
}): Promise<{ history: SampledHistory; sample: string[]; weeks: number }> {
  const { query, frame, config } = args;
  const { fromWeek, toWeek } = historyWeeks(frame);
  const sample = sampleIds(args.accountIds, config.model.sampleAccounts, config.model.sampleSeed);
  const byWeek = new Map<number, WindowRow[]>();
  const medians = new Map<number, OriginMedians>();
  const pairSums = new Map<number, RawPairSums>();
  if (sample.length > 0) {
    await query.createTable(
      TREND_GRID_TABLE,
      trendGridSql({
        asOf: frame.asOf,
        windowWeeks: config.windowWeeks,
        fromWeek,
        toWeek,
        weekly: args.weekly,
        crm: args.crm,
      }),
      { temporary: true },
    );
    try {
      for (const r of await query.query(originMediansSql(TREND_GRID_TABLE, config.windowWeeks))) {
        const w = Number(r.w);
        const m = medians.get(w) ?? { c: null, y3: null, y6: null };
        // Athena returns numbers as text: parse either.
        const raw = r.median === null || r.median === undefined ? Number.NaN : Number(r.median);
        const v = Number.isFinite(raw) ? raw : null;
        if (r.k === 'c' || r.k === 'y3' || r.k === 'y6') m[r.k] = v;
        medians.set(w, m);
      }
      if (config.shrinkage.pairs === 'all-accounts')
        for (const r of await query.query(
          shrinkagePairSumsSql(TREND_GRID_TABLE, config.windowWeeks),
        )) {
          const sums = rawPairSumsOf(r);
          if (sums) pairSums.set(sums.w, sums);
        }
      for (const r of await query.query(gridSampleSql(TREND_GRID_TABLE, sample))) {
        const row = windowRowOf(r);
        if (!row) continue;
        const list = byWeek.get(row.w) ?? [];
        if (list.length === 0) byWeek.set(row.w, list);
        list.push(row);
      }
    } finally {
      await query.dropTable(TREND_GRID_TABLE);
    }
  }
  return {
    history: {
      frame,
      byWeek,
      medians,
      ...(config.shrinkage.pairs === 'all-accounts' ? { pairSums } : {}),
    },
    sample,
    weeks: toWeek - fromWeek + 1,
  };
}
