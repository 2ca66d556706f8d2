import { accountChanges, changeColumns } from '../../changes/accountChanges.ts';
import { earlierRuns } from '../../changes/earlierRuns.ts';
import { readCsvRows, writeCsvRows } from '../../io/csvTable.ts';
import type { StepFn } from '../types.ts';
import { FEATURES_KEY, partKey } from './keys.ts';
import { mergeParts } from './parts.ts';

/** The parts the changes are computed from (those written so far). */
const SOURCES = [FEATURES_KEY, ...['scores', 'value_tiers', 'high_value'].map(partKey)];

/**
 * Step account-changes (after value-trends, before risk-and-revenue so the alert digests can show it): each account's
 * change of value index, p_high_value, product and CRM health, value tier and bands against the previous stored run
 * and the runs about 7 and 30 days back, with `why_changed` (parts/changes.csv). First run: empty deltas and a note.
 */
export const accountChangesStep: StepFn = async (state, ctx) => {
  const cfg = ctx.config.changes;
  const present = new Set((await ctx.run.list('parts/')).map((o) => o.key));
  const parts = await Promise.all(
    SOURCES.filter((k) => present.has(k)).map((k) => readCsvRows(ctx.run, k)),
  );
  const { rows } = mergeParts(parts);
  const earlier = await earlierRuns(ctx.ports.scores, state.asOf, cfg.lookbackDays, cfg.slackDays);
  const changes = accountChanges(rows, earlier, ctx.config);
  const labels = earlier.lookback.map((l) => l.label);
  await writeCsvRows(ctx.run, partKey('changes'), changes, changeColumns(labels));
  const compared = changes.filter((c) => c.changed_since !== null);
  const moved = (col: string) => compared.filter((c) => c[col] !== null).length;
  return {
    partKey: partKey('changes'),
    previousRun: earlier.previous?.asOf ?? null,
    ...Object.fromEntries(earlier.lookback.map((l) => [`run${l.label}`, l.run?.asOf ?? null])),
    accountsCompared: compared.length,
    valueTierChanges: moved('value_tier_change'),
    healthBandChanges: moved('crm_health_band_change'),
    hvBandChanges: moved('hv_band_change'),
  };
};
