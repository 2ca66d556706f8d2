import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const s3Mock = mockClient(S3Client);
const ddbMock = mockClient(DynamoDBDocumentClient);

const SHARD = 'parts/score-shards/shard-00003.jsonl';
const lines = [
  { accountId: 'A7', asOf: '2024-10-31', values: { value_index: 0.7, revenue_tier: 'A' } },
  { accountId: 'A8', asOf: '2024-10-31', values: { value_index: 0.2, health_band: 'Low' } },
];
const context = {
  functionName: 'store-scores',
  awsRequestId: 'r1',
  getRemainingTimeInMillis: () => 60_000,
};
/** The run state a Distributed Map item carries: the run's pointers, the steps so far and one shard key. */
const event = (isLatest: boolean) => ({
  asOf: '2024-10-31',
  runId: 'exec-7',
  runPrefix: 'runs/2024-10-31/',
  steps: { 'publish-scores': { scoreShards: 'parts/score-shards/manifest.json', isLatest } },
  shard: SHARD,
});

beforeAll(() => {
  Object.assign(process.env, {
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    INPUT_BUCKET: 'exports',
    INPUT_PREFIX: '',
    OUTPUT_BUCKET: 'results',
    ATHENA_WORKGROUP: 'cvs',
    ATHENA_DATABASE: 'cvs',
    ATHENA_SCRATCH: 's3://athena-results/scratch/',
    SCORE_TABLE: 'scores',
    ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    HISTORY_DAYS: '400',
  });
});

describe('Function: handler (store-scores)', () => {
  afterEach(() => {
    s3Mock.reset();
    ddbMock.reset();
  });

  it("reads its one shard from the staged run and batch-writes that shard's dated and LATEST items", async () => {
    // Prepare
    s3Mock.on(GetObjectCommand, { Bucket: 'results', Key: `staging/exec-7/${SHARD}` }).resolves({
      Body: {
        transformToByteArray: async () =>
          new TextEncoder().encode(lines.map((l) => `${JSON.stringify(l)}\n`).join('')),
      } as never,
    });
    ddbMock.on(BatchWriteCommand).resolves({});
    const { handler } = await import('../../functions/store-scores/handler.ts');

    // Act
    const out = await handler(event(true), context);

    // Assess
    expect(out).toMatchObject({ shard: SHARD, records: 2 });
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0); // the plan came with the run state
    const items = ddbMock
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.scores ?? [])
      .map((r) => r.PutRequest?.Item ?? {});
    expect(items.map((i) => [i.pk, i.sk])).toEqual([
      ['ACCOUNT#A7', 'RUN#2024-10-31'],
      ['ACCOUNT#A7', 'LATEST'],
      ['ACCOUNT#A8', 'RUN#2024-10-31'],
      ['ACCOUNT#A8', 'LATEST'],
    ]);
    // 2024-10-31 00:00 UTC is 1730332800 s; plus 400 days of history
    expect(items[0].expiresAt).toBe(1730332800 + 400 * 86400);
    expect(items[1].tierKey).toBe('TIER#A');
    expect(items[3].bandKey).toBe('BAND#Low');
    expect(items[2].values).toEqual({ value_index: 0.2, health_band: 'Low' });
  });

  it('writes only the dated items when publish-scores decided the run is not the latest', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({
      Body: {
        transformToByteArray: async () => new TextEncoder().encode(`${JSON.stringify(lines[0])}\n`),
      } as never,
    });
    ddbMock.on(BatchWriteCommand).resolves({});
    const { handler } = await import('../../functions/store-scores/handler.ts');

    // Act
    await handler(event(false), context);

    // Assess
    const keys = ddbMock
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.scores ?? [])
      .map((r) => r.PutRequest?.Item?.sk);
    expect(keys).toEqual(['RUN#2024-10-31']);
  });
});
