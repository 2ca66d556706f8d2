import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { dailyPipeline } from '../../../shared/pipeline/declarations.ts';
import { runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';
import type { PipelineDecl } from '../../../shared/pipeline/types.ts';

const pick = (...names: string[]) => dailyPipeline.steps.filter((s) => names.includes(s.name));
const scratchFolders = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('.cvs-duckdb-')) : [];

describe('Function: runLocalPipeline (DuckDB scratch folder)', () => {
  let root: string;
  let cwd: string;
  const startCwd = process.cwd();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-scratch-'));
    await generateSample({ outDir: join(root, 'in'), accounts: 40, seed: 5, asOf: '2024-10-31' });
    cwd = join(root, 'cwd');
    mkdirSync(cwd);
  }, 60_000);
  afterAll(() => {
    process.chdir(startCwd);
    rmSync(root, { recursive: true, force: true });
  });

  it('writes nothing to the working directory and leaves no scratch folder, with a small memory limit', async () => {
    // Prepare: an empty working directory
    process.chdir(cwd);
    const out = join(root, 'out-ok');
    const config = parseConfig({ engine: { memoryLimit: '256MB' } });
    // Act
    const result = await runLocalPipeline({
      input: join(root, 'in'),
      out,
      asOf: '2024-10-31',
      config,
      pipeline: { ...dailyPipeline, steps: pick('validate-inputs', 'account-features') },
    });
    // Assess
    expect(existsSync(join(result.runDir, 'parts', 'features.csv'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    expect(scratchFolders(out)).toEqual([]);
  }, 120_000);

  it('removes the scratch folder when a step fails', async () => {
    // Prepare: a pipeline whose second step has no implementation
    process.chdir(cwd);
    const out = join(root, 'out-fail');
    const pipeline: PipelineDecl = {
      ...dailyPipeline,
      steps: [
        ...pick('validate-inputs'),
        { name: 'no-such-step', kind: 'lambda', description: 'fails' },
      ],
    };
    // Act
    const run = runLocalPipeline({
      input: join(root, 'in'),
      out,
      asOf: '2024-10-31',
      config: parseConfig({}),
      pipeline,
    });
    // Assess
    await expect(run).rejects.toThrow(
      'step no-such-step of the daily pipeline has no implementation',
    );
    expect(scratchFolders(out)).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
  }, 120_000);
});
