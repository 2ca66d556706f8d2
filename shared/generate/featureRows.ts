/**
 * pendo__visitor_feature and pendo__feature rows. Each active visitor uses a number of distinct features that grows
 * with its account's value; per (visitor, feature) pair count_active_days <= count_click_events <= sum_clicks. The
 * visitor-feature pass sums the per-feature statistics that pendo__feature then reports. A few rows reference
 * visitors missing from pendo__visitor (pitfall 8) and features missing from pendo__feature (pitfall 9).
 */
import { PENDO_SOURCE } from './dailyMetricsRows.ts';
import type { FeatureCatalogue, SampleFeature } from './featureCatalogue.ts';
import { hourText, timestampText } from './format.ts';
import { Rng } from './random.ts';
import type { SampleVisitor } from './sampleVisitors.ts';
import type { SampleWorld } from './sampleWorld.ts';
import { STREAM } from './worldFactors.ts';
import type { SampleRow } from './writeCsvTable.ts';

/** Click statistics of every feature, summed over its visitor-feature rows (hours are day * 24 + hour). */
export interface FeatureStats {
  visitors: Int32Array;
  accounts: Int32Array;
  lastAccount: Int32Array;
  clicks: Float64Array;
  clickEvents: Float64Array;
  minutes: Float64Array;
  firstHour: Float64Array;
  lastHour: Float64Array;
}

