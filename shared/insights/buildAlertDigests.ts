import { createHash } from 'node:crypto';
import type { InsightsConfig } from '../config/insights.ts';
import type { Message } from '../ports/index.ts';
import { isAbsentTable } from '../scoring/crmHealth.ts';
import { headerAttributes, headerValue, singleLine } from './alertText.ts';
import { healthPlaybook, healthPlaybookText } from './assignPlaybooks.ts';
import { daysBetween } from './dates.ts';
import type { TriggerResult } from './evaluateTriggers.ts';
import { cellKey, type RiskMatrixRow, riskMatrix } from './riskMatrix.ts';
import { industryLabel, isHighRisk, type ScoredAccount, sizeLabel } from './types.ts';

/** One alert already sent: account, reason (a trigger id or `high-risk`) and run date (YYYY-MM-DD). */
export interface AlertLogEntry {
  accountId: string;
  trigger: string;
  asOf: string;
}

/** What buildAlertDigests needs from one daily run. */
export interface AlertDigestInput {
  /** This run's scored accounts. */
  rows: readonly ScoredAccount[];
  /** The previous run's scored accounts, for the "versus previous run" line. */
  previousRows?: readonly ScoredAccount[];
  /** This run's trigger results, by account_id. */
  triggers: Readonly<Record<string, readonly TriggerResult[]>>;
  /** Run date, YYYY-MM-DD. */
  asOf: string;
  /** Where the full list is (report or CSV link). */
  runLink: string;
  /** Alerts sent by earlier runs, for the cool-down. */
  alertLog: readonly AlertLogEntry[];
  /** Newest date found in the inputs (YYYY-MM-DD); NULL when none is known, which holds alerts back. */
  inputsNewestDate: string | null;
  config: Pick<InsightsConfig, 'alerts' | 'riskMatrix' | 'playbooks'>;
}

/** An alert-log entry waiting for the delivery of the message (dedupeKey) that carries it. */
export interface PendingAlertLogEntry extends AlertLogEntry {
  /** The message whose successful delivery lets this entry into the alert log. */
  dedupeKey?: string;
}

/** The digests to publish and the alert-log entries to append once their message is delivered. */
export interface AlertDigestResult {
  messages: Message[];
  logEntries: PendingAlertLogEntry[];
  /** True when alerts were held back for stale inputs (messages is then the single freshness notice). */
  held: boolean;
}

/** The reason id used when an account is listed because its health is below 50. */
export const HIGH_RISK_REASON = 'high-risk';

/** Subjects are at most this long (the Message contract: under 100 characters). */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * Revenue at risk of an account, in its currency: (current_pipeline_amount + total_won_amount) x (1 - p_win), with
 * p_win = health / 100 (0 without a health score) and NULL amounts as 0. Chosen over predicted_6m_revenue x
 * (1 - p_win), which peaks at health 50 and so ranks the least healthy accounts below middling ones.
 */
export function revenueAtRisk(
  row: Pick<ScoredAccount, 'crm_health_score' | 'current_pipeline_amount' | 'total_won_amount'>,
): number {
  const pWin = row.crm_health_score === null ? 0 : row.crm_health_score / 100;
  return ((row.current_pipeline_amount ?? 0) + (row.total_won_amount ?? 0)) * (1 - pWin);
}

/**
 * A subject on one line without control characters, cut to MAX_SUBJECT_LENGTH characters with an ellipsis when
 * longer (the body carries the full text).
 */
export function truncateSubject(subject: string): string {
  return headerValue(subject, MAX_SUBJECT_LENGTH);
}

/**
 * The dedupe key of a segment's digest: `<asOf>#<segment>`, or for a segment label that is long or not one clean
 * line, its first 80 characters on one line plus a hash of the whole label (unique, bounded, printable).
 */
