/**
 * `npm run bench`: prints speed and memory figures (never asserted by a unit test).
 *   npm run bench                  all benches
 *   npm run bench -- pipeline      the local daily pipeline on 1,000 and 10,000 generated accounts
 *   npm run bench -- --accounts N  the pipeline on N accounts (or N,M,...): per step wall time and peak RSS
 *                                  (reuses .bench/data-N; add --memory-limit 2GB, --runs 1)
 *   npm run bench -- --accounts N,M --isolated   every step in a process of its own (as in Lambda), and from two
 *                                  or more sizes the memory each step needs at 10^4 .. 10^6 accounts
 *   npm run bench -- --accounts N,M --heap-need  what each JS step needs under a V8 heap cap (as in a Lambda), at
 *                                  each size and projected to 10^6 accounts (heapNeed.ts)
 *   npm run bench -- models        forest training (1k / 10k / 100k), scoring 1M rows, baselines, k-means
 *   npm run bench -- backfill      10 months of weekly history for 10,000 accounts
 *   npm run bench -- score-store   DynamoDB score-store writes of 100,000 items (mocked client, injected throttling)
 *   npm run bench -- score-shards  the same write path as a run in shards (10,000 accounts, writers sharing a table)
 *   npm run bench -- segments --run OUT/runs/<as-of>   k-means value segments vs value tiers of a finished run
 *   add --compare-ml to time ml-random-forest at 1k and 10k too (about 5 minutes)
 *   npm run bench -- evaluate      known-answer evaluation of every world (1,000 accounts each; only when named)
 *                                  (add --history-days N for N days of history, --worlds a,b for some worlds only,
 *                                  --eval-accounts N for N accounts per world, --seed S for another draw than 42)
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { referenceBars } from '../../shared/evaluate/bars.ts';
import { runBackfillBench } from './backfill.ts';
import { barsMarkdown, evaluationMarkdown, runEvaluationBench } from './evaluate.ts';
import { runHeapNeedBench } from './heapNeed.ts';
import { runIsolatedBench } from './isolated.ts';
import { runModelBench } from './models.ts';
import { runPipelineBench } from './pipeline.ts';
import { runScoreStoreBench, runShardedScoreStoreBench } from './scoreStore.ts';
import { runValueTierBench } from './valueTiers.ts';

/** The value after a `--name` argument, if any. */
const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flagValues = new Set(
  [
    '--accounts',
    '--memory-limit',
    '--runs',
    '--run',
    '--history-days',
    '--worlds',
    '--eval-accounts',
    '--seed',
    '--lock',
  ]
    .map(flag)
    .filter((v) => v !== undefined),
);
const which = new Set(
  process.argv.slice(2).filter((a) => !a.startsWith('-') && !flagValues.has(a)),
);
const accounts = flag('--accounts');
if (accounts) which.add('pipeline');
const all = which.size === 0;
const work = resolve(import.meta.dirname, '..', '..', '.bench');
mkdirSync(work, { recursive: true });

const rowsOfPipeline: Awaited<ReturnType<typeof runPipelineBench>> = [];
const isolated = process.argv.includes('--isolated');
const heapNeed = process.argv.includes('--heap-need');
if (heapNeed) {
  const sizes = accounts ? accounts.split(',').map(Number) : [10_000, 30_000];
  await runHeapNeedBench(sizes, work, { lock: flag('--lock') });
} else if (isolated) {
  const sizes = accounts ? accounts.split(',').map(Number) : [10_000, 30_000];
  await runIsolatedBench(sizes, work, flag('--memory-limit'));
} else if (all || which.has('pipeline')) {
  const sizes = accounts ? accounts.split(',').map(Number) : [1000, 10000];
  const rows = await runPipelineBench(sizes, work, {
    memoryLimit: flag('--memory-limit'),
    runs: flag('--runs') ? Number(flag('--runs')) : undefined,
  });
  rowsOfPipeline.push(...rows);
  console.log(
    '\n== cvs run (local daily pipeline) — targets: 1,000 accounts < 10 s, 10,000 < 40 s, 100,000 < 5 min and < 4 GB peak RSS',
  );
  console.table(
    rows.map((r) => ({
      accounts: r.accounts,
      run: r.run,
      'wall s': Number(r.wallSeconds.toFixed(1)),
      'CPU s': Number(r.cpuSeconds.toFixed(1)),
      'peak RSS MB': Math.round(r.peakRssMb),
    })),
  );
}

if (rowsOfPipeline.length) {
  // issue 13: what the visitor-level champions (SQL) and the change comparison add to a run
  for (const r of rowsOfPipeline) {
    const added = r.steps.filter((s) => ['visitor-champions', 'account-changes'].includes(s.step));
    const secs = added.reduce((t, s) => t + s.wallSeconds, 0);
    console.log(
      `${r.accounts} accounts (${r.run}): ${added.map((s) => `${s.step} ${s.wallSeconds.toFixed(1)} s, ${Math.round(s.peakRssMb)} MB`).join('; ')} = ${secs.toFixed(1)} s of ${r.wallSeconds.toFixed(1)} s`,
    );
  }
}

