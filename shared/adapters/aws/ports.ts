import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Ports } from '../../ports/index.ts';
import { AthenaEngine } from './athenaEngine.ts';
import { DynamoScoreStore } from './dynamoScoreStore.ts';
import { S3Store } from './s3Store.ts';
import { SnsNotifier } from './snsNotifier.ts';

/**
 * The AWS ports of the Lambdas (S3, Athena, DynamoDB, SNS). Every AWS SDK import of `shared/` lives under
 * `shared/adapters/aws/`; the local ports are chosen in `shared/adapters/select.ts`.
 */

/** Resource names the AWS adapters need (from the Lambda environment). */
export interface AwsPortsEnv {
  readonly inputBucket: string;
  /** Key prefix of the exports (`<prefix><source>/<table>/`), '' or ending with '/'. */
  readonly inputPrefix: string;
  readonly outputBucket: string;
  /** @default '' */
  readonly outputPrefix?: string;
  readonly athenaWorkGroup: string;
  readonly athenaDatabase: string;
  /** s3:// folder for temporary Athena tables. */
  readonly athenaScratch: string;
  readonly scoreTable: string;
  readonly alertTopicArn: string;
  /** Days dated score history is kept. @default 400 */
  readonly historyDays?: number;
  /** Format of the export files behind the raw Glue tables (the stack's `exportFormat`). @default 'csv' */
  readonly rawFormat?: 'csv' | 'parquet';
}

/** The SDK clients the AWS adapters use (in Lambda: made once, wrapped by the tracer). */
export interface AwsClients {
  readonly s3: S3Client;
  readonly athena: AthenaClient;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly sns: SNSClient;
}

/** Plain SDK clients for the current region and credentials. */
export function defaultAwsClients(): AwsClients {
  return {
    s3: new S3Client({}),
    athena: new AthenaClient({}),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sns: new SNSClient({}),
  };
}

/** Ports over S3, Athena, DynamoDB and SNS. */
export function awsPorts(env: AwsPortsEnv, clients: AwsClients = defaultAwsClients()): Ports {
  return {
    input: new S3Store(clients.s3, env.inputBucket, env.inputPrefix),
    output: new S3Store(clients.s3, env.outputBucket, env.outputPrefix ?? ''),
    query: new AthenaEngine({
      athena: clients.athena,
      s3: clients.s3,
      workGroup: env.athenaWorkGroup,
      database: env.athenaDatabase,
      scratchLocation: env.athenaScratch,
      rawFormat: env.rawFormat ?? 'csv',
    }),
    scores: new DynamoScoreStore({
      client: clients.dynamodb,
      tableName: env.scoreTable,
      historyDays: env.historyDays,
    }),
    notifier: new SnsNotifier({
      sns: clients.sns,
      topicArn: env.alertTopicArn,
      ddb: clients.dynamodb,
      tableName: env.scoreTable,
    }),
  };
}
