/**
 * Cluster names from centroids (standardized feature space). Names depend only on where the centroids lie, never on
 * the clusters' index order, so re-fitting on next quarter's data (or the same rows in another order) names the same
 * kind of cluster the same way.
 */

/** The three value segments, highest first (seed 003). */
export const VALUE_SEGMENT_NAMES = ['High value', 'Medium value', 'Low value'] as const;

/** The five behavioural clusters (seed 002's profiles), in the order they are picked. */
export const BEHAVIOUR_CLUSTER_NAMES = [
  'Dormant',
  'High engagement, broad adoption',
  'Intermittent, lapsing',
  'Low engagement, at risk',
  'Moderate engagement, consistent use',
] as const;

/** Compares two centroids lexicographically: the tie-break that keeps naming independent of cluster order. */
function compareCentroids(a: readonly number[], b: readonly number[]): number {
  for (let f = 0; f < a.length; f++) if (a[f] !== b[f]) return a[f] - b[f];
  return 0;
}

/** Centroid coordinate of a feature, 0 when the segmentation does not use it. */
function coord(center: readonly number[], features: readonly string[], name: string): number {
  const f = features.indexOf(name);
  return f < 0 ? 0 : center[f];
}

/** Mean standardized value of a centroid (recency counted as freshness: fewer days is better). */
function centroidValue(center: readonly number[], features: readonly string[]): number {
  let s = 0;
  features.forEach((name, f) => {
    s += name === 'days_since_last_event' ? -center[f] : center[f];
  });
  return features.length ? s / features.length : 0;
}

/** Names value clusters by the mean of their standardized centroid: High, Medium, Low value (k <= 3). */
export function nameValueSegments(
  centers: readonly number[][],
  features: readonly string[],
): string[] {
  const order = centers
    .map((c, i) => ({ i, v: centroidValue(c, features) }))
    .sort((a, b) => b.v - a.v || compareCentroids(centers[b.i], centers[a.i]));
  const names: string[] = new Array(centers.length);
  const labels = centers.length === 2 ? ['High value', 'Low value'] : VALUE_SEGMENT_NAMES;
  order.forEach((o, rank) => {
    names[o.i] = labels[Math.min(rank, labels.length - 1)];
  });
  return names;
}

/** Behavioural traits of a centroid, each in standard deviations from the average account. */
export interface ClusterTraits {
  /** Mean of sum_minutes and count_active_days. */
  engagement: number;
  /** Mean of n_features_used and total_feature_clicks. */
  adoption: number;
  /** Minus days_since_last_event: higher is more recent. */
  recency: number;
  /** avg_nps_rating. */
  satisfaction: number;
}

/** The traits of one centroid of the behavioural segmentation. */
export function clusterTraits(
  center: readonly number[],
  features: readonly string[],
): ClusterTraits {
  const c = (n: string) => coord(center, features, n);
  return {
    engagement: (c('sum_minutes') + c('count_active_days')) / 2,
    adoption: (c('n_features_used') + c('total_feature_clicks')) / 2,
    recency: -c('days_since_last_event'),
    satisfaction: c('avg_nps_rating'),
  };
}

/**
 * Names five behavioural clusters by their dominant traits, picking greedily: the lowest engagement + recency is
 * "Dormant", the highest engagement + adoption "High engagement, broad adoption", the least recent of the rest
 * "Intermittent, lapsing", the least engaged of the rest "Low engagement, at risk", and the last "Moderate
 * engagement, consistent use" (seed 002's profiles). Fewer than five clusters take the first names in that order.
 */
export function nameBehaviourClusters(
  centers: readonly number[][],
  features: readonly string[],
): string[] {
  const traits = centers.map((c) => clusterTraits(c, features));
  const scores: ((t: ClusterTraits) => number)[] = [
    (t) => -(t.engagement + t.recency),
    (t) => t.engagement + t.adoption,
    (t) => -t.recency,
    (t) => -t.engagement,
    () => 0,
  ];
  const names: string[] = new Array(centers.length);
  const free = new Set(centers.map((_, i) => i));
  for (let pick = 0; pick < Math.min(centers.length, BEHAVIOUR_CLUSTER_NAMES.length); pick++) {
    let best = -1;
    for (const i of free) {
      if (best < 0) {
        best = i;
        continue;
      }
      const d = scores[pick](traits[i]) - scores[pick](traits[best]);
      if (d > 0 || (d === 0 && compareCentroids(centers[i], centers[best]) > 0)) best = i;
    }
    names[best] = BEHAVIOUR_CLUSTER_NAMES[pick];
    free.delete(best);
  }
  return names;
}
