import type { ClassifierConfig } from '../config/classifier.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { isRegressionForest, predictProba } from '../models/index.ts';
import type { Row } from '../ports/index.ts';
import { type BandName, probabilityBand } from './bands.ts';
import { scoreByFold } from './byFold.ts';
import { featureMatrix } from './dataset.ts';
import type { ModelBundle } from './registry.ts';
import { assignSegments } from './segments.ts';
import { rankMeanProbabilities, stackedProbability } from './stacking.ts';

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

/** Forest probabilities of some accounts, and how many came from fold forests (out-of-fold) and the full forest. */
export interface ForestScores {
  p: Float64Array;
  /** Per row: the fold whose forest scored it (never saw its label), or null for the version's full forest. */
  fold: (number | null)[];
  outOfFold: number;
  full: number;
}

/**
 * Scores accounts so that no account gets a probability from a forest that saw its label: an account the version
 * was trained on (it is in the version's cross-fitting) is scored by the forest of its fold, fitted without that
 * fold's labels; any other account by the version's full forest, which never saw it. A version without
 * cross-fitting (trained before it existed) scores everyone with the full forest.
 */
export function forestScores(
  bundle: Pick<ModelBundle, 'forest' | 'crossFit'>,
  rows: readonly AccountFeatures[],
): ForestScores {
  const names = bundle.forest.featureNames;
  const foldOf = new Map<string, number>();
  const cf = bundle.crossFit;
  if (cf)
    cf.accountIds.forEach((id, i) => {
      foldOf.set(id, cf.folds[i]);
    });
  const fold = rows.map((r) => foldOf.get(r.account_id) ?? null);
  const p = scoreByFold(fold, (k, idx) =>
    predictProba(
      k === null || !cf ? bundle.forest : cf.forests[k],
      featureMatrix(
        idx.map((i) => rows[i]),
        names,
      ),
    ),
  );
  const outOfFold = fold.filter((f) => f !== null).length;
  return { p, fold, outOfFold, full: rows.length - outOfFold };
}

/**
 * One account's row of high_value_stacking.csv: its forest and stacked probabilities, and its rank-mean probability
 * (null for a version trained before the rank-mean combiner existed).
 */
export interface StackingRow {
  account_id: string;
  p_forest: number;
  p_stacked: number;
  p_rank_mean: number | null;
}

/** Columns of high_value_stacking.csv (run folder; read by `cvs evaluate`). */
export const STACKING_COLUMNS = ['account_id', 'p_forest', 'p_stacked', 'p_rank_mean'] as const;

/**
 * The stacked probability of scored accounts (docs/scoring.md, "Stacking, pre-registered"): an account of fold k of
 * the version's cross-fitting by fold stacker k with its fold forest's probability, any other account by the full
 * stacker with the full forest's probability; an account without a value index percentile keeps the forest's.
 */
export function stackedScores(
  bundle: Pick<ModelBundle, 'stacking'>,
  rows: readonly AccountFeatures[],
  forest: Pick<ForestScores, 'p' | 'fold'>,
  viPercentile: ReadonlyMap<string, number>,
): Float64Array | null {
  const st = bundle.stacking;
  if (!st) return null;
  return Float64Array.from(rows, (r, i) => {
    const v = viPercentile.get(r.account_id);
    if (v === undefined) return forest.p[i];
    const f = forest.fold[i];
    return stackedProbability(f === null ? st.full : st.folds[f], forest.p[i], v);
  });
}

/**
 * Whether p_high_value is the stacked probability (when the version has a stacker): when `config.stacking.enabled`,
 * and always when the version's forest is a regression forest on the revenue rank (`forest.revenueTarget: rank`), whose
 * output is a percentile estimate, not a probability.
 */
export function scoresWithStacker(
  bundle: Pick<ModelBundle, 'forest'>,
  config: Pick<ClassifierConfig, 'stacking'>,
): boolean {
  return config.stacking.enabled || isRegressionForest(bundle.forest);
}

/**
 * Scores every account with a model version: the probability (out-of-fold for the accounts the version was trained
 * on, the full forest for the others; see forestScores), band, prediction at the threshold, and both segment names.
 * When the version has a stacker (and `viPercentile` is given) it also returns every scored account's forest and
 * stacked probabilities, and p_high_value is the stacked one when `scoresWithStacker`. Accounts without product data
 * get no score (`hv_source` no-product-data).
 */
export function scoreWithModel(
  bundle: ModelBundle,
  features: readonly AccountFeatures[],
  config: ClassifierConfig,
  viPercentile?: ReadonlyMap<string, number>,
): { rows: HighValueRow[]; stacking: StackingRow[] | null } {
  const product = features.filter((f) => f.has_product);
  const forest = forestScores(bundle, product);
  const stacked = viPercentile ? stackedScores(bundle, product, forest, viPercentile) : null;
  const rankMean =
    stacked && viPercentile && bundle.stacking?.rankMean
      ? rankMeanProbabilities(bundle.stacking.rankMean, product, forest, viPercentile)
      : null;
  // a version trained before the rank-mean combiner existed has none: its stacker scores (predictHighValue says so)
  const combined = config.stacking.combiner === 'rank-mean' && rankMean ? rankMean : stacked;
  const p = combined && scoresWithStacker(bundle, config) ? combined : forest.p;
  const value = assignSegments(bundle.segments.value, product);
  const behaviour = assignSegments(bundle.segments.behaviour, product);
  const version = bundle.training.version;
  const stacking = stacked
    ? product.map((f, i) => ({
        account_id: f.account_id,
        p_forest: forest.p[i],
        p_stacked: stacked[i],
        p_rank_mean: rankMean ? rankMean[i] : null,
      }))
    : null;
  let k = 0;
  const rows = features.map((f): HighValueRow => {
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
  return { rows, stacking };
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
