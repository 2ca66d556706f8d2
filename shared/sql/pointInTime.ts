import { addDays, checkDate } from '../dates.ts';
import { crmActivityDatesSql } from './accountFeatures.ts';
import { sqlDate, sqlString } from './literals.ts';

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

/** The WHERE condition of an active row of the daily metrics (one with events or minutes, an account id). */
const ACTIVE_ROW =
  'account_id IS NOT NULL AND (coalesce(sum_minutes, 0) > 0 OR coalesce(sum_events, 0) > 0)';

/**
 * The account's active days: a row counts when it has events or minutes (inactive days of the dbt spine carry NULL
 * metrics). Rows of several connections for the same account and day are summed. With `after` / `through`, only the
 * days in (after, through] (the filter is applied before the rows are grouped).
 */
export function activeDaysSql(range: { after?: string; through?: string } = {}): string {
  const bounds = [
    ...(range.after === undefined ? [] : [`date_day > ${sqlDate(range.after)}`]),
    ...(range.through === undefined ? [] : [`date_day <= ${sqlDate(range.through)}`]),
  ];
  return `SELECT account_id, date_day,
    sum(coalesce(cast(sum_minutes AS double), 0)) AS minutes,
    sum(coalesce(cast(sum_events AS double), 0)) AS events,
    sum(coalesce(cast(count_active_visitors AS double), 0)) AS visitors,
    sum(coalesce(cast(count_features_clicked AS double), 0)) AS features
  FROM pendo__account_daily_metrics
  WHERE ${[ACTIVE_ROW, ...bounds].join(' AND ')}
  GROUP BY account_id, date_day`;
}

/**
 * First and last active day in the daily metrics (`first_day`, `last_day` as YYYY-MM-DD, NULL when none); with
 * `asOf`, of the rows dated on or before it only. Read from the active rows themselves: the days of
 * `activeDaysSql()` are exactly theirs, so grouping them first (a hash table of every account-day) is not needed.
 */
export function activeRangeSql(asOf?: string): string {
  if (asOf !== undefined) checkDate(asOf, 'asOf');
  const where = asOf === undefined ? '' : ` AND date_day <= ${sqlDate(asOf)}`;
  return `SELECT cast(min(date_day) AS varchar) AS first_day, cast(max(date_day) AS varchar) AS last_day
  FROM pendo__account_daily_metrics
  WHERE ${ACTIVE_ROW}${where}`;
}

/**
 * The account's activity per week, weeks counted back from `asOf`: week w holds the days (asOf - 7w - 7, asOf - 7w]
 * (w = 0 ends on the as-of). Only rows dated on or before the as-of are read. Columns: account_id, w, v (active
 * visitor-days), m (minutes), d (active days).
 */
export function weeklyActivitySql(asOf: string): string {
  checkDate(asOf, 'asOf');
  return `SELECT account_id,
    cast(floor(date_diff('day', date_day, ${sqlDate(asOf)}) / 7.0) AS integer) AS w,
    sum(visitors) AS v, sum(minutes) AS m, count(*) AS d
  FROM (${activeDaysSql({ through: asOf })}) a
  GROUP BY account_id, cast(floor(date_diff('day', date_day, ${sqlDate(asOf)}) / 7.0) AS integer)`;
}

/**
 * The columns of a trend window row (one account at one origin week w, all numbers): the account's first active
 * week (`first_w`, counted back like w) and latest active week at or before the origin (`last_w`); active
 * visitor-days over the last window (weeks w .. w+K-1), the one before (v_prev) and the one before that (v_prev2);
 * the next window (v_fut3: weeks w-K .. w-1) and the window after it (v_fut6: weeks w-2K .. w-K-1); minutes over the
 * last `recentWeeks` weeks (m_recent) and the rest of the last window (m_rest); active days over the last window;
 * `q_prev`, the sum of squared week-to-week differences of active visitor-days inside the previous window (its K - 1
 * pairs of consecutive weeks): the window's week-to-week noise, behind the noise-corrected shrinkage factor
 * (docs/trends.md, "Second method, pre-registered"); `q_last` and `q_prev2` the same inside the last window and the
 * one before the previous, behind the per-account reliability of the change (docs/trends.md, "Ninth method,
 * pre-registered"). q_prev2 is computed on the history grid only (NULL at the as-of).
 */
