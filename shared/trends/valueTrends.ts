import type { TrendsConfig } from '../config/trends.ts';
import {
  categoryOfChange,
  hasFullInputs,
  hasThreeWindows,
  median,
  modelFeatures,
  persistenceFactor,
  rawChange,
  rawPrevChange,
  regressedCall,
  regressedMeanFactor,
  type Shrinkage,
  shrinkageOf,
  type WindowRow,
} from './ownTrend.ts';
import { changeNoiseVariance } from './reliability.ts';
import {
  backtestHorizon,
  dataCovers,
  fitModelAt,
  type HistoryFrame,
  type HorizonBacktest,
  type SampledHistory,
  shrinkageAt,
} from './trendBacktest.ts';
import { predictCategories } from './trendClassifier.ts';
import type { Horizon, TrendCategory, TrendMethod } from './types.ts';

/** One row of value_trends_all_accounts.csv. */
export type ValueTrendRow = {
  account_id: string;
  /** The run's value index (0-1), as scored by score-accounts. */
  value_index: number | null;
  /** The run's product health (0-100). */
  health_score: number | null;
  /** Trend value score today (0-1, descriptive); null for an account with no usage yet. */
  trend_value_score: number | null;
  /**
   * Log change of the account's active visitor-days over the last window (91 days) against the window before,
   * minus the population's median change; null without two full windows of the account's own history.
   */
  usage_change: number | null;
  /** The shipped method's expected corrected log change over 3 (6) months; null for the learned model. */
  predicted_change_3m: number | null;
  predicted_change_6m: number | null;
  trend_3m: TrendCategory | null;
  trend_6m: TrendCategory | null;
  /** Plain persistence: usage_change (x2 at 6 months) continues, thresholded like the target. */
  persistence_3m: TrendCategory | null;
  persistence_6m: TrendCategory | null;
  trend_method_3m: TrendMethod | null;
  trend_method_6m: TrendMethod | null;
};

/** The columns of value_trends_all_accounts.csv in order. */
export const VALUE_TREND_COLUMNS: readonly (keyof ValueTrendRow)[] = [
  'account_id',
  'value_index',
  'health_score',
  'trend_value_score',
  'usage_change',
  'predicted_change_3m',
  'predicted_change_6m',
  'trend_3m',
  'trend_6m',
  'persistence_3m',
  'persistence_6m',
  'trend_method_3m',
  'trend_method_6m',
];

/** One run's account: id, value index and product health from the score-accounts part. */
export interface RunAccount {
  readonly account_id: string;
  readonly value_index: number | null;
  readonly product_health_score: number | null;
  /**
   * A product (Pendo) account. One without any daily-metrics row on or before the as-of (never active) is called
   * Flat like any account without two full windows; an account without product data (a Salesforce-only prospect)
   * gets no trend call.
   */
  readonly has_product: boolean;
}

/** The method of one horizon, why, and the factor its call applies to the corrected change. */
export interface HorizonChoice {
  method: TrendMethod;
  reason: string;
  /** The factor on usage_change behind the call (regressed: b or b + b^2; persistence: 1 or 2; flat: 0). */
  factor: number | null;
  /** How the 6-month call is made (3-month: null). */
  basis: string | null;
}

/** What valueTrends returns. */
export interface ValueTrendsResult {
  rows: ValueTrendRow[];
  backtest: Record<Horizon, HorizonBacktest | null>;
  methods: Record<Horizon, HorizonChoice>;
  shrinkage: Shrinkage;
  /** Population median raw change at the as-of (null: no account with full inputs). */
  populationChange: number | null;
  /**
   * Product accounts without two full windows of their own history before the as-of (called Flat), including
   * those without any daily-metrics row on or before it.
   */
  accountsWithoutFullInputs: number;
  /** Of accountsWithoutFullInputs: product accounts without any daily-metrics row on or before the as-of. */
  accountsWithoutDailyMetrics: number;
}

const HORIZONS: readonly Horizon[] = ['3m', '6m'];

