import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_BLOCKS, readBlock, readmeExamples, replaceBlock } from './examples.ts';

describe('README: the generated examples', () => {
  const work = mkdtempSync(join(tmpdir(), 'cvs-readme-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads and replaces a block between its markers', () => {
    // Prepare
    const text = 'a\n<!-- x:start -->\nold\n<!-- x:end -->\nb';
    // Act & Assess
    expect(readBlock(text, 'x')).toBe('old');
    expect(replaceBlock(text, 'x', 'new')).toBe('a\n<!-- x:start -->\nnew\n<!-- x:end -->\nb');
    expect(() => readBlock(text, 'y')).toThrow(/README has no y block/);
  });

  it('shows the run summary and the alert digest of a run of the default sample as it is now', async () => {
    // Act: the default sample (generated here, not read from the developer's .cvs) with the default config
    const { blocks } = await readmeExamples(work);
    // Assess: on a difference, `npm run docs:examples` writes the run's text into the README
    const readme = readFileSync(resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    for (const name of EXAMPLE_BLOCKS) expect(readBlock(readme, name), name).toBe(blocks[name]);
  });
});
