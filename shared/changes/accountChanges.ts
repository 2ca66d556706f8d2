import type { CvsConfig } from '../config/schema.ts';
import type { Row } from '../ports/index.ts';

/**
 * What changed for each account since earlier stored runs, and why. Deltas are current minus earlier; NULL when there
 * is nothing to compare (first run, new account, or the score missing on either side), never 0.
 */

/** An earlier run to compare with: its date and its stored rows by account id. */
export interface EarlierRun {
  asOf: string;
  byAccount: ReadonlyMap<string, Row>;
}

/** The earlier runs of one comparison: the previous run and those about N days back (by label, e.g. `7d`). */
export interface Comparisons {
  previous: EarlierRun | null;
  lookback: readonly { label: string; run: EarlierRun | null }[];
}

/** The headline scores compared, with the scale that makes their moves comparable (points on 0-100). */
export const CHANGED_SCORES = [
  { column: 'value_index', delta: 'delta_value_index', label: 'value index', points: 100 },
  { column: 'p_high_value', delta: 'delta_p_high_value', label: 'p(high value)', points: 100 },
  {
    column: 'product_health_score',
    delta: 'delta_product_health',
    label: 'product health',
    points: 1,
  },
  { column: 'crm_health_score', delta: 'delta_crm_health', label: 'CRM health', points: 1 },
] as const;

/** Categorical columns whose change is reported as "before -> now". */
export const CHANGED_LABELS = [
  { column: 'value_tier', change: 'value_tier_change' },
  { column: 'crm_health_band', change: 'crm_health_band_change' },
  { column: 'hv_band', change: 'hv_band_change' },
] as const;

const num = (v: Row[string] | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
const text = (v: Row[string] | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

/** Rounds to 4 decimals (deltas of 0-1 scores) or 2 (points). */
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** current - earlier, NULL when either is missing. */
export function delta(
  now: Row[string] | undefined,
  before: Row[string] | undefined,
): number | null {
  const a = num(now);
  const b = num(before);
  return a === null || b === null ? null : a - b;
}

const signed = (x: number, digits = 0) =>
  `${x > 0 ? '+' : x < 0 ? '-' : '±'}${Math.abs(x).toFixed(digits)}`;
const was = (now: Row[string] | undefined, before: Row[string] | undefined, digits = 0) => {
  const f = (v: Row[string] | undefined) => {
    const n = num(v);
    return n === null ? 'none' : n.toFixed(digits);
  };
  return `${f(now)} (was ${f(before)})`;
};

/** A sub-score of a headline score: its column, its weight in the headline, and the input that explains it. */
interface Driver {
  column: string;
  label: string;
  weight: number;
  explain: (now: Row, before: Row) => string;
}

function crmDrivers(config: CvsConfig): Driver[] {
  const w = config.crmHealth.weights;
  return [
    {
      column: 'crm_activity_score',
      label: 'activity',
      weight: w.activity,
      explain: (n, b) => {
        const days = num(n.days_since_last_activity);
        const before = num(b.days_since_last_activity);
        if (days !== before)
          return days === null
            ? 'no CRM activity on record'
            : before === null || days > before
              ? `no activity for ${days} days (was ${before ?? 'none'})`
              : `last CRM activity ${days} days ago (was ${before})`;
        return `${was(n.total_activities_30d, b.total_activities_30d)} activities in the last 30 days`;
      },
    },
    {
      column: 'crm_contact_score',
      label: 'contact quality',
      weight: w.contact,
      explain: (n, b) =>
        `${num(n.contacts_with_email) ?? 0} of ${num(n.total_contacts) ?? 0} contacts with e-mail (was ${num(b.contacts_with_email) ?? 0} of ${num(b.total_contacts) ?? 0})`,
    },
    {
      column: 'crm_business_score',
      label: 'business value',
      weight: w.business,
      explain: (n, b) => `won amount ${was(n.total_won_amount, b.total_won_amount)}`,
    },
    {
      column: 'crm_scale_score',
      label: 'scale',
      weight: w.scale,
      explain: (n, b) => `employees ${was(n.number_of_employees, b.number_of_employees)}`,
    },
  ];
}

function valueDrivers(config: CvsConfig): Driver[] {
  const w = config.valueIndex.weights;
  const total = w.usage + w.intensity + w.breadth + w.nps + w.freshness || 1;
  return [
    {
      column: 'value_usage',
      label: 'usage',
      weight: w.usage / total,
      explain: (n, b) => `minutes ${was(n.sum_minutes, b.sum_minutes)}`,
    },
    {
      column: 'value_intensity',
      label: 'intensity',
      weight: w.intensity / total,
      explain: (n, b) =>
        `daily minutes ${was(n.average_daily_minutes, b.average_daily_minutes, 1)}`,
    },
    {
      column: 'value_breadth',
      label: 'breadth',
      weight: w.breadth / total,
      explain: (n, b) => `features used ${was(n.n_features_used, b.n_features_used)}`,
    },
    {
      column: 'value_nps',
      label: 'NPS',
      weight: w.nps / total,
      explain: (n, b) => `average NPS ${was(n.avg_nps_rating, b.avg_nps_rating, 1)}`,
    },
    {
      column: 'value_freshness',
      label: 'freshness',
      weight: w.freshness / total,
      explain: (n, b) =>
        `last product event ${num(n.days_since_last_event) ?? 'never'} days ago (was ${num(b.days_since_last_event) ?? 'never'})`,
    },
  ];
}

/** Product health has no stored sub-scores: its inputs, each with how far it moved relative to its earlier value. */
function productHealthReason(now: Row, before: Row): string {
  const candidates: [number, string][] = [];
  const rel = (a: number | null, b: number | null, scale: number) =>
    a === null || b === null ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), scale);
  const d = (c: string) => [num(now[c]), num(before[c])] as const;
  const [days, daysB] = d('days_since_last_event');
  candidates.push([
    rel(days, daysB, 7),
    `last product event ${days ?? 'never'} days ago (was ${daysB ?? 'never'})`,
  ]);
  const [nps, npsB] = d('avg_nps_rating');
  candidates.push([rel(nps, npsB, 1), `average NPS ${was(nps, npsB, 1)}`]);
  const [adm, admB] = d('average_daily_minutes');
  candidates.push([rel(adm, admB, 1), `daily minutes ${was(adm, admB, 1)}`]);
  const [span, spanB] = d('count_active_days');
  candidates.push([rel(span, spanB, 1), `active days ${was(span, spanB)}`]);
  candidates.sort((a, b) => b[0] - a[0]);
  return candidates[0][0] > 0 ? candidates[0][1] : 'its inputs did not move (other accounts did)';
}