export const TREND_WINDOW_COLUMNS = [
  'first_w',
  'last_w',
  'v_last',
  'v_prev',
  'v_prev2',
  'v_fut3',
  'v_fut6',
  'm_recent',
  'm_rest',
  'd_last',
  'q_prev',
  'q_last',
  'q_prev2',
  'a_last',
  'a_prev',
  'a_prev2',
] as const;

/**
 * The trend window columns that may be NULL: the future at the as-of; q_prev2 outside the history grid (q_prev and
 * q_last too in rows read from an older table); the CRM
 * activity windows a_last, a_prev, a_prev2 (activities of the linked Salesforce account in the same weeks as v_last,
 * v_prev, v_prev2) outside a grid built with `crm`, and for an account without a Salesforce link or a run without
 * task and event exports.
 */
export const NULLABLE_TREND_WINDOW_COLUMNS: readonly string[] = [
  'v_fut3',
  'v_fut6',
  'q_prev',
  'q_last',
  'q_prev2',
  'a_last',
  'a_prev',
  'a_prev2',
];

/** Weeks of the "recent" part of a window (a third of it, rounded: 4 of 13). */
export const recentWeeksOf = (windowWeeks: number): number =>
  Math.max(1, Math.round(windowWeeks / 3));

/**
 * Every account's trend window row at the as-of (w = 0), without the future columns (NULL): one row per account
 * active on or before the as-of, from one pass over the weekly activity (memory grows with accounts only). `weekly`
 * names a table holding `weeklyActivitySql(asOf)`'s rows (made once, read by this query and the grid); without it
 * the weekly activity is computed inline.
 */
export function trendAsOfSql({
  asOf,
  windowWeeks,
  weekly,
}: {
  asOf: string;
  windowWeeks: number;
  weekly?: string;
}): string {
  const K = windowWeeks;
  const R = recentWeeksOf(K);
  const sumIf = (col: string, from: number, to: number) =>
    `cast(sum(CASE WHEN w >= ${from} AND w <= ${to} THEN ${col} ELSE 0 END) AS double)`;
  // The squared week-to-week differences inside weeks lo .. hi from the sparse weekly rows, as the history grid
  // counts them (a week without a row between the account's first active week and the as-of has v = 0; weeks before
  // its first active week are not there): each row's difference with the next older week (its own value when that
  // week has no row, nothing for the account's first week), plus the value of a row whose next newer week (inside
  // the window) has no row.
  const q = (lo: number, hi: number) => `cast(coalesce(sum(CASE
      WHEN w >= ${lo} AND w <= ${hi - 1} AND older_w IS NOT NULL
        THEN power(v - CASE WHEN older_w = w + 1 THEN older_v ELSE 0 END, 2)
      ELSE 0 END) + sum(CASE
      WHEN w >= ${lo + 1} AND w <= ${hi} AND (newer_w IS NULL OR newer_w <> w - 1) THEN power(v, 2)
      ELSE 0 END), 0) AS double)`;
  const source = weekly ?? `(${weeklyActivitySql(asOf)})`;
  return `SELECT account_id, cast(0 AS double) AS w,
  cast(max(w) AS double) AS first_w,
  cast(min(w) AS double) AS last_w,
  ${sumIf('v', 0, K - 1)} AS v_last,
  ${sumIf('v', K, 2 * K - 1)} AS v_prev,
  ${sumIf('v', 2 * K, 3 * K - 1)} AS v_prev2,
  cast(NULL AS double) AS v_fut3,
  cast(NULL AS double) AS v_fut6,
  ${sumIf('m', 0, R - 1)} AS m_recent,
  ${sumIf('m', R, K - 1)} AS m_rest,
  ${sumIf('d', 0, K - 1)} AS d_last,
  ${q(K, 2 * K - 1)} AS q_prev,
  ${q(0, K - 1)} AS q_last,
  cast(NULL AS double) AS q_prev2,
  cast(NULL AS double) AS a_last,
  cast(NULL AS double) AS a_prev,
  cast(NULL AS double) AS a_prev2
FROM (
  SELECT account_id, w, v, m, d,
    lead(w) OVER (PARTITION BY account_id ORDER BY w) AS older_w,
    lead(v) OVER (PARTITION BY account_id ORDER BY w) AS older_v,
    lag(w) OVER (PARTITION BY account_id ORDER BY w) AS newer_w
  FROM ${source} s
) wk
GROUP BY account_id
ORDER BY account_id`;
}

