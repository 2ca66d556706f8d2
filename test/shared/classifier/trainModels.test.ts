import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../shared/classifier/dataset.ts';
import {
  crossFitForests,
  modelVersion,
  revenueRankTarget,
  trainModels,
} from '../../../shared/classifier/trainModels.ts';
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
    const revenue = {
      ...composite,
      label: 'revenue' as const,
      revenue: Float64Array.from(composite.y, (v, i) => 1000 * v + i),
    };
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

  it('ranks the revenue among the rows a forest is fitted on, and only under the revenue label with rank', () => {
    // Prepare: five labelled rows with revenue 0, 0, 100, 300, 200
    const dataset = {
      label: 'revenue' as const,
      revenue: Float64Array.from([0, 0, 100, 300, 200]),
    };
    const rank = small({ forest: { nEstimators: 10, revenueTarget: 'rank' } });
    const flag = small();
    // Act
    const some = revenueRankTarget(dataset, rank, Int32Array.from([0, 2, 3]));
    const ties = revenueRankTarget(dataset, rank, Int32Array.from([0, 1, 2]));
    // Assess: pandas rank(pct=True) among the rows given, ties averaged
    expect(Array.from(some ?? [])).toEqual([1 / 3, 2 / 3, 1]);
    expect(Array.from(ties ?? [])).toEqual([0.5, 0.5, 1]);
    expect(revenueRankTarget(dataset, flag, Int32Array.from([0, 1]))).toBeUndefined();
    expect(
      revenueRankTarget({ ...dataset, label: 'composite' }, rank, Int32Array.from([0, 1])),
    ).toBeUndefined();
  });

  it('fits regression forests on the revenue rank (with rank; flag is the default) and a fold forest never sees its fold revenue', async () => {
    // Prepare: the composite rows relabelled as revenue, with revenue amounts that agree with the labels
    const config = small({ forest: { nEstimators: 10, revenueTarget: 'rank' } });
    const composite = buildDataset(features, scores, config);
    const amounts = Float64Array.from(composite.y, (v, i) => 1000 * v + ((i * 37) % 101));
    const revenue = { ...composite, label: 'revenue' as const, revenue: amounts };
    const flag = small();
    // Act
    const r = await trainModels(revenue, config);
    const f = await trainModels(revenue, flag);
    const c = await trainModels(composite, config);
    // the same dataset with other revenue in fold 0 only (labels and hence folds unchanged)
    const folds = r.crossFit.folds;
    const changed = Float64Array.from(amounts, (a, i) => (folds[i] === 0 ? 5000 - a : a));
    const again = await crossFitForests({ ...revenue, revenue: changed }, config);
    // Assess
    const criteria = (m: typeof r) =>
      [m.forest, ...m.crossFit.forests].map((x) => x.params.criterion);
    expect(criteria(r)).toEqual(Array(6).fill('squared_error'));
    expect(criteria(f)).toEqual(Array(6).fill('gini'));
    expect(criteria(c)).toEqual(Array(6).fill('gini'));
    expect(serializeForest(again.forests[0])).toBe(serializeForest(r.crossFit.forests[0]));
    for (const k of [1, 2, 3, 4])
      expect(serializeForest(again.forests[k])).not.toBe(serializeForest(r.crossFit.forests[k]));
    // the version tells a rank forest from a flag forest, and the amounts it was fitted to
    expect(modelVersion('2024-10-31', revenue, config)).not.toBe(
      modelVersion('2024-10-31', revenue, flag),
    );
    expect(modelVersion('2024-10-31', { ...revenue, revenue: changed }, config)).not.toBe(
      modelVersion('2024-10-31', revenue, config),
    );
    expect(modelVersion('2024-10-31', composite, config)).toBe(
      modelVersion('2024-10-31', composite, flag),
    );
  });
});
