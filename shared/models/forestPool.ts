import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ForestWorkerInit, ForestWorkerJob, ForestWorkerResult } from './forestWorker.ts';
import { type BinnedData, type ForestTree, growTree, type TreeGrowth } from './histTree.ts';

/**
 * Source of a bootstrap the worker evaluates. When this module runs as TypeScript (tsx, vitest) the worker
 * registers tsx's ESM hooks first, because Node 20 does not apply the parent's `--import tsx` hooks to a
 * worker's entry file; run as bundled JavaScript it imports `forestWorker.js` beside this file.
 */
function workerBootstrap(): string {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) {
    return `import(${JSON.stringify(new URL('./forestWorker.js', self).href)});`;
  }
  const req = createRequire(self);
  const pkgPath = req.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
  const entry = new URL('./forestWorker.ts', self).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * Grows one tree per seed (tree i with seeds[i]); in this thread when nJobs is 1, else on `nJobs` worker
 * threads that take the next tree as they finish. The result is in seed order whatever nJobs is.
 */
export async function growTrees(
  data: BinnedData,
  growth: TreeGrowth,
  seeds: readonly number[],
  nJobs: number,
): Promise<ForestTree[]> {
  const nWorkers = Math.min(nJobs, seeds.length);
  if (nWorkers <= 1) return seeds.map((seed) => growTree(data, growth, seed));
  const trees: ForestTree[] = new Array(seeds.length);
  const code = workerBootstrap();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const give = (w: Worker): void => {
        if (next >= seeds.length) return;
        const job: ForestWorkerJob = { type: 'tree', index: next, seed: seeds[next] };
        next++;
        w.postMessage(job);
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = new Worker(code, { eval: true });
        workers.push(w);
        w.on('message', (res: ForestWorkerResult) => {
          trees[res.index] = res.tree;
          done++;
          if (done === seeds.length) resolve();
          else give(w);
        });
        w.on('error', reject);
        w.on('exit', (exitCode) => {
          if (done < seeds.length)
            reject(new Error(`forest worker exited early (code ${exitCode})`));
        });
        const init: ForestWorkerInit = { type: 'init', data, growth };
        w.postMessage(init);
        give(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return trees;
}
