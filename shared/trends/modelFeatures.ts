import type { TrendsConfig } from '../config/trends.ts';
import { addDays } from '../sql/accountFeatures.ts';
import { daysBetween, nearestDate } from './trendHistory.ts';
import type { PitFeatures, PitPoint, TrendHistory } from './types.ts';

/**
 * The forecast model's inputs for one account at one date t, built from the history up to t only: the trend value
 * score now and its change over the last one and three months, and the account's own usage trajectory. Usage
 * figures are per observed day (a window the account or the export has not filled yet is divided by the days it
 * covers, not by its length), so a young account or an early history date reads the same as a mature one. A value
 * that cannot be known (no earlier history date, too short a tenure) is NaN: the forest gives it its own branch,
 * the ridge imputes the training mean.
 */
export const MODEL_FEATURES = [
  // Trend value score now, 0-1.
  'score',
  // Score change over about one short window (a month).
  'change_short',
  // Score change over up to one long window, per long window (the persistence offset of the delta).
  'change_rate',
  // log ratio of daily minutes: last short window vs the rest of the long window.
  'minutes_recent_vs_prev',
  // Same for events.
  'events_recent_vs_prev',
  // Active-day share of the last short window minus that of the rest of the long window.
  'activity_change',
  // (log minutes of the last month - log minutes two months before) / 2, full long window only.
  'minutes_slope',
  // log ratio of daily minutes over the long window: now vs one short window ago.
  'usage_change_short',
  // Same vs two short windows ago.
  'usage_change_mid',
  // log ratio of daily visitor-days over the long window: now vs one short window ago.
  'breadth_change_short',
  // log(1 + days since the last active day).
  'log_days_since_active',
  // Change of log(1 + days since the last active day) since one short window ago.
  'recency_change',
  // log(1 + days since the first active day).
  'log_tenure',
  // log(1 + minutes per observed day over the long window).
  'log_minutes_per_day',
  // Share of the last short window's observed days with activity, 0-1.
  'active_share_short',
] as const;

/** One model feature name. */
export type ModelFeature = (typeof MODEL_FEATURES)[number];

/** The earlier history points used by the change features of one date (null when no date is near enough). */
export interface Lookbacks {
  /** About one short window back. */
  readonly short: ReadonlyMap<string, PitPoint> | null;
  /** About two short windows back. */
  readonly mid: ReadonlyMap<string, PitPoint> | null;
  /** The earliest history date at most one long window back (at least one short window back), and its distance. */
  readonly long: ReadonlyMap<string, PitPoint> | null;
  readonly longDays: number;
}

/** The history points one and two short windows and up to one long window before `date` (within the tolerance). */
export function lookbacksAt(history: TrendHistory, date: string, config: TrendsConfig): Lookbacks {
  const tol = config.dateToleranceDays;
  const earlier = history.dates.filter((d) => d < date);
  const at = (days: number) => {
    const d = nearestDate(earlier, addDays(date, -days), tol);
    return d === null ? null : (history.byDate.get(d) ?? null);
  };
  const floor = addDays(date, -config.longWindowDays - tol);
  const ceiling = addDays(date, -config.shortWindowDays + tol);
  const longDate = earlier.find((d) => d >= floor && d <= ceiling) ?? null;
  return {
    short: at(config.shortWindowDays),
    mid: at(2 * config.shortWindowDays),
    long: longDate === null ? null : (history.byDate.get(longDate) ?? null),
    longDays: longDate === null ? 0 : daysBetween(longDate, date),
  };
}

/** A total over a trailing window of `windowDays` per day the account was observed in it (tenure-limited). */
export function perObservedDay(total: number, windowDays: number, tenureDays: number): number {
  return total / Math.max(1, Math.min(windowDays, tenureDays + 1));
}

const logRatio = (a: number, b: number): number => Math.log1p(a) - Math.log1p(b);

/** The model features (MODEL_FEATURES order) of one account's point, given its date's lookbacks. */
export function modelFeatures(point: PitPoint, back: Lookbacks, config: TrendsConfig): number[] {
  const f = point.features;
  const { shortWindowDays: s, longWindowDays: l } = config;
  const nan = Number.NaN;
  const prevShort = back.short?.get(point.accountId);
  const prevMid = back.mid?.get(point.accountId);
  const prevLong = back.long?.get(point.accountId);
  const seen = f.tenure_days + 1;
  const recentDays = Math.min(s, seen);
  // The rest of the long window as observed; a third of a short window at least, else the ratio is noise.
  const restDays = Math.min(l, seen) - s;
  const rest = restDays >= s / 3;
  const month = Math.round(l / 3);
  const longRate = (p: PitFeatures, get: (q: PitFeatures) => number) =>
    perObservedDay(get(p), l, p.tenure_days);
  const usageVs = (q: PitPoint | undefined, get: (p: PitFeatures) => number) =>
    q ? logRatio(longRate(f, get), longRate(q.features, get)) : nan;
  return [
    point.score,
    prevShort ? point.score - prevShort.score : nan,
    prevLong && back.longDays > 0 ? ((point.score - prevLong.score) * l) / back.longDays : nan,
    rest
      ? logRatio(f.minutes_short / recentDays, (f.minutes_long - f.minutes_short) / restDays)
      : nan,
    rest ? logRatio(f.events_short / recentDays, (f.events_long - f.events_short) / restDays) : nan,
    rest
      ? f.active_days_short / recentDays - (f.active_days_long - f.active_days_short) / restDays
      : nan,
    seen >= 3 * month ? logRatio(f.minutes_short, f.minutes_m3) / 2 : nan,
    usageVs(prevShort, (p) => p.minutes_long),
    usageVs(prevMid, (p) => p.minutes_long),
    usageVs(prevShort, (p) => p.visitor_days_long),
    Math.log1p(f.days_since_last_active),
    prevShort ? logRatio(f.days_since_last_active, prevShort.features.days_since_last_active) : nan,
    Math.log1p(f.tenure_days),
    Math.log1p(perObservedDay(f.minutes_long, l, f.tenure_days)),
    f.active_days_short / recentDays,
  ];
}
