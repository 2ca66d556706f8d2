import { revenueAtRisk as digestRevenueAtRisk } from '../insights/buildAlertDigests.ts';
import type { Row } from '../ports/index.ts';
import { regressedFactor } from '../trends/ownTrend.ts';

/** The four dimensions seed 001 compares high-value customers with the others on. */
export const HV_DIMENSIONS = [
  'sum_minutes',
  'count_active_days',
  'count_associated_visitors',
  'avg_nps_rating',
] as const;

/** One seed-001 dimension: mean of high-value accounts vs mean of the others and their ratio. */
export interface HighValueRatio {
  dimension: (typeof HV_DIMENSIONS)[number];
  /** Mean over high-value accounts with a value (NULLs ignored). */
  highValueMean: number | null;
  /** Mean over the other accounts with a value. */
  othersMean: number | null;
  /** highValueMean / othersMean; NULL when either is missing or othersMean is 0. */
  ratio: number | null;
  nHighValue: number;
  nOthers: number;
}

/** A finite number, else null (text, booleans and NULL are not numbers here). */
export function numberOf(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function mean(values: readonly (number | null)[]): { mean: number | null; n: number } {
  let s = 0;
  let n = 0;
  for (const v of values)
    if (v !== null) {
      s += v;
      n++;
    }
  return { mean: n ? s / n : null, n };
}

/**
 * Seed 001's comparison: for each of its four dimensions, the mean of high-value accounts (flag column, true) vs the
 * mean of the others (false); accounts whose flag is NULL are left out.
 */
export function highValueRatios(
  rows: readonly Row[],
  flag = 'high_value_quintile',
): HighValueRatio[] {
  const hv = rows.filter((r) => r[flag] === true);
  const others = rows.filter((r) => r[flag] === false);
  return HV_DIMENSIONS.map((dimension) => {
    const a = mean(hv.map((r) => numberOf(r[dimension])));
    const b = mean(others.map((r) => numberOf(r[dimension])));
    const ratio = a.mean === null || b.mean === null || b.mean === 0 ? null : a.mean / b.mean;
    return {
      dimension,
      highValueMean: a.mean,
      othersMean: b.mean,
      ratio,
      nHighValue: a.n,
      nOthers: b.n,
    };
  });
}

/** The features a segment profile shows (seed 003's and 002's clustering inputs). */
export const PROFILE_FEATURES = [
  'sum_minutes',
  'count_active_days',
  'count_associated_visitors',
  'avg_nps_rating',
  'n_features_used',
  'days_since_last_event',
] as const;

/** One segment x feature cell of a profile: the segment's mean relative to the mean of all accounts. */
export interface SegmentProfileCell {
  segment: string;
  /** Accounts in the segment. */
  accounts: number;
  feature: string;
  /** Mean of the feature in the segment. */
  segmentMean: number | null;
  /** segmentMean / mean over every account with a segment; NULL when undefined. */
  index: number | null;
}

/**
 * Profile of the segments in a column (value_segment for k = 3, cluster for k = 5): per segment and feature, its
 * mean divided by the mean of all segmented accounts (1 = average). Empty when the column is absent or empty.
 */
export function segmentProfile(
  rows: readonly Row[],
  column: string,
  features: readonly string[] = PROFILE_FEATURES,
): SegmentProfileCell[] {
  const segmented = rows.filter((r) => r[column] !== null && r[column] !== undefined);
  const groups = new Map<string, Row[]>();
  for (const r of segmented) {
    const key = String(r[column]);
    // push, not a spread copy: copying the group on every row made this quadratic (409 s at 100,000 accounts)
    const members = groups.get(key);
    if (members) members.push(r);
    else groups.set(key, [r]);
  }
  const present = features.filter((f) => segmented.some((r) => numberOf(r[f]) !== null));
  const overall = new Map(present.map((f) => [f, mean(segmented.map((r) => numberOf(r[f]))).mean]));
  const out: SegmentProfileCell[] = [];
  for (const [segment, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const feature of present) {
      const m = mean(members.map((r) => numberOf(r[feature]))).mean;
      const all = overall.get(feature) ?? null;
      const index = m === null || all === null || all === 0 ? null : m / all;
      out.push({ segment, accounts: members.length, feature, segmentMean: m, index });
    }
  return out;
}

/** Count of accounts per Up / Flat / Down at 3 and 6 months, from the trend columns of account_scores.csv. */
export function trendCounts(
  rows: readonly Row[],
): { horizon: string; trend: string; accounts: number }[] {
  const out: { horizon: string; trend: string; accounts: number }[] = [];
  for (const [horizon, column] of [
    ['3 months', 'trend_3m'],
    ['6 months', 'trend_6m'],
  ] as const)
    for (const trend of ['Up', 'Flat', 'Down']) {
      const accounts = rows.filter((r) => r[column] === trend).length;
      out.push({ horizon, trend, accounts });
    }
  return out;
}

/** How the report names a shipped trend method (`trend_method_*`, `methods.<h>.method` of trend_backtest.json). */
const TREND_METHOD_NAMES: Readonly<Record<string, string>> = {
  'persistence-regressed': 'regressed persistence',
  persistence: 'persistence (the last change continues)',
  flat: 'all Flat',
  model: 'the learned model',
};

/**
 * One sentence per horizon saying which method made the calls and why, from `methods` of trend_backtest.json:
 * "3 months: regressed persistence, expected change 0.067 x the last 91-day change (<reason>)." (with the
 * `crm-calibrated` estimator: "... x the value change that CRM activity shows for accounts with a similar last 91-day
 * change"). Empty when the file has no methods (an older run).
 */
export function trendMethodsText(trendBacktest: Record<string, unknown> | null): string {
  const methods = trendBacktest?.methods as Record<string, Record<string, unknown>> | undefined;
  if (!methods) return '';
  // the crm-calibrated estimator: the expected change is a factor times a curve, not times the change
  const shrinkage = trendBacktest?.shrinkage as Record<string, unknown> | undefined;
  const calibrated = shrinkage?.calibration
    ? (shrinkage.factors as Record<string, unknown> | undefined)
    : undefined;
  // per-account reliability: the factor of an account without measurement noise, less for a noisier one
  const reliability = shrinkage?.reliability as Record<string, unknown> | undefined;
  const beta = reliability?.usable === true ? numberOf(reliability.beta) : null;
  const reliabilityFactors = reliability?.factors as Record<string, unknown> | undefined;
  // the factor of beta per horizon as the run stored it, or regressedFactor for older runs without factors
  const betaFactor = (h: '3m' | '6m', b: number) =>
    numberOf(reliabilityFactors?.[h]) ?? regressedFactor(b, h);
  const parts: string[] = [];
  for (const [h, label] of [
    ['3m', '3 months'],
    ['6m', '6 months'],
  ] as const) {
    const m = methods[h];
    if (!m || typeof m.method !== 'string') continue;
    const name = TREND_METHOD_NAMES[m.method] ?? m.method;
    const factor = numberOf(m.factor);
    const calibratedFactor = calibrated ? numberOf(calibrated[h]) : null;
    const how =
      factor !== null && m.method !== 'flat'
        ? `, expected change ${factor.toFixed(3)} x the last 91-day change`
        : m.method === 'persistence-regressed' && calibratedFactor !== null
          ? `, expected change ${calibratedFactor.toFixed(3)} x the value change that CRM activity shows for accounts with a similar last 91-day change`
          : m.method === 'persistence-regressed' && beta !== null
            ? `, expected change up to ${betaFactor(h, beta).toFixed(3)} x the last 91-day change, less the more of that change is measurement noise (the account's own reliability)`
            : '';
    const why = [m.reason, m.basis].filter((t): t is string => typeof t === 'string' && t !== '');
    parts.push(`${label}: ${name}${how}${why.length ? ` (${why.join('; ')})` : ''}.`);
  }
  return parts.join(' ');
}

/** Sort key: the value, with NULL below every number. */
const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity);

/** True when p_high_value comes from a model (hv_source 'model', or no hv_source column), not the fallback. */
export function hasModelProbability(rows: readonly Row[]): boolean {
  return rows.some(
    (r) =>
      numberOf(r.p_high_value) !== null && (r.hv_source === undefined || r.hv_source === 'model'),
  );
}

/**
 * The top n high-value accounts: by classifier probability p_high_value when the run has it, else by value index;
 * ties by value index, then account id (a forest gives many accounts p = 1.00).
 */
export function topHighValue(rows: readonly Row[], n = 20): Row[] {
  const key = hasModelProbability(rows) ? 'p_high_value' : 'value_index';
  return rows
    .filter((r) => numberOf(r[key]) !== null)
    .sort(
      (a, b) =>
        desc(numberOf(a[key]), numberOf(b[key])) ||
        desc(numberOf(a.value_index), numberOf(b.value_index)) ||
        String(a.account_id).localeCompare(String(b.account_id)),
    )
    .slice(0, n);
}

/** Revenue at risk of a report row, computed by the same function the alert digests rank with. */
export function revenueAtRisk(row: Row): number {
  return digestRevenueAtRisk({
    crm_health_score: numberOf(row.crm_health_score),
    current_pipeline_amount: numberOf(row.current_pipeline_amount),
    total_won_amount: numberOf(row.total_won_amount),
  });
}

/** The top n high-risk accounts (high_risk true), by revenue at risk then lowest health. */
export function topAtRisk(rows: readonly Row[], n = 20): Row[] {
  return rows
    .filter((r) => r.high_risk === true)
    .sort(
      (a, b) =>
        revenueAtRisk(b) - revenueAtRisk(a) ||
        (numberOf(a.crm_health_score) ?? 0) - (numberOf(b.crm_health_score) ?? 0) ||
        String(a.account_id).localeCompare(String(b.account_id)),
    )
    .slice(0, n);
}

/** Columns that carry an account's trigger reasons, in preference order (the risk step's names). */
const REASON_COLUMNS = ['trigger_reasons', 'triggers', 'triggered', 'reasons', 'alert_reasons'];

/**
 * Why an account is at risk, as text: the risk step's trigger column when the run has one, else its CRM health
 * and band (e.g. "CRM health 32 (Low, below 50)").
 */
export function riskReason(row: Row): string {
  for (const c of REASON_COLUMNS) {
    const v = row[c];
    if (typeof v === 'string' && v.trim() !== '') return v.split(';').join('; ');
  }
  const health = numberOf(row.crm_health_score);
  if (health === null) return 'no CRM health score';
  const band = row.crm_health_band ? `${row.crm_health_band}, ` : '';
  return `CRM health ${Math.round(health)} (${band}below 50)`;
}
