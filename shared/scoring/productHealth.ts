import type { CvsConfig } from '../config/schema.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { percentRank, weightedMean } from './percentile.ts';
import { freshnessInput, rankWithFloor } from './valueIndex.ts';

/**
 * Seed 000 product health, 0-100: freshness (percentile of recency, never-active = 0), NPS (avg_nps_rating / 10),
 * intensity (percentile of average_daily_minutes) and span (percentile of count_active_days), equally weighted by
 * default; a missing NPS re-weights the other three. Null for accounts without product data.
 */
export function productHealth(
  rows: readonly AccountFeatures[],
  config: CvsConfig,
): (number | null)[] {
  const w = config.productHealth.weights;
  const freshness = rankWithFloor(freshnessInput(rows));
  const intensity = percentRank(rows.map((r) => (r.has_product ? r.average_daily_minutes : null)));
  const span = percentRank(rows.map((r) => (r.has_product ? r.count_active_days : null)));
  return rows.map((r, i) => {
    if (!r.has_product) return null;
    const score = weightedMean([
      { value: freshness[i], weight: w.freshness },
      { value: r.avg_nps_rating === null ? null : r.avg_nps_rating / 10, weight: w.nps },
      { value: intensity[i], weight: w.intensity },
      { value: span[i], weight: w.span },
    ]);
    return score === null ? null : 100 * score;
  });
}
