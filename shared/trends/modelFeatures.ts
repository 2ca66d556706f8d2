import type { TrendsConfig } from '../config/trends.ts';
import { addDays } from '../sql/accountFeatures.ts';
import { daysBetween, nearestDate } from './trendHistory.ts';
import type { PitPoint, TrendHistory } from './types.ts';

/**
 * The forecast model's inputs for one account at one date t, built from the history up to t only: the trend value
 * score now, its change over the last month and the last three months (from the history), and the account's own
 * usage trajectory from the point-in-time features (log slope of monthly minutes, month-on-month change, activity
 * share change, recency). A value that cannot be known (no earlier history date) is NaN (imputed by the model).
 */
export const MODEL_FEATURES = [
  'score',
  'change_short',
  'change_rate',
  'minutes_slope',
  'minutes_change',
  'activity_change',
  'log_days_since_active',
] as const;

/** The earlier history points used by the change features of one date (null when no date is near enough). */
export interface Lookbacks {
  /** About one short window back. */
  readonly short: ReadonlyMap<string, PitPoint> | null;
  /** The earliest history date at most one long window back (at least one short window back), and its distance. */
  readonly long: ReadonlyMap<string, PitPoint> | null;
  readonly longDays: number;
}

/** The history points one short window and up to one long window before `date` (within the date tolerance). */
export function lookbacksAt(history: TrendHistory, date: string, config: TrendsConfig): Lookbacks {
  const tol = config.dateToleranceDays;
  const earlier = history.dates.filter((d) => d < date);
  const shortDate = nearestDate(earlier, addDays(date, -config.shortWindowDays), tol);
  const floor = addDays(date, -config.longWindowDays - tol);
  const ceiling = addDays(date, -config.shortWindowDays + tol);
  const longDate = earlier.find((d) => d >= floor && d <= ceiling) ?? null;
  return {
    short: shortDate === null ? null : (history.byDate.get(shortDate) ?? null),
    long: longDate === null ? null : (history.byDate.get(longDate) ?? null),
    longDays: longDate === null ? 0 : daysBetween(longDate, date),
  };
}

/** The model features (MODEL_FEATURES order) of one account's point, given its date's lookbacks. */
export function modelFeatures(point: PitPoint, back: Lookbacks, config: TrendsConfig): number[] {
  const f = point.features;
  const { shortWindowDays: s, longWindowDays: l } = config;
  const prevShort = back.short?.get(point.accountId);
  const prevLong = back.long?.get(point.accountId);
  // A month the account was not yet observed in (tenure shorter than the window) is unknown, not zero: otherwise
  // every account looks like it is growing while the export's first months fill the windows.
  const month = Math.round(l / 3);
  const seen = f.tenure_days + 1;
  const recentRate = f.active_days_short / Math.min(s, seen);
  const earlierDays = Math.min(l - s, seen - s);
  const earlierRate =
    earlierDays > 0 ? (f.active_days_long - f.active_days_short) / earlierDays : Number.NaN;
  return [
    point.score,
    prevShort ? point.score - prevShort.score : Number.NaN,
    prevLong && back.longDays > 0
      ? ((point.score - prevLong.score) * l) / back.longDays
      : Number.NaN,
    seen >= 3 * month ? (Math.log1p(f.minutes_short) - Math.log1p(f.minutes_m3)) / 2 : Number.NaN,
    seen >= 2 * month ? Math.log1p(f.minutes_short) - Math.log1p(f.minutes_m2) : Number.NaN,
    recentRate - earlierRate,
    Math.log1p(f.days_since_last_active),
  ];
}
