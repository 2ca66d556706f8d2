import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaSteps } from '../pipelineSteps.ts';

/**
 * Writes `functions/<step>/handler.ts` for every declared lambda step that has none, so a step added to
 * `shared/pipeline/declarations.ts` gets its Lambda by running `npx tsx infra/scripts/generateHandlers.ts`.
 */

/** The repository root (two folders up from this script). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The source of the thin handler of one step: the middy chain and one call into runStepInAws. */
export function handlerSource(step: string): string {
  return `import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { type RunState, runState } from '../../shared/pipeline/types.ts';
import { logger, metrics, tracer } from '../commons/powertools/index.ts';
import { runStepInAws } from '../commons/runStepInAws.ts';

/** Step \`${step}\` of the declared pipelines: parses the run state and runs the shared step code. */
const STEP = '${step}';

const lambdaHandler = async (event: unknown) => {
  const state: RunState = runState.parse(event);
  return runStepInAws(STEP, state);
};

/** Lambda entry point: metrics, logger context and tracing around the step (errors reach Retry/Catch). */
export const handler = middy(lambdaHandler)
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer));
`;
}

/** Path of a step's handler file. */
export function handlerPath(step: string, root = REPO_ROOT): string {
  return join(root, 'functions', step, 'handler.ts');
}

/** Declared lambda steps with no handler file. */
export function missingHandlers(root = REPO_ROOT): string[] {
  return lambdaSteps()
    .filter((s) => !existsSync(handlerPath(s.name, root)))
    .map((s) => s.name);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const step of missingHandlers()) {
    const path = handlerPath(step);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, handlerSource(step));
    console.log(`wrote ${path}`);
  }
}
