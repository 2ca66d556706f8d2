import { describe, expect, it } from 'vitest';
import { type BinnedData, growTree } from '../../../shared/models/histTree.ts';
import { fitRandomForest, predictProba } from '../../../shared/models/randomForest.ts';
import { growRegressionTree } from '../../../shared/models/regressionTree.ts';
import { growth, oneFeatureRows, randomData } from './binnedData.ts';

describe('Function: growRegressionTree', () => {
  it('splits 4 rows where the target jumps and puts the mean target in each node', () => {
    // Prepare: one feature, bins 0..3, targets 0.1, 0.3, 0.7, 0.9, every row once; the best split is between bin 1
    // and bin 2 (left mean 0.2, right mean 0.8: squared error 0.04 against 0.4 for the root), and then each child
    // splits once more into single rows
    const data = oneFeatureRows([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9]);

    // Act
    const tree = growRegressionTree(data, { ...growth, bootstrap: false, maxFeatures: 1 }, 7);

    // Assess: root 0.5; children 0.2 (bins 0-1) and 0.8 (bins 2-3); then leaves 0.1, 0.3 and 0.7, 0.9
    expect(Array.from(tree.feature.slice(0, 3))).toEqual([0, 0, 0]);
    expect(tree.threshold[0]).toBe(1);
    expect(Array.from(tree.value)).toEqual(
      [0.5, 0.2, 0.8, 0.1, 0.3, 0.7, 0.9].map((v) => Math.fround(v)),
    );
  });

  it('stops at a node whose targets are all equal, and at maxDepth', () => {
    // Prepare: targets equal on bins 0-1, different on bins 2-3
    const data = oneFeatureRows([0, 0, 0, 0], [0.25, 0.25, 0.5, 1]);
    const once = { ...growth, bootstrap: false, maxFeatures: 1 };

    // Act
    const full = growRegressionTree(data, once, 1);
    const stump = growRegressionTree(data, { ...once, maxDepth: 1 }, 1);

    // Assess: sL^2 / nL + sR^2 / nR is 1.083 at bin 0, 1.25 at bin 1 and 1.333 at bin 2, so the root keeps bin 3
    // (target 1) apart; its left child (0.25, 0.25, 0.5; mean 1/3) splits the equal pair (node 3, a leaf: it is
    // not split again) from 0.5 (node 4)
    expect(full.threshold[0]).toBe(2);
    expect(Array.from(full.value)).toEqual([0.5, 1 / 3, 1, 0.25, 0.5].map((v) => Math.fround(v)));
    expect(full.threshold[1]).toBe(1);
    expect(full.left[3]).toBe(-1);
    expect(full.feature.length).toBe(5);
    expect(stump.feature.length).toBe(3);
    expect(Array.from(stump.left)).toEqual([1, -1, -1]);
  });

  it('grows the Gini tree of growTree when the target is the 0/1 label (the two criteria rank splits alike)', () => {
    // Prepare
    const data = randomData(3000, 9, 40, 5);
    const asTarget: BinnedData = { ...data, target: Float64Array.from(data.y) };

    for (const seed of [1, 2, 3]) {
      // Act
      const gini = growTree(data, growth, seed);
      const regression = growRegressionTree(asTarget, growth, seed);

      // Assess
      expect(gini.feature.length).toBeGreaterThan(100);
      expect(regression).toEqual(gini);
    }
  });
});

describe("Function: fitRandomForest (criterion 'squared_error')", () => {
  it('averages the trees of a regression forest and refuses a missing or mismatched target', async () => {
    // Prepare: x in 0..99, target x / 100 plus nothing: a forest of full trees without bootstrap reproduces it
    const X = Array.from({ length: 100 }, (_, i) => Float64Array.from([i]));
    const y = Uint8Array.from({ length: 100 }, (_, i) => (i >= 75 ? 1 : 0));
    const target = Float64Array.from({ length: 100 }, (_, i) => i / 100);
    const params = { nEstimators: 3, bootstrap: false, criterion: 'squared_error' as const };

    // Act
    const model = await fitRandomForest(X, y, params, undefined, target);
    const p = predictProba(model, [Float64Array.from([10]), Float64Array.from([90])]);

    // Assess
    expect(model.params.criterion).toBe('squared_error');
    expect(p[0]).toBeCloseTo(0.1, 6);
    expect(p[1]).toBeCloseTo(0.9, 6);
    await expect(fitRandomForest(X, y, params)).rejects.toThrow('needs a regression target');
    await expect(fitRandomForest(X, y, {}, undefined, target)).rejects.toThrow(
      "needs criterion 'squared_error'",
    );
    await expect(fitRandomForest(X, y, params, undefined, target.subarray(0, 99))).rejects.toThrow(
      'the target has 99 values',
    );
    const bad = Float64Array.from(target);
    bad[5] = Number.NaN;
    await expect(fitRandomForest(X, y, params, undefined, bad)).rejects.toThrow('target 5 is NaN');
  });
});