/** How regressed persistence makes its 6-month call from the shrinkage (`methods.6m.basis`). */
function sixMonthBasis(shrinkage: Shrinkage, config: TrendsConfig): string {
  const lasting = config.sixMonth.factor === 'lasting';
  const lasts = "the next window's expected change lasts through the second";
  if (shrinkage.reliability?.usable)
    return `from the last 91-day change: ${lasting ? '2 beta' : '(beta + beta^2)'} x the account's reliability tau2 / (tau2 + its measurement noise) times it (beta the persistence of the usage level's change${lasting ? `; ${lasts}` : ''}), no separate 6-month model`;
  const mostProbable =
    !shrinkage.calibration &&
    config.regressedCall === 'most-probable' &&
    shrinkage.slope !== null &&
    shrinkage.changeVariance !== null;
  if (mostProbable)
    return 'from the last 91-day change x: the most probable of Up / Flat / Down under N(2 b x, 4 b (1 - b) var(x)) (a persistent component repeating in each window), no separate 6-month model';
  if (shrinkage.calibration)
    return 'from the last 91-day change x: (phi + phi^2) times the expected value change given x, read off the mean CRM-activity change of the sampled accounts with a similar x (phi the persistence of the value change), no separate 6-month model';
  if (shrinkage.sixMonth?.usable)
    return 'from the last 91-day change: 2 x the share of a 91-day change that lasts (from the curvature of the usage variogram over lags of one to three windows) times it, no separate 6-month model';
  if (shrinkage.factors)
    return 'from the last 91-day change: (phi + phi^2) x share times it (CRM activity as a second measure of the value change: phi its persistence, share the part of the observed change that is value change), no separate 6-month model';
  return `from the last 91-day change: ${lasting ? `2 b times it (${lasts})` : 'b + b^2 times it (the change decays by b per window)'}, no separate 6-month model`;
}

/**
 * Every run account's trend at the as-of. The corrected change (usage_change) is the account's log change of
 * visitor-days over the last window minus the population median; the default call is regressed persistence
 * (corrected change x b, thresholded), which the backtest's gate may replace by plain persistence, all Flat or the
 * learned model (only when `model.eligible`). Product accounts (or data) without two full windows before the as-of,
 * also those without any daily-metrics row, are called Flat (persistence too) and counted; accounts without product
 * data get no call.
 */
