import { championSilentTrigger } from '../../champions/championTrigger.ts';
import { addDays } from '../../dates.ts';
import {
  ACCOUNT_PREDICTION_COLUMN_NOTES,
  assignPlaybooks,
  buildAlertDigests,
  evaluateTriggers,
  highRiskSegmentRates,
  highRiskTraits,
  revenueForecast,
  riskMatrix,
  type TriggerResult,
} from '../../insights/index.ts';
import { TriggerHistoryReducer } from '../../insights/triggerHistory.ts';
import type { ScoredAccount } from '../../insights/types.ts';
import { writeCsvRows } from '../../io/csvTable.ts';
import type { ScoreRecord, ScoreStore } from '../../ports/index.ts';
import type { StepFn } from '../types.ts';
import { readAlertLog } from './alertLog.ts';
import { DIGESTS_KEY, partKey, RUN_KEYS } from './keys.ts';
import { loadScoredAccounts, toScoredAccounts } from './scoredAccounts.ts';

/**
 * Reads the earlier daily runs (not backfilled history) before asOf, newest first, at most `limit`, one at a time:
 * each is folded into the trigger history (which keeps a few entries per account) and dropped, so memory grows with
 * accounts, not with accounts x runs. Returns the newest earlier run (its fired triggers and rows are compared with
 * this run's) and how many runs were read.
 */
export async function foldEarlierRuns(
  store: ScoreStore,
  asOf: string,
  limit: number,
  history: TriggerHistoryReducer,
): Promise<{ newest: { asOf: string; records: ScoreRecord[] } | null; runs: number }> {
  let newest: { asOf: string; records: ScoreRecord[] } | null = null;
  let runs = 0;
  for (const d of (await store.listRuns()).filter((d) => d < asOf).reverse()) {
    const records = (await store.getRun(d)).filter((r) => r.values.backfilled !== true);
    if (!records.length) continue;
    history.addRun(
      d,
      records.map((r) => ({
        accountId: r.accountId,
        entry: {
          asOf: d,
          current_pipeline_amount: n(r.values.current_pipeline_amount),
          days_since_last_event: n(r.values.days_since_last_event),
          avg_nps_rating: n(r.values.avg_nps_rating),
        },
      })),
    );
    newest ??= { asOf: d, records };
    if (++runs >= limit) break;
  }
  return { newest, runs };
}

const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * The newest date the inputs show activity on (YYYY-MM-DD): the latest product event, or the latest CRM activity on
 * or before asOf (asOf minus the smallest days_since_last_activity); null when the inputs show none.
 */
export function newestInputDate(
  rows: readonly Pick<ScoredAccount, 'last_event_on' | 'days_since_last_activity'>[],
  asOf: string,
): string | null {
  let newest: string | null = null;
  let fewestDays: number | null = null;
  for (const r of rows) {
    if (r.last_event_on && (newest === null || r.last_event_on > newest)) newest = r.last_event_on;
    const d = r.days_since_last_activity;
    if (d !== null && (fewestDays === null || d < fewestDays)) fewestDays = d;
  }
  const crm = fewestDays === null ? null : addDays(asOf, -fewestDays);
  return crm !== null && (newest === null || crm > newest) ? crm : newest;
}

/**
 * The triggers that fired for the first time: a trigger that already fired in the previous daily run is kept but
 * marked not fired, so the digest lists only newly triggered accounts (issue 4); with no previous run, all are new.
 */
export function newlyFired(
  results: readonly TriggerResult[],
  previouslyFired: ReadonlySet<string> | undefined,
): TriggerResult[] {
  if (!previouslyFired) return [...results];
  return results.map((r) =>
    r.fired === true && previouslyFired.has(r.trigger)
      ? { ...r, fired: false, reason: `${r.reason}; already firing in the previous run` }
      : r,
  );
}

/**
 * Step risk-and-revenue (seed 004 with 000 and 003): the industry x size risk matrix with Wilson intervals, traits of
 * high-risk accounts, the 6-month revenue contribution with A/B/C tiers, playbooks, monitoring triggers, and the
 * alert digests (built here, sent by send-alerts after the scores are stored).
 */
