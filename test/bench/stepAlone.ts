/**
 * One step of the daily pipeline measured alone, again and again, on a run prepared once (a measuring tool, not a
 * test):
 *
 *   tsx test/bench/stepAlone.ts prepare DATA WORK [--through STEP] [--from STEP] [--lock FILE]
 *       runs the daily steps in order, each in a process of its own (stepChild.ts, as `npm run bench -- --isolated`),
 *       keeping the run state before every step in WORK/state/<step>.json; `--from` continues a prepared run.
 *   tsx test/bench/stepAlone.ts step DATA WORK STEP [--lock FILE] [--cpu-prof DIR] [--heap-cap MB]
 *       runs STEP again alone on the prepared run (its state from WORK/state/<step>.json), first removing what the
 *       step wrote there last time when a re-run would otherwise differ from the first one (predict-high-value: the
 *       model registry, so the first model is trained again, and its deliverables); `--heap-cap` runs it with
 *       `--max-old-space-size=MB`.
 *   tsx test/bench/stepAlone.ts need DATA WORK STEP --accounts N [--lock FILE]
 *       what STEP needs when V8 must collect its garbage: runs it under shrinking heap caps until one fails
 *       (`measureHeapNeed`; `npm run bench -- --accounts N,M --heap-need` runs it for every JS step at each size).
 *
 * Either prints each step's wall and CPU time, peak RSS and JS peak (the step only, as stepChild.ts measures it) and
 * every engine call of the step that took 50 ms or more: wall ms, the process's CPU ms during the call (DuckDB's
 * threads included), and the first 150 characters of its SQL. The calls are logged by wrapping the DuckDB engine's
 * methods in the child process. `--lock FILE` runs every child under `flock FILE` (a machine's shared measurement
 * lock); `--cpu-prof DIR` writes a V8 CPU profile of the child there (open it in Chrome DevTools).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDbEngine } from '../../shared/adapters/local/duckdbEngine.ts';
import { dailyPipeline } from '../../shared/pipeline/declarations.ts';
import { runFolderName, stagingPrefix } from '../../shared/pipeline/runFolder.ts';
import { inferAsOf, openLocalPorts } from '../../shared/pipeline/runLocal.ts';
import type { RunState } from '../../shared/pipeline/types.ts';
import { type HeapNeed, type HeapTrial, heapNeed } from './stepBudget.ts';
import { runStepChild, type StepRequest, type StepResult } from './stepChild.ts';

/** `need`: each trial's cap is this share of the last (about 8 trials from the uncapped peak to a quarter of it). */
const NEED_FACTOR = 0.85;
/** `need`: no cap below this, MB. */
const NEED_MIN_MB = 48;
/** `need`: a trial slower than this many times the uncapped run (plus a minute) counts as failed (GC thrash). */
const NEED_SLOWDOWN = 4;

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One logged engine call. */
interface CallLog {
  readonly method: string;
  readonly ms: number;
  readonly cpuMs: number;
  readonly sql: string;
}

const LOGGED = [
  'query',
  'execute',
  'exportTo',
  'createTable',
  'storeRows',
  'storeView',
  'csvToParquet',
  'describe',
] as const;

/** Wraps the engine's methods so that every call appends its timing to `logFile` (JSON lines). */
function logEngineCalls(logFile: string): void {
  const proto = DuckDbEngine.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  let depth = 0; // only the outermost call is logged (exportTo runs a query, ...)
  for (const name of LOGGED) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      depth++;
      try {
        return await original.apply(this, args);
      } finally {
        depth--;
        const c = process.cpuUsage(c0);
        const first = args.find((a) => typeof a === 'string') as string | undefined;
        const entry: CallLog = {
          method: name,
          ms: performance.now() - t0,
          cpuMs: (c.user + c.system) / 1000,
          sql: (first ?? '').replace(/\s+/g, ' ').slice(0, 150),
        };
        if (depth === 0) writeFileSync(logFile, `${JSON.stringify(entry)}\n`, { flag: 'a' });
      }
    };
  }
}