/**
 * The trend window rows of every account at every origin week from `fromWeek` to `toWeek` (weeks back from the
 * as-of, the range the data covers): a dense grid of accounts x weeks (each account from its first active week on)
 * in the engine, window sums by ROWS frames over consecutive weeks. Meant for a CREATE TABLE AS; only aggregates
 * and a bounded sample of its rows are read back. `weekly`: as in `trendAsOfSql`.
 */
export function trendGridSql(p: {
  asOf: string;
  windowWeeks: number;
  fromWeek: number;
  toWeek: number;
  weekly?: string;
  /**
   * With the link column of pendo__account to the Salesforce account (config crm.linkColumn): the CRM activity
   * windows a_last, a_prev, a_prev2 (tasks by activity_date, events by coalesce(activity_date, activity_date_time),
   * dated on or before the as-of, counted per week like the usage), for linked accounts of a run with a task or an
   * event export; NULL otherwise. Without it they are NULL for every row.
   */
  crm?: { linkColumn: string };
}): string {
  const K = p.windowWeeks;
  const R = recentWeeksOf(K);
  if (!(Number.isInteger(p.fromWeek) && Number.isInteger(p.toWeek) && p.fromWeek >= 0)) {
    throw new Error('weeks must be whole numbers >= 0');
  }
  if (p.toWeek < p.fromWeek) throw new Error('toWeek must be >= fromWeek');
  const weeks = Array.from({ length: p.toWeek - p.fromWeek + 1 }, (_, i) => `(${p.fromWeek + i})`);
  const frame = (col: string, spec: string) =>
    `cast(coalesce(sum(${col}) OVER (PARTITION BY account_id ORDER BY w ROWS BETWEEN ${spec}), 0) AS double)`;
  const following = (a: number, b: number) =>
    a === 0 ? `CURRENT ROW AND ${b} FOLLOWING` : `${a} FOLLOWING AND ${b} FOLLOWING`;
  const weekly = p.weekly ? `SELECT * FROM ${p.weekly}` : weeklyActivitySql(p.asOf);
  const asOf = sqlDate(p.asOf);
  const crm = p.crm
    ? `crm_dates AS (SELECT account_id AS sf_id, d FROM (${crmActivityDatesSql()}) x),
crm_linked AS (
  SELECT DISTINCT pa.account_id, pa.${p.crm.linkColumn} AS sf_id
  FROM pendo__account pa
  JOIN salesforce__account sa ON sa.id = pa.${p.crm.linkColumn}
  CROSS JOIN cvs_sources src
  WHERE src.has_task OR src.has_event
),
crm_weekly AS (
  SELECT l.account_id, cast(floor(date_diff('day', c.d, ${asOf}) / 7.0) AS integer) AS w, count(*) AS n
  FROM crm_dates c
  JOIN crm_linked l ON l.sf_id = c.sf_id
  WHERE c.d <= ${asOf}
  GROUP BY l.account_id, cast(floor(date_diff('day', c.d, ${asOf}) / 7.0) AS integer)
),
`
    : '';
  const crmColumns = p.crm
    ? `CASE WHEN l.account_id IS NOT NULL THEN coalesce(c.n, 0) END AS ac`
    : 'cast(NULL AS double) AS ac';
  const crmJoins = p.crm
    ? `
  LEFT JOIN crm_linked l ON l.account_id = a.account_id
  LEFT JOIN crm_weekly c ON c.account_id = a.account_id AND c.w = k.w`
    : '';
  const activityFrame = (spec: string) =>
    `CASE WHEN ac IS NOT NULL THEN cast(coalesce(sum(ac) OVER (PARTITION BY account_id ORDER BY w ROWS BETWEEN ${spec}), 0) AS double) END`;
  return `WITH weekly AS (${weekly}),
${crm}accounts AS (SELECT account_id, max(w) AS first_w FROM weekly GROUP BY account_id),
weeks AS (SELECT * FROM (VALUES ${weeks.join(', ')}) AS t(w)),
dense AS (
  SELECT a.account_id, k.w, a.first_w,
    coalesce(b.v, 0) AS v, coalesce(b.m, 0) AS m, coalesce(b.d, 0) AS d,
    CASE WHEN b.d > 0 THEN k.w END AS active_w,
    ${crmColumns}
  FROM accounts a
  CROSS JOIN weeks k
  LEFT JOIN weekly b ON b.account_id = a.account_id AND b.w = k.w${crmJoins}
  WHERE k.w <= a.first_w
),
diffs AS (
  SELECT *, power(v - lead(v) OVER (PARTITION BY account_id ORDER BY w), 2) AS dv2
  FROM dense
)
SELECT account_id, cast(w AS double) AS w, cast(first_w AS double) AS first_w,
  cast(min(active_w) OVER (PARTITION BY account_id ORDER BY w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS double) AS last_w,
  ${frame('v', following(0, K - 1))} AS v_last,
  ${frame('v', following(K, 2 * K - 1))} AS v_prev,
  ${frame('v', following(2 * K, 3 * K - 1))} AS v_prev2,
  ${frame('v', `${K} PRECEDING AND 1 PRECEDING`)} AS v_fut3,
  ${frame('v', `${2 * K} PRECEDING AND ${K + 1} PRECEDING`)} AS v_fut6,
  ${frame('m', following(0, R - 1))} AS m_recent,
  ${frame('m', following(R, K - 1))} AS m_rest,
  ${frame('d', following(0, K - 1))} AS d_last,
  ${frame('dv2', following(K, 2 * K - 2))} AS q_prev,
  ${frame('dv2', following(0, K - 2))} AS q_last,
  ${frame('dv2', following(2 * K, 3 * K - 2))} AS q_prev2,
  ${activityFrame(following(0, K - 1))} AS a_last,
  ${activityFrame(following(K, 2 * K - 1))} AS a_prev,
  ${activityFrame(following(2 * K, 3 * K - 1))} AS a_prev2
FROM diffs`;
}

