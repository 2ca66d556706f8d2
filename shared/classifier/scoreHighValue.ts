import type { ClassifierConfig } from '../config/classifier.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { predictProba } from '../models/index.ts';
import type { Row } from '../ports/index.ts';
import { type BandName, probabilityBand } from './bands.ts';
import { featureMatrix } from './dataset.ts';
import type { ModelBundle } from './registry.ts';
import { assignSegments } from './segments.ts';

/** Where an account's p_high_value came from. */
export type HighValueSource = 'model' | 'value-index-fallback' | 'no-product-data';

/** One account's row of parts/high_value.csv. */
export interface HighValueRow {
  account_id: string;
  /** Probability of being high-value, 0-1 (the value index itself in the fallback). */
  p_high_value: number | null;
  hv_band: BandName | null;
  hv_predicted: boolean | null;
  /** k = 3 segment name (High / Medium / Low value). */
  value_segment: string | null;
  /** k = 5 behavioural cluster name. */
  cluster: string | null;
  hv_source: HighValueSource;
  model_version: string | null;
}

/** Columns of parts/high_value.csv, merged into account_scores.csv by publish-scores. */
export const HIGH_VALUE_COLUMNS = [
  'account_id',
  'p_high_value',
  'hv_band',
  'hv_predicted',
  'value_segment',
  'cluster',
  'hv_source',
  'model_version',
] as const;

/**
 * Scores every account with a model version: the forest's probability (its own feature list; features this run
 * lacks are missing), band, prediction at the threshold, and both segment names. Accounts without product data get
 * no score (`hv_source` no-product-data).
 */
export function scoreWithModel(
  bundle: ModelBundle,
  features: readonly AccountFeatures[],
  config: ClassifierConfig,
): HighValueRow[] {
  const product = features.filter((f) => f.has_product);
  const p = predictProba(bundle.forest, featureMatrix(product, bundle.forest.featureNames));
  const value = assignSegments(bundle.segments.value, product);
  const behaviour = assignSegments(bundle.segments.behaviour, product);
  const version = bundle.training.version;
  let k = 0;
  return features.map((f) => {
    if (!f.has_product) return noProduct(f.account_id, version);
    const i = k++;
    return {
      account_id: f.account_id,
      p_high_value: p[i],
      hv_band: probabilityBand(p[i], config.bands),
      hv_predicted: p[i] >= config.threshold,
      value_segment: value[i],
      cluster: behaviour[i],
      hv_source: 'model',
      model_version: version,
    };
  });
}

function noProduct(accountId: string, version: string | null): HighValueRow {
  return {
    account_id: accountId,
    p_high_value: null,
    hv_band: null,
    hv_predicted: null,
    value_segment: null,
    cluster: null,
    hv_source: 'no-product-data',
    model_version: version,
  };
}

/**
 * The fallback when no model exists: p_high_value is the value index (0-1), the band is read from it, and
 * hv_predicted is the value index's own top-quartile flag; no segments.
 */
export function scoreFallback(
  features: readonly AccountFeatures[],
  scores: readonly Row[],
  config: ClassifierConfig,
): HighValueRow[] {
  const byId = new Map(scores.map((s) => [String(s.account_id), s]));
  return features.map((f) => {
    const s = byId.get(f.account_id);
    const vi = typeof s?.value_index === 'number' ? s.value_index : null;
    if (!f.has_product || vi === null) return noProduct(f.account_id, null);
    return {
      account_id: f.account_id,
      p_high_value: vi,
      hv_band: probabilityBand(vi, config.bands),
      hv_predicted: s?.high_value_index === true,
      value_segment: null,
      cluster: null,
      hv_source: 'value-index-fallback',
      model_version: null,
    };
  });
}
