import type { PitColumn } from '../sql/pointInTime.ts';

/** One account's point-in-time usage features at one date (see shared/sql/pointInTime.ts), all numbers. */
export type PitFeatures = { [K in PitColumn]: number };

/** One account at one date: its point-in-time features and trend value score (0-1). */
export interface PitPoint {
  readonly accountId: string;
  readonly features: PitFeatures;
  /** Trend value score at that date, 0-1, relative to the accounts active by then. */
  readonly score: number;
}

/** Trend category of a change: Up, Flat or Down. */
export type TrendCategory = 'Up' | 'Flat' | 'Down';

/**
 * The method behind a horizon's calls: `persistence-regressed` (the default: the account's last 91-day change,
 * corrected for the population's, times a shrinkage factor), `persistence` (the same change unshrunk), `flat`
 * (everything Flat), or `model` (the learned classifier, only when it passed the gate).
 */
export type TrendMethod = 'persistence-regressed' | 'persistence' | 'flat' | 'model';

/** The two horizons. */
export type Horizon = '3m' | '6m';
