import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { ScoreRecord, ScoreRunPlan, ScoreStore } from '../../ports/index.ts';
import { isLatestRun, putRunAsOneShard } from '../scoreRun.ts';
import { backoffDelayMs, isThrottling, type RetryOptions, sleep } from './backoff.ts';
import { ScoreStoreWriteError } from './errors.ts';

/** Names of the score table's global secondary indexes. */
export const SCORE_INDEXES = { byTier: 'byTier', byBand: 'byBand', byRun: 'byRun' } as const;
/** The score table's TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Table, field names and retry bounds of the DynamoDB score store. */
export interface DynamoScoreStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Score field holding the revenue tier, indexed by `byTier`. @default 'revenue_tier' */
  readonly tierField?: string;
  /** Score field holding the health band, indexed by `byBand`. @default 'health_band' */
  readonly bandField?: string;
  /** Days a dated history item is kept (TTL). @default 400 */
  readonly historyDays?: number;
  /** `byRun` partitions per run date (spreads 1M writes of one day). @default 16 */
  readonly shards?: number;
  /** BatchWriteItem calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Attempts per batch of 25 (first try included). @default 8 */
  readonly maxAttempts?: number;
  /** First retry delay, ms (doubles, full jitter). @default 50 */
  readonly baseDelayMs?: number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

type Item = Record<string, unknown>;

/** FNV-1a hash of a string, 32-bit unsigned. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Non-finite numbers become null (DynamoDB rejects NaN and Infinity). */
function clean(values: ScoreRecord['values']): ScoreRecord['values'] {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(values))
    out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
  return out;
}

/**
 * The score store in AWS: per account a `LATEST` item and dated `RUN#<as-of>` history items (TTL), a `RUNS` index
 * item per run date, GSIs by tier, by health band and by run date. Writes go in BatchWriteItem calls of 25.
 */
export class DynamoScoreStore implements ScoreStore {
  private readonly retry: RetryOptions;
  private readonly shards: number;

  constructor(private readonly o: DynamoScoreStoreOptions) {
    this.retry = {
      maxAttempts: o.maxAttempts ?? 8,
      baseDelayMs: o.baseDelayMs ?? 50,
      maxDelayMs: 5000,
      sleep: o.sleep ?? sleep,
      random: o.random,
    };
    this.shards = o.shards ?? 16;
  }

  /** The `byRun` partition of an account on a date, `RUN#<as-of>#<00..shards-1>`. */
  runShard(asOf: string, accountId: string): string {
    return `RUN#${asOf}#${String(fnv1a(accountId) % this.shards).padStart(2, '0')}`;
  }

  async putRun(asOf: string, records: readonly ScoreRecord[]): Promise<void> {
    await putRunAsOneShard(this, asOf, records);
  }

  /**
   * Decides `isLatest` from the run index (no stored run is newer), and on a re-run of the same as-of deletes the
   * dated items (and, when latest, the `LATEST` items) of accounts the earlier run had and this one has not.
   */
  async beginRun(asOf: string, accountIds: readonly string[]): Promise<ScoreRunPlan> {
    const runs = await this.listRuns();
    const isLatest = isLatestRun(runs, asOf);
    if (runs.includes(asOf)) {
      const now = new Set(accountIds);
      const deletes: Item[] = [];
      for (const id of await this.runAccountIds(asOf)) {
        if (now.has(id)) continue;
        deletes.push({ DeleteRequest: { Key: { pk: `ACCOUNT#${id}`, sk: `RUN#${asOf}` } } });
        if (isLatest)
          deletes.push({ DeleteRequest: { Key: { pk: `ACCOUNT#${id}`, sk: 'LATEST' } } });
      }
      await this.writeAll(deletes);
    }
    return { isLatest };
  }

  /** Puts the dated item of every record, and its `LATEST` item when the plan says the run is the latest. */
  async putShard(
    asOf: string,
    _shard: string,
    records: readonly ScoreRecord[],
    plan: ScoreRunPlan,
  ): Promise<void> {
    const expiresAt =
      Math.floor(Date.parse(`${asOf}T00:00:00Z`) / 1000) + (this.o.historyDays ?? 400) * 86_400;
    const tierField = this.o.tierField ?? 'revenue_tier';
    const bandField = this.o.bandField ?? 'health_band';
    const requests: Item[] = [];
    for (const r of records) {
      const base = {
        pk: `ACCOUNT#${r.accountId}`,
        accountId: r.accountId,
        asOf,
        values: clean(r.values),
      };
      requests.push({
        PutRequest: {
          Item: {
            ...base,
            sk: `RUN#${asOf}`,
            runShard: this.runShard(asOf, r.accountId),
            [TTL_ATTRIBUTE]: expiresAt,
          },
        },
      });
      if (plan.isLatest) {
        const tier = r.values[tierField];
        const band = r.values[bandField];
        const latest: Item = { ...base, sk: 'LATEST' };
        if (tier !== null && tier !== undefined && tier !== '') latest.tierKey = `TIER#${tier}`;
        if (band !== null && band !== undefined && band !== '') latest.bandKey = `BAND#${band}`;
        requests.push({ PutRequest: { Item: latest } });
      }
    }
    await this.writeAll(requests);
  }

