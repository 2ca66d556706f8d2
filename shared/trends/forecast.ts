import type { TrendsConfig } from '../config/trends.ts';
import { addDays } from '../sql/accountFeatures.ts';
import { lookbacksAt, MODEL_FEATURES, type ModelFeature, modelFeatures } from './modelFeatures.ts';
import { fitRidge, predictRidge, type RidgeModel } from './ridge.ts';
import {
  type CategoryPrediction,
  fitTrendClassifier,
  predictCategories,
  type TrendClassifier,
} from './trendClassifier.ts';
import { nearestDate } from './trendHistory.ts';
import type { TrendCategory, TrendHistory } from './types.ts';

/** Up when delta >= upThreshold, Down when delta <= -downThreshold, else Flat (delta in 0-1 score units). */
export function trendCategory(delta: number, config: TrendsConfig): TrendCategory {
  if (delta >= config.upThreshold) return 'Up';
  if (delta <= -config.downThreshold) return 'Down';
  return 'Flat';
}

/** The delta that keeps score + delta inside [0, 1]. */
export function clipDelta(score: number, delta: number): number {
  return Math.min(1, Math.max(0, score + delta)) - score;
}

/** Model features of every account at one date, computed once per history (they read only dates up to that one). */
export type FeatureTable = (date: string) => { ids: string[]; X: number[][] };

/** A memoised FeatureTable over a history. */
export function featureTable(history: TrendHistory, config: TrendsConfig): FeatureTable {
  const cache = new Map<string, { ids: string[]; X: number[][] }>();
  return (date) => {
    let t = cache.get(date);
    if (!t) {
      const points = [...(history.byDate.get(date)?.values() ?? [])];
      const back = lookbacksAt(history, date, config);
      t = {
        ids: points.map((p) => p.accountId),
        X: points.map((p) => modelFeatures(p, back, config)),
      };
      cache.set(date, t);
    }
    return t;
  };
}

/** Training pairs of one horizon: features X, realised deltas y, and each pair's origin date and account id. */
export interface TrainingSet {
  X: number[][];
  /** Realised change score(s + h) - score(s), 0-1 units. */
  y: number[];
  /** Distinct origin dates with at least one pair, ascending. */
  origins: string[];
  /** Origin date of each pair (same order as X, y). */
  pairOrigins: string[];
  /** Account id of each pair. */
  pairIds: string[];
}

/** The training pairs of one horizon whose outcome is known by `cutoff`: X at origin s, y = score(s + h) - score(s). */
export function trainingSet(
  history: TrendHistory,
  horizonDays: number,
  cutoff: string,
  config: TrendsConfig,
  table: FeatureTable = featureTable(history, config),
): TrainingSet {
  const known = history.dates.filter((d) => d <= cutoff);
  const X: number[][] = [];
  const y: number[] = [];
  const origins: string[] = [];
  const pairOrigins: string[] = [];
  const pairIds: string[] = [];
  for (const s of known) {
    const u = nearestDate(known, addDays(s, horizonDays), config.dateToleranceDays);
    if (u === null || u <= s) continue;
    const later = history.byDate.get(u);
    const now = history.byDate.get(s);
    if (!later || !now) continue;
    const { ids, X: xs } = table(s);
    let used = 0;
    ids.forEach((id, i) => {
      const end = later.get(id);
      const start = now.get(id);
      if (!end || !start) return;
      X.push(xs[i]);
      y.push(end.score - start.score);
      pairOrigins.push(s);
      pairIds.push(id);
      used++;
    });
    if (used) origins.push(s);
  }
  return { X, y, origins, pairOrigins, pairIds };
}

const RATE = MODEL_FEATURES.indexOf('change_rate');

/** The persistence part of a delta: the score's recent rate of change continued over the horizon (0 if unknown). */
export function persistence(
  x: readonly number[],
  horizonDays: number,
  config: TrendsConfig,
): number {
  const rate = x[RATE];
  return Number.isNaN(rate) ? 0 : (rate * horizonDays) / config.longWindowDays;
}

/**
 * Model features the ridge correction leaves out. The rate of change enters as the fixed persistence offset:
 * learning its weight from the early months of an export shrinks it badly (changes measured over a short,
 * still-filling past are noisy). The tenure grows with calendar time, so every forecast date lies beyond the
 * tenures the training pairs had: a linear term would extrapolate (the forest, whose steps stay flat outside the
 * training range, keeps it).
 */
const NOT_IN_CORRECTION: readonly ModelFeature[] = ['change_rate', 'log_tenure'];
const IN_CORRECTION = MODEL_FEATURES.map((n) => !NOT_IN_CORRECTION.includes(n));

/** The features of the ridge correction, in correctionInputs order. */
export const CORRECTION_FEATURES: readonly ModelFeature[] = MODEL_FEATURES.filter(
  (_, j) => IN_CORRECTION[j],
);