export function digestKey(asOf: string, segment: string): string {
  if (segment.length <= 120 && singleLine(segment) === segment) return `${asOf}#${segment}`;
  const hash = createHash('sha256').update(segment).digest('hex').slice(0, 16);
  return `${asOf}#${headerValue(segment, 80)}#${hash}`;
}

/** True when neither amount is known: the opportunity table was not exported, so revenue at risk is unknown. */
function amountsUnknown(
  row: Pick<ScoredAccount, 'current_pipeline_amount' | 'total_won_amount'>,
): boolean {
  return row.current_pipeline_amount === null && row.total_won_amount === null;
}

/** The entries of `missing_inputs` (`;`-separated), split into absent tables and empty fields. */
function missingOf(row: ScoredAccount): { tables: string[]; fields: string[] } {
  const all = (row.missing_inputs ?? '').split(';').filter(Boolean);
  return { tables: all.filter(isAbsentTable), fields: all.filter((e) => !isAbsentTable(e)) };
}

interface Flagged {
  row: ScoredAccount;
  /** Reasons not in cool-down: [reason id, text, action]. */
  fresh: [string, string, string][];
  /** revenueAtRisk(row), computed once. */
  atRisk: number;
}

/**
 * Builds the daily alert digests: one message per industry x size segment that is high-risk (rate at or above the
 * configured threshold and not thin) or has newly triggered accounts, listing the top accounts by revenue at risk
 * with their reasons, the playbook and the run link. Reasons sent within `cooldownDays` are not repeated. When the
 * inputs are older than `maxInputAgeDays`, returns one freshness notice (severity `ops`) instead.
 */
