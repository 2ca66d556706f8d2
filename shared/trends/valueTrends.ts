import type { TrendsConfig } from '../config/trends.ts';
import { backtestHorizon, type HorizonBacktest } from './backtest.ts';
import {
  CORRECTION_FEATURES,
  featureTable,
  fitHorizonModel,
  heuristicForecast,
  predictHorizon,
  trainingSet,
  trendCategory,
} from './forecast.ts';
import {
  categoriesByMethod,
  type MethodSelection,
  selectCategoryMethod,
} from './methodSelection.ts';
import { lookbacksAt } from './modelFeatures.ts';
import type { TrendCategory, TrendHistory, TrendMethod } from './types.ts';

/** One row of value_trends_all_accounts.csv (seed 000 columns plus the trend value score and methods). */
export type ValueTrendRow = {
  account_id: string;
  /** The run's value index (0-1), as scored by score-accounts. */
  value_index: number | null;
  /** The run's product health (0-100). */
  health_score: number | null;
  /** Trend value score today (0-1); null for an account with no usage yet. */
  trend_value_score: number | null;
  predicted_value_3m: number | null;
  predicted_value_6m: number | null;
  delta_3m: number | null;
  delta_6m: number | null;
  trend_3m: TrendCategory | null;
  trend_6m: TrendCategory | null;
  trend_method_3m: TrendMethod | null;
  trend_method_6m: TrendMethod | null;
};

/** The columns of value_trends_all_accounts.csv in order. */
export const VALUE_TREND_COLUMNS: readonly (keyof ValueTrendRow)[] = [
  'account_id',
  'value_index',
  'health_score',
  'trend_value_score',
  'predicted_value_3m',
  'predicted_value_6m',
  'delta_3m',
  'delta_6m',
  'trend_3m',
  'trend_6m',
  'trend_method_3m',
  'trend_method_6m',
];

/** One run's account: id, value index and product health from the score-accounts part. */
export interface RunAccount {
  readonly account_id: string;
  readonly value_index: number | null;
  readonly product_health_score: number | null;
}

/** The method chosen for one horizon and why. */
export interface HorizonChoice {
  method: TrendMethod;
  reason: string;
  trainOrigins: number;
  trainPairs: number;
  /**
   * Where the category comes from: the classifier, "last change continues" or all Flat (whichever won the inner
   * validation; the delta is the regression's), or the thresholds on the heuristic's delta (fallback).
   */
  categoryFrom: 'classifier' | 'last-change' | 'all-flat' | 'delta-thresholds';
  /** The inner validation that chose the category method, when the model is used. */
  selection: MethodSelection | null;
  /** Standardized coefficients of the ridge correction by feature, when the model is used. */
  coefficients: Record<string, number> | null;
  /** The classifier's training pairs and their realised category shares (0-1), when the model is used. */
  classifier: { pairs: number; classShares: Record<TrendCategory, number> } | null;
}

const CATEGORY_FROM: Record<TrendMethod, HorizonChoice['categoryFrom']> = {
  model: 'classifier',
  'last-change': 'last-change',
  flat: 'all-flat',
  'heuristic-fallback': 'delta-thresholds',
};

/** What valueTrends returns: the rows, the backtest per horizon and the method chosen per horizon. */
export interface ValueTrendsResult {
  rows: ValueTrendRow[];
  backtest: { '3m': HorizonBacktest; '6m': HorizonBacktest };
  methods: { '3m': HorizonChoice; '6m': HorizonChoice };
}

/**
 * Forecasts every run account at `asOf` from the trend history (which must contain `asOf`): per horizon the fitted
 * model when enough history has a known outcome (and, with requireBacktest, the backtest could check it), else seed
 * 000's heuristic blend; the rolling-origin backtest of each horizon comes with it. With the model, the delta and
 * predicted score come from the regression and the category from the method (classifier, last change continues or
 * all Flat) that won the inner validation on the pairs known at `asOf`.
 */
