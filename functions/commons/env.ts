import type { AwsPortsEnv } from '../../shared/adapters/aws/ports.ts';

/** The Lambda environment variable names the stack sets (infra/constructs/pipelines.ts uses the same list). */
export const ENV = {
  inputBucket: 'INPUT_BUCKET',
  inputPrefix: 'INPUT_PREFIX',
  outputBucket: 'OUTPUT_BUCKET',
  athenaWorkGroup: 'ATHENA_WORKGROUP',
  athenaDatabase: 'ATHENA_DATABASE',
  athenaScratch: 'ATHENA_SCRATCH',
  scoreTable: 'SCORE_TABLE',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  historyDays: 'HISTORY_DAYS',
  rawFormat: 'EXPORT_FORMAT',
  config: 'CVS_CONFIG',
} as const;

/** A variable's value; throws naming the variable when it is unset (empty is allowed only with allowEmpty). */
export function getStringFromEnv(name: string, allowEmpty = false): string {
  const value = process.env[name];
  if (value === undefined || (value === '' && !allowEmpty)) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

/** The AWS resource names of this deployment, read from the environment. */
export function awsEnvFromProcess(): AwsPortsEnv {
  return {
    inputBucket: getStringFromEnv(ENV.inputBucket),
    inputPrefix: getStringFromEnv(ENV.inputPrefix, true),
    outputBucket: getStringFromEnv(ENV.outputBucket),
    athenaWorkGroup: getStringFromEnv(ENV.athenaWorkGroup),
    athenaDatabase: getStringFromEnv(ENV.athenaDatabase),
    athenaScratch: getStringFromEnv(ENV.athenaScratch),
    scoreTable: getStringFromEnv(ENV.scoreTable),
    alertTopicArn: getStringFromEnv(ENV.alertTopicArn),
    historyDays: Number(process.env[ENV.historyDays] ?? 400),
    rawFormat: process.env[ENV.rawFormat] === 'parquet' ? 'parquet' : 'csv',
  };
}

/** The scoring config JSON the stack embedded (`{}` when none: the seeds' defaults). */
export function rawConfigFromProcess(): unknown {
  return JSON.parse(process.env[ENV.config] || '{}');
}
