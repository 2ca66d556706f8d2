import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBundling } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/scripts/generateHandlers.ts';

describe('Function: lambdaBundling', () => {
  it('puts forestWorker.js beside the bundle, so a forest with nJobs 2 trains on worker threads from bundled code', async () => {
    // Prepare: bundle an entry that fits a forest with nJobs 2 as NodejsFunction bundles a handler (ESM, index.mjs)
    const out = mkdtempSync(join(tmpdir(), 'cvs-bundle-'));
    try {
      const entry = join(out, 'entry.ts');
      writeFileSync(
        entry,
        `import { fitRandomForest } from ${JSON.stringify(join(REPO_ROOT, 'shared/models/randomForest.ts'))};
const X = Array.from({ length: 40 }, (_, i) => Float64Array.from([i, (i * 7) % 11]));
const y = Int8Array.from(X.map((r) => (r[0] > 19 ? 1 : 0)));
const model = await fitRandomForest(X, y, { nEstimators: 4, randomState: 1, nJobs: 2 });
console.log(JSON.stringify({ trees: model.trees.length }));
`,
      );
      const options = lambdaBundling();
      await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        minify: options.minify, // as in the Lambda build: the banner's createRequire stays unique
        outfile: join(out, 'index.mjs'),
        banner: { js: options.banner ?? '' },
        logLevel: 'error',
      });

      // Act: the afterBundling commands, then the bundle run from its folder
      const commands = options.commandHooks?.afterBundling(REPO_ROOT, out) ?? [];
      for (const command of commands) execSync(command, { stdio: 'pipe' });
      const run = spawnSync(process.execPath, [join(out, 'index.mjs')], { encoding: 'utf8' });

      // Assess
      expect(commands).toHaveLength(1);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ trees: 4 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
