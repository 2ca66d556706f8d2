/**
 * Bench of the local daily pipeline: wall time and peak memory of `cvs run` on generated samples. Each measured run
 * is a separate Node process (so peak RSS is that run's own), on a fresh output folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSample } from '../../shared/generate/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One measured pipeline run. */
export interface PipelineBenchRow {
  accounts: number;
  run: string;
  wallSeconds: number;
  peakRssMb: number;
}

const CHILD = `
const { runLocalPipeline } = await import(${JSON.stringify(join(ROOT, 'shared/pipeline/runLocal.ts'))});
const { parseConfig } = await import(${JSON.stringify(join(ROOT, 'shared/config/load.ts'))});
const [input, out] = process.argv.slice(-2);
const t0 = performance.now();
await runLocalPipeline({ input, out, config: parseConfig({}) });
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ wall, maxRssKb: process.resourceUsage().maxRSS }));
`;

/** Runs the daily pipeline in a child process and returns its wall time and peak RSS. */
function measure(input: string, out: string): { wall: number; maxRssKb: number } {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, '--', input, out],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`pipeline run failed:\n${res.stderr}`);
  const last = res.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last);
}

/** Generates (or reuses) samples of the given sizes and measures a first run (fresh output) and a re-run. */
export async function runPipelineBench(
  sizes: readonly number[],
  workDir: string,
): Promise<PipelineBenchRow[]> {
  const rows: PipelineBenchRow[] = [];
  for (const n of sizes) {
    const data = join(workDir, `data-${n}`);
    if (!existsSync(join(data, '_generator.json'))) {
      const t0 = performance.now();
      await generateSample({ outDir: data, accounts: n, seed: 42 });
      console.error(`generated ${n} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const out = join(workDir, `out-${n}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const run of ['first run (fresh output)', 're-run (same as-of)']) {
      const m = measure(data, out);
      rows.push({ accounts: n, run, wallSeconds: m.wall, peakRssMb: m.maxRssKb / 1024 });
    }
  }
  return rows;
}
