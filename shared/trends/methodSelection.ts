import type { TrendsConfig } from '../config/trends.ts';
import {
  type FeatureTable,
  featureTable,
  type HorizonPrediction,
  lastChangeDeltas,
  type TrainingSet,
  trainingSet,
  trendCategory,
} from './forecast.ts';
import { MODEL_FEATURES } from './modelFeatures.ts';
import { fitTrendClassifier, predictCategories } from './trendClassifier.ts';
import type { CategoryMethod, TrendCategory, TrendHistory } from './types.ts';

/** Direction hit rates (0-1) of the three category methods on the inner validation pairs. */
export interface InnerHitRates {
  model: number;
  lastChange: number;
  flat: number;
}

/** The inner validation behind a selection: which known pairs were held out, and how each method did on them. */
export interface InnerValidation {
  /** Origin dates the classifier was fitted on (the earlier ones), and their pairs. */
  fitOrigins: number;
  fitPairs: number;
  /** Held-out origin dates (the latest ones whose outcome is known), ascending, and their pairs. */
  validationOrigins: string[];
  validationPairs: number;
  /** Null when the validation set was too small to compare (then the classifier is kept). */
  hitRate: InnerHitRates | null;
}

/** The category method chosen for one horizon at one cutoff, and why. */
export interface MethodSelection {
  method: CategoryMethod;
  reason: string;
  /** Null when the selection is disabled or no pair is known. */
  inner: InnerValidation | null;
}

const round3 = (v: number) => v.toFixed(3);

/** Account group 0 or 1 of an id (FNV-1a hash, stable across runs). */
export function accountGroup(id: string): 0 | 1 {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return ((h >>> 0) & 1) as 0 | 1;
}

/**
 * The classifier's category of each held-out pair (valIdx order), fitted on earlier pairs only. With
 * selection.groupByAccount, two folds: the held-out pairs of one account group are predicted by a classifier fitted on
 * the earlier pairs of the other group, because an account's consecutive pairs share most of their outcome window
 * and would otherwise leak the answer; a fold whose other group has no earlier pair falls back to all earlier pairs.
 */
async function heldOutCategories(
  known: TrainingSet,
  fitIdx: readonly number[],
  valIdx: readonly number[],
  config: TrendsConfig,
): Promise<TrendCategory[]> {
  // The inner classifiers see fewer pairs than the forecasting one on large histories: they only rank methods.
  const inner: TrendsConfig = {
    ...config,
    classifier: {
      ...config.classifier,
      maxTrainPairs: Math.min(config.classifier.maxTrainPairs, config.selection.innerMaxPairs),
    },
  };
  const fitOn = (idx: readonly number[]) =>
    fitTrendClassifier(
      idx.map((i) => known.X[i]),
      idx.map((i) => trendCategory(known.y[i], config)),
      inner,
      [...MODEL_FEATURES],
    );
  const out: TrendCategory[] = new Array(valIdx.length);
  const folds: { fit: readonly number[]; val: number[] }[] = [];
  if (config.selection.groupByAccount) {
    for (const g of [0, 1]) {
      const other = fitIdx.filter((i) => accountGroup(known.pairIds[i]) !== g);
      const val = valIdx
        .map((_, k) => k)
        .filter((k) => accountGroup(known.pairIds[valIdx[k]]) === g);
      folds.push({ fit: other.length ? other : fitIdx, val });
    }
  } else {
    folds.push({ fit: fitIdx, val: valIdx.map((_, k) => k) });
  }
  for (const { fit, val } of folds) {
    if (!val.length) continue;
    const classifier = await fitOn(fit);
    const cats = predictCategories(
      classifier,
      val.map((k) => known.X[valIdx[k]]),
    );
    val.forEach((k, j) => {
      out[k] = cats[j].category;
    });
  }
  return out;
}

/** The best of the inner hit rates; ties go to the classifier, then to last change. */
export function pickMethod(rates: InnerHitRates): CategoryMethod {
  if (rates.model >= rates.lastChange && rates.model >= rates.flat) return 'model';
  if (rates.lastChange >= rates.flat) return 'last-change';
  return 'flat';
}

