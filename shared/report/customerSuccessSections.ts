import { CHANGED_SCORES } from '../changes/accountChanges.ts';
import type { Row } from '../ports/index.ts';
import { tierRanges } from '../segments/valueTiers.ts';
import { numberOf } from './accountSections.ts';
import type { ReportInputs } from './reportInputs.ts';
import { escapeHtml, fmt, htmlTable, missingNotice, pct } from './reportTables.ts';

/**
 * The report's customer-success sections (issue 13): movers since the previous run, champions and concentration
 * risk, and how the value tiers and segments were made. Tables only, read from account_scores.csv and the steps'
 * outputs; nothing is recomputed.
 */

const label = (r: Row) =>
  r.account_name ? `${r.account_name} (${r.account_id})` : String(r.account_id);
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '–' : String(v));
const signed = (v: unknown, digits: number) => {
  const n = numberOf(v);
  return n === null ? '–' : `${n > 0 ? '+' : ''}${n.toFixed(digits)}`;
};

/** The signed move of the score that moved most, in points on 0-100 (as `why_changed` picks it); null if none. */
export function largestMove(r: Row): number | null {
  let best: number | null = null;
  for (const s of CHANGED_SCORES) {
    const d = numberOf(r[s.delta]);
    if (d === null) continue;
    const points = d * s.points;
    if (best === null || Math.abs(points) > Math.abs(best)) best = points;
  }
  return best;
}

/** The n largest falls and n largest rises (by `largestMove`), ties by account id. */
export function movers(rows: readonly Row[], n = 10): { falls: Row[]; rises: Row[] } {
  const moved = rows
    .map((r) => ({ r, m: largestMove(r) }))
    .filter((x): x is { r: Row; m: number } => x.m !== null && x.m !== 0);
  const byId = (a: Row, b: Row) => String(a.account_id).localeCompare(String(b.account_id));
  const falls = moved
    .filter((x) => x.m < 0)
    .sort((a, b) => a.m - b.m || byId(a.r, b.r))
    .slice(0, n);
  const rises = moved
    .filter((x) => x.m > 0)
    .sort((a, b) => b.m - a.m || byId(a.r, b.r))
    .slice(0, n);
  return { falls: falls.map((x) => x.r), rises: rises.map((x) => x.r) };
}

function moversTable(name: string, rows: readonly Row[]): string {
  const head = [
    'account',
    'value index',
    'p(high value)',
    'product health',
    'CRM health',
    'tier / band',
    'why',
  ];
  const body = rows.map((r) => [
    label(r),
    signed(r.delta_value_index, 3),
    signed(r.delta_p_high_value, 3),
    signed(r.delta_product_health, 1),
    signed(r.delta_crm_health, 1),
    [r.value_tier_change, r.crm_health_band_change, r.hv_band_change].filter(Boolean).join('; ') ||
      '–',
    text(r.why_changed),
  ]);
  return htmlTable(name, head, body, [1, 2, 3, 4]);
}

/** "What changed": the largest falls and rises since the previous run, or why there is nothing to compare. */
export function moversHtml(inputs: ReportInputs): string {
  const a = inputs.accounts;
  if (!a.some((r) => 'changed_since' in r))
    return missingNotice(
      'movers',
      'account_scores.csv has no change columns (the account-changes step did not run).',
    );
  const since = a.find((r) => typeof r.changed_since === 'string')?.changed_since;
  if (!since)
    return missingNotice(
      'movers',
      'First run: there is no earlier stored run to compare with, so the change columns are empty (not zero).',
    );
  const { falls, rises } = movers(a);
  const compared = a.filter((r) => r.changed_since !== null).length;
  const note = `Against the previous run of ${since} (${fmt(compared)} accounts in both). Ranked by the score that moved most, in points on 0-100 (value index and p(high value) x 100); "why" names the sub-score behind it. Account files also carry the changes against the runs about 7 and 30 days back.`;
  return `<p class="caption">${escapeHtml(note)}</p><h4>Largest falls</h4>${falls.length ? moversTable('movers-falls', falls) : missingNotice('movers-falls', 'No account fell.')}<h4>Largest rises</h4>${rises.length ? moversTable('movers-rises', rises) : missingNotice('movers-rises', 'No account rose.')}`;
}