/** Runs one step in a child process with its engine calls logged; returns its result and calls. */
function runLogged(
  req: StepRequest,
  work: string,
  opts: { lock?: string; cpuProf?: string; heapCapMb?: number; timeoutMs?: number } = {},
): { result: StepResult; calls: CallLog[] } {
  const requestFile = join(work, 'request.json');
  const resultFile = join(work, 'result.json');
  const logFile = join(work, 'calls.jsonl');
  writeFileSync(requestFile, JSON.stringify(req));
  for (const f of [resultFile, logFile]) rmSync(f, { force: true });
  const node = [
    process.execPath,
    '--expose-gc',
    ...(opts.heapCapMb ? [`--max-old-space-size=${opts.heapCapMb}`] : []),
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : []),
    '--import',
    'tsx',
    join(ROOT, 'test/bench/stepAlone.ts'),
    'child',
    requestFile,
    resultFile,
    logFile,
  ];
  const [cmd, ...args] = opts.lock ? ['flock', opts.lock, ...node] : node;
  const res = spawnSync(cmd as string, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (res.status !== 0 || !existsSync(resultFile))
    throw new Error(`step ${req.step} failed:\n${res.stderr}`);
  const calls = existsSync(logFile)
    ? readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CallLog)
    : [];
  return { result: JSON.parse(readFileSync(resultFile, 'utf8')) as StepResult, calls };
}

/**
 * Removes what an earlier run of `step` on this prepared run left that would make the next run differ from the first:
 * predict-high-value finds a champion in the model registry and skips training, and its deliverables in the staged
 * run folder.
 */
function forgetLastRun(out: string, state: RunState, step: string): void {
  if (step !== 'predict-high-value') return;
  rmSync(join(out, 'models'), { recursive: true, force: true });
  const staged = join(out, ...stagingPrefix(state.runId).split('/'));
  for (const f of [
    'parts/high_value.csv',
    'high_value_stacking.csv',
    'hv_predictions_testset.csv',
    'feature_importances.csv',
    'model_metrics.json',
    'model_card.md',
  ])
    rmSync(join(staged, f), { force: true });
}

function print(step: string, calls: readonly CallLog[], r: StepResult): void {
  console.log(
    `\n== ${step}: ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} CPU s, peak RSS ${Math.round(r.peakRssMb)} MB, JS ${Math.round(r.peakJsMb)} MB (view copy ${r.snapshotSeconds.toFixed(1)} s)`,
  );
  for (const c of calls)
    if (c.ms >= 50)
      console.log(
        `${(c.ms / 1000).toFixed(2).padStart(7)} s ${(c.cpuMs / 1000).toFixed(2).padStart(7)} cpu  ${c.method}: ${c.sql}`,
      );
}

/** What the prepare / step / need modes take besides DATA and WORK. */
export interface AloneOptions {
  readonly lock?: string;
  readonly cpuProf?: string;
}

const paths = (work: string) => ({
  out: join(work, 'out'),
  snapshot: join(work, 'snap'),
  stateDir: join(work, 'state'),
});

/**
 * `prepare`: runs the daily steps in order, each in a process of its own, keeping the run state before every step
 * in WORK/state/<step>.json; stops after `through`, or before the first perShard step. `from` continues a prepared
 * run. `quiet` prints one line a step instead of its engine calls.
 */
export async function prepareRun(
  data: string,
  work: string,
  opts: AloneOptions & { from?: string; through?: string; quiet?: boolean } = {},
): Promise<void> {
  const { out, snapshot, stateDir } = paths(work);
  const { from, through } = opts;
  let state: RunState;
  if (from) {
    state = JSON.parse(readFileSync(join(stateDir, `${from}.json`), 'utf8')) as RunState;
  } else {
    for (const d of [out, snapshot, stateDir]) {
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d, { recursive: true });
    }
    const ports = await openLocalPorts(data, out);
    const asOf = await inferAsOf(data, ports.query as DuckDbEngine).finally(() =>
      ports.query.close(),
    );
    state = {
      asOf,
      runId: 'step-queries',
      runPrefix: `runs/${runFolderName(dailyPipeline.name, asOf)}/`,
      steps: {},
    };
  }
  let started = from === undefined;
  const steps = dailyPipeline.steps;
  for (const [i, step] of steps.entries()) {
    if (step.name === from) started = true;
    if (!started) continue;
    if (step.perShard) break;
    writeFileSync(join(stateDir, `${step.name}.json`), JSON.stringify(state));
    const { result, calls } = runLogged(
      { input: data, out, step: step.name, state, snapshot },
      work,
      opts,
    );
    print(step.name, opts.quiet ? [] : calls, result);
    state = result.state;
    const next = steps[i + 1];
    if (next) writeFileSync(join(stateDir, `${next.name}.json`), JSON.stringify(state));
    if (step.name === through) break;
  }
}

