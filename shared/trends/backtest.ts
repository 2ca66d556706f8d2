import type { TrendsConfig } from '../config/trends.ts';
import { addDays } from '../sql/accountFeatures.ts';
import {
  type FeatureTable,
  featureTable,
  fitHorizonModel,
  type HorizonModel,
  lastChangeDeltas,
  predictHorizon,
  trendCategory,
} from './forecast.ts';
import {
  categoriesByMethod,
  type MethodSelection,
  selectCategoryMethod,
} from './methodSelection.ts';
import { daysBetween, nearestDate } from './trendHistory.ts';
import type { CategoryMethod, TrendCategory, TrendHistory } from './types.ts';

const CATEGORIES: readonly TrendCategory[] = ['Up', 'Flat', 'Down'];

/** Counts by actual category (outer key) and predicted category (inner key). */
export type ConfusionMatrix = Record<TrendCategory, Record<TrendCategory, number>>;

/** How well one forecaster's deltas matched what happened. */
export interface DirectionMetrics {
  /** Evaluated (account, origin) pairs. */
  n: number;
  /** Share of pairs whose predicted category (Up / Flat / Down) equals the actual one, 0-1; null when n = 0. */
  hitRate: number | null;
  /** Mean absolute error of the predicted delta (0-1 score units); null when n = 0. */
  mae: number | null;
  confusion: ConfusionMatrix;
}

/** One predicted and one actual delta, and the predicted category when it does not come from the delta. */
export interface DeltaPair {
  readonly predicted: number;
  readonly actual: number;
  /** The forecaster's own category (the classifier's); absent: the predicted delta's under the thresholds. */
  readonly category?: TrendCategory;
}

/**
 * Hit rate, MAE and confusion matrix of predicted vs actual deltas; the actual category (and the predicted one,
 * unless the pair carries its own) under the configured thresholds.
 */
export function directionMetrics(
  pairs: readonly DeltaPair[],
  config: TrendsConfig,
): DirectionMetrics {
  const confusion = Object.fromEntries(
    CATEGORIES.map((a) => [a, Object.fromEntries(CATEGORIES.map((p) => [p, 0]))]),
  ) as ConfusionMatrix;
  let hits = 0;
  let abs = 0;
  for (const { predicted, actual, category } of pairs) {
    const p = category ?? trendCategory(predicted, config);
    const a = trendCategory(actual, config);
    confusion[a][p]++;
    if (p === a) hits++;
    abs += Math.abs(predicted - actual);
  }
  const n = pairs.length;
  return { n, hitRate: n ? hits / n : null, mae: n ? abs / n : null, confusion };
}

/** One origin of the rolling backtest. */
export interface BacktestOrigin {
  /** Forecast date t (only history up to t was used). */
  origin: string;
  /** The date whose known pairs the model used was fitted on (t, or up to backtestRefitDays before it). */
  fittedAt: string;
  /** The history date the outcome was read from (about t + horizon). */
  outcome: string;
  n: number;
  trainOrigins: number;
  /** The category method chosen at the fit (inner validation on the pairs known then), and why. */
  selected: MethodSelection;
  hitRate: {
    /** The chosen method's categories. */
    selected: number | null;
    /** The classifier's categories (whatever was chosen). */
    model: number | null;
    flat: number | null;
    lastChange: number | null;
  };
}

/** The rolling-origin backtest of one horizon: the model and the two naive baselines on the same pairs. */
export interface HorizonBacktest {
  horizonDays: number;
  /** True when at least one origin had both a fitted model and a known outcome. */
  evaluable: boolean;
  origins: BacktestOrigin[];
  /** The category method chosen at each origin (its delta: the regression's). */
  selected: DirectionMetrics;
  /** How many origins chose each category method. */
  selectedCounts: Record<CategoryMethod, number>;
  /** The classifier at every origin (the delta: the regression's). */
  model: DirectionMetrics;
  /** Baseline: everything Flat (delta 0). */
  flat: DirectionMetrics;
  /** Baseline: the change over the previous horizon continues. */
  lastChange: DirectionMetrics;
  /** Why nothing could be evaluated, when so. */
  note: string | null;
}

