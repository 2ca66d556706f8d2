import type { TrendsConfig } from '../config/trends.ts';
import { fitRandomForest, predictProba, type RandomForestModel } from '../models/randomForest.ts';
import { createRng } from '../models/rng.ts';
import type { TrendCategory } from './types.ts';

/**
 * The category classifier of a horizon: P(Up) and P(Down) from two one-vs-rest random forests fitted on the
 * realised category (Up / Flat / Down under the configured thresholds) of the training pairs.
 */
export interface TrendClassifier {
  readonly up: RandomForestModel;
  readonly down: RandomForestModel;
  /** Training pairs the forests saw (after the maxTrainPairs sample). */
  readonly pairs: number;
  /** Share of each realised category among those pairs, 0-1. */
  readonly classShares: Record<TrendCategory, number>;
}

/** One account's classifier output: the probabilities (0-1) and the category they pick. */
export interface CategoryPrediction {
  readonly pUp: number;
  readonly pDown: number;
  readonly category: TrendCategory;
}

/**
 * The most probable category: P(Flat) = 1 - P(Up) - P(Down) (at least 0); Up or Down only when strictly more
 * probable than each of the other two, else Flat.
 */
export function categoryFromProba(pUp: number, pDown: number): TrendCategory {
  const pFlat = Math.max(0, 1 - pUp - pDown);
  if (pUp > pDown && pUp > pFlat) return 'Up';
  if (pDown > pUp && pDown > pFlat) return 'Down';
  return 'Flat';
}

/** Indices 0..n-1, or a seeded uniform sample of `max` of them in ascending order when n > max. */
export function samplePairs(n: number, max: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  const rng = createRng(seed);
  for (let i = 0; i < max; i++) {
    const j = i + rng.nextInt(n - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, max).sort((a, b) => a - b);
}

/** Fits the classifier on feature rows X and realised categories y (same length, at least one row). */
export async function fitTrendClassifier(
  X: readonly number[][],
  y: readonly TrendCategory[],
  config: TrendsConfig,
  featureNames?: string[],
): Promise<TrendClassifier> {
  const c = config.model;
  const keep = samplePairs(X.length, c.maxTrainPairs, c.seed);
  const rows = keep.map((i) => X[i]);
  const cats = keep.map((i) => y[i]);
  const params = {
    nEstimators: c.nEstimators,
    maxDepth: c.maxDepth,
    minSamplesLeaf: c.minSamplesLeaf,
    randomState: c.seed,
  };
  const label = (k: TrendCategory) => cats.map((v) => (v === k ? 1 : 0));
  const up = await fitRandomForest(rows, label('Up'), params, featureNames);
  const down = await fitRandomForest(rows, label('Down'), params, featureNames);
  const share = (k: TrendCategory) => cats.filter((v) => v === k).length / cats.length;
  return {
    up,
    down,
    pairs: rows.length,
    classShares: { Up: share('Up'), Flat: share('Flat'), Down: share('Down') },
  };
}

/** P(Up), P(Down) and the picked category of each row of X (empty X: empty result). */
export function predictCategories(
  classifier: TrendClassifier,
  X: readonly number[][],
): CategoryPrediction[] {
  if (X.length === 0) return [];
  const pUp = predictProba(classifier.up, X);
  const pDown = predictProba(classifier.down, X);
  return X.map((_, i) => ({
    pUp: pUp[i],
    pDown: pDown[i],
    category: categoryFromProba(pUp[i], pDown[i]),
  }));
}