/**
 * Chooses the category method of one horizon at `cutoff` from the training pairs whose outcome is known by then
 * (nothing dated after `cutoff` is read): the latest `selection.validationShare` of their origin dates are held out,
 * the classifier is fitted on the earlier pairs only, and its direction hit rate on the held-out pairs is compared
 * with "last change continues" (as of each held-out origin) and "all Flat" on the same pairs. Keeps the classifier
 * when the selection is disabled or either part is too small (minValidationPairs, minTrainPairs).
 */
export async function selectCategoryMethod(
  history: TrendHistory,
  horizonDays: number,
  cutoff: string,
  config: TrendsConfig,
  table: FeatureTable = featureTable(history, config),
): Promise<MethodSelection> {
  const sel = config.selection;
  if (!sel.enabled) {
    return { method: 'model', reason: 'method selection disabled: classifier', inner: null };
  }
  const known = trainingSet(history, horizonDays, cutoff, config, table);
  const nOrigins = known.origins.length;
  const nVal = Math.min(nOrigins, Math.max(1, Math.round(sel.validationShare * nOrigins)));
  const held = new Set(known.origins.slice(nOrigins - nVal));
  const fitIdx: number[] = [];
  const valIdx: number[] = [];
  known.pairOrigins.forEach((s, i) => {
    (held.has(s) ? valIdx : fitIdx).push(i);
  });
  const inner: InnerValidation = {
    fitOrigins: nOrigins - nVal,
    fitPairs: fitIdx.length,
    validationOrigins: [...held],
    validationPairs: valIdx.length,
    hitRate: null,
  };
  if (valIdx.length < sel.minValidationPairs || fitIdx.length < config.minTrainPairs) {
    return {
      method: 'model',
      reason: `inner validation too small (${valIdx.length} held-out pairs, need ${sel.minValidationPairs}; ${fitIdx.length} earlier pairs, need ${config.minTrainPairs}): classifier kept`,
      inner,
    };
  }
  const predicted = await heldOutCategories(known, fitIdx, valIdx, config);
  const lastByOrigin = new Map(
    [...held].map((s) => [s, lastChangeDeltas(history, s, horizonDays, config)]),
  );
  let model = 0;
  let last = 0;
  let flat = 0;
  valIdx.forEach((i, k) => {
    const actual = trendCategory(known.y[i], config);
    const lc = lastByOrigin.get(known.pairOrigins[i])?.get(known.pairIds[i]) ?? 0;
    if (predicted[k] === actual) model++;
    if (trendCategory(lc, config) === actual) last++;
    if (actual === 'Flat') flat++;
  });
  const n = valIdx.length;
  const hitRate = { model: model / n, lastChange: last / n, flat: flat / n };
  const method = pickMethod(hitRate);
  return {
    method,
    reason: `inner validation on ${nVal} latest known origins (${inner.validationOrigins[0]} .. ${inner.validationOrigins.at(-1)}, ${n} pairs), classifier fitted on ${inner.fitOrigins} earlier origins (${fitIdx.length} pairs): hit rate classifier ${round3(hitRate.model)}, last change ${round3(hitRate.lastChange)}, all Flat ${round3(hitRate.flat)} -> ${method}`,
    inner: { ...inner, hitRate },
  };
}

/**
 * The categories of the accounts at `date` under a chosen method: the classifier's (from the model forecast),
 * "last change continues" thresholded, or all Flat.
 */
export function categoriesByMethod(
  method: CategoryMethod,
  forecast: ReadonlyMap<string, HorizonPrediction>,
  history: TrendHistory,
  date: string,
  horizonDays: number,
  config: TrendsConfig,
): Map<string, TrendCategory> {
  if (method === 'model') {
    return new Map([...forecast].map(([id, f]) => [id, f.category]));
  }
  if (method === 'flat') return new Map([...forecast.keys()].map((id) => [id, 'Flat']));
  const last = lastChangeDeltas(history, date, horizonDays, config);
  return new Map([...forecast.keys()].map((id) => [id, trendCategory(last.get(id) ?? 0, config)]));
}