if (which.has('segments')) {
  const runDir = flag('--run');
  if (!runDir) throw new Error('bench segments needs --run OUT/runs/<as-of>');
  console.log(
    '\n== value segments: k-means (value_segment) vs tiers cut on the value index (value_tier)',
  );
  console.table(await runValueTierBench(resolve(runDir)));
}

if (all || which.has('models')) {
  console.log(
    '\n== models — targets: 100k accounts x 25 features x 100 trees <= 60 s on one core; 1M rows scored <= 30 s',
  );
  await runModelBench({ compareMl: process.argv.includes('--compare-ml'), jobs: [1] });
}

if (all || which.has('backfill')) {
  console.log('\n== backfill — target: 10 months weekly for 10,000 accounts < 120 s');
  console.log(await runBackfillBench({ accounts: 10_000 }));
}

if (which.has('evaluate')) {
  const historyDays = flag('--history-days') ? Number(flag('--history-days')) : undefined;
  const worlds = flag('--worlds')?.split(',');
  const evalAccounts = Number(flag('--eval-accounts') ?? 1000);
  const seed = Number(flag('--seed') ?? 42);
  console.log(
    `\n== evaluation vs known-answer worlds (${evalAccounts.toLocaleString('en-US')} accounts each, seed ${seed}, ${historyDays === undefined ? '10 months' : `${historyDays} days`} of history; forecast - best reference with paired bootstrap 95%)`,
  );
  const rows = await runEvaluationBench(work, evalAccounts, worlds, historyDays, seed);
  console.log(evaluationMarkdown(rows));
  console.log(
    "\n== issue 10's bars per world (interval upper bound >= 0 = at least; lower bound > 0 = strictly above)",
  );
  console.log(barsMarkdown(rows));
  console.log(
    "\n== the same thresholds read off the truth-trained references (diagnostics that use the truth: what the run's features allow a learner that knows the true label)",
  );
  console.log(barsMarkdown(rows, referenceBars));
}

if (all || which.has('score-store')) {
  console.log(
    '\n== score store (DynamoDB write path, mocked client) — 50,000 accounts = 100,000 items; target: 2 M items within a 15-minute Lambda',
  );
  const rows = await runScoreStoreBench(50_000, [
    { name: 'no throttling, 10 ms per call', latencyMs: 10 },
    { name: 'no throttling, 25 ms per call', latencyMs: 25 },
    { name: 'throttled to 4,000 items/s, 10 ms', latencyMs: 10, itemsPerSecond: 4000 },
    { name: 'throttled to 1,000 items/s, 10 ms', latencyMs: 10, itemsPerSecond: 1000 },
  ]);
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      items: r.items,
      s: Number(r.seconds.toFixed(1)),
      'items/s': Math.round(r.itemsPerSecond),
      'throttled calls': r.throttledCalls,
      'unprocessed items': r.unprocessedItems,
      outcome: r.outcome.slice(0, 90),
      'min for 2 M items': r.minutesFor2M === null ? 'n/a' : Number(r.minutesFor2M.toFixed(1)),
      'CPU min for 2 M': Number(r.cpuMinutesFor2M.toFixed(1)),
    })),
  );
}

if (all || which.has('score-shards')) {
  console.log(
    '\n== score store in shards (mocked table shared by the shard writers) — 10,000 accounts = 20,000 items, shards of 2,500 accounts',
  );
  const rows = await runShardedScoreStoreBench(10_000, 2_500, [
    { name: 'no throttling, 10 ms, 1 at once', latencyMs: 10, concurrency: 1 },
    { name: 'no throttling, 10 ms, 4 at once', latencyMs: 10, concurrency: 4 },
    {
      name: 'throttled to 1,000 items/s, 1 at once',
      latencyMs: 10,
      itemsPerSecond: 1000,
      concurrency: 1,
    },
    {
      name: 'throttled to 1,000 items/s, 2 at once',
      latencyMs: 10,
      itemsPerSecond: 1000,
      concurrency: 2,
    },
    {
      name: 'throttled to 1,000 items/s, 4 at once',
      latencyMs: 10,
      itemsPerSecond: 1000,
      concurrency: 4,
    },
  ]);
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      shards: r.shards,
      's whole run': Number(r.seconds.toFixed(1)),
      's slowest shard': Number(r.maxShardSeconds.toFixed(1)),
      'items/s per shard': Math.round(r.shardItemsPerSecond),
      'items/s table': Math.round(r.itemsPerSecond),
      'throttled calls': r.throttledCalls,
      outcome: r.outcome.slice(0, 60),
    })),
  );
}
