import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { runBackfill } from '../../shared/pipeline/backfill.ts';

/** Options of the backfill bench. */
export interface BackfillBenchOptions {
  /** Accounts in the generated sample. @default 10000 */
  readonly accounts?: number;
}

/** Figures of one backfill bench run (milliseconds and megabytes). */
export interface BackfillBenchResult {
  accounts: number;
  dates: number;
  records: number;
  generateMs: number;
  backfillMs: number;
  peakRssMb: number;
}

/**
 * Generates a sample (10 months of daily metrics to 2024-10-31), then backfills it weekly from the first full
 * month to the last week into a fresh score store, and prints wall time and peak RSS.
 */
export async function runBackfillBench(
  opts: BackfillBenchOptions = {},
): Promise<BackfillBenchResult> {
  const accounts = opts.accounts ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'cvs-backfill-bench-'));
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const input = join(dir, 'sample');
    let t = Date.now();
    await generateSample({ outDir: input, accounts, seed: 42, asOf: '2024-10-31' });
    const generateMs = Date.now() - t;
    t = Date.now();
    const r = await runBackfill({
      input,
      out: join(dir, 'out'),
      from: '2024-01-29',
      to: '2024-10-31',
      everyDays: 7,
      config: parseConfig({}),
    });
    const backfillMs = Date.now() - t;
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    const result = {
      accounts,
      dates: r.written.length,
      records: r.records,
      generateMs,
      backfillMs,
      peakRssMb: Math.round(peak / 1e6),
    };
    console.log(
      `backfill: ${accounts} accounts, ${result.dates} weekly dates, ${result.records} records in ${(backfillMs / 1000).toFixed(1)} s (sample generated in ${(generateMs / 1000).toFixed(1)} s), peak RSS ${result.peakRssMb} MB`,
    );
    return result;
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('backfill.ts')) {
  const n = Number(process.argv[2] ?? 10_000);
  await runBackfillBench({ accounts: n });
}
