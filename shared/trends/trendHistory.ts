import type { TrendsConfig } from '../config/trends.ts';
import type { QueryEngine } from '../ports/index.ts';
import { PIT_COLUMNS, pointInTimeSql } from '../sql/pointInTime.ts';
import { trendValueScores } from './trendValueScore.ts';
import type { PitFeatures, PitPoint } from './types.ts';

/** Score-store column of the trend value score (a daily run's account_scores.csv has it, via parts/trends.csv). */
export const TREND_SCORE_COLUMN = 'trend_value_score';
/** Prefix of the point-in-time feature columns kept in the score store (`pit_minutes_long`, ...). */
export const PIT_PREFIX = 'pit_';

/** Whole days from date a to date b (YYYY-MM-DD, b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The point-in-time features of a row (SQL result or stored record, `prefix` before each name); null if incomplete. */
export function pitFeaturesOf(
  row: Readonly<Record<string, unknown>>,
  prefix = '',
): PitFeatures | null {
  const out: Record<string, number> = {};
  for (const c of PIT_COLUMNS) {
    const v = row[prefix + c];
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) return null;
    out[c] = n;
  }
  return out as PitFeatures;
}

/** Scores one date's accounts (trend value score relative to them) into points keyed by account id. */
export function scoreDate(
  accounts: readonly { accountId: string; features: PitFeatures }[],
  config: TrendsConfig,
): Map<string, PitPoint> {
  const scores = trendValueScores(
    accounts.map((a) => a.features),
    config,
  );
  return new Map(accounts.map((a, i) => [a.accountId, { ...a, score: scores[i] }]));
}

/** The point-in-time columns of one point as score-store values (`pit_*` and `trend_value_score`). */
export function pitStoreValues(point: PitPoint): Record<string, number> {
  const out: Record<string, number> = { [TREND_SCORE_COLUMN]: point.score };
  for (const c of PIT_COLUMNS) out[PIT_PREFIX + c] = point.features[c];
  return out;
}

/**
 * Point-in-time features and trend value scores of every account active on or before one date (rows up to that date
 * only): one date per query, so memory grows with the number of accounts only.
 */
export async function pitPointsAt(
  query: QueryEngine,
  date: string,
  config: TrendsConfig,
): Promise<Map<string, PitPoint>> {
  const rows = await query.query(
    pointInTimeSql({
      dates: [date],
      shortWindowDays: config.shortWindowDays,
      longWindowDays: config.longWindowDays,
    }),
  );
  const list: { accountId: string; features: PitFeatures }[] = [];
  for (const r of rows) {
    const features = pitFeaturesOf(r);
    if (!features || r.account_id === null || r.account_id === undefined) continue;
    list.push({ accountId: String(r.account_id), features });
  }
  return scoreDate(list, config);
}

/**
 * Dates from `from` to `to` (inclusive) every `everyDays` days, counted forward from `from` (anchor 'from') or back
 * from `to` (anchor 'to', so `to` is always included); ascending.
 */
export function dateGrid(
  from: string,
  to: string,
  everyDays: number,
  anchor: 'from' | 'to' = 'from',
): string[] {
  const out: string[] = [];
  const span = daysBetween(from, to);
  for (let k = 0; k * everyDays <= span; k++) {
    const d = new Date(`${anchor === 'from' ? from : to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + (anchor === 'from' ? 1 : -1) * k * everyDays);
    out.push(d.toISOString().slice(0, 10));
  }
  return anchor === 'from' ? out : out.reverse();
}
