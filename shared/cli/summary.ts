import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LocalRunResult } from '../pipeline/runLocal.ts';

/** Formats a number for a summary line (thousands separators, up to 1 decimal). */
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const money = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** Reads a CSV of the run folder, or null when the run did not write it. */
async function readRunCsv(runDir: string, name: string): Promise<Record<string, string>[] | null> {
  try {
    return parse(await readFile(join(runDir, name)), { columns: true });
  } catch {
    return null;
  }
}

type StepOut = Record<string, unknown>;

/** The classifier line: where p_high_value came from (champion model or value-index fallback). */
function classifierLines(steps: Record<string, StepOut>): string[] {
  const hv = steps['predict-high-value'];
  if (!hv) return [];
  return [
    `  high-value classifier: ${String(hv.source)} ${String(hv.modelVersion ?? '')} (${String(hv.reason)})`,
  ];
}

/** The trend lines: Up/Flat/Down counts, methods, top movers, backtest hit rates. */
function trendLines(steps: Record<string, StepOut>): string[] {
  const t = steps['value-trends'];
  if (!t) return [];
  const total = (c: unknown) =>
    Object.values((c as Record<string, number>) ?? {}).reduce((a, b) => a + b, 0);
  if (total(t.counts3m) === 0) return ['  value trends: not scored (no product usage history)'];
  const counts = (c: unknown) =>
    ['Up', 'Flat', 'Down']
      .map((k) => `${k} ${fmt(Number((c as Record<string, number>)?.[k] ?? 0))}`)
      .join(', ');
  const lines = [
    `  value trends 3 months (${String(t.method3m)}): ${counts(t.counts3m)}`,
    `  value trends 6 months (${String(t.method6m)}): ${counts(t.counts6m)}`,
  ];
  const pct = (v: unknown) => `${(100 * Number(v)).toFixed(1)}%`;
  if (typeof t.hitRate3mSelected === 'number') {
    const model =
      typeof t.hitRate3mModel === 'number' ? ` (learned model ${pct(t.hitRate3mModel)})` : '';
    lines.push(
      `    3-month backtest direction hit rate: CVS ${pct(t.hitRate3mSelected)}${model}, all-Flat ${pct(t.hitRate3mFlat)}, persistence ${pct(t.hitRate3mLastChange)}`,
    );
  }
  const ids = (v: unknown) =>
    Array.isArray(v)
      ? v.map((x) =>
          typeof x === 'string' ? x : String((x as { account_id?: string }).account_id),
        )
      : [];
  if (ids(t.topRising).length) lines.push(`    top rising: ${ids(t.topRising).join(', ')}`);
  if (ids(t.topDeclining).length)
    lines.push(`    top declining: ${ids(t.topDeclining).join(', ')}`);
  return lines;
}

/** Issue 13 lines: what changed since the previous run, champions. */
function customerSuccessLines(steps: Record<string, StepOut>): string[] {
  const lines: string[] = [];
  const c = steps['account-changes'];
  if (c)
    lines.push(
      c.previousRun
        ? `  changes since ${String(c.previousRun)}: ${fmt(Number(c.healthBandChanges))} health band, ${fmt(Number(c.valueTierChanges))} value tier, ${fmt(Number(c.hvBandChanges))} probability band (why_changed in account_scores.csv)`
        : '  changes: first run, nothing stored to compare with',
    );
  const v = steps['visitor-champions'];
  if (v && typeof v.visitorsScored === 'number')
    lines.push(
      `  champions: ${fmt(v.visitorsScored)} visitors scored (${fmt(Number(v.anonymousVisitorsLeftOut))} anonymous left out), ${fmt(Number(v.accountsWithSilentChampion))} accounts with a silent champion`,
    );
  return lines;
}