export function buildAlertDigests(input: AlertDigestInput): AlertDigestResult {
  const { rows, asOf, config } = input;
  const a = config.alerts;
  const matrix = indexCells(riskMatrix(rows, config));
  const previous = input.previousRows ? indexCells(riskMatrix(input.previousRows, config)) : null;
  const cooled = new Set(
    input.alertLog
      .filter((e) => {
        const age = daysBetween(e.asOf, asOf);
        return age > 0 && age < a.cooldownDays;
      })
      .map((e) => `${e.accountId}\u0000${e.trigger}`),
  );

  const segments = new Map<
    string,
    { industry: string; size: string; flagged: Flagged[]; triggered: boolean }
  >();
  for (const row of rows) {
    const industry = industryLabel(row);
    const size = sizeLabel(row);
    const key = cellKey(industry, size);
    // cellKey groups on the raw label (as the risk matrix does); message text uses singleLine(label).
    let seg = segments.get(key);
    if (!seg) {
      seg = { industry, size, flagged: [], triggered: false };
      segments.set(key, seg);
    }
    const reasons: [string, string, string][] = (input.triggers[row.account_id] ?? [])
      .filter((t) => t.fired === true)
      .map((t) => [t.trigger, t.reason, t.action]);
    if (isHighRisk(row)) {
      reasons.push([
        HIGH_RISK_REASON,
        `CRM health ${fmt(row.crm_health_score ?? 0)} (< 50)`,
        'health playbook',
      ]);
    }
    if (reasons.length === 0) continue;
    const fresh = reasons.filter(([id]) => !cooled.has(`${row.account_id}\u0000${id}`));
    seg.flagged.push({
      row,
      fresh,
      atRisk: revenueAtRisk(row),
    });
    if (fresh.some(([id]) => id !== HIGH_RISK_REASON)) seg.triggered = true;
  }

  const digests: { message: Message; log: AlertLogEntry[]; rank: [number, number, string] }[] = [];
  for (const [key, seg] of segments) {
    const cell = matrix.get(key);
    const highRisk = cell !== undefined && !cell.thin && cell.high_risk_rate >= a.highRiskRate;
    if (!highRisk && !seg.triggered) continue;
    const listed = seg.flagged
      .filter((f) => f.fresh.length > 0)
      .sort((x, y) => y.atRisk - x.atRisk || cmp(x.row.account_id, y.row.account_id));
    const top = listed.slice(0, a.topAccounts);
    const segmentRaw = `${seg.industry} - ${seg.size}`;
    const segment = singleLine(segmentRaw);
    const severity = highRisk ? 'high' : 'medium';
    const rate = cell ? `${pct(cell.high_risk_rate)} high-risk` : 'no scored accounts';
    const subject = truncateSubject(
      `${a.subjectPrefix} ${highRisk ? 'High-risk segment' : 'New alerts'}: ${segment}, ${rate}, ${listed.length} flagged`,
    );
    const body = [
      `Segment: ${segment} (severity ${severity}), run ${asOf}`,
      rateLine(cell, previous?.get(key), previous !== null, config.riskMatrix.confidenceLevel),
      ...missingLines(seg.flagged.map((f) => f.row)),
      flaggedLine(
        listed.length,
        top.length,
        seg.flagged.filter((f) => f.fresh.length === 0).length,
        a.cooldownDays,
      ),
      ...accountLines(top, config),
      ...playbookLines(top, seg.size, highRisk, config),
      `Full list: ${input.runLink}`,
    ].join('\n');
    const dedupeKey = digestKey(asOf, segmentRaw);
    const log = top.flatMap((f) =>
      f.fresh.map(([trigger]) => ({ accountId: f.row.account_id, trigger, asOf, dedupeKey })),
    );
    const message: Message = {
      subject,
      body,
      attributes: headerAttributes({ segment, industry: seg.industry, size: seg.size, severity }),
      dedupeKey,
    };
    digests.push({ message, log, rank: [highRisk ? 0 : 1, -(cell?.high_risk_rate ?? 0), segment] });
  }
  digests.sort(
    (x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1] || cmp(x.rank[2], y.rank[2]),
  );

  const age = input.inputsNewestDate === null ? null : daysBetween(input.inputsNewestDate, asOf);
  if (age === null || age > a.maxInputAgeDays) {
    return { messages: [freshnessNotice(input, age, digests.length)], logEntries: [], held: true };
  }
  const logged = new Set(
    input.alertLog.filter((e) => e.asOf === asOf).map((e) => `${e.accountId}\u0000${e.trigger}`),
  );
  return {
    messages: digests.map((d) => d.message),
    logEntries: digests
      .flatMap((d) => d.log)
      .filter((e) => !logged.has(`${e.accountId}\u0000${e.trigger}`)),
    held: false,
  };
}

function indexCells(cells: readonly RiskMatrixRow[]): Map<string, RiskMatrixRow> {
  return new Map(cells.map((c) => [cellKey(c.industry, c.account_size_segment), c]));
}

function rateLine(
  cell: RiskMatrixRow | undefined,
  prev: RiskMatrixRow | undefined,
  hadPrevious: boolean,
  level: number,
): string {
  const now = cell
    ? `High-risk rate: ${pct(cell.high_risk_rate)} (${cell.high_risk_accounts} of ${cell.accounts} scored accounts; ${pct(level)} CI ${pct(cell.rate_ci_low)}-${pct(cell.rate_ci_high)}${cell.thin ? '; thin cell, read with care' : ''})`
    : 'High-risk rate: not decided (no account with a banded health score)';
  const before = prev
    ? `previous run ${pct(prev.high_risk_rate)} (${prev.high_risk_accounts} of ${prev.accounts})`
    : hadPrevious
      ? 'not in the previous run'
      : 'no previous run to compare';
  return `${now}; ${before}.`;
}

/**
 * The line naming the tables the segment's scores could not read (absent exports): their CRM health terms were left
 * out with the weights renormalised, and revenue at risk is unknown without opportunities. Empty when none.
 */
