import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsPorts } from '../../shared/adapters/aws/ports.ts';
import { S3Store } from '../../shared/adapters/aws/s3Store.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { STEP_IMPLEMENTATIONS } from '../../shared/pipeline/steps/index.ts';
import type { RunState, StepOutput } from '../../shared/pipeline/types.ts';
import { clients } from './clients.ts';
import { awsEnvFromProcess, rawConfigFromProcess } from './env.ts';
import { logger, metrics } from './powertools/index.ts';
import { S3RunFolderStore } from './s3RunFolderStore.ts';
import { createStepRunner, type StepRunner } from './stepRunner.ts';

let runner: StepRunner | undefined;

function makeRunner(): StepRunner {
  const env = awsEnvFromProcess();
  const run = new S3Store(clients.s3, env.outputBucket, env.outputPrefix ?? '');
  return createStepRunner({
    registry: STEP_IMPLEMENTATIONS,
    ports: awsPorts(env, clients),
    config: parseConfig(rawConfigFromProcess(), 'CVS_CONFIG'),
    runStore: (prefix) => run.scoped(prefix),
    runFolders: new S3RunFolderStore(clients.s3, env.outputBucket, run.prefix),
    log: (message) => logger.info(message),
  });
}

/** Runs one declared step in Lambda over the AWS ports; ports and config are built on the first call only. */
export async function runStepInAws(name: string, state: RunState): Promise<StepOutput> {
  runner ??= makeRunner();
  logger.appendKeys({ step: name, runId: state.runId, asOf: state.asOf });
  metrics.addDimension('step', name);
  const output = await runner(name, state);
  metrics.addMetric('StepSucceeded', MetricUnit.Count, 1);
  logger.info('step done', { outputKeys: Object.keys(output) });
  return output;
}
