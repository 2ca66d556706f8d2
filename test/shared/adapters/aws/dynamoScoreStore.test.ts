import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoScoreStore, fnv1a } from '../../../../shared/adapters/aws/dynamoScoreStore.ts';
import { ScoreStoreWriteError } from '../../../../shared/adapters/aws/errors.ts';

const ddbMock = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

function store(sleeps: number[] = []) {
  return new DynamoScoreStore({
    client,
    tableName: 'scores',
    maxAttempts: 4,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const records = [
  {
    accountId: 'A1',
    asOf: '2024-10-31',
    values: { value_index: 0.8, revenue_tier: 'A', health_band: 'High' },
  },
];

describe('Class: DynamoScoreStore', () => {
  afterEach(() => ddbMock.reset());

  it('retries UnprocessedItems twice with growing delays and then succeeds', async () => {
    // Prepare: no earlier runs; the first two calls leave one item unprocessed
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    const leftover = { PutRequest: { Item: { pk: 'ACCOUNT#A1', sk: 'LATEST' } } };
    ddbMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { scores: [leftover] } })
      .resolvesOnce({ UnprocessedItems: { scores: [leftover] } })
      .resolves({ UnprocessedItems: {} });
    const sleeps: number[] = [];

    // Act
    await store(sleeps).putRun('2024-10-31', records);

    // Assess: 3 calls for the items (history + latest), 1 for the run index item
    const calls = ddbMock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(4);
    expect(calls[0].args[0].input.RequestItems?.scores).toHaveLength(2);
    expect(calls[1].args[0].input.RequestItems?.scores).toEqual([leftover]);
    expect(sleeps).toEqual([25, 50]); // random 0.5 x ceilings 50 and 100 ms
  });

  it('throws ScoreStoreWriteError when throttling lasts past the retry bound', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(BatchWriteCommand).rejects(
      Object.assign(new Error('throughput exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      }),
    );

    // Act & Assess
    const err = await store()
      .putRun('2024-10-31', records)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScoreStoreWriteError);
    expect((err as Error).message).toBe(
      'score store: 2 of 2 items still unwritten after 4 attempts',
    );
    expect(ddbMock.commandCalls(BatchWriteCommand)).toHaveLength(4);
  });

  it('goes on while throttled calls still write some items, past the retry bound', async () => {
    // Prepare: a batch of 2 items; six calls each write nothing, then one item, then nothing, ...
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    const b = { PutRequest: { Item: { pk: 'ACCOUNT#A1', sk: 'LATEST' } } };
    const throttled = Object.assign(new Error('throughput exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    ddbMock
      .on(BatchWriteCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolvesOnce({ UnprocessedItems: { scores: [b] } }) // a written
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ UnprocessedItems: {} });
    const sleeps: number[] = [];

    // Act: maxAttempts 4, 7 unsuccessful calls in all but never 4 in a row without progress
    await store(sleeps).putRun('2024-10-31', records);

    // Assess: 8 calls for the two items, 1 for the run index item
    const calls = ddbMock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(9);
    const keys = (i: number) =>
      (calls[i].args[0].input.RequestItems?.scores ?? []).map((r) => r.PutRequest?.Item?.sk);
    expect(keys(0)).toEqual(['RUN#2024-10-31', 'LATEST']);
    expect(keys(4)).toEqual(['LATEST']);
    expect(sleeps).toHaveLength(7);
  });

  it('writes 60 accounts as history and latest items in batches of at most 25', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(BatchWriteCommand).resolves({});
    const many = Array.from({ length: 60 }, (_, i) => ({
      accountId: `A${i}`,
      asOf: '2024-10-31',
      values: {},
    }));

    // Act
    await store().putRun('2024-10-31', many);

    // Assess: 120 items -> 25+25+25+25+20, then the run index item
    const sizes = ddbMock
      .commandCalls(BatchWriteCommand)
      .map((c) => c.args[0].input.RequestItems?.scores?.length);
    expect(sizes).toEqual([25, 25, 25, 25, 20, 1]);
  });

  it('leaves the latest items alone when an earlier day is re-run', async () => {
    // Prepare: a later run exists
    ddbMock.on(QueryCommand).resolves({ Items: [{ sk: 'RUN#2024-11-01' }] });
    ddbMock.on(BatchWriteCommand).resolves({});

    // Act
    await store().putRun('2024-10-31', records);

    // Assess
    const items =
      ddbMock.commandCalls(BatchWriteCommand)[0].args[0].input.RequestItems?.scores ?? [];
    expect(
      items.map((r) => (r as { PutRequest: { Item: { sk: string } } }).PutRequest.Item.sk),
    ).toEqual(['RUN#2024-10-31']);
  });
});

describe('Class: DynamoScoreStore, a run written in shards', () => {
  afterEach(() => ddbMock.reset());

  it('puts a shard without reading the table: dated items only when the plan is not latest', async () => {
    // Prepare
    ddbMock.on(BatchWriteCommand).resolves({});

    // Act
    await store().putShard('2024-10-31', 'shard-00001', records, { isLatest: false });

    // Assess
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
    const calls = ddbMock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.RequestItems?.scores).toEqual([
      {
        PutRequest: {
          Item: expect.objectContaining({ pk: 'ACCOUNT#A1', sk: 'RUN#2024-10-31' }),
        },
      },
    ]);
  });

  it('begins a re-run by deleting the dated and latest items of accounts gone since, and puts nothing', async () => {
    // Prepare: the run index lists 2024-10-31; its byRun partitions hold A1 and A9
    ddbMock
      .on(QueryCommand, { IndexName: undefined })
      .resolves({ Items: [{ sk: 'RUN#2024-10-31' }] });
    ddbMock
      .on(QueryCommand, { IndexName: 'byRun' })
      .resolves({ Items: [] })
      .on(QueryCommand, {
        IndexName: 'byRun',
        ExpressionAttributeValues: { ':s': 'RUN#2024-10-31#00' },
      })
      .resolves({ Items: [{ accountId: 'A1' }, { accountId: 'A9' }] });
    ddbMock.on(BatchWriteCommand).resolves({});

    // Act
    const plan = await store().beginRun('2024-10-31', ['A1', 'A2']);

    // Assess
    expect(plan).toEqual({ isLatest: true });
    const items = ddbMock
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.scores ?? []);
    expect(items).toEqual([
      { DeleteRequest: { Key: { pk: 'ACCOUNT#A9', sk: 'RUN#2024-10-31' } } },
      { DeleteRequest: { Key: { pk: 'ACCOUNT#A9', sk: 'LATEST' } } },
    ]);
  });

  it('ends a run with the run index item and its account count, nothing else', async () => {
    // Prepare
    ddbMock.on(BatchWriteCommand).resolves({});

    // Act
    await store().endRun('2024-10-31', { isLatest: true }, 1234);

    // Assess
    const calls = ddbMock.commandCalls(BatchWriteCommand);
    expect(calls.map((c) => c.args[0].input.RequestItems?.scores)).toEqual([
      [
        {
          PutRequest: {
            Item: { pk: 'RUNS', sk: 'RUN#2024-10-31', asOf: '2024-10-31', count: 1234 },
          },
        },
      ],
    ]);
  });
});

describe('Function: fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // Act & Assess
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});