  /** Writes the run index item, last: its presence means the run's items are all stored. */
  async endRun(asOf: string, _plan: ScoreRunPlan, accounts: number): Promise<void> {
    await this.writeAll([
      { PutRequest: { Item: { pk: 'RUNS', sk: `RUN#${asOf}`, asOf, count: accounts } } },
    ]);
  }

  async listRuns(): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateQuery(
      { client: this.o.client },
      {
        TableName: this.o.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': 'RUNS', ':run': 'RUN#' },
        ProjectionExpression: 'sk',
      },
    )) {
      for (const it of page.Items ?? []) out.push(String(it.sk).slice(4));
    }
    return out.sort();
  }

  async getRun(asOf: string): Promise<ScoreRecord[]> {
    const items = await this.queryShards(asOf, 'accountId, asOf, #v');
    return items
      .map((it) => ({
        accountId: String(it.accountId),
        asOf: String(it.asOf),
        values: (it.values ?? {}) as ScoreRecord['values'],
      }))
      .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  }

  /** Latest scores of the accounts in a revenue tier (e.g. 'A'), sorted by account id. */
  listByTier(tier: string): Promise<ScoreRecord[]> {
    return this.listLatest(SCORE_INDEXES.byTier, 'tierKey', `TIER#${tier}`);
  }

  /** Latest scores of the accounts in a health band (e.g. 'Low'), sorted by account id. */
  listByBand(band: string): Promise<ScoreRecord[]> {
    return this.listLatest(SCORE_INDEXES.byBand, 'bandKey', `BAND#${band}`);
  }

  private async listLatest(index: string, attr: string, value: string): Promise<ScoreRecord[]> {
    const out: ScoreRecord[] = [];
    for await (const page of paginateQuery(
      { client: this.o.client },
      {
        TableName: this.o.tableName,
        IndexName: index,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': attr },
        ExpressionAttributeValues: { ':v': value },
      },
    )) {
      for (const it of page.Items ?? []) {
        out.push({
          accountId: String(it.accountId),
          asOf: String(it.asOf),
          values: (it.values ?? {}) as ScoreRecord['values'],
        });
      }
    }
    return out;
  }

  private async runAccountIds(asOf: string): Promise<string[]> {
    return (await this.queryShards(asOf, 'accountId')).map((it) => String(it.accountId));
  }

  private async queryShards(asOf: string, projection: string): Promise<Item[]> {
    const shardKeys = Array.from(
      { length: this.shards },
      (_, i) => `RUN#${asOf}#${String(i).padStart(2, '0')}`,
    );
    const pages = await Promise.all(
      shardKeys.map(async (key) => {
        const items: Item[] = [];
        for await (const page of paginateQuery(
          { client: this.o.client },
          {
            TableName: this.o.tableName,
            IndexName: SCORE_INDEXES.byRun,
            KeyConditionExpression: 'runShard = :s',
            ExpressionAttributeValues: { ':s': key },
            ProjectionExpression: projection,
            ...(projection.includes('#v') ? { ExpressionAttributeNames: { '#v': 'values' } } : {}),
          },
        )) {
          items.push(...(page.Items ?? []));
        }
        return items;
      }),
    );
    return pages.flat();
  }

  /** Writes requests in batches of 25, `concurrency` batches at a time. */
  private async writeAll(requests: Item[]): Promise<void> {
    const batches: Item[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.writeBatch(batches[next++]);
    };
    await Promise.all(
      Array.from({ length: Math.min(this.o.concurrency ?? 8, batches.length) }, worker),
    );
  }

  /**
   * One BatchWriteItem, retrying UnprocessedItems and throttling with backoff + jitter. The bound counts calls in a
   * row that wrote nothing: under sustained throttling a batch that still makes progress goes on (slowed by the
   * growing delays) instead of failing the run; it throws once `maxAttempts` calls in a row wrote nothing.
   */
  private async writeBatch(batch: Item[]): Promise<void> {
    let pending = batch;
    let stalled = 0;
    for (let attempt = 1; ; attempt++) {
      let lastError: unknown;
      const before = pending.length;
      try {
        const input = { RequestItems: { [this.o.tableName]: pending } } as BatchWriteCommandInput;
        const res = await this.o.client.send(new BatchWriteCommand(input));
        pending = (res.UnprocessedItems?.[this.o.tableName] ?? []) as Item[];
        if (pending.length === 0) return;
      } catch (err) {
        if (!isThrottling(err)) throw err;
        lastError = err;
      }
      stalled = pending.length < before ? 0 : stalled + 1;
      if (stalled >= this.retry.maxAttempts) {
        throw new ScoreStoreWriteError(
          `score store: ${pending.length} of ${batch.length} items still unwritten after ${stalled} attempts`,
          lastError ? { cause: lastError } : undefined,
        );
      }
      await this.retry.sleep(backoffDelayMs(attempt, this.retry));
    }
  }
}
