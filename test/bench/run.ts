/**
 * `npm run bench`: prints speed and memory figures (never asserted by a unit test).
 *   npm run bench                  all benches
 *   npm run bench -- pipeline      the local daily pipeline on 1,000 and 10,000 generated accounts
 *   npm run bench -- --accounts N  the pipeline on N accounts (or N,M,...): per step wall time and peak RSS
 *                                  (reuses .bench/data-N; add --memory-limit 2GB, --runs 1)
 *   npm run bench -- models        forest training (1k / 10k / 100k), scoring 1M rows, baselines, k-means
 *   npm run bench -- backfill      10 months of weekly history for 10,000 accounts
 *   add --compare-ml to time ml-random-forest at 1k and 10k too (about 5 minutes)
 *   npm run bench -- evaluate      known-answer evaluation of every world (1,000 accounts each; only when named)
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runBackfillBench } from './backfill.ts';
import { evaluationTable, runEvaluationBench } from './evaluate.ts';
import { runModelBench } from './models.ts';
import { runPipelineBench } from './pipeline.ts';

/** The value after a `--name` argument, if any. */
const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flagValues = new Set(
  ['--accounts', '--memory-limit', '--runs'].map(flag).filter((v) => v !== undefined),
);
const which = new Set(
  process.argv.slice(2).filter((a) => !a.startsWith('-') && !flagValues.has(a)),
);
const accounts = flag('--accounts');
if (accounts) which.add('pipeline');
const all = which.size === 0;
const work = resolve(import.meta.dirname, '..', '..', '.bench');
mkdirSync(work, { recursive: true });

if (all || which.has('pipeline')) {
  const sizes = accounts ? accounts.split(',').map(Number) : [1000, 10000];
  const rows = await runPipelineBench(sizes, work, {
    memoryLimit: flag('--memory-limit'),
    runs: flag('--runs') ? Number(flag('--runs')) : undefined,
  });
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
  console.log(
    '\n== evaluation vs known-answer worlds (1,000 accounts each; forecast - best reference with paired bootstrap 95%)',
  );
  console.table(evaluationTable(await runEvaluationBench(work)));
}
