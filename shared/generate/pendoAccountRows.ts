/** pendo__account rows: the latest account_history metadata plus the exact roll-up of the account's daily rows. */

import { PENDO_SOURCE } from './dailyMetricsRows.ts';
import { hash32, timestampText } from './format.ts';
import { Rng } from './random.ts';
import type { SampleAccount, SampleWorld } from './sampleWorld.ts';
import { usageColumns } from './usageColumns.ts';
import { STREAM } from './worldFactors.ts';
import type { SampleRow } from './writeCsvTable.ts';

/** The plan level (agent_planlevel) of an account of latent value 0-1, with some noise. */
export function planLevel(value: number, noise: number): string {
  const v = value + 0.15 * noise;
  return v > 0.8 ? 'Enterprise' : v > 0.5 ? 'Pro' : v > 0.2 ? 'Starter' : 'Free';
}

function accountRow(world: SampleWorld, acc: SampleAccount): SampleRow {
  const r = new Rng(world.opts.seed, STREAM.pendoAccountRow, acc.index);
  const asOf = world.opts.asOfDay;
  const roll = acc.rollup;
  const created = (acc.startDay >= 0 ? acc.startDay : world.windowStart) - r.int(0, 400);
  const plan = planLevel(acc.value, r.normal());
  const _days = roll.activeDays;
  const nps = acc.nps;
  return {
    source_relation: PENDO_SOURCE,
    account_id: acc.id,
    last_updated_at: timestampText(asOf - r.int(0, 30), r.int(0, 86_399)),
    account_id_hash: hash32(acc.id),
    first_visit_at: timestampText(created, r.int(0, 86_399)),
    last_visit_at: roll.lastDay >= 0 ? timestampText(roll.lastDay, r.int(28_800, 72_000)) : null,
    _fivetran_synced: timestampText(asOf, 82_800 + r.int(0, 3_599)),
    latest_account_index: 1,
    agent_name: acc.name,
    agent_planlevel: plan,
    agent_is_paying: plan === 'Free' ? 'false' : 'true',
    agent_salesforceaccountid: acc.linkId,
    count_associated_visitors: acc.associated,
    min_nps_rating: nps.n > 0 ? nps.min : null,
    max_nps_rating: nps.n > 0 ? nps.max : null,
    avg_nps_rating: nps.n > 0 ? nps.sum / nps.n : null,
    count_active_visitors: roll.visitorDays,
    count_page_viewing_visitors: roll.pageVisitorDays,
    count_feature_clicking_visitors: roll.pageVisitorDays, // the dbt_pendo bug, as in the daily rows
    ...usageColumns(roll),
  };
}

/** Yields one pendo__account row per Pendo account (orphan daily-only ids excluded); run after the daily pass. */
export function* pendoAccountRows(world: SampleWorld): Generator<SampleRow> {
  for (const acc of world.accounts) if (acc.inPendo) yield accountRow(world, acc);
}