/** The sub-score that moved a headline score most, as "label ±x: input now (was before)". */
function topDriver(drivers: readonly Driver[], now: Row, before: Row, points: number) {
  let best: { moved: number; text: string } | null = null;
  for (const d of drivers) {
    const change = delta(now[d.column], before[d.column]);
    if (change === null) continue;
    const moved = change * d.weight * points;
    if (best === null || Math.abs(moved) > Math.abs(best.moved))
      best = { moved, text: `${d.label} ${signed(moved)}: ${d.explain(now, before)}` };
  }
  return best;
}

/**
 * `why_changed`: the headline score that moved most (in points on 0-100), and within it the sub-score that moved it
 * most with the input behind it, e.g. "CRM health -12 (activity -12: no activity for 32 days (was 3))". A move
 * under `minPoints` reads "no score moved by 1 point or more".
 */
export function whyChanged(now: Row, before: Row, config: CvsConfig, minPoints = 1): string {
  let head: { score: (typeof CHANGED_SCORES)[number]; moved: number } | null = null;
  for (const s of CHANGED_SCORES) {
    const change = delta(now[s.column], before[s.column]);
    if (change === null) continue;
    const moved = change * s.points;
    if (head === null || Math.abs(moved) > Math.abs(head.moved)) head = { score: s, moved };
  }
  if (head === null) return 'no score to compare';
  if (Math.abs(head.moved) < minPoints) return `no score moved by ${minPoints} point or more`;
  const { score, moved } = head;
  const headline = `${score.label} ${signed(score.points === 100 ? moved / 100 : moved, score.points === 100 ? 2 : 0)}`;
  let reason: string;
  if (score.column === 'crm_health_score')
    reason = topDriver(crmDrivers(config), now, before, 1)?.text ?? 'no sub-score stored';
  else if (score.column === 'product_health_score') reason = productHealthReason(now, before);
  else {
    const driver = topDriver(valueDrivers(config), now, before, 100);
    const vi = delta(now.value_index, before.value_index) ?? 0;
    if (score.column === 'p_high_value' && (driver === null || Math.abs(vi) < 0.005))
      reason = 'value index unchanged: other model inputs moved';
    else if (driver === null) reason = 'no sub-score stored';
    else
      reason =
        score.column === 'p_high_value'
          ? `value index ${signed(vi, 2)}, ${driver.text}`
          : driver.text;
  }
  return `${headline} (${reason})`;
}

/** The change columns of one account against one earlier run (suffix '' for the previous run, `_7d`, `_30d`). */
function deltas(now: Row, before: Row | undefined, suffix: string): Row {
  const out: Row = {};
  for (const s of CHANGED_SCORES) {
    const d = before ? delta(now[s.column], before[s.column]) : null;
    out[`${s.delta}${suffix}`] = d === null ? null : round(d, s.points === 100 ? 4 : 2);
  }
  return out;
}

/** Column order of parts/changes.csv for the configured look-backs. */
export function changeColumns(lookbackLabels: readonly string[]): string[] {
  return [
    'account_id',
    'changed_since',
    ...CHANGED_SCORES.map((s) => s.delta),
    ...CHANGED_LABELS.map((l) => l.change),
    'why_changed',
    ...lookbackLabels.flatMap((l) => [
      `changed_since_${l}`,
      ...CHANGED_SCORES.map((s) => `${s.delta}_${l}`),
    ]),
    'change_note',
  ];
}

/** One row of parts/changes.csv per current account. */
export function accountChanges(
  rows: readonly Row[],
  earlier: Comparisons,
  config: CvsConfig,
): Row[] {
  const prev = earlier.previous;
  return rows.map((now) => {
    const id = String(now.account_id);
    const before = prev?.byAccount.get(id);
    const out: Row = { account_id: id, changed_since: before && prev ? prev.asOf : null };
    Object.assign(out, deltas(now, before, ''));
    for (const l of CHANGED_LABELS) {
      const a = text(now[l.column]);
      const b = before ? text(before[l.column]) : null;
      out[l.change] = before && a !== b ? `${b ?? 'none'} -> ${a ?? 'none'}` : null;
    }
    out.why_changed = before ? whyChanged(now, before, config) : null;
    for (const { label, run } of earlier.lookback) {
      const b = run?.byAccount.get(id);
      out[`changed_since_${label}`] = b && run ? run.asOf : null;
      Object.assign(out, deltas(now, b, `_${label}`));
    }
    out.change_note = !prev
      ? 'first run: no earlier stored run to compare with'
      : !before
        ? `new since ${prev.asOf}: not in the previous run`
        : null;
    return out;
  });
}
