import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { type RunState, runState } from '../../shared/pipeline/types.ts';
import { logger, metrics, tracer } from '../commons/powertools/index.ts';
import { runStepInAws } from '../commons/runStepInAws.ts';

/** Step `publish-breadth` of the declared pipelines: parses the run state and runs the shared step code. */
const STEP = 'publish-breadth';

const lambdaHandler = async (event: unknown) => {
  const state: RunState = runState.parse(event);
  return runStepInAws(STEP, state);
};

/** Lambda entry point: metrics, logger context and tracing around the step (errors reach Retry/Catch). */
export const handler = middy(lambdaHandler)
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer));
