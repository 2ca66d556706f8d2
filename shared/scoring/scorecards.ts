import type { CvsConfig } from '../config/schema.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { percentRank, quintileScore, topShare, weightedMean } from './percentile.ts';
import { freshnessInput, rankWithFloor } from './valueIndex.ts';

/** Seed 001 quintile scorecard, seed 002 weighted score and the old two-metric baseline, for one account. */
export interface ScorecardScore {
  /** Seed 001: 1-5 per dimension, summed (4-20); a missing NPS is re-scaled from the other three. */
  quintile_total: number | null;
  high_value_quintile: boolean | null;
  /** Seed 002: weighted percentile score, 0-1. */
  weighted_score: number | null;
  high_value_weighted: boolean | null;
  /** The old way: mean percentile of usage duration (sum_minutes) and frequency (count_active_days), 0-1. */
  baseline_2d_score: number | null;
  high_value_baseline_2d: boolean | null;
}

/** Seed 001's four dimensions. */
export const QUINTILE_FEATURES = [
  'sum_minutes',
  'count_active_days',
  'count_associated_visitors',
  'avg_nps_rating',
] as const;

/**
 * Seed 001: each of sum_minutes, count_active_days, count_associated_visitors, avg_nps_rating scored 1-5 by
 * percentile rank and summed; top 20% high-value. Seed 002: feature adoption 15%, engagement 10%, recency 15%,
 * satisfaction 10%, duration 25%, frequency 25% over percentile ranks; top 20%. Baseline: duration + frequency only.
 */
export function scorecards(rows: readonly AccountFeatures[], config: CvsConfig): ScorecardScore[] {
  const cfg = config.scorecard;
  const keys = rows.map((r) => r.account_id);
  const rank = (col: keyof AccountFeatures) =>
    percentRank(rows.map((r) => (r.has_product ? (r[col] as number | null) : null)));
  const quintiles = QUINTILE_FEATURES.map((c) => rank(c).map(quintileScore));
  const quintileTotal = rows.map((r, i) => {
    if (!r.has_product) return null;
    const present = quintiles.map((q) => q[i]).filter((q): q is number => q !== null);
    if (present.length === 0) return null;
    const sum = present.reduce((a, b) => a + b, 0);
    return (sum * QUINTILE_FEATURES.length) / present.length;
  });
  const w = cfg.weighted;
  const adoption = rank('n_features_used');
  const engagement = rank('total_feature_clicks');
  const recency = rankWithFloor(freshnessInput(rows));
  const satisfaction = rank('avg_nps_rating');
  const duration = rank('sum_minutes');
  const frequency = rank('count_active_days');
  const weighted = rows.map((r, i) =>
    r.has_product
      ? weightedMean([
          { value: adoption[i], weight: w.featureAdoption },
          { value: engagement[i], weight: w.featureEngagement },
          { value: recency[i], weight: w.recency },
          { value: satisfaction[i], weight: w.satisfaction },
          { value: duration[i], weight: w.duration },
          { value: frequency[i], weight: w.frequency },
        ])
      : null,
  );
  const baseline = rows.map((r, i) =>
    r.has_product && duration[i] !== null && frequency[i] !== null
      ? ((duration[i] as number) + (frequency[i] as number)) / 2
      : null,
  );
  const hq = topShare(quintileTotal, keys, cfg.quintileTopShare);
  const hw = topShare(weighted, keys, cfg.weightedTopShare);
  const hb = topShare(baseline, keys, cfg.baselineTopShare);
  return rows.map((_, i) => ({
    quintile_total: quintileTotal[i],
    high_value_quintile: quintileTotal[i] === null ? null : hq[i],
    weighted_score: weighted[i],
    high_value_weighted: weighted[i] === null ? null : hw[i],
    baseline_2d_score: baseline[i],
    high_value_baseline_2d: baseline[i] === null ? null : hb[i],
  }));
}
