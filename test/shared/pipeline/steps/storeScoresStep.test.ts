import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileScoreStore } from '../../../../shared/adapters/local/fileScoreStore.ts';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../../shared/config/load.ts';
import { ContractViolationError, CvsError } from '../../../../shared/errors.ts';
import { dailyPipeline } from '../../../../shared/pipeline/declarations.ts';
import { runPerShard } from '../../../../shared/pipeline/perShard.ts';
import { writeScoreShards } from '../../../../shared/pipeline/steps/scoreShards.ts';
import {
  commitScoresStep,
  storeScoresStep,
} from '../../../../shared/pipeline/steps/storeScoresStep.ts';
import type { RunState, StepContext } from '../../../../shared/pipeline/types.ts';
import type { Ports, ScoreRecord } from '../../../../shared/ports/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvs-store-scores-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rec = (id: string, asOf: string, v: number): ScoreRecord => ({
  accountId: id,
  asOf,
  values: { value_index: v, revenue_tier: 'A' },
});

/** A run context over a fresh run folder and the file score store under `dir/score-store`. */
function context(run: string): StepContext {
  return {
    ports: { scores: new FileScoreStore(join(dir, 'score-store')) } as unknown as Ports,
    config: parseConfig({}),
    run: new FolderStore(join(dir, run)),
    log: () => {},
  };
}

/**
 * What publish-scores does for the score store, then store-scores per shard in the given shard order, then
 * commit-scores: one run of `records` in shards of `size`.
 */
async function writeInShards(
  asOf: string,
  records: ScoreRecord[],
  size: number,
  order: (keys: string[]) => string[] = (k) => k,
) {
  const ctx = context(`run-${asOf}-${Math.random()}`);
  const { manifestKey, keys } = await writeScoreShards(ctx.run, records, size);
  const plan = await ctx.ports.scores.beginRun(
    asOf,
    records.map((r) => r.accountId),
  );
  const state: RunState = {
    asOf,
    runId: 'r1',
    runPrefix: `runs/${asOf}/`,
    steps: {
      'publish-scores': {
        scoreShards: manifestKey,
        accounts: records.length,
        isLatest: plan.isLatest,
      },
    },
  };
  const outputs = [];
  for (const shard of order(keys)) outputs.push(await storeScoresStep({ ...state, shard }, ctx));
  const commit = await commitScoresStep(state, ctx);
  return { outputs, commit, plan, keys };
}

