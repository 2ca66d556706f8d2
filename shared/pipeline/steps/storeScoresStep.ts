import { ContractViolationError } from '../../errors.ts';
import type { ScoreRunPlan } from '../../ports/index.ts';
import type { RunState, StepFn } from '../types.ts';
import { PUBLISH_SCORES_STEP } from './publishScoresStep.ts';
import { readScoreShard } from './scoreShards.ts';

/** The score-store plan publish-scores decided for the run (`isLatest`), read from its output in the run state. */
export function scoreRunPlan(state: RunState): ScoreRunPlan {
  const isLatest = state.steps[PUBLISH_SCORES_STEP]?.isLatest;
  if (typeof isLatest !== 'boolean')
    throw new ContractViolationError(
      `run state has no ${PUBLISH_SCORES_STEP}.isLatest: the score-store run was not begun`,
    );
  return { isLatest };
}

/**
 * Step store-scores, one invocation per shard (`state.shard`, a key of publish-scores' shard manifest): writes the
 * shard's records to the score store with the run's plan. Writing a shard again writes the same items.
 */
export const storeScoresStep: StepFn = async (state, ctx) => {
  const shard = state.shard;
  if (!shard)
    throw new ContractViolationError('store-scores runs per shard: the run state has no shard');
  const plan = scoreRunPlan(state);
  const records = await readScoreShard(ctx.run, shard);
  const other = records.find((r) => r.asOf !== state.asOf);
  if (other)
    throw new ContractViolationError(
      `score shard ${shard}: account ${other.accountId} is dated ${other.asOf}, the run ${state.asOf}`,
    );
  await ctx.ports.scores.putShard(state.asOf, shard, records, plan);
  return { shard, records: records.length };
};

/**
 * Step commit-scores, once after every shard is stored: completes the score-store run (the run index item in
 * DynamoDB, the run's file locally), so the run is listed only once all its shards are written.
 */
export const commitScoresStep: StepFn = async (state, ctx) => {
  const plan = scoreRunPlan(state);
  const accounts = state.steps[PUBLISH_SCORES_STEP]?.accounts;
  if (typeof accounts !== 'number')
    throw new ContractViolationError(`run state has no ${PUBLISH_SCORES_STEP}.accounts`);
  await ctx.ports.scores.endRun(state.asOf, plan, accounts);
  return { accounts, isLatest: plan.isLatest };
};
