/**
 * `npm run bench -- --accounts N,M,... --heap-need`: what each JS step of the daily pipeline needs when V8 must
 * collect its garbage, as in a Lambda whose heap is capped (the CDK stack sets `--max-old-space-size` from the
 * function's memory). Without a cap V8 lets the heap grow while the machine has memory, so the isolated bench's JS
 * peak measures what V8 took (garbage included; the same step on the same data gave 1,001 to 1,774 MB at 100,000
 * accounts), not what the step needs.
 *
 * Per size: the run is prepared once (stepAlone.ts `prepareRun`, every step in a process of its own, through
 * publish-scores), then every step of NEED_STEPS is run under shrinking heap caps until one fails
 * (`measureHeapNeed`). From two or more sizes it prints the budget table (stepBudget.ts) over the capped figures.
 * Figures are written to `.bench/heap-need-<N>.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dailyPipeline } from '../../shared/pipeline/declarations.ts';
import { benchSample } from './pipeline.ts';
import { measureHeapNeed, prepareRun } from './stepAlone.ts';
import {
  type BudgetRow,
  budgetCells,
  budgetTable,
  declaredMemory,
  type HeapNeed,
} from './stepBudget.ts';

/**
 * The steps measured: the daily Lambda steps that hold one JS object (or more) per account. validate-inputs (its
 * JS peak is flat, about 100-120 MB from 10,000 to 300,000 accounts: the work is SQL) and the steps after the score
 * store's shards (prepareRun stops there; the isolated bench measures them) are left out.
 */
export const NEED_STEPS = [
  'score-accounts',
  'visitor-champions',
  'predict-high-value',
  'value-trends',
  'account-changes',
  'risk-and-revenue',
  'publish-scores',
] as const;

/** Measures every NEED_STEPS step at each size and prints the per-size figures and the projected budget. */
export async function runHeapNeedBench(
  sizes: readonly number[],
  workDir: string,
  opts: { lock?: string } = {},
): Promise<BudgetRow[]> {
  const all: HeapNeed[] = [];
  for (const n of sizes) {
    const data = await benchSample(workDir, n);
    const work = join(workDir, `need-${n}`);
    await prepareRun(data, work, { ...opts, through: 'publish-scores', quiet: true });
    const needs = NEED_STEPS.map((step) => measureHeapNeed(data, work, step, n, opts));
    writeFileSync(join(workDir, `heap-need-${n}.json`), JSON.stringify(needs, null, 1));
    all.push(...needs);
    console.log(`\n${n} accounts: each step under the smallest V8 heap cap it completed with`);
    console.table(
      needs.map((r) => ({
        step: r.step,
        'uncapped JS MB': Math.round(r.uncappedJsMb),
        'smallest cap MB': r.capMb ?? 'none',
        'failed at MB': r.failedAtMb ?? 'none',
        'JS MB (capped)': Math.round(r.peakJsMb),
        'start RSS MB': Math.round(r.startRssMb),
        'peak RSS MB (capped)': Math.round(r.peakRssMb),
      })),
    );
  }
  const budget = budgetTable(all, declaredMemory(dailyPipeline.steps));
  if (new Set(sizes).size >= 2) {
    console.log(
      '\n== memory per step under a heap cap, projected by a least-squares line (MB at 10^4 / 10^5 / 10^6 accounts)',
    );
    console.table(budget.map((b) => budgetCells(b, 'Lambda (start + JS, capped)')));
  }
  return budget;
}
