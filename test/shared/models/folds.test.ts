import { describe, expect, it } from 'vitest';
import { foldIndices, stratifiedFolds } from '../../../shared/models/index.ts';

describe('Function: stratifiedFolds', () => {
  it('deals each class out over the folds so every fold keeps the class ratio', () => {
    // Prepare: 10 negatives and 5 positives, 5 folds -> each fold gets exactly 2 negatives and 1 positive
    const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // Act
    const folds = stratifiedFolds(y, 5, 42);
    // Assess
    for (let f = 0; f < 5; f++) {
      const rows = Array.from(folds.keys()).filter((i) => folds[i] === f);
      expect(rows.filter((i) => y[i] === 0)).toHaveLength(2);
      expect(rows.filter((i) => y[i] === 1)).toHaveLength(1);
    }
  });

  it('is the same for the same seed and differs for another seed', () => {
    const y = Uint8Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    expect(Array.from(stratifiedFolds(y, 5, 7))).toEqual(Array.from(stratifiedFolds(y, 5, 7)));
    expect(Array.from(stratifiedFolds(y, 5, 7))).not.toEqual(Array.from(stratifiedFolds(y, 5, 8)));
  });

  it('rejects fewer than two folds', () => {
    expect(() => stratifiedFolds(Uint8Array.from([0, 1]), 1, 0)).toThrow(/folds/);
  });
});

describe('Function: foldIndices', () => {
  it('splits rows into the fold (scored) and the rest (trained on), disjoint and covering every row', () => {
    // Act
    const { train, test } = foldIndices([0, 1, 2, 0, 1, 2, 0], 0);
    // Assess
    expect(Array.from(test)).toEqual([0, 3, 6]);
    expect(Array.from(train)).toEqual([1, 2, 4, 5]);
  });
});
