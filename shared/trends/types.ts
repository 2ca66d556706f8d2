import type { PitColumn } from '../sql/pointInTime.ts';

/** One account's point-in-time usage features at one date (see shared/sql/pointInTime.ts), all numbers. */
export type PitFeatures = { [K in PitColumn]: number };

/** One account at one history date: its point-in-time features and trend value score (0-1). */
export interface PitPoint {
  readonly accountId: string;
  readonly features: PitFeatures;
  /** Trend value score at that date, 0-1, relative to the accounts active by then. */
  readonly score: number;
}

/** The history: for each date (YYYY-MM-DD) the accounts known then; dates ascending. */
export interface TrendHistory {
  /** History dates, ascending, unique. */
  readonly dates: readonly string[];
  /** Points per date, keyed by account id. */
  readonly byDate: ReadonlyMap<string, ReadonlyMap<string, PitPoint>>;
}

/** Trend category of a 0-1 score change. */
export type TrendCategory = 'Up' | 'Flat' | 'Down';

/** How a fitted horizon picks its categories: the classifier, "last change continues", or all Flat. */
export type CategoryMethod = 'model' | 'last-change' | 'flat';

/**
 * Which method produced a horizon's category: a CategoryMethod (the delta then comes from the regression), or seed
 * 000's blend (delta and category) when the history is too short.
 */
export type TrendMethod = CategoryMethod | 'heuristic-fallback';
