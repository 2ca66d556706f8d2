import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../shared/classifier/dataset.ts';
import { modelVersion, trainModels } from '../../../shared/classifier/trainModels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { serializeForest } from '../../../shared/models/index.ts';
import { syntheticRun } from './fixtures.ts';

describe('Function: trainModels', () => {
  const { features, scores } = syntheticRun(300, 5);
  const small = (extra: object = {}) =>
    classifierOf({ classifier: { forest: { nEstimators: 10 }, segments: { nInit: 2 }, ...extra } });

  it('gives byte-identical models and the same version for the same data and seed', async () => {
    // Prepare
    const config = small();
    const dataset = buildDataset(features, scores, config);
    // Act
    const a = await trainModels(dataset, config);
    const b = await trainModels(buildDataset([...features].reverse(), scores, config), config);
    // Assess
    expect(serializeForest(b.forest)).toBe(serializeForest(a.forest));
    expect(JSON.stringify(b.baseline)).toBe(JSON.stringify(a.baseline));
    expect(JSON.stringify(b.valueSegments)).toBe(JSON.stringify(a.valueSegments));
    expect(modelVersion('2024-10-31', dataset, config)).toMatch(/^2024-10-31-[0-9a-f]{8}$/);
  });

  it('gives another forest and version for another seed, on the same stratified 70/30 split sizes', async () => {
    // Prepare
    const a = small();
    const b = small({ randomState: 7 });
    const dataset = buildDataset(features, scores, a);
    // Act
    const ma = await trainModels(dataset, a);
    const mb = await trainModels(dataset, b);
    // Assess
    expect(serializeForest(mb.forest)).not.toBe(serializeForest(ma.forest));
    expect(modelVersion('2024-10-31', dataset, b)).not.toBe(modelVersion('2024-10-31', dataset, a));
    // 75 positives -> round(22.5) = 23 (round half up) test positives; 225 negatives -> round(67.5) = 68
    expect(ma.split.test.length).toBe(23 + 68);
    const testPositives = Array.from(ma.split.test).filter((i) => dataset.y[i] === 1).length;
    expect(testPositives).toBe(23);
  });

  it('fits the baseline on sum_minutes and sum_events only', async () => {
    // Prepare
    const config = small();
    // Act
    const m = await trainModels(buildDataset(features, scores, config), config);
    // Assess
    expect(m.baseline.featureNames).toEqual(['sum_minutes', 'sum_events']);
    expect(m.forest.featureNames).toContain('avg_nps_rating');
  });

  it('grows every forest with revenueMinSamplesLeaf under the revenue label and minSamplesLeaf under a feature-built label', async () => {
    // Prepare: the same rows, labelled by the composite formula and (by name) as an outcome
    const defaults = small();
    const leafy = small({
      forest: { nEstimators: 10, revenueMinSamplesLeaf: 20, minSamplesLeaf: 3 },
    });
    const composite = buildDataset(features, scores, defaults);
    const revenue = { ...composite, label: 'revenue' as const };
    // Act
    const c = await trainModels(composite, leafy);
    const r = await trainModels(revenue, leafy);
    const rDefault = await trainModels(revenue, defaults);
    // Assess: the full forest and the 5 fold forests
    const leaves = (m: typeof c) =>
      [m.forest, ...m.crossFit.forests].map((f) => f.params.minSamplesLeaf);
    expect(composite.label).toBe('composite');
    expect(leaves(c)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(leaves(r)).toEqual([20, 20, 20, 20, 20, 20]);
    // the default (20 was pre-registered and not adopted): 1 row a leaf, as before
    expect(leaves(rDefault)).toEqual([1, 1, 1, 1, 1, 1]);
    // the version hashes the leaf size the label's forests were grown with, and only that one
    const version = (d: typeof composite, cfg: typeof defaults) =>
      modelVersion('2024-10-31', d, cfg);
    const onlyRevenue = small({ forest: { nEstimators: 10, revenueMinSamplesLeaf: 20 } });
    expect(version(revenue, onlyRevenue)).not.toBe(version(revenue, defaults));
    expect(version(composite, onlyRevenue)).toBe(version(composite, defaults));
    expect(version(composite, leafy)).not.toBe(version(composite, defaults));
  });
});