/** A short text summary of a finished run: accounts, quarantine, top accounts, risk, tiers, trends, outputs. */
export async function runSummary(result: LocalRunResult): Promise<string> {
  const rows = (await readRunCsv(result.runDir, 'account_scores.csv')) ?? [];
  const dq = JSON.parse(await readFile(join(result.runDir, 'data_quality.json'), 'utf8'));
  const tables = Object.entries(dq.tables as Record<string, { rows_quarantined?: number }>);
  const quarantined = tables.reduce((s, [, t]) => s + (t.rows_quarantined ?? 0), 0);
  const byTable = tables
    .filter(([, t]) => (t.rows_quarantined ?? 0) > 0)
    .map(([name, t]) => `${name} ${fmt(t.rows_quarantined ?? 0)}`)
    .join(', ');
  const scored = rows.filter((r) => r.value_index !== '');
  const top = [...scored].sort((a, b) => Number(b.value_index) - Number(a.value_index)).slice(0, 5);
  const withCrm = rows.filter((r) => r.crm_health_score !== '');
  const highRisk = withCrm.filter((r) => r.high_risk === 'true').length;
  const steps = result.state.steps as Record<string, StepOut>;
  const risk = steps['risk-and-revenue'];
  const tiers = await readRunCsv(result.runDir, 'tier_summary.csv');
  const alerts = steps['send-alerts'];
  const lines = [
    `CVS run ${result.asOf}`,
    `  accounts scored: ${fmt(rows.length)} (${fmt(scored.length)} with product usage, ${fmt(withCrm.length)} with CRM)`,
    `  rows quarantined: ${fmt(quarantined)}${byTable ? ` (${byTable})` : ''}`,
    withCrm.length
      ? `  high-risk accounts (CRM health < 50): ${fmt(highRisk)} of ${fmt(withCrm.filter((r) => r.high_risk !== '').length)}${undecided(withCrm)}`
      : '  high-risk accounts: not scored (no Salesforce data)',
    ...(top.length
      ? ['  top accounts by value index:']
      : ['  value index: not scored (no Pendo data)']),
    ...top.map(
      (r, i) =>
        `    ${i + 1}. ${r.account_id}${r.account_name ? ` (${r.account_name})` : ''}  value index ${Number(r.value_index).toFixed(3)}${r.p_high_value ? `  p(high value) ${Number(r.p_high_value).toFixed(2)}` : ''}${r.crm_health_score ? `  CRM health ${Number(r.crm_health_score).toFixed(0)}` : ''}`,
    ),
    ...classifierLines(steps),
    ...(Array.isArray(risk?.riskiestSegments) && risk.riskiestSegments.length
      ? [
          '  riskiest segments (high-risk rate, not thin):',
          ...risk.riskiestSegments.map((s) => `    - ${s}`),
        ]
      : []),
    ...(tiers
      ? [
          '  6-month revenue tiers:',
          ...tiers.map(
            (t) =>
              `    ${t.tier}: ${fmt(Number(t.accounts))} accounts, predicted ${money(Number(t.total_predicted_6m_revenue))}, average health ${Number(t.average_health).toFixed(1)}`,
          ),
        ]
      : []),
    ...trendLines(steps),
    ...customerSuccessLines(steps),
    ...(alerts
      ? [
          alerts.skipped
            ? `  alert digests: none (${String(alerts.skipped)})`
            : `  alert digests: ${String(alerts.sent)} sent of ${String(alerts.messages)} (outbox/)`,
        ]
      : []),
    ...(dq.notes?.length ? ['  notes:', ...dq.notes.map((n: string) => `    - ${n}`)] : []),
    `  outputs: ${result.runDir}/ (account_scores.csv, report.html, data_quality.json, manifest.json)`,
  ];
  return lines.join('\n');
}

/** ", N undecided (missing: tables)" for accounts whose health was renormalised over absent tables, else ''. */
function undecided(rows: readonly Record<string, string>[]): string {
  const open = rows.filter((r) => r.high_risk === '');
  if (open.length === 0) return '';
  const tables = [
    ...new Set(
      open.flatMap((r) => (r.missing_inputs ?? '').split(';').filter((e) => e.includes('/'))),
    ),
  ].sort();
  return `, ${fmt(open.length)} undecided (${tables.length ? `not exported: ${tables.join(', ')}` : 'too few inputs'})`;
}