/** Empty statistics for every feature of the catalogue. */
export function emptyFeatureStats(count: number): FeatureStats {
  return {
    visitors: new Int32Array(count),
    accounts: new Int32Array(count),
    lastAccount: new Int32Array(count).fill(-1),
    clicks: new Float64Array(count),
    clickEvents: new Float64Array(count),
    minutes: new Float64Array(count),
    firstHour: new Float64Array(count).fill(Number.POSITIVE_INFINITY),
    lastHour: new Float64Array(count).fill(-1),
  };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function pairRow(
  r: Rng,
  visitorId: string,
  v: Pick<SampleVisitor, 'activeDays' | 'firstDay' | 'lastDay' | 'home'>,
  fi: number,
  f: SampleFeature,
  relPopularity: number,
  stats: FeatureStats | null,
): SampleRow {
  const d = v.activeDays;
  const frac = r.uniform(0.05, 0.6) * (0.3 + 0.7 * relPopularity);
  const days = Math.max(1, Math.min(d, Math.round(d * frac)));
  const clickEvents = days + Math.floor(days * r.lognormal(0.6, 0.6));
  const clicks = clickEvents + Math.floor(clickEvents * r.lognormal(1, 0.7));
  const minutes = Math.min(
    60 * clickEvents,
    Math.max(clickEvents, Math.round(clickEvents * r.lognormal(1.8, 0.5))),
  );
  const span = v.lastDay - v.firstDay + 1;
  let firstDay: number;
  let lastDay: number;
  if (days === 1) {
    firstDay = v.firstDay + r.int(0, span - 1);
    lastDay = firstDay;
  } else {
    const slack = span - days;
    const off1 = r.int(0, Math.floor(slack / 2));
    firstDay = v.firstDay + off1;
    lastDay = v.lastDay - r.int(0, Math.floor((slack - off1) / 2));
  }
  const h1 = r.int(7, 20);
  const h2 = firstDay === lastDay ? (clickEvents > 1 ? r.int(h1, 23) : h1) : r.int(7, 21);
  if (stats) {
    stats.visitors[fi]++;
    if (stats.lastAccount[fi] !== v.home) {
      stats.accounts[fi]++;
      stats.lastAccount[fi] = v.home;
    }
    stats.clicks[fi] += clicks;
    stats.clickEvents[fi] += clickEvents;
    stats.minutes[fi] += minutes;
    stats.firstHour[fi] = Math.min(stats.firstHour[fi], firstDay * 24 + h1);
    stats.lastHour[fi] = Math.max(stats.lastHour[fi], lastDay * 24 + h2);
  }
  return {
    source_relation: PENDO_SOURCE,
    visitor_id: visitorId,
    feature_id: f.id,
    feature_name: f.name,
    product_area_id: f.groupId === '' ? null : f.groupId,
    product_area_name: f.areaName,
    first_click_at: hourText(firstDay, h1),
    last_click_at: hourText(lastDay, h2),
    sum_clicks: clicks,
    sum_minutes: minutes,
    avg_daily_minutes: Math.round((minutes / days) * 1000) / 1000,
    count_active_days: days,
    count_click_events: clickEvents,
  };
}

/** Yields pendo__visitor_feature rows and sums `stats`; run after fillVisitorMetrics. */
export function* visitorFeatureRows(world: SampleWorld, stats: FeatureStats): Generator<SampleRow> {
  const cat: FeatureCatalogue = world.catalogue;
  const clickable = cat.features.slice(0, cat.known).filter((f) => f.popularity > 0).length;
  const maxPop = Math.max(...cat.features.slice(0, cat.known).map((f) => f.popularity));
  const picked = new Set<number>();
  const active: number[] = [];
  for (let i = 0; i < world.visitors.length; i++) {
    const v = world.visitors[i];
    if (v.activeDays === 0) continue;
    active.push(i);
    const r = new Rng(world.opts.seed, STREAM.visitorFeature, i);
    const value = world.accounts[v.home].usage;
    const median = (0.8 + 4.5 * value) * Math.min(1, (v.activeDays / 15) ** 0.4);
    const k = Math.max(1, Math.min(40, clickable, Math.round(r.lognormal(median, 0.6))));
    picked.clear();
    for (let tries = 0; picked.size < k && tries < 8 * k; tries++) picked.add(r.weighted(cat.cdf));
    for (const fi of [...picked].sort((a, b) => a - b)) {
      const f = cat.features[fi];
      yield pairRow(r, v.id, v, fi, f, f.popularity / maxPop, stats);
    }
  }
  if (active.length === 0) return;
  // Pitfall 8: clicks by visitors that are not in pendo__visitor (12-character anonymous ids never collide with
  // the 11-character ones of the visitor table). Pitfall 9: clicks on features missing from pendo__feature.
  const r = new Rng(world.opts.seed, STREAM.visitorFeature, -1);
  const extra = Math.max(2, Math.round(world.visitors.length * 0.0005));
  for (let k = 0; k < extra; k++) {
    const like = world.visitors[r.pick(active)];
    const fi = r.weighted(cat.cdf);
    yield pairRow(r, `_PENDO_T_${r.chars(12, ALNUM)}`, like, fi, cat.features[fi], 0.5, stats);
  }
  const ghostVisitors = r.shuffle([...active]).slice(0, extra);
  for (let k = 0; k < ghostVisitors.length; k++) {
    const v = world.visitors[ghostVisitors[k]];
    const fi = cat.known + (k % (cat.features.length - cat.known));
    yield pairRow(r, v.id, v, fi, cat.features[fi], 0.5, null);
  }
}

/** A Pendo user (the catalogue's author) by number. */
function pendoUser(n: number): { id: string; name: string; username: string } {
  const people = [
    'Ada Lovelace',
    'Grace Hopper',
    'Alan Turing',
    'Katherine Johnson',
    'Linus Pauling',
  ];
  const name = people[n % people.length];
  return {
    id: String(4_503_599_627_370_496 + n * 7_919),
    name,
    username: `${name.split(' ')[0].toLowerCase()}@example.com`,
  };
}

/** Yields one pendo__feature row per known feature (never-clicked ones included); run after visitorFeatureRows. */
export function* pendoFeatureRows(world: SampleWorld, stats: FeatureStats): Generator<SampleRow> {
  const cat = world.catalogue;
  const asOf = world.opts.asOfDay;
  for (let i = 0; i < cat.known; i++) {
    const f = cat.features[i];
    const r = new Rng(world.opts.seed, STREAM.featureRow, i);
    const page = f.page >= 0 ? cat.pages[f.page] : null;
    const creator = pendoUser(r.int(0, 4));
    const updater = pendoUser(r.int(0, 4));
    const n = stats.visitors[i];
    const clicked = stats.lastHour[i] >= 0;
    yield {
      source_relation: PENDO_SOURCE,
      feature_id: f.id,
      app_id: '-323232',
      created_at: timestampText(f.createdDay, r.int(0, 86_399)),
      created_by_user_id: creator.id,
      is_dirty: r.chance(0.05),
      group_id: f.groupId === '' ? null : f.groupId,
      is_core_event: f.isCore,
      last_updated_at: timestampText(f.createdDay + r.int(0, 200), r.int(0, 86_399)),
      last_updated_by_user_id: updater.id,
      feature_name: f.name,
      page_id: page?.id ?? null,
      root_version_id: r.chars(27, ALNUM),
      stable_version_id: r.chars(27, ALNUM),
      valid_through: timestampText(asOf, r.int(0, 86_399)),
      _fivetran_synced: timestampText(asOf, 82_800 + r.int(0, 3_599)),
      product_area_name: f.areaName,
      page_name: page?.name ?? null,
      page_created_at: page ? timestampText(page.createdDay, r.int(0, 86_399)) : null,
      page_valid_through: page ? timestampText(asOf, r.int(0, 86_399)) : null,
      app_display_name: 'Example App',
      app_platform: 'web',
      created_by_user_full_name: creator.name,
      created_by_user_username: creator.username,
      last_updated_by_user_full_name: updater.name,
      last_updated_by_user_username: updater.username,
      count_visitors: n,
      count_accounts: stats.accounts[i],
      sum_clicks: stats.clicks[i],
      count_click_events: stats.clickEvents[i],
      first_click_at: clicked
        ? hourText(Math.floor(stats.firstHour[i] / 24), stats.firstHour[i] % 24)
        : null,
      last_click_at: clicked
        ? hourText(Math.floor(stats.lastHour[i] / 24), stats.lastHour[i] % 24)
        : null,
      avg_visitor_minutes: n > 0 ? Math.round((stats.minutes[i] / n) * 1000) / 1000 : 0,
      avg_visitor_events: n > 0 ? Math.round((stats.clicks[i] / n) * 1000) / 1000 : 0,
    };
  }
}
