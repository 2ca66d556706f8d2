/**
 * Bench of the DynamoDB score store's write path (DynamoScoreStore.putRun): a mocked DocumentClient that answers
 * each BatchWriteItem after a fixed latency and, optionally, admits only `itemsPerSecond` items (a token bucket):
 * what does not fit is returned as UnprocessedItems, or the whole call fails with
 * ProvisionedThroughputExceededException when nothing fits, as DynamoDB does. The store's own retry rule (bounded
 * attempts, backoff with jitter) runs unchanged. Time for 2 M items is extrapolated linearly from the measured run.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoScoreStore } from '../../shared/adapters/aws/dynamoScoreStore.ts';
import type { ScoreRecord } from '../../shared/ports/index.ts';

/** One scenario of the score-store bench. */
export interface ScoreStoreScenario {
  readonly name: string;
  /** Latency of one BatchWriteItem call, ms. */
  readonly latencyMs: number;
  /** Items per second the table admits; undefined: no throttling. */
  readonly itemsPerSecond?: number;
}

/** Figures of one scenario. */
export interface ScoreStoreBenchRow {
  scenario: string;
  accounts: number;
  items: number;
  seconds: number;
  /** CPU time of the process (the write path's own cost, apart from waiting). */
  cpuSeconds: number;
  itemsPerSecond: number;
  throttledCalls: number;
  unprocessedItems: number;
  outcome: string;
  /** Linear extrapolation to 2,000,000 items (10^6 accounts: RUN# and LATEST items), minutes; null when it failed. */
  minutesFor2M: number | null;
  /** The same from CPU time alone (what the write costs when calls are not waited on), minutes. */
  cpuMinutesFor2M: number;
}

/** An account_scores-like record: 45 numbers, 12 short texts, 3 flags. */
function record(i: number, asOf: string): ScoreRecord {
  const values: ScoreRecord['values'] = { account_id: `ACC${String(i).padStart(7, '0')}` };
  for (let k = 0; k < 45; k++)
    values[`metric_${k}`] = Math.round(((i * 7919 + k * 104729) % 100000) * 1e2) / 1e6;
  for (let k = 0; k < 12; k++)
    values[`label_${k}`] = ['Up', 'Flat', 'Down', 'A', 'B', 'C'][(i + k) % 6];
  for (let k = 0; k < 3; k++) values[`flag_${k}`] = (i + k) % 3 === 0;
  values.revenue_tier = ['A', 'B', 'C'][i % 3];
  values.health_band = ['High', 'Medium', 'Low'][i % 3];
  return { accountId: String(values.account_id), asOf, values };
}

/** A DocumentClient stand-in: BatchWrite with latency and a token bucket, empty Query pages. */
function mockClient(s: ScoreStoreScenario, counters: { throttled: number; unprocessed: number }) {
  let tokens = s.itemsPerSecond ?? Number.POSITIVE_INFINITY;
  let last = performance.now();
  const refill = () => {
    if (s.itemsPerSecond === undefined) return;
    const now = performance.now();
    // at most one second of burst, as DynamoDB's burst capacity is bounded too
    tokens = Math.min(s.itemsPerSecond, tokens + ((now - last) / 1000) * s.itemsPerSecond);
    last = now;
  };
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  // A real client (the paginators check its class) whose send never reaches the network.
  Object.assign(client, {
    send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      await new Promise((r) => setTimeout(r, s.latencyMs));
      if (cmd.constructor.name !== 'BatchWriteCommand') return { Items: [] };
      const requests = Object.values(
        cmd.input.RequestItems as Record<string, unknown[]>,
      )[0] as unknown[];
      refill();
      const admitted = Math.min(requests.length, Math.floor(tokens));
      tokens -= admitted;
      if (admitted === 0) {
        counters.throttled++;
        throw Object.assign(new Error('throughput exceeded'), {
          name: 'ProvisionedThroughputExceededException',
          $metadata: { httpStatusCode: 400 },
        });
      }
      const rest = requests.slice(admitted);
      counters.unprocessed += rest.length;
      return { UnprocessedItems: rest.length ? { scores: rest } : {} };
    },
  });
  return client;
}

