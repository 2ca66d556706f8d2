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
