import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import {
  predictHighValue,
  runQuarterlyStages,
} from '../../../shared/classifier/predictHighValue.ts';
import {
  CHAMPION_KEY,
  loadModelBundle,
  modelKey,
  readChampion,
} from '../../../shared/classifier/registry.ts';
import {
  minimumDataShortfall,
  type StageContext,
} from '../../../shared/classifier/trainCandidate.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { readCsvRows, writeCsvRows } from '../../../shared/io/csvTable.ts';
import { syntheticRun } from './fixtures.ts';

const fast = { forest: { nEstimators: 15 }, segments: { nInit: 2 }, permutation: { nRepeats: 2 } };

describe('Function: predictHighValue', () => {
  let root: string;
  let output: FolderStore;
  let run: FolderStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cvs-hv-'));
    output = new FolderStore(root);
    run = new FolderStore(join(root, 'runs', '2024-10-31'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function prepareRun(n: number, seed = 2): Promise<void> {
    const { features, scores } = syntheticRun(n, seed);
    await writeCsvRows(run, 'parts/features.csv', features);
    await writeCsvRows(run, 'parts/scores.csv', scores);
  }
  const context = (extra: object = {}): StageContext => ({
    output,
    run,
    config: classifierOf({ classifier: { ...fast, ...extra } }),
    asOf: '2024-10-31',
    log: () => {},
  });

  it('falls back to the value index below 200 accounts and says so', async () => {
    // Prepare
    await prepareRun(150);
    // Act
    const out = await predictHighValue(context());
    // Assess
    expect(out).toMatchObject({
      source: 'value-index-fallback',
      modelVersion: null,
      trainedNow: false,
    });
    expect(out.reason).toContain('150 labelled accounts (minimum 200)');
    const rows = await readCsvRows(run, 'parts/high_value.csv');
    const scores = await readCsvRows(run, 'parts/scores.csv');
    expect(rows).toHaveLength(150);
    expect(rows[0].p_high_value).toBe(scores[0].value_index);
    expect(rows.every((r) => r.hv_source === 'value-index-fallback' && r.cluster === null)).toBe(
      true,
    );
    const top = rows.find((r) => r.p_high_value === 1);
    expect(top).toMatchObject({ hv_band: 'High', hv_predicted: true });
    expect(await output.exists(CHAMPION_KEY)).toBe(false);
    const note = JSON.parse(Buffer.from(await run.get('model_metrics.json')).toString('utf8'));
    expect(note).toMatchObject({ trained: false, hv_source: 'value-index-fallback' });
  });

  it("says so, with the gate's reason, when the gate refuses the first model and scoring falls back", async () => {
    // Prepare: a single one-split tree cannot match the 2-D baseline on this run
    await prepareRun(400);
    // Act
    const out = await predictHighValue(context({ forest: { nEstimators: 1, maxDepth: 1 } }));
    // Assess
    expect(out).toMatchObject({ source: 'value-index-fallback', trainedNow: true });
    expect(out.reason).toContain('not promoted');
    expect(out.reason).toContain('the 2-D baseline');
    const note = JSON.parse(Buffer.from(await run.get('model_metrics.json')).toString('utf8'));
    expect(note.gate.promote).toBe(false);
    expect(note.hv_source).toBe('value-index-fallback');
    expect(note.fallback_reason).toContain('p_high_value is the value index');
    expect(await output.exists(CHAMPION_KEY)).toBe(false);
  });

  /** The synthetic run with CRM data: won revenue in the window follows the value index, so the label is revenue. */
  async function prepareRevenueRun(n: number, seed = 2): Promise<void> {
    const { features, scores } = syntheticRun(n, seed);
    const vi = new Map(scores.map((s) => [s.account_id, s.value_index as number]));
    const crm = features.map((f, i) => ({
      ...f,
      has_crm: true,
      won_amount_window: Math.round(
        1000 + 50000 * (vi.get(f.account_id) as number) * (0.5 + (i % 5) / 5),
      ),
      total_won_amount: 0,
    }));
    await writeCsvRows(run, 'parts/features.csv', crm);
    await writeCsvRows(run, 'parts/scores.csv', scores);
  }

  it('with a revenue-label champion, writes the forest, stacked and rank-mean probabilities; the switches pick p_high_value', async () => {
    // Prepare
    await prepareRevenueRun(400);
    // Act: the switch off, then the same champion with the switch on (the default, combiner rank-mean), then the
    // logistic stacker
    const off = await predictHighValue(context({ stacking: { enabled: false } }));
    const offRows = await readCsvRows(run, 'parts/high_value.csv');
    const stacking = await readCsvRows(run, 'high_value_stacking.csv');
    const on = await predictHighValue(context());
    const onRows = await readCsvRows(run, 'parts/high_value.csv');
    const logistic = await predictHighValue(context({ stacking: { combiner: 'logistic' } }));
    const logisticRows = await readCsvRows(run, 'parts/high_value.csv');
    // Assess
    expect(off.trainedNow).toBe(true);
    expect(on).toMatchObject({ trainedNow: false, modelVersion: off.modelVersion });
    const champion = await readChampion(output);
    expect(champion?.label).toBe('revenue');
    expect(await output.exists(modelKey(champion?.version as string, 'stacking.json'))).toBe(true);
    expect(stacking).toHaveLength(400);
    expect(off.reason).toContain('classifier.stacking.enabled false');
    expect(on.reason).toContain('p_high_value is the rank-mean probability');
    expect(logistic.reason).toContain('p_high_value is the stacked probability');
    const byId = new Map(stacking.map((r) => [r.account_id, r]));
    for (const r of offRows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_forest);
    for (const r of onRows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_rank_mean);
    for (const r of logisticRows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_stacked);
    expect(stacking.some((r) => r.p_forest !== r.p_stacked)).toBe(true);
    expect(stacking.some((r) => r.p_rank_mean !== r.p_stacked)).toBe(true);
  });

  it('with combiner rank-mean, p_high_value is the rank-mean probability; a champion trained without one keeps the stacker and says so', async () => {
    // Prepare
    await prepareRevenueRun(400);
    // Act: the default (logistic) trains the champion; then rank-mean scores with the same champion
    await predictHighValue(context());
    const stacking = await readCsvRows(run, 'high_value_stacking.csv');
    const rm = await predictHighValue(context({ stacking: { combiner: 'rank-mean' } }));
    const rmRows = await readCsvRows(run, 'parts/high_value.csv');
    // the same champion as if trained before the combiner existed: its stacking.json without rankMean
    const champion = await readChampion(output);
    const key = modelKey(champion?.version as string, 'stacking.json');
    const { rankMean: _gone, ...old } = JSON.parse(
      Buffer.from(await output.get(key)).toString('utf8'),
    );
    await output.put(key, Buffer.from(JSON.stringify(old)));
    const before = await predictHighValue(context({ stacking: { combiner: 'rank-mean' } }));
    const beforeRows = await readCsvRows(run, 'parts/high_value.csv');
    const beforeStacking = await readCsvRows(run, 'high_value_stacking.csv');
    // Assess
    expect(rm.reason).toContain('p_high_value is the rank-mean probability');
    expect(before.reason).toContain('trained before the rank-mean combiner existed');
    const byId = new Map(stacking.map((r) => [r.account_id, r]));
    expect(stacking.every((r) => typeof r.p_rank_mean === 'number')).toBe(true);
    for (const r of rmRows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_rank_mean);
    for (const r of beforeRows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_stacked);
    expect(beforeStacking.every((r) => r.p_rank_mean === null)).toBe(true);
    expect(stacking.some((r) => r.p_rank_mean !== r.p_stacked)).toBe(true);
  });

  it('with revenueTarget rank fits the forest to the revenue rank; p_high_value is then always the combined probability', async () => {
    // Prepare
    await prepareRevenueRun(400);
    // Act: rank trains a champion; then the config asks for the forest alone (the default flag target, stacking off)
    const rank = await predictHighValue(
      context({ forest: { nEstimators: 60, revenueTarget: 'rank' } }),
    );
    const metrics = JSON.parse(Buffer.from(await run.get('model_metrics.json')).toString('utf8'));
    const rankRows = await readCsvRows(run, 'parts/high_value.csv');
    const stacking = await readCsvRows(run, 'high_value_stacking.csv');
    const alone = await predictHighValue(context({ stacking: { enabled: false } }));
    const aloneRows = await readCsvRows(run, 'parts/high_value.csv');
    // Assess
    expect(rank.trainedNow).toBe(true);
    expect(alone).toMatchObject({ trainedNow: false, modelVersion: rank.modelVersion });
    expect(alone.reason).toContain(
      'rank-mean probability (classifier.stacking.combiner rank-mean) although classifier.stacking.enabled is false',
    );
    const champion = await readChampion(output);
    const bundle = await loadModelBundle(output, champion?.version as string);
    expect(bundle.forest.params.criterion).toBe('squared_error');
    expect(metrics.forestTarget).toBe('revenue-rank');
    expect(metrics.forest.threshold).toBe(0.75);
    expect(metrics.baseline.threshold).toBe(0.5);
    const card = Buffer.from(
      await output.get(modelKey(champion?.version as string, 'model_card.md')),
    ).toString('utf8');
    expect(card).toContain('The forest is a regression forest');
    expect(card).toContain('## Holdout performance (forest at 0.75, baseline at 0.5)');
    const byId = new Map(stacking.map((r) => [r.account_id, r]));
    // the champion's forest estimates a percentile, not a probability: the combiner scores with it either way
    for (const rows of [rankRows, aloneRows])
      for (const r of rows) expect(r.p_high_value).toBe(byId.get(r.account_id)?.p_rank_mean);
    expect(stacking.some((r) => r.p_forest !== r.p_stacked)).toBe(true);
  });

  it('trains, gates and promotes a first champion when there is none, then scores with it', async () => {
    // Prepare
    await prepareRun(400);
    // Act
    const out = await predictHighValue(context());
    // Assess
    const champion = await readChampion(output);
    expect(champion?.version).toMatch(/^2024-10-31-[0-9a-f]{8}$/);
    expect(out).toMatchObject({
      source: 'model',
      modelVersion: champion?.version,
      trainedNow: true,
    });
    const rows = await readCsvRows(run, 'parts/high_value.csv');
    expect(rows).toHaveLength(400);
    for (const r of rows) {
      expect(r.hv_source).toBe('model');
      expect(r.p_high_value as number).toBeGreaterThanOrEqual(0);
      expect(r.p_high_value as number).toBeLessThanOrEqual(1);
      expect(['High value', 'Medium value', 'Low value']).toContain(r.value_segment);
      expect(typeof r.cluster).toBe('string');
    }
    for (const f of [
      'hv_predictions_testset.csv',
      'feature_importances.csv',
      'model_metrics.json',
      'model_card.md',
    ])
      expect(await run.exists(f), f).toBe(true);
  });

  it('keeps the champion and records why when a new model fails the gate', async () => {
    // Prepare: a first champion, then a much weaker retrain (one stump) with another seed
    const first = await runQuarterlyStages(context(), syntheticRun(400, 2));
    const strict = context({
      randomState: 9,
      forest: { nEstimators: 1, maxDepth: 1 },
    });
    // Act
    const second = await runQuarterlyStages(strict, syntheticRun(400, 2));
    // Assess
    expect(first.promote?.promoted).toBe(true);
    expect(second.gate?.promote).toBe(false);
    expect(
      second.gate?.checks.find((c) => c.against === `champion ${first.train.version}`),
    ).toMatchObject({ passed: false });
    expect(second.gate?.reason).toContain(`champion ${first.train.version} stays`);
    expect(second.promote).toMatchObject({ promoted: false, champion: first.train.version });
    expect((await readChampion(output))?.version).toBe(first.train.version);
    const gate = JSON.parse(
      Buffer.from(await output.get(modelKey(second.train.version as string, 'gate.json'))).toString(
        'utf8',
      ),
    );
    expect(gate.promote).toBe(false);
    const metrics = JSON.parse(
      Buffer.from(
        await output.get(modelKey(second.train.version as string, 'model_metrics.json')),
      ).toString('utf8'),
    );
    expect(metrics.champion.version).toBe(first.train.version);
    expect(metrics.gate.promote).toBe(false);
    expect(metrics.warnings.join(' ')).toContain('optimistic');
  });
});

describe('Function: minimumDataShortfall', () => {
  it('names every shortfall and passes at exactly the minimums', () => {
    // Prepare
    const cfg = { minAccounts: 200, minPositives: 30 };
    // Act & Assess
    expect(minimumDataShortfall({ nRows: 200, nPositives: 30 }, cfg)).toBeNull();
    expect(minimumDataShortfall({ nRows: 199, nPositives: 29 }, cfg)).toBe(
      'not enough data to train: 199 labelled accounts (minimum 200), 29 high-value accounts (minimum 30); scoring falls back to the value index',
    );
  });
});
