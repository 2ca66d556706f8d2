/**
 * `npm run docs:examples`: runs the daily pipeline on the default sample and writes its real output into the
 * README blocks `summary-example` and `alert-example`, so the examples there are generated, never hand-written
 * (readmeExamples.test.ts fails when they no longer match a run).
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXAMPLE_BLOCKS, readmeExamples, replaceBlock } from './examples.ts';

const root = resolve(import.meta.dirname, '..', '..');
const { blocks, asOf, digests } = await readmeExamples(join(root, '.cvs', 'docs'));
const readmePath = join(root, 'README.md');
let readme = await readFile(readmePath, 'utf8');
for (const name of EXAMPLE_BLOCKS) readme = replaceBlock(readme, name, blocks[name]);
await writeFile(readmePath, readme);
console.log(`README examples updated from the run of ${asOf} (${digests} digests)`);