export async function valueTrends(args: {
  history: TrendHistory;
  asOf: string;
  accounts: readonly RunAccount[];
  config: TrendsConfig;
}): Promise<ValueTrendsResult> {
  const { history, asOf, accounts, config } = args;
  const table = featureTable(history, config);
  const today = history.byDate.get(asOf) ?? new Map();
  const back = lookbacksAt(history, asOf, config);
  const horizons = { '3m': config.horizon3mDays, '6m': config.horizon6mDays } as const;
  const backtest = {
    '3m': await backtestHorizon(history, horizons['3m'], config, table),
    '6m': await backtestHorizon(history, horizons['6m'], config, table),
  };
  const choose = async (key: '3m' | '6m') => {
    const days = horizons[key];
    const known = trainingSet(history, days, asOf, config, table);
    const enough =
      known.origins.length >= config.minTrainOrigins && known.y.length >= config.minTrainPairs;
    const checked = !config.requireBacktest || backtest[key].evaluable;
    // The fit (two forests) only when it will be used.
    const fitted =
      enough && checked ? await fitHorizonModel(history, days, asOf, config, table) : null;
    const use = fitted !== null;
    const selection = fitted
      ? await selectCategoryMethod(history, days, asOf, config, table)
      : null;
    const method = selection?.method ?? 'heuristic-fallback';
    const reason = !enough
      ? `fewer than ${config.minTrainOrigins} origin dates or ${config.minTrainPairs} pairs with a known ${days}-day outcome`
      : !use
        ? `${known.origins.length} origins (${known.y.length} pairs) with a known ${days}-day outcome, but no ${days}-day backtest was possible (history too short), so the model is not used`
        : `model fitted on ${fitted.trainOrigins} origins, ${fitted.trainPairs} pairs; category: ${selection?.reason}`;
    const choice: HorizonChoice = {
      method,
      reason,
      trainOrigins: known.origins.length,
      trainPairs: known.y.length,
      categoryFrom: CATEGORY_FROM[method],
      selection,
      coefficients: fitted
        ? Object.fromEntries(CORRECTION_FEATURES.map((n, i) => [n, fitted.model.coef[i]]))
        : null,
      classifier: fitted
        ? { pairs: fitted.classifier.pairs, classShares: fitted.classifier.classShares }
        : null,
    };
    const forecast = fitted ? predictHorizon(fitted, history, asOf, config, table) : null;
    const categories =
      forecast && selection
        ? categoriesByMethod(selection.method, forecast, history, asOf, days, config)
        : null;
    return { choice, forecast, categories };
  };
  const c3 = await choose('3m');
  const c6 = await choose('6m');
  const rows = accounts.map((a): ValueTrendRow => {
    const p = today.get(a.account_id);
    const base: ValueTrendRow = {
      account_id: a.account_id,
      value_index: a.value_index,
      health_score: a.product_health_score,
      trend_value_score: p ? p.score : null,
      predicted_value_3m: null,
      predicted_value_6m: null,
      delta_3m: null,
      delta_6m: null,
      trend_3m: null,
      trend_6m: null,
      trend_method_3m: null,
      trend_method_6m: null,
    };
    if (!p) return base;
    const prev = back.short?.get(a.account_id);
    const heuristic = heuristicForecast(
      {
        score: p.score,
        health: a.product_health_score,
        changeShort: prev ? p.score - prev.score : null,
      },
      config,
    );
    const f3 = c3.forecast?.get(a.account_id);
    const f6 = c6.forecast?.get(a.account_id);
    const d3 = f3?.delta ?? heuristic.predicted3m - p.score;
    const d6 = f6?.delta ?? heuristic.predicted6m - p.score;
    return {
      ...base,
      predicted_value_3m: p.score + d3,
      predicted_value_6m: p.score + d6,
      delta_3m: d3,
      delta_6m: d6,
      trend_3m: c3.categories?.get(a.account_id) ?? trendCategory(d3, config),
      trend_6m: c6.categories?.get(a.account_id) ?? trendCategory(d6, config),
      trend_method_3m: c3.choice.method,
      trend_method_6m: c6.choice.method,
    };
  });
  return { rows, backtest, methods: { '3m': c3.choice, '6m': c6.choice } };
}

/** Up / Flat / Down counts of one horizon's categories. */
export function categoryCounts(
  rows: readonly ValueTrendRow[],
  key: 'trend_3m' | 'trend_6m',
): Record<string, number> {
  const out: Record<string, number> = { Up: 0, Flat: 0, Down: 0 };
  for (const r of rows) if (r[key]) out[r[key] as string]++;
  return out;
}

/** The ids of the n accounts with the largest (rising) or smallest (declining) 3-month delta, ties by id. */
export function topMovers(
  rows: readonly ValueTrendRow[],
  n: number,
  direction: 'rising' | 'declining',
): string[] {
  const sign = direction === 'rising' ? -1 : 1;
  return rows
    .filter((r) => r.delta_3m !== null)
    .sort(
      (a, b) =>
        sign * ((a.delta_3m as number) - (b.delta_3m as number)) ||
        (a.account_id < b.account_id ? -1 : 1),
    )
    .slice(0, n)
    .map((r) => r.account_id);
}
