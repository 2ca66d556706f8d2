import { describe, expect, it } from 'vitest';
import { forestPermutationImportance } from '../../../shared/models/forestImportance.ts';
import { permutationImportance } from '../../../shared/models/metrics.ts';
import { fitRandomForest, predictProba } from '../../../shared/models/randomForest.ts';
import { syntheticAccounts } from './syntheticAccounts.ts';

describe('Function: forestPermutationImportance', () => {
  it("gives 0 to a feature no split uses and the general method's drop to the feature that decides", async () => {
    // Prepare: one tree, no bootstrap, on x0 = 0..7 with y = 1 from 4 on; x1 is constant, so the tree is one
    // split on x0 at bin 3 with pure leaves. 8 rows, 3 repeats.
    const X = Array.from({ length: 8 }, (_, i) => [i, 5]);
    const y = X.map(([v]) => (v >= 4 ? 1 : 0));
    const model = await fitRandomForest(X, y, {
      nEstimators: 1,
      bootstrap: false,
      maxFeatures: null,
    });
    const options = { nRepeats: 3, randomState: 4 };

    // Act
    const fast = forestPermutationImportance(model, X, y, options);

    // Assess: x1 never moves a row, so its drop is exactly 0; x0's drops are those of the general method
    const slow = permutationImportance((m) => predictProba(model, m), X, y, options);
    expect(fast.baseline).toBe(1);
    expect(fast.mean[1]).toBe(0);
    expect(fast.std[1]).toBe(0);
    expect(fast.mean[0]).toBe(slow.mean[0]);
    expect(fast.mean[0]).toBeGreaterThan(0);
  });

  it('equals permutationImportance of predictProba bit for bit on 600 accounts with missing NPS', async () => {
    // Prepare: 25 features, about 20% of NPS missing, a 30-tree forest
    const { X, y } = syntheticAccounts(600, 3);
    const model = await fitRandomForest(X.slice(0, 400), y.slice(0, 400), {
      nEstimators: 30,
      randomState: 9,
    });
    const Xh = X.slice(400);
    const yh = y.slice(400);
    const options = { nRepeats: 4, randomState: 11 };

    // Act
    const fast = forestPermutationImportance(model, Xh, yh, options);

    // Assess
    const slow = permutationImportance((m) => predictProba(model, m), Xh, yh, options);
    expect(fast.baseline).toBe(slow.baseline);
    expect(Array.from(fast.mean)).toEqual(Array.from(slow.mean));
    expect(Array.from(fast.std)).toEqual(Array.from(slow.std));
    expect(fast.mean.some((m) => m > 0.01)).toBe(true);
  });

  it('scores shuffled rows with the exact probabilities of predictProba', async () => {
    // Prepare: a metric that sees every probability's last bit (a weighted sum), not only their order
    const { X, y } = syntheticAccounts(300, 5);
    const model = await fitRandomForest(X.slice(0, 200), y.slice(0, 200), {
      nEstimators: 7,
      randomState: 2,
    });
    const metric = (_y: ArrayLike<number>, s: ArrayLike<number>) => {
      let t = 0;
      for (let i = 0; i < s.length; i++) t += s[i] * (i + 1);
      return t;
    };
    const options = { nRepeats: 2, randomState: 6, metric };

    // Act
    const fast = forestPermutationImportance(model, X.slice(200), y.slice(200), options);

    // Assess
    const slow = permutationImportance(
      (m) => predictProba(model, m),
      X.slice(200),
      y.slice(200),
      options,
    );
    expect(fast.baseline).toBe(slow.baseline);
    expect(Array.from(fast.mean)).toEqual(Array.from(slow.mean));
  });

  it('gives the general figures when trees times rows exceed maxPaths', async () => {
    // Prepare: 10 trees x 100 rows = 1,000 paths, above a cap of 999
    const { X, y } = syntheticAccounts(100, 7);
    const model = await fitRandomForest(X, y, { nEstimators: 10, randomState: 1 });
    const options = { nRepeats: 2, randomState: 3 };

    // Act
    const capped = forestPermutationImportance(model, X, y, options, 999);

    // Assess
    const slow = permutationImportance((m) => predictProba(model, m), X, y, options);
    expect(Array.from(capped.mean)).toEqual(Array.from(slow.mean));
    expect(Array.from(forestPermutationImportance(model, X, y, options).mean)).toEqual(
      Array.from(slow.mean),
    );
  });

  it('gives the general figures for a forest of more than 32 features', async () => {
    // Prepare: 40 features, the label from feature 0
    const X = Array.from({ length: 120 }, (_, i) =>
      Array.from({ length: 40 }, (_, f) => ((i + 1) * (f + 3)) % 17),
    );
    const y = X.map((r) => (r[0] > 8 ? 1 : 0));
    const model = await fitRandomForest(X, y, { nEstimators: 5, randomState: 1 });

    // Act
    const fast = forestPermutationImportance(model, X, y, { nRepeats: 2, randomState: 3 });

    // Assess
    const slow = permutationImportance((m) => predictProba(model, m), X, y, {
      nRepeats: 2,
      randomState: 3,
    });
    expect(Array.from(fast.mean)).toEqual(Array.from(slow.mean));
  });
});
