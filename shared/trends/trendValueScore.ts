import type { TrendsConfig } from '../config/trends.ts';
import { meanOf, percentRank, weightedMean } from '../scoring/percentile.ts';
import type { PitFeatures } from './types.ts';

/**
 * The trend value score: seed 000's percentile aggregate, computed from point-in-time features only, so it means
 * the same thing at every date (history and today). Each dimension is the mean percentile rank of its inputs among
 * the accounts of that date; the score is the weighted mean of the dimensions, 0-1. NPS is left out: the exports
 * hold only today's NPS, which would leak the future into past dates.
 */

/** The dimensions of the trend value score and how each input is read from the point-in-time features. */
export const TREND_DIMENSIONS: Record<
  'usage' | 'intensity' | 'frequency' | 'breadth',
  readonly ((f: PitFeatures) => number)[]
> = {
  usage: [(f) => f.minutes_long, (f) => f.events_long],
  intensity: [
    (f) => (f.active_days_long > 0 ? f.minutes_long / f.active_days_long : 0),
    (f) => (f.active_days_long > 0 ? f.events_long / f.active_days_long : 0),
  ],
  frequency: [(f) => f.active_days_long],
  breadth: [(f) => f.visitor_days_long, (f) => f.features_long],
};

/** Trend value score (0-1) of each account among the given accounts of one date, in input order. */
export function trendValueScores(rows: readonly PitFeatures[], config: TrendsConfig): number[] {
  const w = config.weights;
  const dim = (inputs: readonly ((f: PitFeatures) => number)[]) => {
    const ranks = inputs.map((get) => percentRank(rows.map(get)));
    return rows.map((_, i) => meanOf(ranks.map((r) => r[i])));
  };
  const usage = dim(TREND_DIMENSIONS.usage);
  const intensity = dim(TREND_DIMENSIONS.intensity);
  const frequency = dim(TREND_DIMENSIONS.frequency);
  const breadth = dim(TREND_DIMENSIONS.breadth);
  const freshness = percentRank(rows.map((f) => -f.days_since_last_active));
  return rows.map(
    (_, i) =>
      weightedMean([
        { value: usage[i], weight: w.usage },
        { value: intensity[i], weight: w.intensity },
        { value: frequency[i], weight: w.frequency },
        { value: breadth[i], weight: w.breadth },
        { value: freshness[i], weight: w.freshness },
      ]) ?? 0,
  );
}
