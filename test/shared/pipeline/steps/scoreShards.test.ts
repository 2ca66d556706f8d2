import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { ContractViolationError } from '../../../../shared/errors.ts';
import type { CsvTable } from '../../../../shared/io/csvTable.ts';
import {
  cutShards,
  readScoreShard,
  readShardManifest,
  writeScoreShards,
  writeScoreShardsOfTable,
} from '../../../../shared/pipeline/steps/scoreShards.ts';
import type { ScoreRecord } from '../../../../shared/ports/index.ts';

const rec = (id: string) => ({
  accountId: id,
  asOf: '2024-10-31',
  values: { value_index: Number(id.slice(1)) / 10, revenue_tier: 'A' },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvs-shards-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Function: cutShards', () => {
  it('cuts 5 accounts with shard size 2 into 3 shards in order', () => {
    // Act
    const shards = cutShards(['A1', 'A2', 'A3', 'A4', 'A5'], 2);

    // Assess
    expect(shards).toEqual([['A1', 'A2'], ['A3', 'A4'], ['A5']]);
  });

  it('gives no shard for no accounts and one shard when the size covers them all', () => {
    // Act & Assess
    expect(cutShards([], 2)).toEqual([]);
    expect(cutShards(['A1', 'A2'], 50_000)).toEqual([['A1', 'A2']]);
  });

  it('throws on a shard size below 1', () => {
    // Act & Assess
    expect(() => cutShards(['A1'], 0)).toThrow(RangeError);
  });
});

describe('Function: writeScoreShards', () => {
  it('writes 3 JSON-lines shards for 5 accounts of shard size 2, and a manifest listing them', async () => {
    // Prepare
    const run = new FolderStore(dir);
    const records = ['A1', 'A2', 'A3', 'A4', 'A5'].map(rec);

    // Act
    const { manifestKey, keys } = await writeScoreShards(run, records, 2);

    // Assess
    expect(manifestKey).toBe('parts/score-shards/manifest.json');
    expect(keys).toEqual([
      'parts/score-shards/shard-00000.jsonl',
      'parts/score-shards/shard-00001.jsonl',
      'parts/score-shards/shard-00002.jsonl',
    ]);
    expect(
      JSON.parse(readFileSync(join(dir, 'parts', 'score-shards', 'manifest.json'), 'utf8')),
    ).toEqual(keys);
    expect(readdirSync(join(dir, 'parts', 'score-shards')).sort()).toEqual([
      'manifest.json',
      'shard-00000.jsonl',
      'shard-00001.jsonl',
      'shard-00002.jsonl',
    ]);
    const lines = readFileSync(join(dir, 'parts', 'score-shards', 'shard-00001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).accountId);
    expect(lines).toEqual(['A3', 'A4']);
    expect((await readScoreShard(run, keys[2])).map((r) => r.accountId)).toEqual(['A5']);
    expect(await readShardManifest(run, manifestKey)).toEqual(keys);
  });

  it('reads back a record exactly as written (numbers, strings, null)', async () => {
    // Prepare
    const run = new FolderStore(dir);
    const r = { accountId: 'A1', asOf: '2024-10-31', values: { a: 0.125, b: 'x,"y"', c: null } };

    // Act
    const { keys } = await writeScoreShards(run, [r], 10);

    // Assess
    expect(await readScoreShard(run, keys[0])).toEqual([r]);
  });
});

describe('Function: readShardManifest', () => {
  it('rejects a manifest that is not a JSON array of keys, naming it', async () => {
    // Prepare
    const run = new FolderStore(dir);
    await run.put('m.json', '{"keys":[]}');

    // Act & Assess
    await expect(readShardManifest(run, 'm.json')).rejects.toThrow(ContractViolationError);
    await expect(readShardManifest(run, 'm.json')).rejects.toThrow(/m\.json/);
  });
});

describe('Function: readScoreShard', () => {
  it('names the shard and the line of a line that is not a score record', async () => {
    // Prepare
    const run = new FolderStore(dir);
    await run.put('s.jsonl', `${JSON.stringify(rec('A1'))}\n{"accountId":7}\n`);

    // Act & Assess
    await expect(readScoreShard(run, 's.jsonl')).rejects.toThrow('score shard s.jsonl, line 2');
  });
});

describe('Function: writeScoreShardsOfTable', () => {
  it('writes the bytes writeScoreShards writes for the same records, leaving out missing cells', async () => {
    // Prepare: three accounts, a quote in a name, a missing cell, a non-finite number, booleans and nulls
    const table: CsvTable = {
      columns: ['account_id', 'name', 'x', 'flag'],
      rows: [
        ['A1', 'say "hi"', 0.25, true],
        ['A2', null, Number.NaN, false],
        ['A3', 'plain', undefined, null],
      ],
    };
    const records: ScoreRecord[] = [
      {
        accountId: 'A1',
        asOf: '2024-10-31',
        values: { account_id: 'A1', name: 'say "hi"', x: 0.25, flag: true },
      },
      {
        accountId: 'A2',
        asOf: '2024-10-31',
        values: { account_id: 'A2', name: null, x: Number.NaN, flag: false },
      },
      {
        accountId: 'A3',
        asOf: '2024-10-31',
        values: { account_id: 'A3', name: 'plain', flag: null },
      },
    ];
    const a = new FolderStore(join(dir, 'a'));
    const b = new FolderStore(join(dir, 'b'));
    // Act
    const mine = await writeScoreShardsOfTable(a, table, (r) => String(r[0]), '2024-10-31', 2);
    const reference = await writeScoreShards(b, records, 2);
    // Assess
    expect(mine).toEqual(reference);
    for (const key of [...mine.keys, mine.manifestKey])
      expect(Buffer.from(await a.get(key)).toString('utf8')).toBe(
        Buffer.from(await b.get(key)).toString('utf8'),
      );
    expect(Buffer.from(await a.get(mine.keys[1])).toString('utf8')).toBe(
      '{"accountId":"A3","asOf":"2024-10-31","values":{"account_id":"A3","name":"plain","flag":null}}\n',
    );
  });
});
