import { predictHighValue } from '../../classifier/predictHighValue.ts';
import type { StepFn } from '../types.ts';
import { stageContext } from './classifierStage.ts';

/**
 * Step predict-high-value (daily, after score-accounts): p_high_value, band, prediction, value segment and
 * behavioural cluster of every account from the champion model into parts/high_value.csv. With no champion it
 * trains one on this run first (config `classifier.trainWhenNoChampion`), else falls back to the value index.
 */
export const predictHighValueStep: StepFn = async (state, ctx) => {
  const outcome = await predictHighValue(stageContext(state, ctx));
  return { ...outcome, partKey: 'parts/high_value.csv' };
};
