import { evaluateCandidate } from '../../classifier/evaluateCandidate.ts';
import { readRunData } from '../../classifier/trainCandidate.ts';
import type { StepFn, StepOutput } from '../types.ts';
import { finite, stageContext, trainedVersion } from './classifierStage.ts';

/**
 * Step evaluate-model (quarterly): forest and baseline side by side on the same holdout, the champion re-scored on
 * it; writes metrics.json, hv_predictions_testset.csv and feature_importances.csv into the version folder.
 */
export const evaluateModelStep: StepFn = async (state, ctx) => {
  const version = trainedVersion(state);
  if (!version)
    return { evaluated: false, reason: 'no model was trained in this run' } as StepOutput;
  const sc = stageContext(state, ctx);
  const m = await evaluateCandidate(sc, await readRunData(sc.run), version);
  return {
    evaluated: true,
    version,
    label: m.label,
    forestAccuracy: finite(m.forest.accuracy),
    forestAuc: finite(m.forest.auc),
    baselineAccuracy: finite(m.baseline.accuracy),
    baselineAuc: finite(m.baseline.auc),
    championVersion: m.champion?.version ?? null,
    championAuc: finite(m.champion?.auc),
  };
};
