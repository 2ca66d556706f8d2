import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { runLocalPipeline, runLocalStep } from '../../shared/pipeline/runLocal.ts';
import { runIsolated } from './isolated.ts';

// The isolated bench mode runs every step in a process of its own; its outputs must be those of one in-process run,
// or its figures would measure something else.
describe('isolated bench mode (one process per step)', () => {
  let root: string;
  let input: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-isolated-'));
    input = join(root, 'data');
    await generateSample({ outDir: input, accounts: 220, seed: 5, asOf: '2024-10-31' });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the same scores, trends and score shards as one in-process run', async () => {
    const figures = await runIsolated(220, input, root);
    await runLocalPipeline({ input, out: join(root, 'inproc'), config: parseConfig({}) });
    const isoRun = join(root, 'iso-out-220', 'runs', '2024-10-31');
    const inRun = join(root, 'inproc', 'runs', '2024-10-31');
    for (const file of [
      'account_scores.csv',
      'value_trends_all_accounts.csv',
      'account_health_and_prediction.csv',
      'data_quality.json',
      'parts/score-shards/manifest.json',
    ])
      expect(readFileSync(join(isoRun, file), 'utf8'), file).toBe(
        readFileSync(join(inRun, file), 'utf8'),
      );
    expect(readdirSync(join(root, 'iso-out-220', 'outbox')).sort()).toEqual(
      readdirSync(join(root, 'inproc', 'outbox')).sort(),
    );
    const steps = figures.map((f) => f.step);
    expect(steps).toContain('validate-inputs');
    expect(steps).toContain('build-report');
    for (const f of figures) {
      expect(f.peakRssMb, f.step).toBeGreaterThan(0);
      expect(f.peakJsMb, f.step).toBeGreaterThan(0);
    }
    expect(figures.find((f) => f.step === 'store-scores')?.shards).toBe(1);
  }, 240_000);

  it('runLocalStep refuses a step the pipeline does not have', async () => {
    await expect(
      runLocalStep({
        input,
        out: join(root, 'x'),
        config: parseConfig({}),
        state: { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/2024-10-31/', steps: {} },
        step: 'no-such-step',
      }),
    ).rejects.toThrow(/no-such-step is not a step of the daily pipeline/);
  });
});