function missingLines(rows: readonly ScoredAccount[]): string[] {
  const tables = [...new Set(rows.flatMap((r) => missingOf(r).tables))].sort();
  if (tables.length === 0) return [];
  const opp = tables.includes('salesforce/opportunity')
    ? '; revenue at risk is unknown without opportunities'
    : '';
  return [
    `Missing inputs: ${tables.join(', ')} not exported; CRM health was computed without their terms (weights renormalised over the others) and is not banded, so no account here is called high-risk on it${opp}.`,
  ];
}

function flaggedLine(listed: number, shown: number, cooled: number, cooldownDays: number): string {
  const more = listed > shown ? `, top ${shown} below` : '';
  const quiet = cooled > 0 ? `; ${cooled} more already alerted within ${cooldownDays} days` : '';
  return `Flagged today: ${listed} account(s)${more}${quiet}.`;
}

function accountLines(
  top: readonly Flagged[],
  config: Pick<InsightsConfig, 'playbooks'>,
): string[] {
  if (top.length === 0) return ['No newly flagged accounts.'];
  const lines = ['Top accounts by revenue at risk ((pipeline + won) x (1 - health/100)):'];
  top.forEach((f, i) => {
    const r = f.row;
    const health =
      r.crm_health_score === null ? 'no health score' : `health ${fmt(r.crm_health_score)}`;
    const playbook = r.crm_health_band
      ? `, playbook ${healthPlaybook(r.crm_health_band, r.account_size_segment, config.playbooks).id}`
      : '';
    const atRisk = amountsUnknown(r) ? 'revenue at risk unknown' : `${money(f.atRisk)} at risk`;
    const { fields } = missingOf(r);
    const empty = fields.length ? ` (scored 0 for empty ${fields.join(', ')})` : '';
    lines.push(
      `${i + 1}. ${singleLine(r.account_name ?? r.account_id)} (${singleLine(r.account_id)}): ${atRisk}, ${health}${empty}${playbook}`,
    );
    for (const [, reason, action] of f.fresh) lines.push(`   - ${reason} -> ${action}`);
    if (r.why_changed) lines.push(`   - since the previous run: ${r.why_changed}`);
  });
  return lines;
}

function playbookLines(
  top: readonly Flagged[],
  size: string,
  highRisk: boolean,
  config: Pick<InsightsConfig, 'playbooks'>,
): string[] {
  const sizeOf = (size === 'Unknown' ? null : size) as ScoredAccount['account_size_segment'];
  const bands = [
    ...new Set(top.flatMap((f) => (f.row.crm_health_band ? [f.row.crm_health_band] : []))),
  ];
  if (bands.length === 0 && highRisk) bands.push('Low');
  const order = { Low: 0, Medium: 1, High: 2 } as const;
  return bands
    .sort((x, y) => order[x] - order[y])
    .map((band) => {
      const p = healthPlaybook(band, sizeOf, config.playbooks);
      return `Playbook ${p.id}: ${healthPlaybookText(p)}`;
    });
}

function freshnessNotice(input: AlertDigestInput, age: number | null, held: number): Message {
  const { asOf, inputsNewestDate, config } = input;
  const max = config.alerts.maxInputAgeDays;
  const what =
    age === null
      ? 'the newest input date is unknown'
      : `the newest input (${inputsNewestDate}) is ${age} days old (max ${max})`;
  return {
    subject: truncateSubject(`${config.alerts.subjectPrefix} Alerts held for ${asOf}: ${what}`),
    body: [
      `Alert digests for the run of ${asOf} were held back: ${what}.`,
      `${held} segment digest(s) were not sent; scores built on stale exports would repeat old news as new.`,
      'Check that the Pendo and Salesforce exports reached the input bucket, then re-run the daily job.',
      `Run: ${input.runLink}`,
    ].join('\n'),
    attributes: { segment: 'all', industry: 'all', size: 'all', severity: 'ops' },
    dedupeKey: `${asOf}#freshness`,
  };
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const fmt = (x: number) => String(Number(x.toFixed(1)));
const money = (x: number) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
