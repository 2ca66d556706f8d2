import { CvsError } from '../errors.ts';
import { readShardManifest } from './steps/scoreShards.ts';
import type { RunState, StepContext, StepDecl, StepFn, StepOutput } from './types.ts';

/** The run-folder key of the shard manifest a `perShard` step iterates over (the earlier step's output). */
export function shardManifestKey(step: StepDecl, state: RunState): string {
  if (!step.perShard) throw new CvsError(`step ${step.name} is not declared perShard`);
  const { step: from, output } = step.perShard;
  const key = state.steps[from]?.[output];
  if (typeof key !== 'string' || key === '')
    throw new CvsError(`step ${step.name} runs per shard of ${from}.${output}, which is not a key`);
  return key;
}

/** The JSONPath of the manifest key in the run state, e.g. `$.steps.publish-scores.scoreShards`. */
export function shardManifestPath(step: StepDecl): string {
  if (!step.perShard) throw new CvsError(`step ${step.name} is not declared perShard`);
  return `$.steps.${step.perShard.step}.${step.perShard.output}`;
}

/**
 * Runs a `perShard` step locally: its code once per shard of the manifest, one after another, each with the run
 * state plus `shard`. Returns `{ shards }`, the output the Distributed Map records in Step Functions.
 */
export async function runPerShard(
  step: StepDecl,
  state: RunState,
  fn: StepFn,
  ctx: StepContext,
): Promise<StepOutput> {
  const keys = await readShardManifest(ctx.run, shardManifestKey(step, state));
  for (const [i, shard] of keys.entries()) {
    const started = Date.now();
    await fn({ ...state, shard }, ctx);
    ctx.log(
      `      shard ${i + 1}/${keys.length} ${shard} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return { shards: keys.length };
}