export const riskAndRevenueStep: StepFn = async (state, ctx) => {
  const cfg = ctx.config.insights;
  const rows = await loadScoredAccounts(ctx.run);
  const crmRows = rows.filter((r) => r.has_crm);
  if (crmRows.length === 0) {
    ctx.log('risk-and-revenue: no CRM data, risk matrix and revenue tiers skipped');
    return {
      skipped:
        'no Salesforce accounts in this run: risk matrix, revenue tiers and alerts need CRM data',
    };
  }
  const matrix = riskMatrix(crmRows, cfg);
  const rates = highRiskSegmentRates(matrix);
  await writeCsvRows(ctx.run, RUN_KEYS.riskMatrix, matrix);
  await writeCsvRows(ctx.run, RUN_KEYS.segmentRates, rates);
  await writeCsvRows(ctx.run, RUN_KEYS.highRiskTraits, highRiskTraits(crmRows));
  const { highBand, riskBelow } = ctx.config.crmHealth;
  const forecast = revenueForecast(crmRows, cfg, { highBand, riskBelow });
  await writeCsvRows(ctx.run, RUN_KEYS.accountPredictions, forecast.accounts);
  await ctx.run.put(
    RUN_KEYS.dataDictionary,
    JSON.stringify({ [RUN_KEYS.accountPredictions]: ACCOUNT_PREDICTION_COLUMN_NOTES }, null, 2),
    'application/json',
  );
  await writeCsvRows(ctx.run, RUN_KEYS.tierSummary, forecast.tiers);

  // Triggers need each account's earlier runs (pipeline stagnation, recency jumps, NPS falls).
  const pipelineNow = new Map(rows.map((r) => [r.account_id, r.current_pipeline_amount]));
  const history = new TriggerHistoryReducer((id) => pipelineNow.get(id) ?? null);
  const { newest: previous } = await foldEarlierRuns(ctx.ports.scores, state.asOf, 60, history);
  const firedBefore = new Map<string, Set<string>>();
  for (const r of previous?.records ?? []) {
    const fired = r.values.triggers_fired;
    firedBefore.set(
      r.accountId,
      new Set(typeof fired === 'string' && fired ? fired.split(';') : []),
    );
  }
  const triggers: Record<string, TriggerResult[]> = {};
  const prediction = new Map(forecast.accounts.map((a) => [a.account_id, a]));
  const part = rows.map((r) => {
    const t = evaluateTriggers(r, history.history(r.account_id), state.asOf, cfg);
    const champion = championSilentTrigger(r);
    if (champion) t.push(champion);
    // only what fired for the first time is kept for the digests: every trigger's result and reason for every
    // account would be the largest thing the step holds
    const fresh = newlyFired(t, firedBefore.get(r.account_id)).filter((x) => x.fired === true);
    if (fresh.length) triggers[r.account_id] = fresh;
    const p = prediction.get(r.account_id);
    const withPlaybooks = assignPlaybooks(r, cfg);
    return {
      account_id: r.account_id,
      predicted_6m_revenue: p?.predicted_6m_revenue ?? null,
      predicted_6m_revenue_low: p?.predicted_6m_revenue_low ?? null,
      predicted_6m_revenue_high: p?.predicted_6m_revenue_high ?? null,
      contribution_tier: p?.contribution_tier ?? null,
      playbook_id: withPlaybooks.playbook_id,
      playbook: withPlaybooks.playbook,
      trend_playbook_id: withPlaybooks.trend_playbook_id,
      segment_playbook_id: withPlaybooks.segment_playbook_id,
      triggers_fired: t
        .filter((x) => x.fired === true)
        .map((x) => x.trigger)
        .join(';'),
      trigger_reasons: t
        .filter((x) => x.fired === true)
        .map((x) => x.reason)
        .join('; '),
    };
  });
  await writeCsvRows(ctx.run, partKey('risk'), part);

  const inputsNewestDate = newestInputDate(rows, state.asOf);
  const previousRows = previous
    ? toScoredAccounts(previous.records.map((r) => r.values))
    : undefined;
  const digests = buildAlertDigests({
    rows,
    previousRows,
    triggers,
    asOf: state.asOf,
    runLink: ctx.ports.output.locate(`${state.runPrefix}report.html`),
    alertLog: await readAlertLog(ctx.ports.output),
    inputsNewestDate,
    config: cfg,
  });
  await ctx.run.put(DIGESTS_KEY, JSON.stringify(digests, null, 2), 'application/json');
  const riskiest = rates.filter((r) => !r.thin).slice(0, 3);
  return {
    riskMatrixKey: RUN_KEYS.riskMatrix,
    accountsWithHealth: crmRows.length,
    tierA: forecast.tiers.find((t) => t.tier === 'A')?.accounts ?? 0,
    digests: digests.messages.length,
    alertsHeld: digests.held,
    riskiestSegments: riskiest.map(
      (r) =>
        `${r.industry} - ${r.account_size_segment}: ${(100 * r.high_risk_rate).toFixed(0)}% of ${r.accounts}`,
    ),
  };
};