/** Writes `accounts` records (2 items each) through DynamoScoreStore.putRun per scenario. */
export async function runScoreStoreBench(
  accounts: number,
  scenarios: readonly ScoreStoreScenario[],
): Promise<ScoreStoreBenchRow[]> {
  const asOf = '2024-10-31';
  const records = Array.from({ length: accounts }, (_, i) => record(i, asOf));
  const rows: ScoreStoreBenchRow[] = [];
  for (const s of scenarios) {
    const counters = { throttled: 0, unprocessed: 0 };
    const store = new DynamoScoreStore({ client: mockClient(s, counters), tableName: 'scores' });
    const items = accounts * 2;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let outcome = 'all written';
    try {
      await store.putRun(asOf, records);
    } catch (err) {
      outcome = `failed: ${(err as Error).message}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpuSeconds = (c.user + c.system) / 1e6;
    rows.push({
      scenario: s.name,
      accounts,
      items,
      seconds,
      cpuSeconds,
      itemsPerSecond: items / seconds,
      throttledCalls: counters.throttled,
      unprocessedItems: counters.unprocessed,
      outcome,
      minutesFor2M: outcome === 'all written' ? (seconds * (2_000_000 / items)) / 60 : null,
      cpuMinutesFor2M: (cpuSeconds * (2_000_000 / items)) / 60,
    });
  }
  return rows;
}

/** Figures of one sharded write: the shards of one run written by independent writers sharing one table. */
export interface ShardedScoreStoreBenchRow {
  scenario: string;
  accounts: number;
  shards: number;
  concurrency: number;
  /** Wall time of the whole run (beginRun, every shard, endRun), s. */
  seconds: number;
  /** The slowest shard's wall time (what must fit one Lambda's 15 minutes), s. */
  maxShardSeconds: number;
  /** Items per second of one shard writer, mean over shards. */
  shardItemsPerSecond: number;
  /** Items per second of the whole table. */
  itemsPerSecond: number;
  throttledCalls: number;
  outcome: string;
}

/**
 * Writes `accounts` records as a run in shards of `shardSize` (beginRun, putShard per shard with `concurrency`
 * writers at once, each its own DynamoScoreStore as each shard is its own Lambda, endRun), all against one mocked
 * table: with a token bucket, the writers share its items per second.
 */
export async function runShardedScoreStoreBench(
  accounts: number,
  shardSize: number,
  scenarios: readonly (ScoreStoreScenario & { concurrency: number })[],
): Promise<ShardedScoreStoreBenchRow[]> {
  const asOf = '2024-10-31';
  const records = Array.from({ length: accounts }, (_, i) => record(i, asOf));
  const shards: ScoreRecord[][] = [];
  for (let i = 0; i < records.length; i += shardSize) shards.push(records.slice(i, i + shardSize));
  const rows: ShardedScoreStoreBenchRow[] = [];
  for (const s of scenarios) {
    const counters = { throttled: 0, unprocessed: 0 };
    const client = mockClient(s, counters);
    const store = () => new DynamoScoreStore({ client, tableName: 'scores' });
    const shardSeconds: number[] = [];
    const shardItems: number[] = [];
    const t0 = performance.now();
    let outcome = 'all written';
    try {
      const plan = await store().beginRun(
        asOf,
        records.map((r) => r.accountId),
      );
      let next = 0;
      const writer = async () => {
        while (next < shards.length) {
          const i = next++;
          const started = performance.now();
          await store().putShard(asOf, `shard-${i}`, shards[i], plan);
          shardSeconds.push((performance.now() - started) / 1000);
          shardItems.push(shards[i].length * 2);
        }
      };
      await Promise.all(Array.from({ length: Math.min(s.concurrency, shards.length) }, writer));
      await store().endRun(asOf, plan, records.length);
    } catch (err) {
      outcome = `failed: ${(err as Error).message}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    const items = accounts * 2;
    rows.push({
      scenario: s.name,
      accounts,
      shards: shards.length,
      concurrency: s.concurrency,
      seconds,
      maxShardSeconds: Math.max(...shardSeconds),
      shardItemsPerSecond:
        shardSeconds.reduce((sum, x, i) => sum + shardItems[i] / x, 0) / shardSeconds.length,
      itemsPerSecond: items / seconds,
      throttledCalls: counters.throttled,
      outcome,
    });
  }
  return rows;
}
