import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import type { CvsConfig } from '../../shared/config/schema.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { quarterlyPipeline } from '../../shared/pipeline/declarations.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';
import { NoChampionError, scoreLocal, trainLocal } from '../../shared/pipeline/trainLocal.ts';

const csv = (path: string): Record<string, string>[] =>
  parse(readFileSync(path), { columns: true });
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('End to end: quarterly training, then daily scoring with the champion', () => {
  let root: string;
  let input: string;
  let out: string;
  /** Default config plus a lighter forest, so the test stays short. */
  const config = { ...parseConfig({}), classifier: { forest: { nEstimators: 40 } } } as CvsConfig;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-e2e-q-'));
    input = join(root, 'data');
    out = join(root, 'out');
    await generateSample({ outDir: input, accounts: 400, seed: 3, asOf: '2024-10-31' });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses cvs score before any model exists', async () => {
    // Act & Assess
    await expect(scoreLocal({ input, out, asOf: '2024-10-31', config })).rejects.toBeInstanceOf(
      NoChampionError,
    );
  });

  it('trains, evaluates, gates and promotes a model into the registry with its deliverables', async () => {
    // Act
    const result = await trainLocal({ input, out, asOf: '2024-10-31', config });
    // Assess
    expect(Object.keys(result.state.steps)).toEqual(quarterlyPipeline.steps.map((s) => s.name));
    const champion = json(join(out, 'models', 'champion.json'));
    expect(champion.version).toMatch(/^2024-10-31-[0-9a-f]{8}$/);
    expect(result.state.steps['gate-model']).toMatchObject({ promote: true });
    const dir = join(out, 'models', champion.version);
    expect(readdirSync(dir).sort()).toEqual([
      'baseline.json',
      'cross_fit.json',
      'feature_importances.csv',
      'forest.json',
      'forest_fold_0.json',
      'forest_fold_1.json',
      'forest_fold_2.json',
      'forest_fold_3.json',
      'forest_fold_4.json',
      'gate.json',
      'hv_predictions_testset.csv',
      'metrics.json',
      'model_card.md',
      'model_metrics.json',
      'segments.json',
      'stacking.json',
      'training.json',
    ]);
    const metrics = json(join(dir, 'model_metrics.json'));
    // The sample has CRM data for enough accounts, so the default (auto) label is revenue won in the last 365 days
    expect(metrics.label).toBe('revenue');
    expect(metrics.labelChoice).toContain('auto: CRM data present');
    expect(metrics.baseline.features).toEqual(['sum_minutes', 'sum_events']);
    expect(metrics.gate.promote).toBe(true);
    expect(metrics.gate.checks.map((c: { against: string }) => c.against)).toEqual([
      'the 2-D baseline',
    ]);
    expect(metrics.crossFit).toMatchObject({ folds: 5, rows: metrics.rows });
    expect(metrics.valueIndex.n).toBe(metrics.nTest);
    const predictions = csv(join(dir, 'hv_predictions_testset.csv'));
    expect(predictions.length).toBe(metrics.nTest);
    expect(Object.keys(predictions[0])).toEqual([
      'account_id',
      'label',
      'p_forest',
      'p_baseline',
      'predicted_forest',
      'predicted_baseline',
    ]);
    const training = json(join(dir, 'training.json'));
    expect(training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    const card = readFileSync(join(dir, 'model_card.md'), 'utf8');
    expect(card).toContain('**revenue**');
    expect(card).toContain(
      '| metric | forest (full features) | 2-D baseline (sum_minutes + sum_events) | composite value index |',
    );
    for (const f of ['hv_predictions_testset.csv', 'feature_importances.csv', 'model_metrics.json'])
      expect(existsSync(join(result.runDir, f)), f).toBe(true);
  }, 120_000);

  it('scores every account with the champion in the daily run and copies its deliverables', async () => {
    // Prepare
    const champion = json(join(out, 'models', 'champion.json'));
    // Act
    const result = await runLocalPipeline({ input, out, asOf: '2024-10-31', config });
    // Assess
    expect(result.state.steps['predict-high-value']).toMatchObject({
      source: 'model',
      modelVersion: champion.version,
      trainedNow: false,
    });
    const scores = csv(join(result.runDir, 'account_scores.csv'));
    const product = scores.filter((r) => r.value_index !== '');
    expect(product.length).toBeGreaterThan(0);
    for (const r of product) {
      expect(r.hv_source).toBe('model');
      expect(r.model_version).toBe(champion.version);
      expect(Number(r.p_high_value)).toBeGreaterThanOrEqual(0);
      expect(['High', 'Likely', 'Possible', 'Unlikely']).toContain(r.hv_band);
      expect(['High value', 'Medium value', 'Low value']).toContain(r.value_segment);
      expect(r.cluster).not.toBe('');
    }
    expect(existsSync(join(result.runDir, 'model_card.md'))).toBe(true);
  }, 120_000);
});