/**
 * `need`: on a prepared run, runs `step` once without a heap cap, then again under V8 heap caps
 * (`--max-old-space-size`) that shrink by NEED_FACTOR from the uncapped JS peak, until one fails (out of heap, or
 * NEED_SLOWDOWN times slower: garbage-collection thrash). Returns the figures under the smallest cap that completed
 * (`heapNeed`) and records them in WORK/need.json.
 */
export function measureHeapNeed(
  data: string,
  work: string,
  step: string,
  accounts: number,
  opts: AloneOptions = {},
): HeapNeed {
  const { out, snapshot, stateDir } = paths(work);
  const state = JSON.parse(readFileSync(join(stateDir, `${step}.json`), 'utf8')) as RunState;
  const once = (heapCapMb?: number, timeoutMs?: number): StepResult | null => {
    forgetLastRun(out, state, step);
    try {
      return runLogged({ input: data, out, step, state, snapshot }, work, {
        ...opts,
        heapCapMb,
        timeoutMs,
      }).result;
    } catch {
      return null;
    }
  };
  const free = once();
  if (!free) throw new Error(`${step} failed without a heap cap`);
  const trials: HeapTrial[] = [];
  let cap = Math.ceil(free.peakJsMb);
  for (;;) {
    cap = Math.floor(cap * NEED_FACTOR);
    if (cap < NEED_MIN_MB) break;
    const r = once(cap, Math.round(free.wallSeconds * 1000 * NEED_SLOWDOWN + 60_000));
    trials.push({ capMb: cap, ok: r !== null, ...(r ? { result: r } : {}) });
    console.log(
      r
        ? `${accounts} ${step} --max-old-space-size=${cap}: ok, ${r.wallSeconds.toFixed(1)} s, JS ${Math.round(r.peakJsMb)} MB, RSS ${Math.round(r.peakRssMb)} MB`
        : `${accounts} ${step} --max-old-space-size=${cap}: failed (out of heap, or over ${NEED_SLOWDOWN}x the uncapped time + 60 s)`,
    );
    if (!r) break;
  }
  const need = heapNeed(accounts, step, free, trials);
  const file = join(work, 'need.json');
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HeapNeed[]) : [];
  writeFileSync(file, JSON.stringify([...all.filter((n) => n.step !== step), need], null, 1));
  // the last trial may have failed: run the step once more so the prepared run holds its outputs
  if (trials.some((t) => !t.ok)) once();
  return need;
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'child') {
    const [requestFile, resultFile, logFile] = rest;
    logEngineCalls(logFile);
    await runStepChild(requestFile, resultFile);
    return;
  }
  const [data, workArg, stepArg] = rest;
  const work = resolve(workArg);
  const flag = (n: string) => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const { out, snapshot, stateDir } = paths(work);
  const cpuProf = flag('--cpu-prof');
  const opts = { lock: flag('--lock'), cpuProf: cpuProf ? resolve(cpuProf) : undefined };
  if (mode === 'prepare') {
    await prepareRun(data, work, { ...opts, from: flag('--from'), through: flag('--through') });
    return;
  }
  const heapCap = flag('--heap-cap');
  if (mode === 'step' && stepArg) {
    const state = JSON.parse(readFileSync(join(stateDir, `${stepArg}.json`), 'utf8')) as RunState;
    forgetLastRun(out, state, stepArg);
    const { result, calls } = runLogged(
      { input: data, out, step: stepArg, state, snapshot },
      work,
      { ...opts, heapCapMb: heapCap ? Number(heapCap) : undefined },
    );
    print(stepArg, calls, result);
    return;
  }
  if (mode === 'need' && stepArg) {
    const accounts = Number(flag('--accounts'));
    if (!Number.isInteger(accounts) || accounts <= 0)
      throw new Error('need: --accounts N is required');
    console.log(JSON.stringify(measureHeapNeed(data, work, stepArg, accounts, opts)));
    return;
  }
  throw new Error(
    'usage: stepAlone.ts prepare DATA WORK [--through S] [--from S] [--lock F] | step DATA WORK STEP [--lock F] [--cpu-prof DIR] [--heap-cap MB] | need DATA WORK STEP --accounts N [--lock F]',
  );
}

if (process.argv[1]?.endsWith('stepAlone.ts')) await main();
