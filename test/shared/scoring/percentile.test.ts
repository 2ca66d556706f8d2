import { describe, expect, it } from 'vitest';
import {
  minMax,
  percentRank,
  quintileScore,
  topShare,
  weightedMean,
} from '../../../shared/scoring/percentile.ts';

describe('Function: percentRank', () => {
  it('averages tied ranks and divides by the non-null count', () => {
    // Prepare: ranks 1, 2.5, 2.5, 4 of n = 4
    const values = [10, 20, 20, 40, null];
    // Act
    const pct = percentRank(values);
    // Assess
    expect(pct).toEqual([0.25, 0.625, 0.625, 1, null]);
  });

  it('gives a single value rank 1', () => {
    expect(percentRank([7])).toEqual([1]);
  });
});

describe('Function: quintileScore', () => {
  it('puts a percentile exactly on a quintile edge in the lower quintile', () => {
    expect(quintileScore(0.2)).toBe(1);
    expect(quintileScore(0.2000001)).toBe(2);
    expect(quintileScore(0.4)).toBe(2);
    expect(quintileScore(0.8)).toBe(4);
    expect(quintileScore(1)).toBe(5);
    expect(quintileScore(0.01)).toBe(1);
    expect(quintileScore(null)).toBeNull();
  });
});

describe('Function: minMax', () => {
  it('scales to [0, 1] and maps a constant column to 0', () => {
    expect(minMax([2, 4, null, 6])).toEqual([0, 0.5, null, 1]);
    expect(minMax([3, 3])).toEqual([0, 0]);
  });
});

describe('Function: topShare', () => {
  it('flags round(n x share) highest scores and breaks ties by key', () => {
    // Prepare: 5 scored rows, 20% -> 1 flagged; b and c tie, b wins on key order
    const scores = [0.1, 0.9, 0.9, null, 0.5, 0.3];
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    // Act
    const flags = topShare(scores, keys, 0.2);
    // Assess
    expect(flags).toEqual([false, true, false, false, false, false]);
  });
});

describe('Function: weightedMean', () => {
  it('re-weights the present parts when one is null', () => {
    // (0.5 x 1 + 1 x 3) / (1 + 3) = 0.875
    expect(
      weightedMean([
        { value: 0.5, weight: 1 },
        { value: null, weight: 2 },
        { value: 1, weight: 3 },
      ]),
    ).toBeCloseTo(0.875, 12);
    expect(weightedMean([{ value: null, weight: 1 }])).toBeNull();
  });
});
