import type { CvsConfig } from '../config/schema.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { meanOf, percentRank, topShare, weightedMean } from './percentile.ts';

/**
 * The four of seed 000's five value dimensions that average features (as percentile ranks); the fifth, freshness, is
 * `freshnessInput` below.
 */
export const VALUE_DIMENSIONS = {
  usage: ['sum_minutes', 'sum_events'],
  intensity: ['average_daily_minutes', 'average_daily_events'],
  breadth: ['n_features_used', 'n_product_areas_used', 'total_feature_clicks'],
  nps: ['avg_nps_rating'],
} as const;

/**
 * The commercial dimension (weight `valueIndex.weights.commercial`, 0.2 by default): mean percentile rank of revenue
 * won (to date, or in the label window: `valueIndex.commercialRevenue`) and of the open pipeline, among accounts with
 * product data and CRM opportunity data.
 */
export function commercialFeatures(
  config: Pick<CvsConfig['valueIndex'], 'commercialRevenue'>,
): readonly (keyof AccountFeatures)[] {
  const revenue = config.commercialRevenue === 'to-date' ? 'total_won_amount' : 'won_amount_window';
  return [revenue, 'current_pipeline_amount'];
}

/** One account's value index (0-1) and its dimensions (each 0-1, null when the input is missing). */
export interface ValueIndexScore {
  value_usage: number | null;
  value_intensity: number | null;
  value_breadth: number | null;
  value_nps: number | null;
  value_freshness: number | null;
  /** Null without CRM opportunity data, or when the commercial weight is 0. */
  value_commercial: number | null;
  value_index: number | null;
  high_value_index: boolean | null;
}

/** Freshness input: minus days since last event; an account that never had an event ranks lowest. */
export function freshnessInput(rows: readonly AccountFeatures[]): (number | null)[] {
  return rows.map((r) =>
    !r.has_product
      ? null
      : r.days_since_last_event === null
        ? Number.NEGATIVE_INFINITY
        : -r.days_since_last_event,
  );
}

/** Percentile rank where -Infinity (never active) ranks 0 and the others rank among themselves and it. */
export function rankWithFloor(values: readonly (number | null)[]): (number | null)[] {
  const finite = values.map((v) => (v === Number.NEGATIVE_INFINITY ? -Number.MAX_VALUE : v));
  const ranks = percentRank(finite);
  return ranks.map((p, i) => (values[i] === Number.NEGATIVE_INFINITY ? 0 : p));
}

/**
 * Seed 000 composite value index: each dimension is the mean percentile rank of its features, the index is the
 * weighted mean of the dimensions (equal weights by default), and a missing dimension (no NPS answer, no
 * visitor_feature export) re-weights the others instead of scoring 0. High-value = top quartile. Accounts without
 * product data (`has_product` false) get null.
 */
export function valueIndex(rows: readonly AccountFeatures[], config: CvsConfig): ValueIndexScore[] {
  const { weights, highValueShare } = config.valueIndex;
  const product = rows.map((r) => r.has_product);
  const rankOf = (col: keyof AccountFeatures) =>
    percentRank(rows.map((r, i) => (product[i] ? ((r[col] ?? null) as number | null) : null)));
  const dim = (cols: readonly (keyof AccountFeatures)[]) => {
    const ranks = cols.map((c) => rankOf(c));
    return rows.map((_, i) => meanOf(ranks.map((r) => r[i])));
  };
  const usage = dim(VALUE_DIMENSIONS.usage);
  const intensity = dim(VALUE_DIMENSIONS.intensity);
  const breadth = dim(VALUE_DIMENSIONS.breadth);
  const nps = dim(VALUE_DIMENSIONS.nps);
  const freshness = rankWithFloor(freshnessInput(rows));
  const commercial =
    weights.commercial > 0 ? dim(commercialFeatures(config.valueIndex)) : rows.map(() => null);
  const index = rows.map((_, i) =>
    product[i]
      ? weightedMean([
          { value: usage[i], weight: weights.usage },
          { value: intensity[i], weight: weights.intensity },
          { value: breadth[i], weight: weights.breadth },
          { value: nps[i], weight: weights.nps },
          { value: freshness[i], weight: weights.freshness },
          { value: commercial[i], weight: weights.commercial },
        ])
      : null,
  );
  const high = topShare(
    index,
    rows.map((r) => r.account_id),
    highValueShare,
  );
  return rows.map((_, i) => ({
    value_usage: usage[i],
    value_intensity: intensity[i],
    value_breadth: breadth[i],
    value_nps: nps[i],
    value_freshness: freshness[i],
    value_commercial: commercial[i],
    value_index: index[i],
    high_value_index: index[i] === null ? null : high[i],
  }));
}
