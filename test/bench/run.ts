/**
 * `npm run bench`: prints speed and memory figures (never asserted by a unit test).
 *   npm run bench                      all benches
 *   npm run bench -- pipeline          only the local pipeline (1,000 and 10,000 accounts)
 *   npm run bench -- models            only the forest / scoring bench
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runPipelineBench } from './pipeline.ts';

const which = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
const all = which.size === 0;
const work = resolve(import.meta.dirname, '..', '..', '.bench');
mkdirSync(work, { recursive: true });

if (all || which.has('pipeline')) {
  const rows = await runPipelineBench([1000, 10000], work);
  console.log(
    '\n== cvs run (local daily pipeline) — targets: 1,000 accounts < 15 s, 10,000 < 60 s',
  );
  console.table(
    rows.map((r) => ({
      accounts: r.accounts,
      run: r.run,
      'wall s': Number(r.wallSeconds.toFixed(1)),
      'peak RSS MB': Math.round(r.peakRssMb),
    })),
  );
}
