/**
 * pendo__visitor rows. A visitor's usage is its weighted share of its home account's roll-up (visitor metrics are
 * not split by account in dbt_pendo, so they are only plausible, never reconciled), bounded by the account's
 * active days and active span.
 */

import { PENDO_SOURCE } from './dailyMetricsRows.ts';
import { hash32, monthKey, timestampText } from './format.ts';
import { BROWSERS, OPERATING_SYSTEMS, SERVER_NAMES } from './names.ts';
import { Rng } from './random.ts';
import type { SampleVisitor } from './sampleVisitors.ts';
import type { SampleWorld } from './sampleWorld.ts';
import { usageColumns } from './usageColumns.ts';
import { STREAM } from './worldFactors.ts';
import type { SampleRow } from './writeCsvTable.ts';

/** Fills every visitor's usage totals from its home account's roll-up; run after the daily pass. */
export function fillVisitorMetrics(world: SampleWorld): void {
  const weightSums = new Float64Array(world.accounts.length);
  for (const v of world.visitors) weightSums[v.home] += v.weight;
  world.visitors.forEach((v, i) => {
    const roll = world.accounts[v.home].rollup;
    if (roll.activeDays === 0) return;
    const r = new Rng(world.opts.seed, STREAM.visitorMetrics, i);
    const share = v.weight / weightSums[v.home];
    const days = Math.min(roll.activeDays, Math.round(roll.visitorDays * share));
    if (days === 0) return;
    v.activeDays = days;
    v.minutes = Math.max(days, Math.round(roll.minutes * share));
    v.events = Math.max(v.minutes, Math.round(roll.events * share));
    const lo = Math.max(days, Math.ceil(v.minutes / 60));
    v.records = Math.min(v.minutes, Math.max(lo, Math.round(roll.records * share)));
    const slack = roll.lastDay - roll.firstDay + 1 - days;
    const off1 = Math.floor(r.next() * slack * 0.6);
    const off2 = Math.floor(r.next() * (slack - off1) * 0.6);
    v.firstDay = roll.firstDay + off1;
    v.lastDay = roll.lastDay - off2;
    v.activeMonths = Math.min(
      days,
      monthKey(v.lastDay) - monthKey(v.firstDay) + 1,
      roll.activeMonths,
    );
  });
}

const OS_TOKENS: Record<string, string> = {
  Windows: 'Windows NT 10.0; Win64; x64',
  'Mac OS X': 'Macintosh; Intel Mac OS X 10_15_7',
  Linux: 'X11; Linux x86_64',
  iOS: 'iPhone; CPU iPhone OS 17_5 like Mac OS X',
  Android: 'Linux; Android 14; Pixel 8',
  'Chrome OS': 'X11; CrOS x86_64 14541.0.0',
};

function visitorRow(world: SampleWorld, v: SampleVisitor, index: number): SampleRow {
  const r = new Rng(world.opts.seed, STREAM.visitorRow, index);
  const asOf = world.opts.asOfDay;
  const seen = v.firstDay >= 0 ? v.firstDay : world.windowStart + r.int(0, world.windowDays - 1);
  const [browser, lo, hi] = r.pick(BROWSERS);
  const version = `${r.int(lo, hi)}.0.${r.int(0, 6000)}`;
  const os = r.pick(OPERATING_SYSTEMS);
  const agent = `Mozilla/5.0 (${OS_TOKENS[os]}) AppleWebKit/537.36 (KHTML, like Gecko) ${browser}/${version} Safari/537.36`;
  const _days = v.activeDays;
  return {
    source_relation: PENDO_SOURCE,
    visitor_id: v.id,
    account_id: v.latest >= 0 ? world.accounts[v.latest].id : null,
    first_visit_at: timestampText(seen - r.int(0, 90), r.int(0, 86_399)),
    visitor_id_hash: hash32(v.id),
    last_browser_name: browser,
    last_browser_version: version,
    last_operating_system: os,
    last_server_name: r.pick(SERVER_NAMES),
    last_updated_at: timestampText(
      v.lastDay >= 0 ? v.lastDay : asOf - r.int(0, 60),
      r.int(0, 86_399),
    ),
    last_user_agent: agent,
    last_visit: v.lastDay >= 0 ? timestampText(v.lastDay, r.int(28_800, 72_000)) : null,
    n_id:
      v.kind === 'internal'
        ? v.id.slice(1)
        : v.kind === 'email'
          ? String(r.int(100_000, 99_999_999))
          : null,
    _fivetran_synced: timestampText(asOf, 82_800 + r.int(0, 3_599)),
    latest_visitor_index: 1,
    agent_email: v.email,
    count_associated_accounts: v.accounts ? v.accounts.length : null,
    latest_nps_rating: v.nps,
    ...usageColumns(v),
  };
}

/** Yields one pendo__visitor row per visitor; run after fillVisitorMetrics. */
export function* pendoVisitorRows(world: SampleWorld): Generator<SampleRow> {
  for (let i = 0; i < world.visitors.length; i++) yield visitorRow(world, world.visitors[i], i);
}