/**
 * The sum of a double expression as a double, the same whatever order the engine adds the rows in: each value is
 * rounded to 18 decimals and summed exactly as a decimal (a parallel sum of doubles differs in its last digits from
 * one run to the next, in DuckDB as in Trino).
 */
const exactSum = (expr: string): string => `cast(sum(cast(${expr} AS decimal(38, 18))) AS double)`;

/** ln(a + 1) - ln(b + 1) in SQL: the log change of ownTrend.ts's logChange, for two window columns. */
const lnChange = (a: string, b: string): string => `ln(${a} + 1) - ln(${b} + 1)`;

/**
 * Per origin week of a trend grid table: the population medians (exact, portable: row_number over the sorted
 * values) of the raw log changes over the accounts with full inputs there (first active week at least 2K - 1 weeks
 * before the origin): `c` = ln(v_last + 1) - ln(v_prev + 1), `y3` = ln(v_fut3 + 1) - ln(v_last + 1), `y6` the same
 * with v_fut6. Columns: w, k ('c' | 'y3' | 'y6'), median, n.
 */
export function originMediansSql(table: string, windowWeeks: number): string {
  const K = windowWeeks;
  return `WITH g AS (
  SELECT w,
    ${lnChange('v_last', 'v_prev')} AS c,
    ${lnChange('v_fut3', 'v_last')} AS y3,
    ${lnChange('v_fut6', 'v_last')} AS y6
  FROM ${table}
  WHERE first_w >= w + ${2 * K - 1}
),
changes AS (
  SELECT w, 'c' AS k, c AS x FROM g
  UNION ALL SELECT w, 'y3' AS k, y3 AS x FROM g
  UNION ALL SELECT w, 'y6' AS k, y6 AS x FROM g
),
ranked AS (
  SELECT w, k, x,
    row_number() OVER (PARTITION BY w, k ORDER BY x) AS rn,
    count(*) OVER (PARTITION BY w, k) AS n
  FROM changes
)
SELECT cast(w AS double) AS w, k, cast(avg(x) AS double) AS median, cast(max(n) AS double) AS n
FROM ranked
WHERE rn >= n / 2.0 AND rn <= n / 2.0 + 1
GROUP BY w, k
ORDER BY w, k`;
}