/**
 * Rolling origin: at every history date t whose outcome (t + horizon) is in the history, forecasts every account at
 * t with a model fitted on the pairs whose outcome was known at t (refitted at t, or reused from a fit at most
 * backtestRefitDays before t, which knew even less), and compares with the actual change; the baselines are scored
 * on the same pairs. The model's category is the classifier's, its delta the regression's. The selected method's
 * category is the one chosen with the fit by selectCategoryMethod on the same known pairs (no look-ahead).
 */
export async function backtestHorizon(
  history: TrendHistory,
  horizonDays: number,
  config: TrendsConfig,
  table: FeatureTable = featureTable(history, config),
): Promise<HorizonBacktest> {
  const all = {
    selected: [] as DeltaPair[],
    model: [] as DeltaPair[],
    flat: [] as DeltaPair[],
    lastChange: [] as DeltaPair[],
  };
  const origins: BacktestOrigin[] = [];
  const selectedCounts: Record<CategoryMethod, number> = { model: 0, 'last-change': 0, flat: 0 };
  let fit: { at: string; model: HorizonModel; selection: MethodSelection } | null = null;
  for (const t of history.dates) {
    const u = nearestDate(history.dates, addDays(t, horizonDays), config.dateToleranceDays);
    if (u === null || u <= t) continue;
    if (!fit || daysBetween(fit.at, t) >= config.backtestRefitDays) {
      const model = await fitHorizonModel(history, horizonDays, t, config, table);
      fit = model
        ? {
            at: t,
            model,
            selection: await selectCategoryMethod(history, horizonDays, t, config, table),
          }
        : null;
    }
    if (!fit) continue;
    const fitted = fit.model;
    const predicted = predictHorizon(fitted, history, t, config, table);
    const last = lastChangeDeltas(history, t, horizonDays, config);
    const chosen = categoriesByMethod(
      fit.selection.method,
      predicted,
      history,
      t,
      horizonDays,
      config,
    );
    const now = history.byDate.get(t) ?? new Map();
    const later = history.byDate.get(u) ?? new Map();
    const here = {
      selected: [] as DeltaPair[],
      model: [] as DeltaPair[],
      flat: [] as DeltaPair[],
      lastChange: [] as DeltaPair[],
    };
    for (const [id, p] of now) {
      const end = later.get(id);
      const f = predicted.get(id);
      if (!end || f === undefined) continue;
      const actual = end.score - p.score;
      here.selected.push({ predicted: f.delta, actual, category: chosen.get(id) ?? f.category });
      here.model.push({ predicted: f.delta, actual, category: f.category });
      here.flat.push({ predicted: 0, actual });
      here.lastChange.push({ predicted: last.get(id) ?? 0, actual });
    }
    if (!here.model.length) continue;
    all.selected.push(...here.selected);
    all.model.push(...here.model);
    selectedCounts[fit.selection.method]++;
    all.flat.push(...here.flat);
    all.lastChange.push(...here.lastChange);
    origins.push({
      origin: t,
      fittedAt: fit.at,
      outcome: u,
      n: here.model.length,
      trainOrigins: fitted.trainOrigins,
      selected: fit.selection,
      hitRate: {
        selected: directionMetrics(here.selected, config).hitRate,
        model: directionMetrics(here.model, config).hitRate,
        flat: directionMetrics(here.flat, config).hitRate,
        lastChange: directionMetrics(here.lastChange, config).hitRate,
      },
    });
  }
  const evaluable = origins.length > 0;
  return {
    horizonDays,
    evaluable,
    origins,
    selected: directionMetrics(all.selected, config),
    selectedCounts,
    model: directionMetrics(all.model, config),
    flat: directionMetrics(all.flat, config),
    lastChange: directionMetrics(all.lastChange, config),
    note: evaluable
      ? null
      : `no origin with at least ${config.minTrainOrigins} earlier origins of known ${horizonDays}-day outcome and a known outcome of its own: the history is too short`,
  };
}
