import { join } from 'node:path';
import { BREADTH_AGGREGATE_KEY, BREADTH_SIDECAR_KEY } from './breadthAggregate.ts';
import { weeklyPipeline } from './declarations.ts';
import { type LocalRunOptions, type LocalRunResult, runLocalPipeline } from './runLocal.ts';

/** Options of `cvs refresh`: a local run without the choice of pipeline. */
export type RefreshLocalOptions = Omit<LocalRunOptions, 'pipeline'>;

/**
 * `cvs refresh`: runs the weekly pipeline locally (validate, account breadth, publish, manifest). The aggregate goes
 * to `OUT/aggregates/account_breadth/account_breadth.csv` with its sidecar `OUT/aggregates/account_breadth.json`;
 * later daily runs on the same input files read it instead of recomputing breadth.
 */
export async function refreshLocal(opts: RefreshLocalOptions): Promise<LocalRunResult> {
  return runLocalPipeline({ ...opts, pipeline: weeklyPipeline });
}

/** A few lines for stdout after `cvs refresh`: rows published, input files hashed, where the outputs are. */
export function refreshSummary(result: LocalRunResult, out: string): string {
  const publish = result.state.steps['publish-breadth'] ?? {};
  return [
    `weekly run ${result.asOf}: account breadth for ${String(publish.rows ?? 0)} accounts from ${String(publish.inputFiles ?? 0)} input files`,
    `aggregate: ${join(out, ...BREADTH_AGGREGATE_KEY.split('/'))}`,
    `sidecar: ${join(out, ...BREADTH_SIDECAR_KEY.split('/'))}`,
    `outputs in ${result.runDir}`,
  ].join('\n');
}
