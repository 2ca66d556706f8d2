import { addDays } from './accountFeatures.ts';

/**
 * Point-in-time usage features from `pendo__account_daily_metrics`, for many dates in one query: a dates table
 * (literal VALUES with each date's window starts, computed here so the SQL needs no date arithmetic) is range-joined
 * to the account's active days. Every figure for date t reads only rows with date_day <= t (no look-ahead).
 * Portable SQL (Athena/Trino and DuckDB): date literals, `date_diff('day', a, b)`, casts to double.
 */

/** Parameters of the point-in-time query. */
export interface PointInTimeSqlParams {
  /** The dates t, YYYY-MM-DD (any order, duplicates ignored). */
  readonly dates: readonly string[];
  /** Short trailing window in days (e.g. 30): the last month. */
  readonly shortWindowDays: number;
  /** Long trailing window in days (e.g. 90): split into three equal months for the slope. */
  readonly longWindowDays: number;
}

/** The columns of one point-in-time row (besides as_of and account_id); all numbers. */
export const PIT_COLUMNS = [
  'minutes_short',
  'events_short',
  'active_days_short',
  'minutes_long',
  'events_long',
  'active_days_long',
  'visitor_days_long',
  'features_long',
  'minutes_m2',
  'minutes_m3',
  'days_since_last_active',
  'tenure_days',
] as const;

/** One point-in-time column name. */
export type PitColumn = (typeof PIT_COLUMNS)[number];

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const lit = (d: string): string => `DATE '${d}'`;

/**
 * The account's active days: a row counts when it has events or minutes (inactive days of the dbt spine carry NULL
 * metrics). Rows of several connections for the same account and day are summed.
 */
export function activeDaysSql(): string {
  return `SELECT account_id, date_day,
    sum(coalesce(cast(sum_minutes AS double), 0)) AS minutes,
    sum(coalesce(cast(sum_events AS double), 0)) AS events,
    sum(coalesce(cast(count_active_visitors AS double), 0)) AS visitors,
    sum(coalesce(cast(count_features_clicked AS double), 0)) AS features
  FROM pendo__account_daily_metrics
  WHERE account_id IS NOT NULL AND (coalesce(sum_minutes, 0) > 0 OR coalesce(sum_events, 0) > 0)
  GROUP BY account_id, date_day`;
}

/** First and last active day in the daily metrics (`first_day`, `last_day` as YYYY-MM-DD, NULL when none). */
export function activeRangeSql(): string {
  return `SELECT cast(min(date_day) AS varchar) AS first_day, cast(max(date_day) AS varchar) AS last_day
  FROM (${activeDaysSql()}) a`;
}

/**
 * One row per (as_of, account) for every account active on or before as_of: trailing sums over the short and long
 * windows, the minutes of the two earlier months of the long window (m2 = days 31-60 back, m3 = 61-90 back, for the
 * slope), days since the last active day and days since the first. Windows are (t - w, t].
 */
export function pointInTimeSql({
  dates,
  shortWindowDays,
  longWindowDays,
}: PointInTimeSqlParams): string {
  const unique = [...new Set(dates)].sort();
  if (unique.length === 0) throw new Error('point-in-time SQL needs at least one date');
  for (const d of unique)
    if (!DATE_RE.test(d)) throw new Error(`dates must be YYYY-MM-DD, got ${d}`);
  if (!(shortWindowDays > 0 && longWindowDays >= shortWindowDays)) {
    throw new Error('windows must satisfy 0 < short <= long');
  }
  const month = Math.round(longWindowDays / 3);
  const values = unique
    .map(
      (d) =>
        `(${lit(d)}, ${lit(addDays(d, -shortWindowDays))}, ${lit(addDays(d, -month))}, ` +
        `${lit(addDays(d, -2 * month))}, ${lit(addDays(d, -longWindowDays))})`,
    )
    .join(',\n    ');
  return `WITH dates AS (
  SELECT * FROM (VALUES
    ${values}
  ) AS t(as_of, short_start, m1_start, m2_start, long_start)
),
active AS (${activeDaysSql()}),
windowed AS (
  SELECT d.as_of, a.account_id,
    sum(CASE WHEN a.date_day > d.short_start THEN a.minutes ELSE 0 END) AS minutes_short,
    sum(CASE WHEN a.date_day > d.short_start THEN a.events ELSE 0 END) AS events_short,
    count(CASE WHEN a.date_day > d.short_start THEN 1 END) AS active_days_short,
    sum(a.minutes) AS minutes_long,
    sum(a.events) AS events_long,
    count(*) AS active_days_long,
    sum(a.visitors) AS visitor_days_long,
    sum(a.features) AS features_long,
    sum(CASE WHEN a.date_day > d.m2_start AND a.date_day <= d.m1_start THEN a.minutes ELSE 0 END) AS minutes_m2,
    sum(CASE WHEN a.date_day <= d.m2_start THEN a.minutes ELSE 0 END) AS minutes_m3
  FROM dates d
  JOIN active a ON a.date_day > d.long_start AND a.date_day <= d.as_of
  GROUP BY d.as_of, a.account_id
),
spans AS (
  SELECT account_id, date_day,
    lead(date_day) OVER (PARTITION BY account_id ORDER BY date_day) AS next_day,
    min(date_day) OVER (PARTITION BY account_id) AS first_day
  FROM active
),
latest AS (
  SELECT d.as_of, s.account_id, s.date_day AS last_active_on, s.first_day
  FROM dates d
  JOIN spans s ON s.date_day <= d.as_of AND (s.next_day IS NULL OR s.next_day > d.as_of)
)
SELECT
  cast(l.as_of AS varchar) AS as_of,
  l.account_id,
  cast(coalesce(w.minutes_short, 0) AS double) AS minutes_short,
  cast(coalesce(w.events_short, 0) AS double) AS events_short,
  cast(coalesce(w.active_days_short, 0) AS double) AS active_days_short,
  cast(coalesce(w.minutes_long, 0) AS double) AS minutes_long,
  cast(coalesce(w.events_long, 0) AS double) AS events_long,
  cast(coalesce(w.active_days_long, 0) AS double) AS active_days_long,
  cast(coalesce(w.visitor_days_long, 0) AS double) AS visitor_days_long,
  cast(coalesce(w.features_long, 0) AS double) AS features_long,
  cast(coalesce(w.minutes_m2, 0) AS double) AS minutes_m2,
  cast(coalesce(w.minutes_m3, 0) AS double) AS minutes_m3,
  cast(date_diff('day', l.last_active_on, l.as_of) AS double) AS days_since_last_active,
  cast(date_diff('day', l.first_day, l.as_of) AS double) AS tenure_days
FROM latest l
LEFT JOIN windowed w ON w.as_of = l.as_of AND w.account_id = l.account_id
ORDER BY as_of, l.account_id`;
}
