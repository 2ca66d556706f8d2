import { codeVersion } from '../codeVersion.ts';
import type { StepFn } from '../types.ts';
import { DATA_QUALITY_KEY, MANIFEST_KEY } from './keys.ts';

/** The input files recorded in the data-quality report (key, size, sha256), for the manifest. */
function inputFiles(report: unknown): unknown[] {
  const tables = (report as { tables?: Record<string, { files?: unknown[] }> })?.tables ?? {};
  return Object.values(tables).flatMap((t) => t.files ?? []);
}

/** The name of the step that writes the manifest; the runtime publishes the staged run after it. */
export const FINALIZE_RUN_STEP = 'finalize-run';

/**
 * Step finalize-run, always last: writes manifest.json — input files with size and SHA-256, the config, the code
 * version, row counts and every step's output and timing (`elapsedMs`) — and lists the run's outputs. It reads and
 * writes the staged run only (`ctx.run`), so the manifest lists what this run wrote; the runtime then publishes the
 * staged run into its run folder (the local runner by a folder rename, a Lambda with `publishStagedRun`).
 */
export const finalizeRunStep: StepFn = async (state, ctx) => {
  const dataQuality = JSON.parse(Buffer.from(await ctx.run.get(DATA_QUALITY_KEY)).toString('utf8'));
  const outputs = (await ctx.run.list('')).map((o) => ({ key: o.key, size: o.size }));
  const manifest = {
    asOf: state.asOf,
    runId: state.runId,
    codeVersion: codeVersion(),
    createdAt: new Date().toISOString(),
    inputs: inputFiles(dataQuality),
    config: ctx.config,
    steps: state.steps,
    outputs,
  };
  await ctx.run.put(MANIFEST_KEY, JSON.stringify(manifest, null, 2), 'application/json');
  return { manifestKey: MANIFEST_KEY, outputs: outputs.length + 1 };
};