/**
 * Per origin week, the raw sums of the shrinkage regression's pairs over **every** account of a trend grid table
 * with three full windows (first_w >= w + 3K - 1): n, the sums of x = ln(v_prev + 1) - ln(v_prev2 + 1) (the previous
 * change) and y = ln(v_last + 1) - ln(v_prev + 1) (the change), of x y and x^2, and the sum and count of the shared
 * window's noise variance K q_prev / (2 (K - 1) (v_prev + 1)^2) where q_prev is known (windowNoiseVariance), and
 * the same of the earliest window (q_prev2, v_prev2) for the per-account reliability (reliability.ts). The
 * origin's population medians are taken off in JS (correctedPairSums). One row per origin: memory does not grow with
 * accounts. The sums are exact decimal sums (exactSum), so a run gives the same figures every time.
 */
export function shrinkagePairSumsSql(table: string, windowWeeks: number): string {
  const K = windowWeeks;
  // windowNoiseVariance of a window: K q / (2 (K - 1) (v + 1)^2), NULL where q is unknown
  const noiseOf = (q: string, v: string) => `CASE WHEN ${q} IS NULL THEN NULL
      ELSE ${K} * cast(${q} AS double) / (${2 * (K - 1)} * (cast(${v} AS double) + 1) * (cast(${v} AS double) + 1)) END`;
  return `WITH p AS (
  SELECT w,
    ${lnChange('v_prev', 'v_prev2')} AS x,
    ${lnChange('v_last', 'v_prev')} AS y,
    ${noiseOf('q_prev', 'v_prev')} AS noise,
    ${noiseOf('q_prev2', 'v_prev2')} AS noise_prev2
  FROM ${table}
  WHERE first_w >= w + ${3 * K - 1}
)
SELECT cast(w AS double) AS w, cast(count(*) AS double) AS n,
  ${exactSum('x')} AS sx, ${exactSum('y')} AS sy,
  ${exactSum('x * y')} AS sxy, ${exactSum('x * x')} AS sxx,
  coalesce(${exactSum('noise')}, 0) AS sum_noise, cast(count(noise) AS double) AS noise_pairs,
  coalesce(${exactSum('noise_prev2')}, 0) AS sum_noise_prev2,
  cast(count(noise_prev2) AS double) AS noise_prev2_pairs
FROM p
GROUP BY w
ORDER BY w`;
}

