/**
 * One step of the daily pipeline measured alone, again and again, on a state prepared once:
 *
 *   npx tsx test/bench/stepAlone.ts prepare --data DIR --work DIR [--step predict-high-value] [--lock FILE]
 *   npx tsx test/bench/stepAlone.ts run --work DIR [--step predict-high-value] [--lock FILE] [--cpu-prof DIR]
 *
 * `prepare` runs the steps before `--step` each in a process of its own (stepChild.ts, as `--isolated` does) into
 * `DIR/out` and keeps the run state in `DIR/state.json`. `run` removes what the step wrote last time (the model
 * registry `out/models/`, so predict-high-value trains its first model again, and the staged run's part and
 * deliverables) and runs the step in a fresh process, printing its wall and CPU time and peak RSS as JSON. With
 * `--lock FILE` every child runs under `flock FILE` (the machine's shared measurement lock).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDbEngine } from '../../shared/adapters/local/duckdbEngine.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { dailyPipeline } from '../../shared/pipeline/declarations.ts';
import { runFolderName, stagingPrefix } from '../../shared/pipeline/runFolder.ts';
import { skipReason } from '../../shared/pipeline/runIf.ts';
import { inferAsOf, openLocalPorts } from '../../shared/pipeline/runLocal.ts';
import type { RunState } from '../../shared/pipeline/types.ts';
import type { StepRequest, StepResult } from './stepChild.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** What `prepare` keeps for `run`. */
interface Prepared {
  input: string;
  out: string;
  snapshot: string;
  state: RunState;
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** Runs one step in a child process (optionally under flock and with --cpu-prof). */
function child(req: StepRequest, tmp: string, lock?: string, cpuProf?: string): StepResult {
  mkdirSync(tmp, { recursive: true });
  const requestFile = join(tmp, 'request.json');
  const resultFile = join(tmp, 'result.json');
  writeFileSync(requestFile, JSON.stringify(req));
  rmSync(resultFile, { force: true });
  const node = [
    process.execPath,
    '--expose-gc',
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []),
    '--import',
    'tsx',
    join(ROOT, 'test/bench/stepChild.ts'),
    requestFile,
    resultFile,
  ];
  const [cmd, ...args] = lock ? ['flock', lock, ...node] : node;
  const res = spawnSync(cmd as string, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (res.status !== 0 || !existsSync(resultFile)) throw new Error(`step ${req.step} failed`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as StepResult;
}

async function prepare(data: string, work: string, stepName: string, lock?: string) {
  const out = join(work, 'out');
  const snapshot = join(work, 'snap');
  for (const d of [out, snapshot]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
  }
  const config = parseConfig({});
  const ports = await openLocalPorts(data, out, config);
  const asOf = await inferAsOf(data, ports.query as DuckDbEngine).finally(() =>
    ports.query.close(),
  );
  const runId = `alone-${Date.now()}`;
  const folder = runFolderName(dailyPipeline.name, asOf);
  let state: RunState = { asOf, runId, runPrefix: `runs/${folder}/`, steps: {} };
  for (const step of dailyPipeline.steps) {
    if (step.name === stepName) break;
    if (step.perShard) throw new Error(`a perShard step (${step.name}) comes first`);
    const req = { input: data, out, step: step.name, snapshot, state };
    const r = child(req, join(work, 'tmp'), lock);
    state = skipReason(step, state)
      ? r.state
      : { ...state, steps: { ...state.steps, [step.name]: r.state.steps[step.name] ?? {} } };
    console.error(`prepared ${step.name}: ${r.wallSeconds.toFixed(1)} s`);
  }
  const prepared: Prepared = { input: data, out, snapshot, state };
  writeFileSync(join(work, 'state.json'), JSON.stringify(prepared, null, 1));
}

function runAlone(work: string, stepName: string, lock?: string, cpuProf?: string) {
  const p = JSON.parse(readFileSync(join(work, 'state.json'), 'utf8')) as Prepared;
  const staged = join(p.out, ...stagingPrefix(p.state.runId).split('/'));
  rmSync(join(p.out, 'models'), { recursive: true, force: true });
  for (const f of [
    'parts/high_value.csv',
    'high_value_stacking.csv',
    'hv_predictions_testset.csv',
    'feature_importances.csv',
    'model_metrics.json',
    'model_card.md',
  ])
    rmSync(join(staged, f), { force: true });
  const r = child(
    { input: p.input, out: p.out, step: stepName, snapshot: p.snapshot, state: p.state },
    join(work, 'tmp'),
    lock,
    cpuProf,
  );
  console.log(
    JSON.stringify({
      step: stepName,
      wallSeconds: r.wallSeconds,
      cpuSeconds: r.cpuSeconds,
      peakRssMb: r.peakRssMb,
      startRssMb: r.startRssMb,
      peakJsMb: r.peakJsMb,
      output: r.state.steps[stepName],
    }),
  );
}

const [mode] = process.argv.slice(2);
const work = resolve(arg('work') ?? '.bench/alone');
const stepName = arg('step', 'predict-high-value') as string;
const lock = arg('lock');
if (mode === 'prepare') await prepare(resolve(arg('data') as string), work, stepName, lock);
else if (mode === 'run') {
  const prof = arg('cpu-prof');
  runAlone(work, stepName, lock, prof ? resolve(prof) : undefined);
} else throw new Error('usage: stepAlone.ts prepare|run --work DIR ...');
