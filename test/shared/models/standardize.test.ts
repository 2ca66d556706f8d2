import { describe, expect, it } from 'vitest';
import { fitStandardize, standardize } from '../../../shared/models/standardize.ts';

describe('Function: fitStandardize', () => {
  it('stores mean and population std, ignoring missing values, with std 1 for a constant', () => {
    // Prepare: feature 0 is 1, 3, missing -> mean 2, std 1; feature 1 constant 5
    const X = [
      [1, 5],
      [3, 5],
      [null, 5],
    ];

    // Act
    const s = fitStandardize(X);

    // Assess
    expect(s.mean).toEqual([2, 5]);
    expect(s.std).toEqual([1, 1]);
  });
});

describe('Function: standardize', () => {
  it('z-scores values and maps missing to 0', () => {
    // Prepare
    const s = fitStandardize([[1], [3]]);

    // Act
    const Z = standardize(s, [[1], [3], [4], [Number.NaN]]);

    // Assess
    expect(Z.map((r) => r[0])).toEqual([-1, 1, 2, 0]);
  });
});