/** The rows of a trend grid table for the given account ids (a bounded sample), by origin week then id. */
export function gridSampleSql(table: string, ids: readonly string[]): string {
  if (ids.length === 0) throw new Error('gridSampleSql needs at least one account id');
  const list = ids.map(sqlString).join(', ');
  return `SELECT * FROM ${table} WHERE account_id IN (${list}) ORDER BY w, account_id`;
}

/** The `latest` CTE of several dates: each account's last active day on or before each date, by an ordered walk. */
function latestOfDates(): string {
  return `spans AS (
  SELECT account_id, date_day,
    lead(date_day) OVER (PARTITION BY account_id ORDER BY date_day) AS next_day,
    min(date_day) OVER (PARTITION BY account_id) AS first_day
  FROM active
),
latest AS (
  SELECT d.as_of, s.account_id, s.date_day AS last_active_on, s.first_day
  FROM dates d
  JOIN spans s ON s.date_day <= d.as_of AND (s.next_day IS NULL OR s.next_day > d.as_of)`;
}

/**
 * The `latest` CTE of one date t: the max and min date of each account's active rows on or before t. The same as
 * `latestOfDates` for t: its row is the account's last active day on or before t, and the account's first active
 * day is on or before that one.
 */
function latestOfOneDate(date: string): string {
  return `latest AS (
  SELECT d.as_of, m.account_id, m.last_active_on, m.first_day
  FROM dates d
  CROSS JOIN (
    SELECT account_id, max(date_day) AS last_active_on, min(date_day) AS first_day
    FROM pendo__account_daily_metrics
    WHERE ${ACTIVE_ROW} AND date_day <= ${sqlDate(date)}
    GROUP BY account_id
  ) m`;
}

/**
 * One row per (as_of, account) for every account active on or before as_of: trailing sums over the short and long
 * windows, the minutes of the two earlier months of the long window (m2 = days 31-60 back, m3 = 61-90 back, for the
 * slope), days since the last active day and days since the first. Windows are (t - w, t].
 *
 * With one date (a run's as-of, a backfill date), the same rows from cheaper SQL: only the long window's days are
 * grouped into account-days, and the last and first active day are the max and min date of the account's active rows
 * on or before t (the days of several dates need the ordered walk over every account-day: 9.9 of the query's 9.9 s
 * at 100,000 accounts went to it and to grouping every day, against about 2 s now).
 */
export function pointInTimeSql({
  dates,
  shortWindowDays,
  longWindowDays,
}: PointInTimeSqlParams): string {
  const unique = [...new Set(dates)].sort();
  if (unique.length === 0) throw new Error('point-in-time SQL needs at least one date');
  for (const d of unique) checkDate(d, 'a point-in-time date');
  if (!(shortWindowDays > 0 && longWindowDays >= shortWindowDays)) {
    throw new Error('windows must satisfy 0 < short <= long');
  }
  const month = Math.round(longWindowDays / 3);
  const single = unique.length === 1;
  const values = unique
    .map(
      (d) =>
        `(${sqlDate(d)}, ${sqlDate(addDays(d, -shortWindowDays))}, ${sqlDate(addDays(d, -month))}, ` +
        `${sqlDate(addDays(d, -2 * month))}, ${sqlDate(addDays(d, -longWindowDays))})`,
    )
    .join(',\n    ');
  return `WITH dates AS (
  SELECT * FROM (VALUES
    ${values}
  ) AS t(as_of, short_start, m1_start, m2_start, long_start)
),
${
  single
    ? ''
    : `active AS (${activeDaysSql()}),
`
}windowed AS (
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
  JOIN ${single ? `(${activeDaysSql({ after: addDays(unique[0], -longWindowDays), through: unique[0] })})` : 'active'} a
    ON a.date_day > d.long_start AND a.date_day <= d.as_of
  GROUP BY d.as_of, a.account_id
),
${single ? latestOfOneDate(unique[0]) : latestOfDates()}
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