/** The inputs of the ridge correction from a row of model features (CORRECTION_FEATURES order). */
export function correctionInputs(x: readonly number[]): number[] {
  return x.filter((_, j) => IN_CORRECTION[j]);
}

/**
 * A horizon's fitted forecast. The delta (and so the predicted score) = persistence (the recent rate of change
 * continued) + a ridge correction from the other features, learned on the residuals. The category comes from the
 * classifier (the most probable of Up / Flat / Down), not from thresholding that delta: a squared-error fit
 * shrinks deltas toward 0 and so under-calls Up and Down.
 */
export interface HorizonModel {
  readonly horizonDays: number;
  readonly model: RidgeModel;
  readonly classifier: TrendClassifier;
  /** Distinct origin dates with a known outcome. */
  readonly trainOrigins: number;
  readonly trainPairs: number;
}

/** Fits the delta model of one horizon on pairs known by `cutoff`; null when below minTrainOrigins / minTrainPairs. */
export async function fitHorizonModel(
  history: TrendHistory,
  horizonDays: number,
  cutoff: string,
  config: TrendsConfig,
  table?: FeatureTable,
): Promise<HorizonModel | null> {
  const { X, y, origins } = trainingSet(history, horizonDays, cutoff, config, table);
  if (origins.length < config.minTrainOrigins || y.length < config.minTrainPairs) return null;
  const residual = y.map((v, i) => v - persistence(X[i], horizonDays, config));
  const classifier = await fitTrendClassifier(
    X,
    y.map((v) => trendCategory(v, config)),
    config,
    [...MODEL_FEATURES],
  );
  return {
    horizonDays,
    model: fitRidge(X.map(correctionInputs), residual, config.ridgeAlpha),
    classifier,
    trainOrigins: origins.length,
    trainPairs: y.length,
  };
}

/** One account's forecast of one horizon: delta (0-1 units, clipped to keep the score in [0, 1]) and category. */
export interface HorizonPrediction extends CategoryPrediction {
  readonly delta: number;
}

/** The forecast of every account at `date`, by account id. */
export function predictHorizon(
  model: HorizonModel,
  history: TrendHistory,
  date: string,
  config: TrendsConfig,
  table: FeatureTable = featureTable(history, config),
): Map<string, HorizonPrediction> {
  const { ids, X } = table(date);
  const points = history.byDate.get(date);
  const correction = X.length ? predictRidge(model.model, X.map(correctionInputs)) : [];
  const categories = predictCategories(model.classifier, X);
  return new Map(
    ids.map((id, i) => [
      id,
      {
        ...categories[i],
        delta: clipDelta(
          points?.get(id)?.score ?? 0,
          persistence(X[i], model.horizonDays, config) + correction[i],
        ),
      },
    ]),
  );
}

/** The "last change continues" baseline: the score change over the previous horizon, as the next one's delta. */
export function lastChangeDeltas(
  history: TrendHistory,
  date: string,
  horizonDays: number,
  config: TrendsConfig,
): Map<string, number> {
  const now = history.byDate.get(date) ?? new Map();
  const earlier = history.dates.filter((d) => d < date);
  const tries = [horizonDays, config.longWindowDays, config.shortWindowDays];
  const past = tries.map((days) => {
    const d = nearestDate(earlier, addDays(date, -days), config.dateToleranceDays);
    return { days, points: d === null ? null : history.byDate.get(d) };
  });
  const out = new Map<string, number>();
  for (const [id, p] of now) {
    let delta = 0;
    for (const { days, points } of past) {
      const prev = points?.get(id);
      if (prev) {
        delta = ((p.score - prev.score) * horizonDays) / days;
        break;
      }
    }
    out.set(id, clipDelta(p.score, delta));
  }
  return out;
}

/** Inputs of seed 000's heuristic blend for one account. */
export interface HeuristicInput {
  /** Trend value score now, 0-1. */
  readonly score: number;
  /** Product health now, 0-100 (null: the score stands in). */
  readonly health: number | null;
  /** Change of the trend value score over the last month (null: 0). */
  readonly changeShort: number | null;
}

/**
 * Seed 000's blend (the fallback when history is too short): the 3-month score leans on today's health, plus a
 * dampened monthly momentum; the 6-month score continues the 3-month move, dampened. Both in [0, 1].
 */
export function heuristicForecast(
  input: HeuristicInput,
  config: TrendsConfig,
): { predicted3m: number; predicted6m: number } {
  const h = config.heuristic;
  const health = input.health === null ? input.score : input.health / 100;
  const wsum = h.value + h.health || 1;
  const blend = (h.value * input.score + h.health * health) / wsum;
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  const predicted3m = clip(blend + h.momentum * (input.changeShort ?? 0));
  const predicted6m = clip(predicted3m + h.damping * (predicted3m - input.score));
  return { predicted3m, predicted6m };
}
