/**
 * pendo__account_daily_metrics rows: for every account seen in events, one row per day from its first event day to
 * asOf (the dbt spine). Inactive days carry NULL metrics. The daily activity rate follows the account's trend
 * archetype; usage per visitor is lognormal. While yielding, the generator sums each account's roll-up, which is
 * then written as pendo__account, so the two tables agree exactly.
 */
import { dayText, monthKey, weekday } from './format.ts';
import { Rng } from './random.ts';
import type { SampleAccount, SampleWorld } from './sampleWorld.ts';
import { STREAM, trendFactor } from './worldFactors.ts';
import type { SampleRow } from './writeCsvTable.ts';

/** source_relation of every Pendo row (one connection: `<database>.<schema>`). */
export const PENDO_SOURCE = 'pendo_db.pendo';

/** The metrics of one active day, before rendering. */
export interface DayMetrics {
  visitors: number;
  minutes: number;
  events: number;
  records: number;
  pages: number;
  features: number;
  pageVisitors: number;
}

/** Draws one active day's metrics for `visitors` active visitors (at least 1); all constraints of the contract hold. */
export function drawDay(
  r: Rng,
  acc: SampleAccount,
  visitors: number,
  pageCount: number,
  featureCount: number,
): DayMetrics {
  const minutes = Math.min(
    visitors * 600,
    Math.max(visitors, Math.round(visitors * r.lognormal(10 + 25 * acc.usage, 0.7))),
  );
  const events = minutes + Math.round(minutes * r.lognormal(1.2, 0.5));
  const lo = Math.max(visitors, Math.ceil(minutes / 60));
  const records = Math.min(minutes, Math.max(lo, Math.round(visitors * r.lognormal(2.5, 0.5))));
  const pageVisitors = r.chance(0.03)
    ? 0
    : Math.min(visitors, Math.round(visitors * r.uniform(0.7, 1)));
  const breadth = 0.3 + 1.2 * acc.usage;
  const spread = Math.log1p(visitors);
  const pages =
    pageVisitors === 0 ? 0 : Math.min(pageCount, 1 + r.poisson(1 + 3 * breadth * spread));
  const features = Math.min(featureCount, r.poisson(0.5 + 4 * breadth * spread));
  return { visitors, minutes, events, records, pages, features, pageVisitors };
}

function metricRow(accountId: string | null, day: number, m: DayMetrics | null): SampleRow {
  const row: SampleRow = {
    source_relation: PENDO_SOURCE,
    date_day: dayText(day),
    account_id: accountId,
  };
  if (m) {
    row.count_active_visitors = m.visitors;
    row.sum_minutes = m.minutes;
    row.sum_events = m.events;
    row.count_event_records = m.records;
    row.count_pages_viewed = m.pages;
    row.count_features_clicked = m.features;
    row.count_page_viewing_visitors = m.pageVisitors;
    // dbt_pendo bug (contract pitfall 1): filled from the page-event visitor count.
    row.count_feature_clicking_visitors = m.pageVisitors;
  }
  return row;
}

/** Yields every daily row (accounts in index order, then the NULL-account series) and fills each account's roll-up. */
export function* dailyMetricsRows(world: SampleWorld): Generator<SampleRow> {
  const asOf = world.opts.asOfDay;
  const pageCount = world.catalogue.pages.length;
  const featureCount = world.catalogue.features.length;
  for (const acc of world.accounts) {
    if (acc.startDay < 0) continue;
    const r = new Rng(world.opts.seed, STREAM.daily, acc.index);
    const engagement = 0.04 + 0.3 * acc.usage;
    const roll = acc.rollup;
    let lastMonth = -1;
    for (let day = acc.startDay; day <= asOf; day++) {
      const weekend = weekday(day) === 0 || weekday(day) === 6;
      const f = trendFactor(world, acc, day) * (weekend ? 0.25 : 1) * Math.exp(0.35 * r.normal());
      let visitors = Math.min(acc.visitorCount, r.poisson(acc.visitorCount * engagement * f));
      if (day === acc.startDay) visitors = Math.max(1, visitors); // the spine starts at the first event day
      if (visitors === 0) {
        yield metricRow(acc.id, day, null);
        continue;
      }
      const m = drawDay(r, acc, visitors, pageCount, featureCount);
      roll.activeDays++;
      const mk = monthKey(day);
      if (mk !== lastMonth) {
        roll.activeMonths++;
        lastMonth = mk;
      }
      roll.visitorDays += m.visitors;
      roll.pageVisitorDays += m.pageVisitors;
      roll.minutes += m.minutes;
      roll.events += m.events;
      roll.records += m.records;
      if (roll.firstDay < 0) roll.firstDay = day;
      roll.lastDay = day;
      yield metricRow(acc.id, day, m);
    }
  }
  // Events with a NULL account_id: the spine exists, but the join on NULL never matches, so every metric is NULL.
  for (let day = world.nullSeriesStart; day <= asOf; day++) yield metricRow(null, day, null);
}
