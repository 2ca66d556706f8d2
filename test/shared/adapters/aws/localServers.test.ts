import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
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

  it('keeps a run written in shards by independent writers correct: re-run, dropped account, LATEST', async () => {
    // Prepare: a table of its own; shards are written through separate store objects, as separate Lambdas would
    const table = 'scores';
    const writer = () => new DynamoScoreStore({ client: ddb, tableName: table, shards: 4 });
    const rec = (id: string, asOf: string, value: number) => ({
      accountId: `S${id}`,
      asOf,
      values: { value_index: value, revenue_tier: 'A', health_band: 'High' },
    });
    const inShards = async (asOf: string, shards: ReturnType<typeof rec>[][]) => {
      const all = shards.flat();
      const plan = await writer().beginRun(
        asOf,
        all.map((r) => r.accountId),
      );
      await Promise.all(shards.map((s, i) => writer().putShard(asOf, `shard-${i}`, s, plan)));
      await writer().endRun(asOf, plan, all.length);
      return plan;
    };
    const latest = async (id: string) =>
      (
        await ddb.send(
          new GetCommand({ TableName: table, Key: { pk: `ACCOUNT#S${id}`, sk: 'LATEST' } }),
        )
      ).Item;

    // Act: 2024-11-05 with S1..S5 in 3 shards; re-run with S5 gone and S1 changed; then an earlier day
    const first = await inShards('2024-11-05', [
      [rec('1', '2024-11-05', 0.1), rec('2', '2024-11-05', 0.2)],
      [rec('3', '2024-11-05', 0.3), rec('4', '2024-11-05', 0.4)],
      [rec('5', '2024-11-05', 0.5)],
    ]);
    const rerun = await inShards('2024-11-05', [
      [rec('1', '2024-11-05', 0.9), rec('2', '2024-11-05', 0.2)],
      [rec('3', '2024-11-05', 0.3), rec('4', '2024-11-05', 0.4)],
    ]);
    const earlier = await inShards('2024-11-04', [[rec('1', '2024-11-04', 0.7)]]);

    // Assess
    expect([first.isLatest, rerun.isLatest, earlier.isLatest]).toEqual([true, true, false]);
    const day = await writer().getRun('2024-11-05');
    expect(day.map((r) => [r.accountId, r.values.value_index])).toEqual([
      ['S1', 0.9],
      ['S2', 0.2],
      ['S3', 0.3],
      ['S4', 0.4],
    ]);
    expect((await latest('1'))?.values).toEqual({
      value_index: 0.9,
      revenue_tier: 'A',
      health_band: 'High',
    });
    expect((await latest('1'))?.asOf).toBe('2024-11-05');
    expect(await latest('5')).toBeUndefined();
    const index = await ddb.send(
      new GetCommand({ TableName: table, Key: { pk: 'RUNS', sk: 'RUN#2024-11-05' } }),
    );
    expect(index.Item?.count).toBe(4);
  });
});