/** Champions: concentration risk of the most valuable accounts and silent champions. */
export function championsHtml(inputs: ReportInputs): string {
  const a = inputs.accounts;
  const step = inputs.steps['visitor-champions'];
  if (!a.some((r) => 'champion_1' in r))
    return missingNotice(
      'champions',
      'account_scores.csv has no champion columns (the visitor-champions step did not run).',
    );
  const silent = a.filter((r) => r.champion_silent === true).length;
  const counts = step
    ? `${fmt(step.visitorsScored)} visitors scored; ${fmt(step.anonymousVisitorsLeftOut)} anonymous and ${fmt(step.visitorsWithoutAccount)} without an account left out. `
    : '';
  const shown = a
    .filter(
      (r) =>
        numberOf(r.champion_activity_share) !== null && (numberOf(r.identified_visitors) ?? 0) > 3,
    )
    .sort(
      (x, y) =>
        (numberOf(x.value_rank) ?? Number.POSITIVE_INFINITY) -
          (numberOf(y.value_rank) ?? Number.POSITIVE_INFINITY) ||
        String(x.account_id).localeCompare(String(y.account_id)),
    )
    .slice(0, 20);
  const note = `${counts}Champions are each account's top visitors by seed 002's weighted score (visitor_scores.csv). ${fmt(silent)} account(s) have a champion silent for more than the configured days (trigger champion-silent). The 20 highest-value accounts with more than 3 identified visitors:`;
  const body = shown.map((r) => [
    label(r),
    text(r.value_tier),
    fmt(r.identified_visitors),
    [r.champion_1, r.champion_2, r.champion_3].filter(Boolean).map(String).join(', '),
    pct(r.champion_activity_share),
    r.champion_silent === true ? text(r.champion_silent_reason) : 'no',
  ]);
  return `<p class="caption">${escapeHtml(note)}</p>${htmlTable('champions', ['account', 'value tier', 'identified visitors', 'champions', 'share of minutes', 'silent champion'], body, [2, 4])}`;
}

/** How each segment column was made, with the value tiers' sizes and value-index ranges. */
export function segmentsMadeHtml(inputs: ReportInputs): string {
  const a = inputs.accounts;
  if (!a.some((r) => 'value_tier' in r))
    return missingNotice(
      'value-tiers',
      'account_scores.csv has no value_tier column (the score-accounts step did not write it).',
    );
  const ranges = tierRanges(
    a.map((r) => ({
      value_tier: r.value_tier === null ? null : String(r.value_tier),
      value_index: numberOf(r.value_index),
    })),
  );
  const total = ranges.reduce((s, r) => s + r.accounts, 0);
  const kmeans = new Map<string, number>();
  for (const r of a)
    if (r.value_segment)
      kmeans.set(String(r.value_segment), (kmeans.get(String(r.value_segment)) ?? 0) + 1);
  const body = ranges.map((r) => [
    r.tier,
    fmt(r.accounts),
    pct(total ? r.accounts / total : null),
    `${r.min.toFixed(3)} – ${r.max.toFixed(3)}`,
    fmt(kmeans.get(r.tier) ?? 0),
  ]);
  const cfg = (inputs.manifest?.config ?? {}) as {
    valueTiers?: { highShare?: number; lowShare?: number };
    crmHealth?: { highBand?: number; riskBelow?: number };
  };
  const high = cfg.valueTiers?.highShare ?? 0.25;
  const low = cfg.valueTiers?.lowShare ?? 0.25;
  const crm = cfg.crmHealth ?? {};
  const how = [
    `value_tier: cut on the value index. The top ${pct(high)} of accounts with product data are High value, the bottom ${pct(low)} Low value, the rest Medium value (config valueTiers). Alert playbooks per value segment use this tier.`,
    'value_segment: k-means (k = 3) on six log1p-transformed, standardised usage features (seed 003), named by centroid; kept for comparison, it does not follow the value distribution (counts in the last column).',
    "cluster: k-means (k = 5) on seed 002's behavioural dimensions, named by centroid traits.",
    `hv_band: the classifier probability cut into High / Likely / Possible / Unlikely (config classifier.bands); crm_health_band: CRM health cut at ${crm.highBand ?? 80} and ${crm.riskBelow ?? 50}; contribution_tier: 6-month revenue quartiles (A top quarter, C bottom quarter).`,
    'Account tables are ranked by p(high value), then value index, then account id, so equal probabilities at the top are ordered by value.',
  ];
  return `<ul class="notes">${how.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>${htmlTable('value-tiers', ['value tier', 'accounts', 'share', 'value index range', 'k-means value_segment of that name'], body, [1, 2, 4])}`;
}

/** The three sections as one HTML block (placed after the account tables). */
export function customerSuccessHtml(inputs: ReportInputs): string {
  return `<section id="changes"><h2>What changed</h2>${moversHtml(inputs)}</section>
<section id="champions"><h2>Champions</h2>${championsHtml(inputs)}</section>
<section id="segments-made"><h2>How the segments were made</h2>${segmentsMadeHtml(inputs)}</section>`;
}
