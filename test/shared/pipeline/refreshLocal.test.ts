import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { dailyPipeline, weeklyPipeline } from '../../../shared/pipeline/declarations.ts';
import { refreshLocal, refreshSummary } from '../../../shared/pipeline/refreshLocal.ts';
import { runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';
import type { PipelineDecl } from '../../../shared/pipeline/types.ts';

/** The daily job's first two steps: enough to see which breadth the feature SQL read. */
const featuresOnly: PipelineDecl = { ...dailyPipeline, steps: dailyPipeline.steps.slice(0, 2) };
const config = parseConfig({});

describe('Function: refreshLocal', () => {
  let root: string;
  let input: string;
  let out: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-refresh-'));
    input = join(root, 'data');
    out = join(root, 'out');
    await generateSample({ outDir: input, accounts: 60, seed: 5, asOf: '2024-10-31' });
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the weekly steps in order and publishes the aggregate with its sidecar', async () => {
    // Act
    const result = await refreshLocal({ input, out, asOf: '2024-10-27', config });
    // Assess
    expect(Object.keys(result.state.steps)).toEqual(weeklyPipeline.steps.map((s) => s.name));
    expect(result.runDir).toBe(join(out, 'runs', 'weekly-2024-10-27'));
    const sidecar = JSON.parse(readFileSync(join(out, 'aggregates/account_breadth.json'), 'utf8'));
    const aggregate = readFileSync(
      join(out, 'aggregates/account_breadth/account_breadth.csv'),
      'utf8',
    );
    expect(aggregate.trim().split('\n').length - 1).toBe(sidecar.rows);
    expect(sidecar.rows).toBeGreaterThan(0);
    const vf = readdirSync(join(input, 'pendo/pendo__visitor_feature'));
    expect(
      sidecar.inputs.filter((f: { table: string }) => f.table === 'pendo/pendo__visitor_feature'),
    ).toHaveLength(vf.length);
    expect(refreshSummary(result, out)).toContain(`account breadth for ${sidecar.rows} accounts`);
  }, 60_000);

  it('lets a later daily run on the same files use the aggregate, with the same features as inline', async () => {
    // Prepare: the inline features of the same input, from a copy with no aggregate published
    const inlineOut = join(root, 'inline-out');
    const inline = await runLocalPipeline({
      input,
      out: inlineOut,
      asOf: '2024-10-31',
      config,
      pipeline: featuresOnly,
    });
    // Act
    const daily = await runLocalPipeline({
      input,
      out,
      asOf: '2024-10-31',
      config,
      pipeline: featuresOnly,
    });
    // Assess
    expect(inline.state.steps['validate-inputs']).toMatchObject({
      breadthSource: 'inline',
      breadthReason: 'no published aggregate',
    });
    expect(daily.state.steps['validate-inputs']).toMatchObject({ breadthSource: 'aggregate' });
    const features = (dir: string) => readFileSync(join(dir, 'parts/features.csv'), 'utf8');
    expect(features(daily.runDir)).toBe(features(inline.runDir));
  }, 60_000);

  it('computes breadth inline once a visitor_feature file changed after the refresh', async () => {
    // Prepare: the same exports with one more visitor_feature row
    const changed = join(root, 'changed');
    cpSync(input, changed, { recursive: true });
    const folder = join(changed, 'pendo/pendo__visitor_feature');
    const file = join(folder, readdirSync(folder)[0]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    appendFileSync(file, `${lines[lines.length - 1].replace(/^([^,]*),([^,]*)/, '$1,vnew')}\n`);
    // Act
    const daily = await runLocalPipeline({
      input: changed,
      out,
      asOf: '2024-10-31',
      config,
      pipeline: featuresOnly,
    });
    // Assess
    expect(daily.state.steps['validate-inputs']).toMatchObject({
      breadthSource: 'inline',
      breadthReason: 'aggregate of 2024-10-27 was built from other input files',
    });
  }, 60_000);
});
