import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { runState } from '../../shared/pipeline/types.ts';
import { parseInput } from './parseInput.ts';
import { logger, metrics, tracer } from './powertools/index.ts';
import { runStepInAws } from './runStepInAws.ts';

/**
 * The Lambda entry point of one declared step: metrics, logger context and tracing (in that order) around a zod
 * parse of the run state (a malformed one is a ContractViolationError) and one call into the shared step code;
 * errors propagate to Retry/Catch.
 */
export function stepHandler(step: string) {
  const lambdaHandler = async (event: unknown) =>
    runStepInAws(step, parseInput(runState, event, 'run state'));
  return middy(lambdaHandler)
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(captureLambdaHandler(tracer));
}
