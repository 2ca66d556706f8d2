import { gateCandidate } from '../../classifier/promotion.ts';
import type { StepFn, StepOutput } from '../types.ts';
import { stageContext, trainedVersion } from './classifierStage.ts';

/**
 * Step gate-model (quarterly): outputs `promote` (the boolean a Step Functions Choice can branch on) and `reason`;
 * writes gate.json, model_metrics.json and model_card.md into the version folder.
 */
export const gateModelStep: StepFn = async (state, ctx) => {
  const version = trainedVersion(state);
  if (!version) {
    const why = state.steps['train-model']?.reason;
    const out: StepOutput = {
      promote: false,
      reason: typeof why === 'string' ? why : 'no model was trained',
    };
    return out;
  }
  const decision = await gateCandidate(stageContext(state, ctx), version);
  return {
    promote: decision.promote,
    reason: decision.reason,
    version,
    aucTolerance: decision.aucTolerance,
    confidence: decision.confidence,
    checks: decision.checks.map((c) => `${c.passed ? 'passed' : 'failed'}: ${c.reason}`),
  };
};
