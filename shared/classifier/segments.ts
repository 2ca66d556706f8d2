import type { AccountFeatures } from '../features/columns.ts';
import {
  fitKMeans,
  fitStandardize,
  type KMeansModel,
  predictCluster,
  type Standardizer,
  standardize,
} from '../models/index.ts';
import { featureMatrix } from './dataset.ts';
import { nameBehaviourClusters, nameValueSegments } from './segmentNames.ts';

/**
 * Seed 003's value segments (k = 3). Its count_feature_clicking_visitors is not in the feature table;
 * count_active_visitors (visitor-days with activity) stands in for it as the "how many people use it" signal.
 */
export const VALUE_SEGMENT_FEATURES = [
  'sum_minutes',
  'sum_events',
  'count_active_days',
  'count_associated_visitors',
  'avg_nps_rating',
  'count_active_visitors',
] as const;

/** Seed 002's behavioural dimensions (k = 5): duration, frequency, adoption, engagement, recency, satisfaction. */
export const BEHAVIOUR_FEATURES = [
  'sum_minutes',
  'count_active_days',
  'n_features_used',
  'total_feature_clicks',
  'days_since_last_event',
  'avg_nps_rating',
] as const;

/** Features kept on their scale (bounded); every other one is a heavy-tailed count and gets log1p. */
const NO_LOG = new Set(['avg_nps_rating', 'min_nps_rating', 'max_nps_rating']);
/** Missing recency means "never active": imputed with the most stale training value, not the median. */
const IMPUTE_MAX = new Set(['days_since_last_event']);

/** How raw features become k-means inputs: impute, then log1p (heavy tails), then z-score. */
export interface SegmentPreprocessing {
  features: string[];
  /** Value replacing a missing feature (training median; training maximum for days_since_last_event). */
  impute: number[];
  /** Whether log1p is applied (after imputation). */
  log1p: boolean[];
  scaler: Standardizer;
}

/** A fitted, named k-means segmentation (plain JSON; the training rows' labels are not kept). */
export interface SegmentModel {
  kind: 'segments';
  version: 1;
  /** What the segments mean: 'value' (High / Medium / Low value) or 'behaviour' (behavioural clusters). */
  purpose: 'value' | 'behaviour';
  prep: SegmentPreprocessing;
  kmeans: Omit<KMeansModel, 'labels'>;
  /** Name per cluster index. */
  names: string[];
  /** Training accounts per cluster index. */
  sizes: number[];
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Learns imputation values, log1p flags and the standardizer of `features` on the training rows. */
export function fitPreprocessing(
  rows: readonly AccountFeatures[],
  features: readonly string[],
): SegmentPreprocessing {
  const X = featureMatrix(rows, features);
  const impute = features.map((name, f) => {
    const present = Float64Array.from(X.map((r) => r[f]).filter((v) => !Number.isNaN(v))).sort();
    if (present.length === 0) return 0;
    return IMPUTE_MAX.has(name) ? present[present.length - 1] : median(present);
  });
  const log1p = features.map((name) => !NO_LOG.has(name));
  const scaler = fitStandardize(transform(X, impute, log1p));
  return { features: [...features], impute, log1p, scaler };
}

function transform(X: Float64Array[], impute: number[], log1p: boolean[]): Float64Array[] {
  return X.map((row) =>
    row.map((v, f) => {
      const x = Number.isNaN(v) ? impute[f] : v;
      return log1p[f] ? Math.sign(x) * Math.log1p(Math.abs(x)) : x;
    }),
  );
}

/** The k-means input of each row: imputed, log1p-transformed and standardized features. */
export function preprocess(
  prep: SegmentPreprocessing,
  rows: readonly AccountFeatures[],
): Float64Array[] {
  return standardize(
    prep.scaler,
    transform(featureMatrix(rows, prep.features), prep.impute, prep.log1p),
  );
}

/**
 * Fits k-means (k-means++, `nInit` restarts, fixed seed) on the preprocessed rows and names each cluster from its
 * centroid, so the same kind of cluster gets the same name from one quarter to the next.
 */
export function fitSegments(
  rows: readonly AccountFeatures[],
  purpose: SegmentModel['purpose'],
  options: { nInit: number; randomState: number },
): SegmentModel {
  const features = purpose === 'value' ? VALUE_SEGMENT_FEATURES : BEHAVIOUR_FEATURES;
  const k = purpose === 'value' ? 3 : 5;
  const prep = fitPreprocessing(rows, features);
  const Z = preprocess(prep, rows);
  const { labels, ...kmeans } = fitKMeans(Z, {
    nClusters: Math.min(k, rows.length),
    nInit: options.nInit,
    randomState: options.randomState,
  });
  const sizes = kmeans.centers.map(() => 0);
  for (const c of labels) sizes[c]++;
  const names =
    purpose === 'value'
      ? nameValueSegments(kmeans.centers, prep.features)
      : nameBehaviourClusters(kmeans.centers, prep.features);
  return { kind: 'segments', version: 1, purpose, prep, kmeans, names, sizes };
}

/** The segment name of each row (nearest centroid). */
export function assignSegments(model: SegmentModel, rows: readonly AccountFeatures[]): string[] {
  if (rows.length === 0) return [];
  const clusters = predictCluster({ ...model.kmeans, labels: [] }, preprocess(model.prep, rows));
  return Array.from(clusters, (c) => model.names[c]);
}
