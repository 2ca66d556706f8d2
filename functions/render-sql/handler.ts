import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { parseConfig } from '../../shared/config/load.ts';
import { PIPELINES } from '../../shared/pipeline/declarations.ts';
import type { PipelineDecl } from '../../shared/pipeline/types.ts';
import { rawConfigFromProcess } from '../commons/env.ts';
import { parseInput } from '../commons/parseInput.ts';
import { logger, metrics, tracer } from '../commons/powertools/index.ts';
import { renderStepSql } from '../commons/renderStepSql.ts';

/** Input from the state machine: which athena step, which run date. */
const renderSqlInput = z.object({ step: z.string().min(1), asOf: z.string() });
const config = parseConfig(rawConfigFromProcess(), 'CVS_CONFIG');

const lambdaHandler = async (event: unknown) => {
  const { step, asOf } = parseInput(renderSqlInput, event, 'render-sql input');
  return renderStepSql(Object.values(PIPELINES) as PipelineDecl[], config, step, asOf);
};

/** Lambda entry point: renders an athena step's SQL when it derives values from the run date in code. */
export const handler = middy(lambdaHandler)
  .use(logMetrics(metrics))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer));