describe('Function: storeScoresStep', () => {
  it('stores 5 accounts written as 3 shards in any order as one run, in account order', async () => {
    // Prepare
    const records = ['A1', 'A2', 'A3', 'A4', 'A5'].map((id, i) => rec(id, '2024-10-31', i / 10));

    // Act: the shards run last to first, as independent invocations may
    const { outputs, commit } = await writeInShards('2024-10-31', records, 2, (k) =>
      [...k].reverse(),
    );

    // Assess
    expect(outputs.map((o) => o.records)).toEqual([1, 2, 2]);
    expect(commit).toEqual({ accounts: 5, isLatest: true });
    const store = new FileScoreStore(join(dir, 'score-store'));
    expect(await store.listRuns()).toEqual(['2024-10-31']);
    expect(await store.getRun('2024-10-31')).toEqual(records);
    expect(readdirSync(join(dir, 'score-store'))).toEqual(['2024-10-31.jsonl']);
  });

  it('replaces a re-run of the same date: changed values, no duplicates, a dropped account gone', async () => {
    // Prepare
    await writeInShards(
      '2024-10-31',
      ['A1', 'A2', 'A3', 'A4', 'A5'].map((id) => rec(id, '2024-10-31', 0.1)),
      2,
    );
    const again = [rec('A1', '2024-10-31', 0.9), rec('A2', '2024-10-31', 0.8)];

    // Act: A3..A5 are gone
    await writeInShards('2024-10-31', again, 1);

    // Assess
    const store = new FileScoreStore(join(dir, 'score-store'));
    expect(await store.getRun('2024-10-31')).toEqual(again);
    expect(await store.listRuns()).toEqual(['2024-10-31']);
  });

  it('decides LATEST once per run: a later date is latest, an earlier date written after it is not', async () => {
    // Act
    const first = await writeInShards('2024-10-30', [rec('A1', '2024-10-30', 0.1)], 1);
    const later = await writeInShards('2024-10-31', [rec('A1', '2024-10-31', 0.2)], 1);
    const earlier = await writeInShards('2024-10-29', [rec('A1', '2024-10-29', 0.3)], 1);
    const rerun = await writeInShards('2024-10-31', [rec('A1', '2024-10-31', 0.4)], 1);

    // Assess
    expect([first, later, earlier, rerun].map((r) => r.plan.isLatest)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(await new FileScoreStore(join(dir, 'score-store')).listRuns()).toEqual([
      '2024-10-29',
      '2024-10-30',
      '2024-10-31',
    ]);
  });

  it('refuses to complete a run whose shards do not hold all its accounts', async () => {
    // Prepare: 3 shards, only 2 stored
    const ctx = context('run');
    const records = ['A1', 'A2', 'A3', 'A4', 'A5'].map((id) => rec(id, '2024-10-31', 0));
    const { manifestKey, keys } = await writeScoreShards(ctx.run, records, 2);
    const plan = await ctx.ports.scores.beginRun('2024-10-31', []);
    const state: RunState = {
      asOf: '2024-10-31',
      runId: 'r',
      runPrefix: 'runs/2024-10-31/',
      steps: { 'publish-scores': { scoreShards: manifestKey, accounts: 5, ...plan } },
    };
    for (const shard of keys.slice(0, 2)) await storeScoresStep({ ...state, shard }, ctx);

    // Act & Assess
    await expect(commitScoresStep(state, ctx)).rejects.toThrow(
      'score store: the shards of 2024-10-31 hold 4 records, the run has 5',
    );
    expect(existsSync(join(dir, 'score-store', '2024-10-31.jsonl'))).toBe(false);
  });

  it('throws a contract error without a shard or without the plan of publish-scores', async () => {
    // Prepare
    const ctx = context('run');
    const state: RunState = { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/', steps: {} };

    // Act & Assess
    await expect(storeScoresStep(state, ctx)).rejects.toThrow(ContractViolationError);
    await expect(storeScoresStep({ ...state, shard: 'x.jsonl' }, ctx)).rejects.toThrow(
      /publish-scores\.isLatest/,
    );
  });

  it('rejects a shard whose records are dated another day than the run', async () => {
    // Prepare
    const ctx = context('run');
    const { keys } = await writeScoreShards(ctx.run, [rec('A1', '2024-10-30', 0)], 1);
    const state: RunState = {
      asOf: '2024-10-31',
      runId: 'r',
      runPrefix: 'runs/',
      steps: { 'publish-scores': { isLatest: true } },
      shard: keys[0],
    };

    // Act & Assess
    await expect(storeScoresStep(state, ctx)).rejects.toThrow(
      'account A1 is dated 2024-10-30, the run 2024-10-31',
    );
  });
});

describe('Function: runPerShard', () => {
  it("runs the declared store-scores once per key of publish-scores' manifest, in manifest order", async () => {
    // Prepare
    const step = dailyPipeline.steps.find((s) => s.name === 'store-scores');
    if (!step) throw new Error('store-scores is not declared');
    const ctx = context('run');
    await ctx.run.put('m.json', JSON.stringify(['b.jsonl', 'a.jsonl', 'c.jsonl']));
    const seen: (string | undefined)[] = [];
    const state: RunState = {
      asOf: '2024-10-31',
      runId: 'r',
      runPrefix: 'runs/',
      steps: { 'publish-scores': { scoreShards: 'm.json' } },
    };

    // Act
    const out = await runPerShard(
      step,
      state,
      async (s) => {
        seen.push(s.shard);
        return {};
      },
      ctx,
    );

    // Assess
    expect(seen).toEqual(['b.jsonl', 'a.jsonl', 'c.jsonl']);
    expect(out).toEqual({ shards: 3 });
  });

  it('names the step and the missing output when the manifest key is absent', async () => {
    // Prepare
    const step = dailyPipeline.steps.find((s) => s.name === 'store-scores');
    if (!step) throw new Error('store-scores is not declared');
    const state: RunState = { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/', steps: {} };

    // Act & Assess
    await expect(runPerShard(step, state, async () => ({}), context('run'))).rejects.toThrow(
      new CvsError(
        'step store-scores runs per shard of publish-scores.scoreShards, which is not a key',
      ),
    );
  });
});
