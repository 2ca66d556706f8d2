import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { quarterlyPipeline } from '../../../shared/pipeline/declarations.ts';
import { inferAsOf, runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';
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

describe('Function: inferAsOf', () => {
  it('takes the newest Pendo event date from CSV and Parquet exports, else the Salesforce sync date', async () => {
    // Prepare: a CSV and a Parquet file of pendo__account, and a Salesforce account export
    const dir = mkdtempSync(join(tmpdir(), 'cvs-asof-'));
    const engine = await DuckDbEngine.open({ threads: 1 });
    try {
      const account = join(dir, 'pendo', 'pendo__account');
      mkdirSync(account, { recursive: true });
      writeFileSync(join(account, 'a.csv'), 'account_id,last_event_on\nA1,2024-09-30\nA2,\n');
      await engine.execute(
        `COPY (SELECT 'A3' AS account_id, DATE '2024-10-02' AS last_event_on) TO '${join(account, 'b.parquet')}' (FORMAT parquet)`,
      );
      const sf = join(dir, 'salesforce', 'account');
      mkdirSync(sf, { recursive: true });
      writeFileSync(join(sf, 'a.csv'), 'id,_fivetran_synced\n001,2024-11-05 23:10:00\n');
      // Act & Assess: Pendo wins when present (2024-10-02 from the Parquet file)
      expect(await inferAsOf(dir, engine)).toBe('2024-10-02');
      // Act & Assess: without Pendo, the Salesforce sync date
      rmSync(join(dir, 'pendo'), { recursive: true });
      expect(await inferAsOf(dir, engine)).toBe('2024-11-05');
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
