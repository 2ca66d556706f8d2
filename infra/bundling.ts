import { join } from 'node:path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** The random forest's worker-thread entry, bundled beside each Lambda's `index.mjs`. */
export const FOREST_WORKER_ENTRY = join('shared', 'models', 'forestWorker.ts');

/**
 * The shell commands that bundle the forest worker into `<outputDir>/forestWorker.js`, where the bundled
 * `shared/models/forestPool.ts` looks for it (beside its own file), so `forest.nJobs > 1` trains on worker threads in
 * Lambda too. CommonJS: the Lambda folder has no package.json declaring ES modules, and the worker's bootstrap loads
 * it with `import()`, which accepts CommonJS.
 */
export function forestWorkerCommands(inputDir: string, outputDir: string): string[] {
  const esbuild = join(inputDir, 'node_modules', '.bin', 'esbuild');
  return [
    `"${esbuild}" "${join(inputDir, FOREST_WORKER_ENTRY)}" --bundle --platform=node --format=cjs --target=node22 --minify --log-level=warning --outfile="${join(outputDir, 'forestWorker.js')}"`,
  ];
}

/** esbuild options of every Lambda: ESM, minified, the pinned AWS SDK bundled, and the forest worker beside it. */
export function lambdaBundling(): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    bundleAwsSDK: true, // the pinned SDK versions, not whatever the runtime ships
    mainFields: ['module', 'main'],
    externalModules: ['@duckdb/node-api'], // local adapters only; never loaded in Lambda
    banner:
      "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: forestWorkerCommands,
    },
  };
}