export async function valueTrends(args: {
  frame: HistoryFrame | null;
  asOfRows: readonly WindowRow[];
  history: SampledHistory | null;
  accounts: readonly RunAccount[];
  trendScores: ReadonlyMap<string, number>;
  config: TrendsConfig;
}): Promise<ValueTrendsResult> {
  const { frame, asOfRows, history, accounts, config } = args;
  const K = config.windowWeeks;
  const dataTwo = frame !== null && dataCovers(frame, 0, 2);
  const full = (r: WindowRow) => dataTwo && hasFullInputs(r, K);
  const medC = median(asOfRows.filter(full).map(rawChange));
  const medPrev =
    frame && dataCovers(frame, 0, 3)
      ? median(asOfRows.filter((r) => hasThreeWindows(r, K)).map(rawPrevChange))
      : null;
  const shrinkage = history ? shrinkageAt(history, 0, config) : shrinkageOf([], config);
  const backtest: Record<Horizon, HorizonBacktest | null> = { '3m': null, '6m': null };
  const methods = {} as Record<Horizon, HorizonChoice>;
  const modelCalls: Partial<Record<Horizon, Map<string, TrendCategory>>> = {};
  for (const h of HORIZONS) {
    const basis = h === '6m' ? sixMonthBasis(shrinkage, config) : null;
    if (!dataTwo || medC === null) {
      methods[h] = {
        method: 'flat',
        reason: `the daily metrics hold fewer than two full ${7 * K}-day windows before the as-of (or no account has them): no change is known, every call is Flat`,
        factor: 0,
        basis,
      };
      continue;
    }
    const bt = history ? await backtestHorizon(history, h, config) : null;
    backtest[h] = bt;
    const method = bt?.method ?? 'persistence-regressed';
    const reason = bt?.reason ?? 'no history sample: regressed persistence stands';
    const factor =
      method === 'persistence-regressed'
        ? regressedMeanFactor(shrinkage, h, config)
        : method === 'persistence'
          ? persistenceFactor(h)
          : method === 'flat'
            ? 0
            : null;
    methods[h] = {
      method,
      reason,
      factor,
      basis: method === 'model' ? 'learned model (forests on point-in-time features)' : basis,
    };
    if (method === 'model' && history && frame) {
      const fitted = await fitModelAt(history, h, frame.asOf, config);
      if (fitted) {
        const rows = asOfRows.filter(full);
        const cats = predictCategories(
          fitted.classifier,
          rows.map((r) => modelFeatures(r, medC, medPrev, K)),
        );
        modelCalls[h] = new Map(rows.map((r, i) => [r.account_id, cats[i].category]));
      } else {
        methods[h] = {
          method: 'persistence-regressed',
          reason: `${reason}; but the model could not be refitted at the as-of: regressed persistence`,
          factor: regressedMeanFactor(shrinkage, h, config),
          basis,
        };
      }
    }
  }
  const byId = new Map(asOfRows.map((r) => [r.account_id, r]));
  let withoutFull = 0;
  let withoutDaily = 0;
  const rows = accounts.map((a): ValueTrendRow => {
    const r = byId.get(a.account_id);
    const base: ValueTrendRow = {
      account_id: a.account_id,
      value_index: a.value_index,
      health_score: a.product_health_score,
      trend_value_score: args.trendScores.get(a.account_id) ?? null,
      usage_change: null,
      predicted_change_3m: null,
      predicted_change_6m: null,
      trend_3m: null,
      trend_6m: null,
      persistence_3m: null,
      persistence_6m: null,
      trend_method_3m: null,
      trend_method_6m: null,
    };
    if (!r && !a.has_product) return base;
    const out: ValueTrendRow = {
      ...base,
      trend_method_3m: methods['3m'].method,
      trend_method_6m: methods['6m'].method,
    };
    if (!r || !full(r) || medC === null) {
      withoutFull++;
      if (!r) withoutDaily++;
      return {
        ...out,
        predicted_change_3m: 0,
        predicted_change_6m: 0,
        trend_3m: 'Flat',
        trend_6m: 'Flat',
        persistence_3m: 'Flat',
        persistence_6m: 'Flat',
      };
    }
    const c = rawChange(r) - medC;
    const call = (h: Horizon): { p: number | null; t: TrendCategory } => {
      const m = methods[h];
      if (m.method === 'model') return { p: null, t: modelCalls[h]?.get(r.account_id) ?? 'Flat' };
      if (m.method === 'persistence-regressed')
        return regressedCall(c, shrinkage, h, config, changeNoiseVariance(r, K));
      const p = (m.factor ?? 0) * c;
      return { p, t: categoryOfChange(p, config) };
    };
    const c3 = call('3m');
    const c6 = call('6m');
    return {
      ...out,
      usage_change: c,
      predicted_change_3m: c3.p,
      predicted_change_6m: c6.p,
      trend_3m: c3.t,
      trend_6m: c6.t,
      persistence_3m: categoryOfChange(persistenceFactor('3m') * c, config),
      persistence_6m: categoryOfChange(persistenceFactor('6m') * c, config),
    };
  });
  return {
    rows,
    backtest,
    methods,
    shrinkage,
    populationChange: medC,
    accountsWithoutFullInputs: withoutFull,
    accountsWithoutDailyMetrics: withoutDaily,
  };
}

/** Up / Flat / Down counts of one horizon's calls. */
export function categoryCounts(
  rows: readonly ValueTrendRow[],
  key: 'trend_3m' | 'trend_6m' | 'persistence_3m' | 'persistence_6m',
): Record<string, number> {
  const out: Record<string, number> = { Up: 0, Flat: 0, Down: 0 };
  for (const r of rows) if (r[key]) out[r[key] as string]++;
  return out;
}

/**
 * The ids of the n accounts called Up (rising) or Down (declining) at 3 months with the largest (smallest)
 * corrected usage change, ties by id.
 */
export function topMovers(
  rows: readonly ValueTrendRow[],
  n: number,
  direction: 'rising' | 'declining',
): string[] {
  const want: TrendCategory = direction === 'rising' ? 'Up' : 'Down';
  const sign = direction === 'rising' ? -1 : 1;
  return rows
    .filter((r) => r.usage_change !== null && r.trend_3m === want)
    .sort(
      (a, b) =>
        sign * ((a.usage_change as number) - (b.usage_change as number)) ||
        (a.account_id < b.account_id ? -1 : 1),
    )
    .slice(0, n)
    .map((r) => r.account_id);
}
