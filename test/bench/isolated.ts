/**
 * `npm run bench -- --accounts N[,M...] --isolated`: the daily pipeline with every step in a process of its own
 * (stepChild.ts), as every step is its own Lambda on AWS, and every shard of a `perShard` step its own process as in
 * the Distributed Map. A step's figures are then its own, not what earlier steps of the same process still hold.
 * From two or more sizes it prints the budget table (stepBudget.ts): the memory each step needs at 10^4 .. 10^6
 * accounts against its declared Lambda memory. Figures are written to `.bench/isolated-<N>.json`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDbEngine } from '../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { dailyPipeline } from '../../shared/pipeline/declarations.ts';
import { shardManifestKey } from '../../shared/pipeline/perShard.ts';
import { runFolderName, stagingPrefix } from '../../shared/pipeline/runFolder.ts';
import { skipReason } from '../../shared/pipeline/runIf.ts';
import { inferAsOf, moveStagedRun, openLocalPorts } from '../../shared/pipeline/runLocal.ts';
import { readShardManifest } from '../../shared/pipeline/steps/scoreShards.ts';
import type { RunState } from '../../shared/pipeline/types.ts';
import { benchSample } from './pipeline.ts';
import {
  type BudgetRow,
  budgetCells,
  budgetTable,
  declaredMemory,
  type StepSample,
} from './stepBudget.ts';
import type { StepRequest, StepResult } from './stepChild.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One step of an isolated run (a perShard step: the largest shard's memory, the sum of the shards' times). */
export interface IsolatedStep extends StepSample {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly snapshotSeconds: number;
  readonly shards?: number;
}

/** Runs one step (or one shard) in a child process and returns its result. */
function runChild(req: StepRequest, dir: string): StepResult {
  const requestFile = join(dir, 'request.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(requestFile, JSON.stringify(req));
  rmSync(resultFile, { force: true });
  const res = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(ROOT, 'test/bench/stepChild.ts'),
      requestFile,
      resultFile,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (res.status !== 0 || !existsSync(resultFile))
    throw new Error(
      `step ${req.step}${req.state.shard ? ` (${req.state.shard})` : ''} failed:\n${res.stderr}`,
    );
  return JSON.parse(readFileSync(resultFile, 'utf8')) as StepResult;
}

/** The daily pipeline on `data` with one process per step; returns each step's figures. */
export async function runIsolated(
  accounts: number,
  data: string,
  workDir: string,
  memoryLimit?: string,
): Promise<IsolatedStep[]> {
  const out = join(workDir, `iso-out-${accounts}`);
  const snapshot = join(workDir, `iso-snap-${accounts}`);
  const tmp = join(workDir, `iso-tmp-${accounts}`);
  for (const d of [out, snapshot, tmp]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
  }
  const config = parseConfig(memoryLimit ? { engine: { memoryLimit } } : {});
  const ports = await openLocalPorts(data, out, config);
  const asOf = await inferAsOf(data, ports.query as DuckDbEngine).finally(() =>
    ports.query.close(),
  );
  const runId = `isolated-${accounts}`;
  const folder = runFolderName(dailyPipeline.name, asOf);
  let state: RunState = { asOf, runId, runPrefix: `runs/${folder}/`, steps: {} };
  const staged = new FolderStore(join(out, ...stagingPrefix(runId).split('/')));
  const figures: IsolatedStep[] = [];
  for (const step of dailyPipeline.steps) {
    const base = { input: data, out, memoryLimit, step: step.name, snapshot };
    if (skipReason(step, state)) {
      state = runChild({ ...base, state }, tmp).state;
      continue;
    }
    const shards = step.perShard
      ? await readShardManifest(staged, shardManifestKey(step, state))
      : [undefined];
    const results = shards.map((shard) => runChild({ ...base, state: { ...state, shard } }, tmp));
    const sum = (f: (r: StepResult) => number): number => results.reduce((s, r) => s + f(r), 0);
    const max = (f: (r: StepResult) => number): number => Math.max(...results.map(f));
    const figure: IsolatedStep = {
      step: step.name,
      accounts,
      wallSeconds: sum((r) => r.wallSeconds),
      cpuSeconds: sum((r) => r.cpuSeconds),
      peakRssMb: max((r) => r.peakRssMb),
      startRssMb: max((r) => r.startRssMb),
      peakJsMb: max((r) => r.peakJsMb),
      snapshotSeconds: sum((r) => r.snapshotSeconds),
      ...(step.perShard ? { shards: shards.length } : {}),
    };
    figures.push(figure);
    const last = results[results.length - 1] as StepResult;
    const output = step.perShard
      ? { shards: shards.length, elapsedMs: Math.round(figure.wallSeconds * 1000) }
      : last.state.steps[step.name];
    state = { ...state, steps: { ...state.steps, [step.name]: output ?? {} } };
    console.error(
      `${accounts} isolated ${step.name}: ${figure.wallSeconds.toFixed(1)} s, peak RSS ${Math.round(figure.peakRssMb)} MB, JS ${Math.round(figure.peakJsMb)} MB`,
    );
  }
  await moveStagedRun(out, runId, folder);
  rmSync(snapshot, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(workDir, `isolated-${accounts}.json`), JSON.stringify(figures, null, 1));
  return figures;
}

/** Runs the isolated bench at each size (generating `workDir/data-N` when missing) and prints the tables. */
export async function runIsolatedBench(
  sizes: readonly number[],
  workDir: string,
  memoryLimit?: string,
): Promise<BudgetRow[]> {
  const all: IsolatedStep[] = [];
  for (const n of sizes) {
    const data = await benchSample(workDir, n);
    const rows = await runIsolated(n, data, workDir, memoryLimit);
    all.push(...rows);
    console.log(
      `\n${n} accounts, every step in its own process (a perShard step: its largest shard)`,
    );
    console.table(
      rows.map((r) => ({
        step: r.step,
        'wall s': Number(r.wallSeconds.toFixed(1)),
        'CPU s': Number(r.cpuSeconds.toFixed(1)),
        'start RSS MB': Math.round(r.startRssMb),
        'peak RSS MB': Math.round(r.peakRssMb),
        'peak JS MB': Math.round(r.peakJsMb),
        'view copy s': Number(r.snapshotSeconds.toFixed(1)),
        ...(r.shards ? { shards: r.shards } : {}),
      })),
    );
    const wall = rows.reduce((s, r) => s + r.wallSeconds, 0);
    console.log(`sum of the steps: ${wall.toFixed(1)} s wall`);
  }
  const budget = budgetTable(all, declaredMemory(dailyPipeline.steps));
  if (new Set(sizes).size >= 2) {
    console.log(
      '\n== memory per step, projected by a least-squares line over the measured sizes (MB at 10^4 / 10^5 / 10^6 accounts; the JS peak is uncapped, what V8 took with memory free: --heap-need measures what a step needs)',
    );
    console.table(
      budget.map((b) => ({
        step: b.step,
        'peak RSS (DuckDB incl.)': b.rssMb.map((v) => Math.round(v)).join(' / '),
        ...budgetCells(b, 'Lambda (start + uncapped JS)'),
      })),
    );
  }
  return budget;
}
