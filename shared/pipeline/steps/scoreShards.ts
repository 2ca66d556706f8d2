import { ContractViolationError } from '../../errors.ts';
import type { CsvTable } from '../../io/csvTable.ts';
import type { ObjectStore, ScoreRecord } from '../../ports/index.ts';

/** Run-folder prefix of the score shards written by publish-scores. */
export const SCORE_SHARDS_PREFIX = 'parts/score-shards/';

/** The manifest of the score shards: a JSON array of their run-folder keys (what a Distributed Map's ItemReader reads). */
export const SCORE_SHARDS_MANIFEST_KEY = `${SCORE_SHARDS_PREFIX}manifest.json`;

/** The run-folder key of shard `index` (0-based), e.g. `parts/score-shards/shard-00002.jsonl`. */
export function scoreShardKey(index: number): string {
  return `${SCORE_SHARDS_PREFIX}shard-${String(index).padStart(5, '0')}.jsonl`;
}

/** Cuts items into consecutive shards of at most `size` (>= 1), keeping their order; none for no items. */
export function cutShards<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`shard size ${size} is not >= 1`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** JSON lines of records, built in chunks (a shard of 10^5 wide records would pass V8's string length limit). */
function jsonLines(records: readonly ScoreRecord[]): Buffer {
  const chunks: Buffer[] = [];
  const CHUNK = 2000;
  for (let i = 0; i < records.length; i += CHUNK) {
    let text = '';
    for (const r of records.slice(i, i + CHUNK)) text += `${JSON.stringify(r)}\n`;
    chunks.push(Buffer.from(text, 'utf8'));
  }
  return Buffer.concat(chunks);
}

/**
 * Writes the records as JSON-lines shards of at most `size` accounts (in order) and then the manifest listing their
 * keys; returns the manifest key and the shard keys.
 */
export async function writeScoreShards(
  run: ObjectStore,
  records: readonly ScoreRecord[],
  size: number,
): Promise<{ manifestKey: string; keys: string[] }> {
  const keys: string[] = [];
  for (const [i, shard] of cutShards(records, size).entries()) {
    const key = scoreShardKey(i);
    await run.put(key, jsonLines(shard), 'application/x-ndjson');
    keys.push(key);
  }
  await run.put(SCORE_SHARDS_MANIFEST_KEY, JSON.stringify(keys), 'application/json');
  return { manifestKey: SCORE_SHARDS_MANIFEST_KEY, keys };
}

/**
 * `writeScoreShards` for the rows of a table (`values` holds each row's columns, a cell that is `undefined` left
 * out): the same bytes, written shard by shard without a record object per account.
 */
export async function writeScoreShardsOfTable(
  run: ObjectStore,
  table: CsvTable,
  accountId: (row: CsvTable['rows'][number]) => string,
  asOf: string,
  size: number,
): Promise<{ manifestKey: string; keys: string[] }> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`shard size ${size} is not >= 1`);
  const names = table.columns.map((c) => `${JSON.stringify(c)}:`);
  const asOfJson = JSON.stringify(asOf);
  const pairs: string[] = [];
  const line = (row: CsvTable['rows'][number]): string => {
    pairs.length = 0;
    for (let c = 0; c < names.length; c++) {
      const v = row[c];
      if (v === undefined) continue;
      // JSON.stringify's text for a finite number, a boolean and null is String()'s (non-finite numbers are null)
      const json =
        typeof v === 'string'
          ? JSON.stringify(v)
          : typeof v === 'number' && !Number.isFinite(v)
            ? 'null'
            : String(v);
      pairs.push(names[c] + json);
    }
    return `{"accountId":${JSON.stringify(accountId(row))},"asOf":${asOfJson},"values":{${pairs.join(',')}}}`;
  };
  const keys: string[] = [];
  for (let start = 0; start < table.rows.length; start += size) {
    const chunks: Buffer[] = [];
    const end = Math.min(table.rows.length, start + size);
    for (let i = start; i < end; i += 2000) {
      const lines = table.rows.slice(i, Math.min(end, i + 2000)).map(line);
      lines.push('');
      chunks.push(Buffer.from(lines.join('\n'), 'utf8'));
    }
    const key = scoreShardKey(keys.length);
    await run.put(key, Buffer.concat(chunks), 'application/x-ndjson');
    keys.push(key);
  }
  await run.put(SCORE_SHARDS_MANIFEST_KEY, JSON.stringify(keys), 'application/json');
  return { manifestKey: SCORE_SHARDS_MANIFEST_KEY, keys };
}

/** The shard keys a manifest lists; a manifest that is not a JSON array of keys is a contract violation. */
export async function readShardManifest(run: ObjectStore, key: string): Promise<string[]> {
  const text = Buffer.from(await run.get(key)).toString('utf8');
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch (err) {
    throw new ContractViolationError(`shard manifest ${key} is not JSON`, { cause: err });
  }
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k !== ''))
    throw new ContractViolationError(`shard manifest ${key} is not a JSON array of keys`);
  return keys;
}

/** The score records of one shard, in file order; a line that is not a record names the shard and line. */
export async function readScoreShard(run: ObjectStore, key: string): Promise<ScoreRecord[]> {
  const text = Buffer.from(await run.get(key)).toString('utf8');
  const out: ScoreRecord[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    let r: Partial<ScoreRecord> | null;
    try {
      r = JSON.parse(line) as Partial<ScoreRecord> | null;
    } catch {
      r = null;
    }
    if (!r || typeof r.accountId !== 'string' || typeof r.asOf !== 'string' || !r.values)
      throw new ContractViolationError(`score shard ${key}, line ${i + 1}: not a score record`);
    out.push(r as ScoreRecord);
  }
  return out;
}
