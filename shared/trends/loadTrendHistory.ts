import type { TrendsConfig } from '../config/trends.ts';
import type { QueryEngine, ScoreRecord, ScoreStore } from '../ports/index.ts';
import { addDays } from '../sql/accountFeatures.ts';
import { activeRangeSql, PIT_COLUMNS, pointInTimeSql } from '../sql/pointInTime.ts';
import {
  dateGrid,
  makeHistory,
  nearestDate,
  pitFeaturesOf,
  scoreRowsByDate,
} from './trendHistory.ts';
import type { PitFeatures, PitPoint, TrendHistory } from './types.ts';

/** Score-store column of the trend value score (a daily run's account_scores.csv has it, via parts/trends.csv). */
export const TREND_SCORE_COLUMN = 'trend_value_score';
/** Prefix of the point-in-time feature columns kept in the score store (`pit_minutes_long`, ...). */
export const PIT_PREFIX = 'pit_';
/** Dates per point-in-time query: bounds the size of one query's range join. */
export const DATES_PER_QUERY = 16;

/** The point-in-time columns of one point as score-store values (`pit_*` and `trend_value_score`). */
export function pitStoreValues(point: PitPoint): Record<string, number> {
  const out: Record<string, number> = { [TREND_SCORE_COLUMN]: point.score };
  for (const c of PIT_COLUMNS) out[PIT_PREFIX + c] = point.features[c];
  return out;
}

/** Points of a stored run whose records carry a trend value score and every point-in-time feature. */
export function pointsFromRecords(records: readonly ScoreRecord[]): Map<string, PitPoint> {
  const out = new Map<string, PitPoint>();
  for (const r of records) {
    const score = r.values[TREND_SCORE_COLUMN];
    const features: PitFeatures | null = pitFeaturesOf(r.values, PIT_PREFIX);
    if (typeof score !== 'number' || !Number.isFinite(score) || !features) continue;
    out.set(r.accountId, { accountId: r.accountId, features, score });
  }
  return out;
}

/** Point-in-time features and trend value scores for the dates, from the daily metrics view (batched queries). */
export async function computePitHistory(
  query: QueryEngine,
  dates: readonly string[],
  config: TrendsConfig,
): Promise<Map<string, Map<string, PitPoint>>> {
  const out = new Map<string, Map<string, PitPoint>>();
  const sorted = [...new Set(dates)].sort();
  for (let i = 0; i < sorted.length; i += DATES_PER_QUERY) {
    const batch = sorted.slice(i, i + DATES_PER_QUERY);
    const rows = await query.query(
      pointInTimeSql({
        dates: batch,
        shortWindowDays: config.shortWindowDays,
        longWindowDays: config.longWindowDays,
      }),
    );
    for (const [d, points] of scoreRowsByDate(rows, config)) out.set(d, points);
  }
  return out;
}

/** First and last active day in the daily metrics view (nulls when it has none). */
export async function activeRange(
  query: QueryEngine,
): Promise<{ first: string | null; last: string | null }> {
  const [r] = await query.query(activeRangeSql());
  return {
    first: (r?.first_day as string | null) ?? null,
    last: (r?.last_day as string | null) ?? null,
  };
}

/** The history a daily run forecasts from, and where each date came from. */
export interface LoadedHistory {
  history: TrendHistory;
  /** History dates read from the score store. */
  fromStore: string[];
  /** History dates computed from the daily metrics (asOf always is). */
  computed: string[];
}

/**
 * The trend history up to `asOf`: a grid every historyEveryDays back from asOf to the first active day plus
 * warmupDays. A grid date with a stored run (within dateToleranceDays) carrying trend columns is read from the score
 * store; the others, and asOf itself, are computed from the daily metrics view with rows up to each date only.
 */
export async function loadTrendHistory(args: {
  query: QueryEngine;
  scores: ScoreStore;
  asOf: string;
  config: TrendsConfig;
  log?: (m: string) => void;
}): Promise<LoadedHistory> {
  const { query, scores, asOf, config } = args;
  const { first } = await activeRange(query);
  if (first === null || first > asOf)
    return { history: makeHistory(new Map()), fromStore: [], computed: [] };
  const start = addDays(first, config.warmupDays);
  const grid =
    start < asOf
      ? dateGrid(start, asOf, config.historyEveryDays, 'to').filter((d) => d < asOf)
      : [];
  const stored = (await scores.listRuns()).filter((d) => d < asOf);
  const byDate = new Map<string, Map<string, PitPoint>>();
  const missing: string[] = [asOf];
  const used = new Set<string>();
  for (const g of grid) {
    const d = nearestDate(
      stored.filter((s) => !used.has(s)),
      g,
      config.dateToleranceDays,
    );
    const points = d === null ? null : pointsFromRecords(await scores.getRun(d));
    if (d !== null && points && points.size > 0) {
      used.add(d);
      byDate.set(d, points);
    } else {
      missing.push(g);
    }
  }
  const computed = await computePitHistory(query, missing, config);
  for (const [d, points] of computed) byDate.set(d, points);
  if (!byDate.has(asOf)) byDate.set(asOf, new Map());
  args.log?.(
    `value-trends: history of ${byDate.size} dates (${used.size} from the score store, ${missing.length} computed)`,
  );
  return { history: makeHistory(byDate), fromStore: [...used].sort(), computed: missing.sort() };
}
