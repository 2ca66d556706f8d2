import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoScoreStore,
  SCORE_INDEXES,
} from '../../../../shared/adapters/aws/dynamoScoreStore.ts';
import { S3Store } from '../../../../shared/adapters/aws/s3Store.ts';
import { ObjectNotFoundError } from '../../../../shared/errors.ts';

/**
 * The AWS adapters over wire-compatible local servers (s3rver, dynalite) on 127.0.0.1 random ports, so the real SDK
 * clients sign and send HTTP requests and parse real responses.
 */

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let dir: string;
let s3server: S3rver;
let ddbServer: ReturnType<typeof dynalite>;
let s3: S3Client;
let ddb: DynamoDBDocumentClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvs-s3rver-'));
  s3server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port: s3Port } = (await s3server.run()) as AddressInfo;
  s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${s3Port}`,
    forcePathStyle: true,
    credentials,
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'results' }));

  ddbServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => ddbServer.listen(0, '127.0.0.1', resolve));
  const { port: ddbPort } = ddbServer.address() as AddressInfo;
  const raw = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${ddbPort}`,
    credentials,
  });
  const gsi = (name: string, key: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: key, KeyType: 'HASH' as const },
      { AttributeName: 'pk', KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await raw.send(
    new CreateTableCommand({
      TableName: 'scores',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'tierKey', 'bandKey', 'runShard'].map((n) => ({
        AttributeName: n,
        AttributeType: 'S' as const,
      })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        gsi(SCORE_INDEXES.byTier, 'tierKey'),
        gsi(SCORE_INDEXES.byBand, 'bandKey'),
        gsi(SCORE_INDEXES.byRun, 'runShard'),
      ],
    }),
  );
  ddb = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  await s3server?.close();
  await new Promise((resolve) => ddbServer?.close(resolve));
  s3?.destroy();
  ddb?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('Class: S3Store (over s3rver)', () => {
  it('puts, lists sorted under its prefix, gets and checks existence', async () => {
    // Prepare
    const store = new S3Store(s3, 'results', 'cvs/');
    await store.put('runs/2024-10-31/b.csv', 'id\n2\n');
    await store.put('runs/2024-10-31/a.csv', 'id\n1\n');
    await store.put('models/champion.json', '{}');

    // Act
    const listed = await store.list('runs/');
    const text = Buffer.from(await store.get('runs/2024-10-31/a.csv')).toString('utf8');

    // Assess
    expect(listed).toEqual([
      { key: 'runs/2024-10-31/a.csv', size: 5 },
      { key: 'runs/2024-10-31/b.csv', size: 5 },
    ]);
    expect(text).toBe('id\n1\n');
    expect(await store.exists('models/champion.json')).toBe(true);
    expect(await store.exists('models/other.json')).toBe(false);
  });

  it('throws ObjectNotFoundError for a missing key', async () => {
    // Act & Assess
    await expect(new S3Store(s3, 'results').get('nope.csv')).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
  });
});

describe('Class: DynamoScoreStore (over dynalite)', () => {
  it('stores runs, overwrites a same-day re-run and lists accounts by tier', async () => {
    // Prepare
    const store = new DynamoScoreStore({ client: ddb, tableName: 'scores', shards: 4 });
    const rec = (id: string, asOf: string, tier: string, value: number) => ({
      accountId: id,
      asOf,
      values: { value_index: value, revenue_tier: tier, health_band: 'High' },
    });

    // Act: day 1, day 2, then day 2 again with A3 gone and A1 changed
    await store.putRun('2024-10-30', [
      rec('A1', '2024-10-30', 'B', 0.1),
      rec('A2', '2024-10-30', 'A', 0.2),
    ]);
    await store.putRun('2024-10-31', [
      rec('A1', '2024-10-31', 'A', 0.5),
      rec('A3', '2024-10-31', 'C', 0.3),
    ]);
    await store.putRun('2024-10-31', [
      rec('A1', '2024-10-31', 'A', 0.6),
      rec('A2', '2024-10-31', 'B', 0.4),
    ]);

    // Assess
    expect(await store.listRuns()).toEqual(['2024-10-30', '2024-10-31']);
    const day2 = await store.getRun('2024-10-31');
    expect(day2.map((r) => [r.accountId, r.values.value_index])).toEqual([
      ['A1', 0.6],
      ['A2', 0.4],
    ]);
    expect((await store.getRun('2024-10-30')).map((r) => r.accountId)).toEqual(['A1', 'A2']);
    expect((await store.listByTier('A')).map((r) => r.accountId)).toEqual(['A1']);
    expect((await store.listByBand('High')).map((r) => r.accountId).sort()).toEqual(['A1', 'A2']);
  });
});
