import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { quarterlyPipeline } from '../../../shared/pipeline/declarations.ts';
import { runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';
import type { PipelineDecl } from '../../../shared/pipeline/types.ts';

const pick = (...names: string[]) => quarterlyPipeline.steps.filter((s) => names.includes(s.name));

describe('Function: runLocalPipeline', () => {
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-runlocal-'));
    await generateSample({ outDir: join(root, 'in'), accounts: 30, seed: 4, asOf: '2024-10-31' });
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('skips a runIf step whose gate output is false and records why, then runs the next step', async () => {
    // Prepare: no train-model step, so gate-model says promote: false
    const pipeline: PipelineDecl = {
      ...quarterlyPipeline,
      steps: pick('validate-inputs', 'gate-model', 'promote-model', 'finalize-run'),
    };
    const lines: string[] = [];
    // Act
    const result = await runLocalPipeline({
      input: join(root, 'in'),
      out: join(root, 'out'),
      asOf: '2024-10-31',
      config: parseConfig({}),
      pipeline,
      log: (m) => lines.push(m),
    });
    // Assess
    expect(result.state.steps['gate-model']).toMatchObject({ promote: false });
    expect(result.state.steps['promote-model']).toEqual({
      skipped: 'gate-model.promote is false',
    });
    expect(Object.keys(result.state.steps)).toEqual([
      'validate-inputs',
      'gate-model',
      'promote-model',
      'finalize-run',
    ]);
    expect(lines).toContain('[3/4] promote-model: skipped, gate-model.promote is false');
  }, 60_000);
});
