import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaSteps } from '../pipelineSteps.ts';

/**
 * Writes `functions/<step>/handler.ts` for every declared lambda step that has none, so a step added to
 * `shared/pipeline/declarations.ts` gets its Lambda by running `npx tsx infra/scripts/generateHandlers.ts`.
 */

/** The repository root (two folders up from this script). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The source of the thin handler of one step: one call to the shared middy chain in commons/stepHandler.ts. */
export function handlerSource(step: string): string {
  return `import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step \`${step}\`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('${step}');
`;
}

/** Path of a step's handler file. */
export function handlerPath(step: string, root = REPO_ROOT): string {
  return join(root, 'functions', step, 'handler.ts');
}

/** Declared lambda steps with no handler file. */
export function missingHandlers(root = REPO_ROOT): string[] {
  return lambdaSteps()
    .filter((s) => !existsSync(handlerPath(s.name, root)))
    .map((s) => s.name);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const step of missingHandlers()) {
    const path = handlerPath(step);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, handlerSource(step));
    console.log(`wrote ${path}`);
  }
}
