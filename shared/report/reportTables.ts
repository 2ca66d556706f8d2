import type { Row } from '../ports/index.ts';
import {
  hasModelProbability,
  numberOf,
  revenueAtRisk,
  riskReason,
  topAtRisk,
  topHighValue,
} from './accountSections.ts';
import {
  modelComparison,
  modelIdentity,
  modelWarnings,
  noModelReason,
} from './classifierSections.ts';
import type { ReportInputs } from './reportInputs.ts';
import { hasCrm, NO_CRM, NO_MODEL } from './reportSections.ts';

/** Text escaped for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A number for people: thousands separators, at most `digits` decimals; an en dash for NULL. */
export function fmt(v: unknown, digits = 0): string {
  const n = numberOf(v);
  if (n === null) return '–';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A 0-1 share as a percentage with one decimal; an en dash for NULL. */
export function pct(v: unknown): string {
  const n = numberOf(v);
  return n === null ? '–' : `${(n * 100).toFixed(1)}%`;
}

const cell = (v: unknown) => (v === null || v === undefined || v === '' ? '–' : String(v));

/** An HTML table (escaped) with a name for `data-table`; numeric columns are right-aligned by the `num` class. */
export function htmlTable(
  name: string,
  head: string[],
  rows: string[][],
  numeric: number[] = [],
): string {
  const th = head
    .map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table data-table="${escapeHtml(name)}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A "data missing" notice, with its section name for `data-missing`. */
export function missingNotice(name: string, message: string): string {
  return `<p class="missing" data-missing="${escapeHtml(name)}">${escapeHtml(message)}</p>`;
}

const accountLabel = (r: Row) =>
  r.account_name ? `${r.account_name} (${r.account_id})` : String(r.account_id);

/** Top 20 high-value accounts: probability (when the run has the classifier) and value index. */
export function topHighValueTable(inputs: ReportInputs): string {
  const rows = topHighValue(inputs.accounts);
  if (rows.length === 0)
    return missingNotice('top-high-value', 'No account has a value index in this run.');
  const withModel = hasModelProbability(inputs.accounts);
  const head = [
    '#',
    'account',
    'industry',
    'size',
    'value index',
    ...(withModel ? ['P(high value)', 'band'] : []),
    'segment',
    'trend 3m',
    'since last run',
  ];
  const body = rows.map((r, i) => [
    String(i + 1),
    accountLabel(r),
    cell(r.industry),
    cell(r.account_size_segment),
    fmt(r.value_index, 3),
    ...(withModel ? [fmt(r.p_high_value, 3), cell(r.hv_band)] : []),
    cell(r.value_tier ?? r.value_segment),
    cell(r.trend_3m),
    cell(r.why_changed ?? r.change_note),
  ]);
  const note = withModel
    ? 'Ranked by the high-value probability p_high_value, then value index (no ties at the top).'
    : 'Ranked by value index (no classifier probability in this run).';
  return `<p class="caption">${escapeHtml(note)}</p>${htmlTable('top-high-value', head, body, [0, 4, ...(withModel ? [5] : [])])}`;
}

/** Top 20 at-risk accounts (CRM health below 50) by revenue at risk, with their reasons and playbooks. */
export function topAtRiskTable(inputs: ReportInputs): string {
  if (!hasCrm(inputs)) return missingNotice('top-at-risk', NO_CRM);
  const rows = topAtRisk(inputs.accounts);
  if (rows.length === 0)
    return missingNotice(
      'top-at-risk',
      'No account is high-risk (CRM health below 50) in this run.',
    );
  const head = [
    '#',
    'account',
    'industry',
    'size',
    'CRM health',
    'revenue at risk',
    'reasons',
    'playbook',
    'since last run',
  ];
  const body = rows.map((r, i) => [
    String(i + 1),
    accountLabel(r),
    cell(r.industry),
    cell(r.account_size_segment),
    fmt(r.crm_health_score, 0),
    fmt(revenueAtRisk(r), 0),
    riskReason(r),
    cell(r.playbook ?? r.playbook_id ?? 'no playbook in this run'),
    cell(r.why_changed ?? r.change_note),
  ]);
  const note =
    'Ranked by revenue at risk = (pipeline + won amount) x (1 - health / 100), as the alert digests rank them.';
  return `<p class="caption">${escapeHtml(note)}</p>${htmlTable('top-at-risk', head, body, [0, 4, 5])}`;
}

/** The ten riskiest industry x size segments with enough accounts (high_risk_segment_rates.csv, thin cells left out). */
export function riskiestSegmentsTable(inputs: ReportInputs): string {
  if (!hasCrm(inputs)) return missingNotice('riskiest-segments', NO_CRM);
  const rates = inputs.segmentRates ?? inputs.riskMatrix;
  if (!rates)
    return missingNotice(
      'riskiest-segments',
      'high_risk_segment_rates.csv is not in this run folder (the risk step did not run).',
    );
  const full = rates.filter((r) => r.thin !== true);
  const shown = [...full]
    .sort(
      (a, b) =>
        (numberOf(b.high_risk_rate) ?? 0) - (numberOf(a.high_risk_rate) ?? 0) ||
        (numberOf(b.accounts) ?? 0) - (numberOf(a.accounts) ?? 0),
    )
    .slice(0, 10);
  if (shown.length === 0)
    return missingNotice(
      'riskiest-segments',
      'Every segment is thin (too few accounts) in this run.',
    );
  const head = ['industry', 'size', 'accounts', 'high-risk', 'rate', '95% interval'];
  const body = shown.map((r) => [
    cell(r.industry),
    cell(r.account_size_segment),
    fmt(r.accounts),
    fmt(r.high_risk_accounts),
    pct(r.high_risk_rate),
    `${pct(r.rate_ci_low)} – ${pct(r.rate_ci_high)}`,
  ]);
  const thin = rates.length - full.length;
  const note = `Sorted by rate, then accounts.${thin ? ` ${thin} thin segment(s) left out.` : ''}`;
  return `<p class="caption">${escapeHtml(note)}</p>${htmlTable('riskiest-segments', head, body, [2, 3, 4])}`;
}

function dataQualityLine(dq: Record<string, unknown> | null): string {
  if (!dq) return 'data_quality.json is not in this run folder.';
  const tables = Object.values((dq.tables ?? {}) as Record<string, Record<string, unknown>>);
  const sum = (k: string) => tables.reduce((s, t) => s + (numberOf(t[k]) ?? 0), 0);
  const present = tables.filter((t) => t.present === true).length;
  const sources = Array.isArray(dq.sources) ? dq.sources.join(' + ') : 'none';
  return `${present} of ${tables.length} contract tables present (${sources}); ${fmt(sum('rows_read'))} rows read, ${fmt(sum('rows_quarantined'))} quarantined, ${fmt(sum('deleted_rows'))} deleted in the source.`;
}

function modelLine(
  m: Record<string, unknown> | null,
  version: string | null,
  label: string | null,
): string {
  if (!m) return 'no classifier model in this run';
  const described = typeof m.labelDescription === 'string' ? ` (${m.labelDescription})` : '';
  if (m.trained === false)
    return `not trained: ${String(m.reason ?? 'no reason given')}; label ${label ?? 'not stated'}${described}`;
  return `version ${version ?? 'not stated'}, label ${label ?? 'not stated'}${described}`;
}

/** The run summary: accounts, data quality, model version and label, key metrics forest vs 2-D baseline. */
export function summaryHtml(inputs: ReportInputs): string {
  const a = inputs.accounts;
  const withProduct = a.filter((r) => r.has_product === true).length;
  const withCrm = a.filter((r) => r.has_crm === true).length;
  const highRisk = a.filter((r) => r.high_risk === true).length;
  const { version, label } = modelIdentity(inputs.modelMetrics);
  const notes = Array.isArray(inputs.dataQuality?.notes)
    ? (inputs.dataQuality.notes as unknown[]).map(String)
    : [];
  const items: [string, string][] = [
    [
      'Accounts scored',
      `${fmt(a.length)} (${fmt(withProduct)} with product usage, ${fmt(withCrm)} with CRM)`,
    ],
    [
      'High-risk accounts',
      hasCrm(inputs) ? `${fmt(highRisk)} with CRM health below 50` : 'no CRM data',
    ],
    ['Data quality', dataQualityLine(inputs.dataQuality)],
    ['Model', modelLine(inputs.modelMetrics, version, label)],
  ];
  const dl = items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  const warnings: string[] = [...notes, ...modelWarnings(inputs.modelMetrics)];
  if (label && /composite/i.test(label) && !warnings.some((w) => /same .*features/i.test(w)))
    warnings.push(
      'The composite label is built from the same usage features the model sees: its accuracy overstates what it would achieve on an independent outcome.',
    );
  const warn = warnings.length
    ? `<ul class="notes">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '';
  const comparison = modelComparison(inputs.modelMetrics, inputs.testSet);
  let metrics = missingNotice('key-metrics', noModelReason(inputs.modelMetrics) ?? NO_MODEL);
  if (comparison.values.length) {
    const value = (model: string, metric: string) =>
      fmt(comparison.values.find((v) => v.model === model && v.metric === metric)?.value, 3);
    const withIndex = comparison.values.some((v) => v.model === 'Composite value index');
    const body = ['accuracy', 'precision', 'recall', 'auc'].map((m) => [
      m === 'auc' ? 'ROC AUC' : m,
      value('Forest', m),
      value('2-D baseline', m),
      ...(withIndex ? [value('Composite value index', m)] : []),
    ]);
    metrics = htmlTable(
      'key-metrics',
      ['metric', 'forest', '2-D baseline', ...(withIndex ? ['composite value index'] : [])],
      body,
      withIndex ? [1, 2, 3] : [1, 2],
    );
  }
  return `<dl class="summary">${dl}</dl>${warn}<h3>Key metrics on the holdout${label ? ` (label ${escapeHtml(label)})` : ''}: forest vs 2-D baseline${comparison.values.some((v) => v.model === 'Composite value index') ? ' vs composite value index' : ''}</h3>${metrics}`;
}
