import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { clients } from '../commons/clients.ts';
import { discardRun, discardRunInput } from '../commons/discardRun.ts';
import { ENV, getStringFromEnv } from '../commons/env.ts';
import { parseInput } from '../commons/parseInput.ts';
import { logger, metrics, tracer } from '../commons/powertools/index.ts';
import { S3RunFolderStore } from '../commons/s3RunFolderStore.ts';

const store = new S3RunFolderStore(clients.s3, getStringFromEnv(ENV.outputBucket));

const lambdaHandler = async (event: unknown) =>
  discardRun(store, parseInput(discardRunInput, event, 'discard-run input'));

/** Lambda entry point: deletes a failed execution's staged outputs (`staging/<runId>/`). */
export const handler = middy(lambdaHandler)
  .use(logMetrics(metrics))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer));
