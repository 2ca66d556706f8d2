import { readRunData, trainCandidate } from '../../classifier/trainCandidate.ts';
import type { StepFn } from '../types.ts';
import { stageContext } from './classifierStage.ts';

/**
 * Step train-model (quarterly): labels the run's accounts, applies the minimum-data guard, and fits the forest, the
 * baseline and the k-means segments into `models/<version>/`.
 */
export const trainModelStep: StepFn = async (state, ctx) => {
  const sc = stageContext(state, ctx);
  const outcome = await trainCandidate(sc, await readRunData(sc.run));
  return { ...outcome };
};
