import { promoteCandidate } from '../../classifier/promotion.ts';
import { readChampion } from '../../classifier/registry.ts';
import type { StepFn } from '../types.ts';
import { stageContext, trainedVersion } from './classifierStage.ts';

/**
 * Step promote-model (quarterly): points models/champion.json at the new version only when gate-model said
 * `promote`; otherwise the champion stays and the output says why. Copies the deliverables into the run folder.
 */
export const promoteModelStep: StepFn = async (state, ctx) => {
  const version = trainedVersion(state);
  const gate = state.steps['gate-model'] ?? {};
  const reason = typeof gate.reason === 'string' ? gate.reason : 'no gate decision';
  if (!version) {
    const current = await readChampion(ctx.ports.output);
    return { promoted: false, champion: current?.version ?? null, reason };
  }
  const outcome = await promoteCandidate(stageContext(state, ctx), version, {
    promote: gate.promote === true,
    reason,
  });
  return { ...outcome };
};
