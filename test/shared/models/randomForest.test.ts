import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { binValue } from '../../../shared/models/binning.ts';
import { serializeForest } from '../../../shared/models/forestSerialization.ts';
import { rocAuc } from '../../../shared/models/metrics.ts';
import { ModelInputError } from '../../../shared/models/modelErrors.ts';
import {
  fitRandomForest,
  predictProba,
  resolveMaxFeatures,
} from '../../../shared/models/randomForest.ts';
import { stratifiedSplit } from '../../../shared/models/stratifiedSplit.ts';
import { syntheticAccounts } from './syntheticAccounts.ts';

// One tree on all rows (no bootstrap) so the tree is hand-checkable.
const oneTree = { nEstimators: 1, bootstrap: false, maxFeatures: null } as const;

describe('Function: fitRandomForest', () => {
  it('splits 0..19 at bin 9 (edge 9.5) when y = 1 from 10 on', async () => {
    // Prepare: edges are midpoints 0.5 .. 18.5, so value 9 has bin 9
    const X = Array.from({ length: 20 }, (_, i) => [i]);
    const y = X.map(([v]) => (v >= 10 ? 1 : 0));

    // Act
    const model = await fitRandomForest(X, y, oneTree);

    // Assess
    const [tree] = model.trees;
    expect(model.binEdges[0][9]).toBe(9.5);
    expect(Array.from(tree.feature)).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(9);
    expect(Array.from(tree.value)).toEqual([0.5, 0, 1]);
    expect(Array.from(predictProba(model, [[9.4], [9.6], [-5], [100]]))).toEqual([0, 1, 0, 1]);
  });

  it('reaches accuracy 1 on a perfectly separable set with bootstrap', async () => {
    // Prepare: two features, the class is x0 > 5; x1 is noise
    const X = Array.from({ length: 60 }, (_, i) => [i % 12, (i * 7) % 5]);
    const y = X.map(([a]) => (a > 5 ? 1 : 0));

    // Act
    const model = await fitRandomForest(X, y, {
      nEstimators: 25,
      randomState: 1,
      maxFeatures: null,
    });
    const proba = predictProba(model, X);

    // Assess
    expect(Array.from(proba, (p) => (p >= 0.5 ? 1 : 0))).toEqual(y);
  });

  it('learns to send missing values left when they belong with the left class', async () => {
    // Prepare: low values and missing are class 0, high values class 1
    const X = [[1], [2], [Number.NaN], [null], [8], [9]];
    const y = [0, 0, 0, 0, 1, 1];

    // Act
    const model = await fitRandomForest(X, y, oneTree);

    // Assess
    expect(model.trees[0].missingLeft[0]).toBe(1);
    expect(Array.from(predictProba(model, [[null], [Number.NaN], [1.5], [8.5]]))).toEqual([
      0, 0, 0, 1,
    ]);
  });

  it('splits missing against present when only missingness separates the classes', async () => {
    // Prepare
    const X = [[1], [2], [3], [null], [null], [null]];
    const y = [0, 0, 0, 1, 1, 1];

    // Act
    const model = await fitRandomForest(X, y, oneTree);

    // Assess: all present bins (0..2) go left, missing right
    expect(model.trees[0].threshold[0]).toBe(2);
    expect(model.trees[0].missingLeft[0]).toBe(0);
    expect(Array.from(predictProba(model, [[null], [2.5], [50]]))).toEqual([1, 0, 0]);
  });

  it('sends missing values to the heavier child when training had none', async () => {
    // Prepare: left child (x <= 4) has 4 rows, right 2
    const X = [[1], [2], [3], [4], [10], [11]];
    const y = [0, 0, 0, 0, 1, 1];

    // Act
    const model = await fitRandomForest(X, y, oneTree);

    // Assess
    expect(Array.from(predictProba(model, [[null]]))).toEqual([0]);
  });

  it('stops at maxDepth and honours minSamplesLeaf', async () => {
    // Prepare: alternating labels need many splits
    const X = Array.from({ length: 16 }, (_, i) => [i]);
    const y = X.map(([v]) => v % 2);

    // Act
    const shallow = await fitRandomForest(X, y, { ...oneTree, maxDepth: 1 });
    const leafy = await fitRandomForest(X, y, { ...oneTree, minSamplesLeaf: 8 });

    // Assess: depth 1 = root and two leaves; minSamplesLeaf 8 allows only the 8 / 8 split
    expect(shallow.trees[0].feature.length).toBe(3);
    expect(leafy.trees[0].feature.length).toBe(3);
    expect(leafy.trees[0].threshold[0]).toBe(7);
  });

  it('gives byte-identical JSON for the same data and seed, and other bytes for another seed', async () => {
    // Prepare
    const { X, y } = syntheticAccounts(400, 3);

    // Act
    const a = serializeForest(await fitRandomForest(X, y, { nEstimators: 10, randomState: 7 }));
    const b = serializeForest(await fitRandomForest(X, y, { nEstimators: 10, randomState: 7 }));
    const c = serializeForest(await fitRandomForest(X, y, { nEstimators: 10, randomState: 8 }));

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('gives the same bytes with 2 worker threads as in one thread', async () => {
    // Prepare
    const { X, y } = syntheticAccounts(400, 4);

    // Act
    const single = serializeForest(
      await fitRandomForest(X, y, { nEstimators: 6, randomState: 2, nJobs: 1 }),
    );
    const pooled = serializeForest(
      await fitRandomForest(X, y, { nEstimators: 6, randomState: 2, nJobs: 2 }),
    );

    // Assess
    expect(pooled).toBe(single);
  });

  it('throws when labels are not 0 or 1 or rows are ragged', async () => {
    // Act & Assess
    await expect(fitRandomForest([[1], [2]], [0, 2])).rejects.toThrow(ModelInputError);
    await expect(fitRandomForest([[1], [2, 3]], [0, 1])).rejects.toThrow(ModelInputError);
    await expect(fitRandomForest([[1], [2]], [0, 1], { minSamplesLeaf: 0 })).rejects.toThrow(
      ModelInputError,
    );
  });

  it('scores a holdout AUC within 0.02 of ml-random-forest on the same 2,000 rows', async () => {
    // Prepare: same imputed data for both (ml-random-forest cannot take NaN), 30 trees each,
    // 5 = sqrt(25) features (per split here, per tree there), no feature replacement there
    const { X, y } = syntheticAccounts(2000, 11);
    const rows = X.map((r) => Array.from(r, (v) => (Number.isNaN(v) ? -1 : v)));
    const { train, test } = stratifiedSplit(y, { randomState: 1 });
    const Xtr = Array.from(train, (i) => rows[i]);
    const ytr = Array.from(train, (i) => y[i]);
    const Xte = Array.from(test, (i) => rows[i]);
    const yte = Array.from(test, (i) => y[i]);
    const ml = new RandomForestClassifier({
      seed: 3,
      maxFeatures: 5,
      replacement: false,
      nEstimators: 30,
      treeOptions: { maxDepth: 12 },
      noOOB: true,
    });

    // Act
    ml.train(Xtr, ytr);
    const votes = ml.predictionValues(Xte);
    const mlScores = Xte.map(
      (_, i) => votes.getRow(i).reduce((s: number, v: number) => s + v, 0) / 30,
    );
    const ours = predictProba(
      await fitRandomForest(Xtr, ytr, { nEstimators: 30, randomState: 3 }),
      Xte,
    );

    // Assess
    const mlAuc = rocAuc(yte, mlScores);
    expect(mlAuc).toBeGreaterThan(0.9);
    expect(Math.abs(rocAuc(yte, ours) - mlAuc)).toBeLessThanOrEqual(0.02);
  });
});

describe('Function: predictProba', () => {
  it("equals a plain walk of each tree's node arrays, missing values included", async () => {
    // Prepare: a forest on rows with missing NPS values; the reference walk reads the arrays directly
    const { X, y } = syntheticAccounts(500, 6);
    const model = await fitRandomForest(X, y, { nEstimators: 7, randomState: 4 });
    const rows = X.slice(0, 101);
    const walk = (row: ArrayLike<number>) => {
      let sum = 0;
      for (const t of model.trees) {
        let node = 0;
        while (t.feature[node] >= 0) {
          const f = t.feature[node];
          const missing = Number.isNaN(row[f]);
          const b = binValue(model.binEdges[f], row[f]);
          const left = missing ? t.missingLeft[node] === 1 : b <= t.threshold[node];
          node = left ? t.left[node] : t.right[node];
        }
        sum += t.value[node];
      }
      return sum / model.trees.length;
    };

    // Act
    const proba = predictProba(model, rows);

    // Assess
    expect(rows.some((r) => r.some(Number.isNaN))).toBe(true);
    expect(Array.from(proba)).toEqual(rows.map((row) => expect.closeTo(walk(row), 12)));
  });
});

describe('Function: resolveMaxFeatures', () => {
  it('maps sqrt, log2, counts, fractions and null like scikit-learn', () => {
    // Act & Assess
    expect(resolveMaxFeatures('sqrt', 25)).toBe(5);
    expect(resolveMaxFeatures('log2', 25)).toBe(4);
    expect(resolveMaxFeatures(3, 25)).toBe(3);
    expect(resolveMaxFeatures(0.5, 25)).toBe(12);
    expect(resolveMaxFeatures(null, 25)).toBe(25);
    expect(resolveMaxFeatures(0.01, 25)).toBe(1);
  });
});
