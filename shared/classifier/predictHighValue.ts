import { writeCsvRows } from '../io/csvTable.ts';
import { evaluateCandidate } from './evaluateCandidate.ts';
import type { GateDecision } from './gate.ts';
import { gateCandidate, type PromoteOutcome, promoteCandidate } from './promotion.ts';
import {
  copyDeliverables,
  loadModelBundle,
  MODEL_FILES,
  readChampion,
  readJson,
  writeJson,
} from './registry.ts';
import {
  HIGH_VALUE_COLUMNS,
  type HighValueSource,
  STACKING_COLUMNS,
  scoreFallback,
  scoresWithStacker,
  scoreWithModel,
} from './scoreHighValue.ts';
import { valueIndexPercentiles } from './stacking.ts';
import {
  type RunData,
  readRunData,
  type StageContext,
  type TrainOutcome,
  trainCandidate,
} from './trainCandidate.ts';

/** The run-folder key of the daily high-value part. */
export const HIGH_VALUE_PART_KEY = 'parts/high_value.csv';

/** The run-folder key of the forest and stacked probabilities (written when the champion has a stacker). */
export const STACKING_KEY = 'high_value_stacking.csv';

/** What a whole quarterly cycle (train, evaluate, gate, promote) did. */
export interface QuarterlyOutcome {
  train: TrainOutcome;
  gate: GateDecision | null;
  promote: PromoteOutcome | null;
}

/** Runs train -> evaluate -> gate -> promote in-process on a run's data (the daily run's "no champion yet" path). */
export async function runQuarterlyStages(
  sc: StageContext,
  data: RunData,
): Promise<QuarterlyOutcome> {
  const train = await trainCandidate(sc, data);
  if (!train.trained || !train.version) return { train, gate: null, promote: null };
  await evaluateCandidate(sc, data, train.version);
  const gate = await gateCandidate(sc, train.version);
  const promote = await promoteCandidate(sc, train.version, gate);
  return { train, gate, promote };
}

/** What the daily high-value scoring did. */
export interface PredictOutcome {
  source: Exclude<HighValueSource, 'no-product-data'>;
  modelVersion: string | null;
  /** Accounts scored by the model or the fallback, and accounts without product data. */
  scored: number;
  noProductData: number;
  /** True when this run trained a model because the registry had no champion. */
  trainedNow: boolean;
  reason: string;
}

/**
 * Daily high-value scoring: scores every account with the champion (out-of-fold for the accounts it was trained on)
 * and writes parts/high_value.csv plus the champion's deliverables into the run folder. With no champion it first
 * trains one on this run's data (when `trainWhenNoChampion`); if there is still none (too little data, or the gate
 * refused it) it falls back to the value index, never silently: model_metrics.json gets `hv_source`
 * value-index-fallback and the reason (the gate's, when it refused the model), the log and the report say so.
 */
export async function predictHighValue(sc: StageContext): Promise<PredictOutcome> {
  const data = await readRunData(sc.run);
  let champion = await readChampion(sc.output);
  let trainedNow = false;
  let why = 'no champion model in the registry and training on missing champion is off';
  if (!champion && sc.config.trainWhenNoChampion) {
    sc.log('predict-high-value: no champion model yet: training one on this run');
    const outcome = await runQuarterlyStages(sc, data);
    trainedNow = outcome.train.trained;
    champion = await readChampion(sc.output);
    why = outcome.promote?.reason ?? outcome.train.reason;
  }
  if (champion) {
    const bundle = await loadModelBundle(sc.output, champion.version);
    const { rows, stacking } = scoreWithModel(
      bundle,
      data.features,
      sc.config,
      valueIndexPercentiles(data.features, data.scores),
    );
    await writeCsvRows(sc.run, HIGH_VALUE_PART_KEY, rows, HIGH_VALUE_COLUMNS);
    if (stacking) await writeCsvRows(sc.run, STACKING_KEY, stacking, STACKING_COLUMNS);
    await copyDeliverables(sc.output, champion.version, sc.run);
    const noProduct = rows.filter((r) => r.hv_source === 'no-product-data').length;
    const trainedOn = new Set(bundle.crossFit?.accountIds ?? []);
    const outOfFold = data.features.filter(
      (f) => f.has_product && trainedOn.has(f.account_id),
    ).length;
    // which combined probability p_high_value takes (scoreWithModel): the rank mean when configured and the champion
    // has one, else the stacker's
    const rankMeanAsked = sc.config.stacking.combiner === 'rank-mean';
    const combined =
      rankMeanAsked && bundle.stacking?.rankMean
        ? 'the rank-mean probability (classifier.stacking.combiner rank-mean)'
        : rankMeanAsked
          ? 'the stacked probability: classifier.stacking.combiner is rank-mean but the champion was trained before the rank-mean combiner existed (retrain to use it)'
          : 'the stacked probability (classifier.stacking.combiner logistic)';
    const stacked = !stacking
      ? ''
      : sc.config.stacking.enabled
        ? `; p_high_value is ${combined}`
        : scoresWithStacker(bundle, sc.config)
          ? `; p_high_value is ${combined} although classifier.stacking.enabled is false: the champion's forest estimates a revenue percentile (trained with forest.revenueTarget rank), not a probability`
          : '; p_high_value is the forest probability, the combined ones are in high_value_stacking.csv (classifier.stacking.enabled false)';
    const reason = `scored with champion ${champion.version} (label ${champion.label}, holdout AUC ${Number(champion.auc).toFixed(4)}): ${outOfFold} accounts it was trained on by the fold forest that did not see their label, ${rows.length - noProduct - outOfFold} others by its full forest${stacked}`;
    sc.log(`predict-high-value: ${reason}`);
    return {
      source: 'model',
      modelVersion: champion.version,
      scored: rows.length - noProduct,
      noProductData: noProduct,
      trainedNow,
      reason,
    };
  }
  const rows = scoreFallback(data.features, data.scores, sc.config);
  await writeCsvRows(sc.run, HIGH_VALUE_PART_KEY, rows, HIGH_VALUE_COLUMNS);
  const reason = `no champion model (${why}): p_high_value is the value index (hv_source value-index-fallback)`;
  const existing = (await sc.run.exists(MODEL_FILES.modelMetrics))
    ? await readJson<Record<string, unknown>>(sc.run, MODEL_FILES.modelMetrics)
    : { trained: false };
  await writeJson(sc.run, MODEL_FILES.modelMetrics, {
    ...existing,
    hv_source: 'value-index-fallback',
    fallback_reason: reason,
  });
  sc.log(`predict-high-value: WARNING ${reason}`);
  const noProduct = rows.filter((r) => r.hv_source === 'no-product-data').length;
  return {
    source: 'value-index-fallback',
    modelVersion: null,
    scored: rows.length - noProduct,
    noProductData: noProduct,
    trainedNow,
    reason,
  };
}
