import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { FolderRunFolderStore } from '../../shared/pipeline/runFolder.ts';
import { executeLocally, synthesizedDefinitions } from './localStateMachine.ts';
import type { AslDefinition } from './templateHelpers.ts';

/** The sample: small, so the six executions stay quick; the config lowers the training minimum to match. */
const ACCOUNTS = 150;
const AS_OF = '2024-10-31';

let root: string;
let input: string;
let out: string;
let definitions: Record<string, AslDefinition>;
/** 40 accounts per score shard, so the daily run's Distributed Map has several shards. */
const SHARD_SIZE = 40;
const config = parseConfig({
  classifier: { minAccounts: 100 },
  scoreStore: { shardSize: SHARD_SIZE },
});
const store = () => new FolderRunFolderStore(out);

/** Keys under a prefix of the output folder, relative to the prefix. */
async function keys(prefix: string): Promise<string[]> {
  return (await store().list(prefix)).map((o) => o.key.slice(prefix.length));
}

/** The manifest of a run folder. */
function manifest(folder: string) {
  return JSON.parse(readFileSync(join(out, 'runs', folder, 'manifest.json'), 'utf8')) as {
    runId: string;
    steps: Record<string, Record<string, unknown>>;
    outputs: { key: string }[];
  };
}

/** Runs a job's synthesized state machine; throws with the execution error when it was expected to succeed. */
async function execute(
  job: string,
  name: string,
  asOf = AS_OF,
  cfg = config,
  fault?: (task: string, input: Record<string, unknown>) => void,
) {
  const run = await executeLocally({
    definition: definitions[job],
    input,
    out,
    config: cfg,
    executionName: name,
    asOf,
    fault,
  });
  return run;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cvs-sfn-'));
  input = join(root, 'in');
  out = join(root, 'out');
  await generateSample({ outDir: input, accounts: ACCOUNTS, seed: 5, asOf: AS_OF });
  definitions = synthesizedDefinitions();
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The run folder holds exactly what its manifest lists, plus the manifest, and no staging is left. */
async function expectCleanRun(folder: string) {
  const m = manifest(folder);
  expect((await keys(`runs/${folder}/`)).sort()).toEqual(
    [...m.outputs.map((o) => o.key), 'manifest.json'].sort(),
  );
  expect(m.outputs.map((o) => o.key)).not.toContain('manifest.json');
  expect(await keys('staging/')).toEqual([]);
}

// Each execution runs the real steps on DuckDB: give each test room on a loaded machine.
describe('End to end: the synthesized state machines run by an ASL interpreter over the local ports', {
  timeout: 600_000,
}, () => {
  it('weekly: publishes the breadth aggregate; the Athena step records result key, rows and timing', async () => {
    // Act
    const run = await execute('weekly', 'weekly-1');

    // Assess
    expect(run.error).toBeUndefined();
    await expectCleanRun(`weekly-${AS_OF}`);
    const breadth = manifest(`weekly-${AS_OF}`).steps['account-breadth'];
    expect(Object.keys(breadth).sort()).toEqual(['elapsedMs', 'resultKey', 'rows']);
    const csv = readFileSync(join(out, 'runs', `weekly-${AS_OF}`, 'parts', 'breadth.csv'), 'utf8');
    expect(breadth.rows).toBe(csv.trim().split('\n').length - 1);
    expect(existsSync(join(out, 'aggregates', 'account_breadth.json'))).toBe(true);
  });

  it('quarterly: trains, evaluates and gates; promote-model runs or is skipped as the gate says', async () => {
    // Act
    const run = await execute('quarterly', 'quarterly-1');

    // Assess
    expect(run.error).toBeUndefined();
    const steps = manifest(`quarterly-${AS_OF}`).steps;
    expect(typeof steps['gate-model'].promote).toBe('boolean');
    if (steps['gate-model'].promote === true) expect(steps['promote-model'].promoted).toBe(true);
    else expect(steps['promote-model']).toEqual({ skipped: 'gate-model.promote is false' });
    await expectCleanRun(`quarterly-${AS_OF}`);
  });

  it('daily: scores every account; every step has its timing, the features step its row count', async () => {
    // Prepare: the second score shard fails once with a retryable error (a throttled table)
    const failedOnce = new Set<string>();
    const fault = (task: string, i: Record<string, unknown>) => {
      if (task !== 'store-scores: shard' || !String(i.shard).endsWith('shard-00001.jsonl')) return;
      if (failedOnce.has(String(i.shard))) return;
      failedOnce.add(String(i.shard));
      throw Object.assign(new Error('throttled'), { name: 'ScoreStoreWriteError' });
    };

    // Act
    const run = await execute('daily', 'daily-1', AS_OF, config, fault);

    // Assess
    expect(run.error).toBeUndefined();
    await expectCleanRun(AS_OF);
    const m = manifest(AS_OF);
    expect(m.runId).toBe('daily-1');
    for (const [step, output] of Object.entries(m.steps)) {
      if (step === 'finalize-run') continue; // its timing is added after it wrote the manifest
      if (step === 'store-scores') continue; // a Distributed Map records how many shards it ran (below)
      expect(output.elapsedMs, step).toEqual(expect.any(Number));
    }
    const lines = (file: string) =>
      readFileSync(join(out, 'runs', AS_OF, file), 'utf8')
        .trim()
        .split('\n').length - 1;
    expect(m.steps['account-features'].rows).toBe(lines('parts/features.csv'));
    expect(lines('account_scores.csv')).toBeGreaterThanOrEqual(ACCOUNTS);
    expect(m.steps['account-features'].rows).toBe(lines('account_scores.csv'));
    // The score store: one shard per 40 accounts through the Distributed Map, the retried shard once more
    const shards = Math.ceil(lines('account_scores.csv') / SHARD_SIZE);
    expect(shards).toBeGreaterThan(3);
    expect(m.steps['store-scores']).toEqual({ shards });
    expect(run.calls['store-scores: shard']).toBe(shards + 1);
    expect(run.calls['commit-scores']).toBe(1);
    const ids = readFileSync(join(out, 'runs', AS_OF, 'account_scores.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    const stored = readFileSync(join(out, 'score-store', `${AS_OF}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { accountId: string }).accountId);
    expect(stored).toEqual(ids);
  });

  it('daily re-run: files the new run did not write are gone, and the manifest does not list the old one', async () => {
    // Prepare: a quarantine file of an earlier run whose export has been fixed since
    const stale = join(out, 'runs', AS_OF, 'quarantine', 'pendo__visitor.csv');
    mkdirSync(dirname(stale), { recursive: true });
    writeFileSync(stale, 'row,reason\n9475,too few fields\n');

    // Act
    const run = await execute('daily', 'daily-2');

    // Assess
    expect(run.error).toBeUndefined();
    expect(existsSync(stale)).toBe(false);
    expect(manifest(AS_OF).runId).toBe('daily-2');
    await expectCleanRun(AS_OF);
  });

  it('quarterly re-run with a skipped promotion: the files of the earlier promotion are gone', async () => {
    // Prepare: a file an earlier promotion left; too few accounts to train under this config, so the gate says no
    const promoted = join(out, 'runs', `quarterly-${AS_OF}`, 'promoted', 'model_card.md');
    mkdirSync(dirname(promoted), { recursive: true });
    writeFileSync(promoted, 'promoted by an earlier run');
    const before = await keys(`runs/quarterly-${AS_OF}/`);
    const strict = parseConfig({ classifier: { minAccounts: 100_000 } });

    // Act
    const run = await execute('quarterly', 'quarterly-2', AS_OF, strict);

    // Assess
    expect(run.error).toBeUndefined();
    const m = manifest(`quarterly-${AS_OF}`);
    expect(m.steps['promote-model']).toEqual({ skipped: 'gate-model.promote is false' });
    const after = await keys(`runs/quarterly-${AS_OF}/`);
    const gone = before.filter((k) => !after.includes(k));
    expect(gone).toContain('promoted/model_card.md');
    expect(existsSync(promoted)).toBe(false);
    await expectCleanRun(`quarterly-${AS_OF}`);
  });

  it('a failing score shard fails the Distributed Map: the run is discarded, ops told, the date not stored', async () => {
    // Prepare: the third shard fails with an error no retry can fix
    const fault = (task: string, i: Record<string, unknown>) => {
      if (task === 'store-scores: shard' && String(i.shard).endsWith('shard-00002.jsonl'))
        throw Object.assign(new Error('shard 2 is broken'), { name: 'ContractViolationError' });
    };

    // Act
    const run = await execute('daily', 'daily-shard-fails', '2024-10-29', config, fault);

    // Assess
    expect(run.error?.message).toContain('shard 2 is broken');
    expect(run.calls['commit-scores']).toBeUndefined();
    expect(run.calls.DiscardRun).toBe(1);
    expect(run.notices[0]).toMatch(/CVS daily run for 2024-10-29 failed/);
    expect(existsSync(join(out, 'runs', '2024-10-29'))).toBe(false);
    expect(existsSync(join(out, 'score-store', '2024-10-29.jsonl'))).toBe(false);
    expect(await keys('staging/')).toEqual([]);
  });

  it('a failing step: not retried when its error class is not retryable, nothing that looks like a run, ops told', async () => {
    // Prepare: the champion pointer names a model version the registry does not hold (a CvsError, not retryable)
    writeFileSync(
      join(out, 'models', 'champion.json'),
      JSON.stringify({ version: 'v-missing', promotedAt: '2024-10-31T00:00:00Z' }),
    );
    const earlier = readFileSync(join(out, 'runs', AS_OF, 'manifest.json'), 'utf8');

    // Act: a new date, and a re-run of a date that already has a run
    const fresh = await execute('daily', 'daily-3', '2024-10-30');
    const rerun = await execute('daily', 'daily-4');

    // Assess
    expect(fresh.error?.message).toContain('v-missing');
    expect(fresh.calls['predict-high-value']).toBe(1);
    expect(fresh.calls['score-accounts']).toBe(1);
    expect(fresh.calls.DiscardRun).toBe(1);
    expect(fresh.notices[0]).toMatch(/CVS daily run for 2024-10-30 failed/);
    expect(existsSync(join(out, 'runs', '2024-10-30'))).toBe(false);
    expect(rerun.error).toBeDefined();
    expect(readFileSync(join(out, 'runs', AS_OF, 'manifest.json'), 'utf8')).toBe(earlier);
    expect(await keys('staging/')).toEqual([]);
  });
});
