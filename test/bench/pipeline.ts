/**
 * Bench of the local daily pipeline: wall time and peak memory of `cvs run` on generated samples, for the whole run
 * and per step. Each measured run is a separate Node process (so peak RSS is that run's own), on a fresh output
 * folder. A step's peak RSS is read from the kernel's high-water mark (VmHWM), reset when the step starts, so it is
 * that step's own peak (JS heap, DuckDB and native memory alike); where the reset is not possible (not Linux), it is
 * the run's peak so far.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSample } from '../../shared/generate/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One step of a measured run. */
export interface StepFigure {
  step: string;
  wallSeconds: number;
  /** CPU time of the process (all threads, user + system): the figure to read on a busy machine. */
  cpuSeconds: number;
  peakRssMb: number;
}

/** One measured pipeline run. */
export interface PipelineBenchRow {
  accounts: number;
  run: string;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  steps: StepFigure[];
}

const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
const { runLocalPipeline } = await import(${JSON.stringify(join(ROOT, 'shared/pipeline/runLocal.ts'))});
const { parseConfig } = await import(${JSON.stringify(join(ROOT, 'shared/config/load.ts'))});
const [input, out, memoryLimit] = process.argv.slice(-3);
const hwmKb = () => {
  try {
    const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : process.resourceUsage().maxRSS;
  } catch { return process.resourceUsage().maxRSS; }
};
const resetHwm = () => { try { writeFileSync('/proc/self/clear_refs', '5'); } catch {} };
const cpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const steps = [];
let current = null;
const log = (m) => {
  const start = /^\\[\\d+\\/\\d+\\] ([a-z0-9-]+): (?!skipped)/.exec(m);
  if (start) { resetHwm(); current = { step: start[1], t0: performance.now(), c0: cpuS() }; return; }
  if (current && /^\\s+done in /.test(m)) {
    steps.push({ step: current.step, wallSeconds: (performance.now() - current.t0) / 1000, cpuSeconds: cpuS() - current.c0, peakRssMb: hwmKb() / 1024 });
    current = null;
  }
};
const config = parseConfig(memoryLimit === '-' ? {} : { engine: { memoryLimit } });
const t0 = performance.now();
await runLocalPipeline({ input, out, config, log });
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ wall, cpu: cpuS(), maxRssKb: process.resourceUsage().maxRSS, steps }));
`;

/** Runs the daily pipeline in a child process and returns its wall time, peak RSS and per-step figures. */
function measure(
  input: string,
  out: string,
  memoryLimit: string | undefined,
): { wall: number; cpu: number; maxRssKb: number; steps: StepFigure[] } {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, '--', input, out, memoryLimit ?? '-'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`pipeline run failed:\n${res.stderr}`);
  const last = res.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last);
}

/** The bench's generated sample of `n` accounts, `workDir/data-<n>` (seed 42), generated once and reused. */
export async function benchSample(workDir: string, n: number): Promise<string> {
  const data = join(workDir, `data-${n}`);
  if (!existsSync(join(data, '_generator.json'))) {
    const t0 = performance.now();
    await generateSample({ outDir: data, accounts: n, seed: 42 });
    console.error(`generated ${n} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return data;
}

/** Options of the pipeline bench. */
export interface PipelineBenchOptions {
  /** Runs per size: the first on a fresh output folder, the others re-runs of the same as-of. @default 2 */
  readonly runs?: number;
  /** DuckDB memory limit of the runs. @default the engine's default */
  readonly memoryLimit?: string;
}

/**
 * Generates (or reuses `workDir/data-<n>`) samples of the given sizes and measures a first run (fresh output) and
 * re-runs; the figures of each run are printed as soon as it ends.
 */
export async function runPipelineBench(
  sizes: readonly number[],
  workDir: string,
  opts: PipelineBenchOptions = {},
): Promise<PipelineBenchRow[]> {
  const rows: PipelineBenchRow[] = [];
  for (const n of sizes) {
    const data = await benchSample(workDir, n);
    const out = join(workDir, `out-${n}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (let i = 0; i < (opts.runs ?? 2); i++) {
      const run = i === 0 ? 'first run (fresh output)' : 're-run (same as-of)';
      const m = measure(data, out, opts.memoryLimit);
      const row = {
        accounts: n,
        run,
        wallSeconds: m.wall,
        cpuSeconds: m.cpu,
        // resetting VmHWM per step also resets what getrusage reports as maxRSS, so the run's peak is the largest
        // of the steps' peaks (and of maxRSS, which covers the time since the last reset)
        peakRssMb: Math.max(m.maxRssKb / 1024, ...m.steps.map((s) => s.peakRssMb)),
        steps: m.steps,
      };
      rows.push(row);
      printRun(row);
    }
  }
  return rows;
}

/** Prints one run's per-step table. */
export function printRun(r: PipelineBenchRow): void {
  console.log(
    `\n${r.accounts} accounts, ${r.run}: ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, peak RSS ${Math.round(r.peakRssMb)} MB`,
  );
  console.table(
    r.steps.map((s) => ({
      step: s.step,
      'wall s': Number(s.wallSeconds.toFixed(1)),
      'CPU s': Number(s.cpuSeconds.toFixed(1)),
      'peak RSS MB': Math.round(s.peakRssMb),
    })),
  );
}
