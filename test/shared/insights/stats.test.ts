import { describe, expect, it } from 'vitest';
import {
  medianOf,
  normalQuantile,
  quantileType7,
  wilsonInterval,
} from '../../../shared/insights/stats.ts';

describe('Function: wilsonInterval', () => {
  it('gives [0.1078, 0.6032] for 3 of 10 at 95%', () => {
    // Prepare: z = 1.96; centre (0.3 + 0.192) / 1.384 = 0.3555; half 1.96 x sqrt(0.021 + 0.0096) / 1.384 = 0.2477
    // Act
    const ci = wilsonInterval(3, 10, 0.95);
    // Assess
    expect(ci.low).toBeCloseTo(0.1078, 4);
    expect(ci.high).toBeCloseTo(0.6032, 4);
  });

  it('starts at 0 when there are no successes', () => {
    // Prepare: 0 of 5 -> [0, z^2/n / (1 + z^2/n)] = [0, 0.7683 / 1.7683]
    // Act
    const ci = wilsonInterval(0, 5);
    // Assess
    expect(ci.low).toBe(0);
    expect(ci.high).toBeCloseTo(0.4345, 4);
  });

  it('returns null bounds when there are no trials', () => {
    // Act & Assess
    expect(wilsonInterval(0, 0)).toEqual({ low: null, high: null });
  });
});

describe('Function: normalQuantile', () => {
  it('returns 1.959964 for p = 0.975 and -2.326348 for p = 0.01', () => {
    // Act & Assess: standard normal table values
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('throws when p is outside (0, 1)', () => {
    // Act & Assess
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('Function: medianOf', () => {
  it('ignores NULLs and says how many values it used', () => {
    // Prepare: non-null values 1, 2, 3, 10 -> median (2 + 3) / 2
    // Act
    const m = medianOf([3, null, 1, 2, 10, undefined]);
    // Assess
    expect(m).toEqual({ median: 2.5, n: 4 });
  });

  it('returns null with n 0 when every value is NULL', () => {
    // Act & Assess
    expect(medianOf([null, null])).toEqual({ median: null, n: 0 });
  });
});

describe('Function: quantileType7', () => {
  it('interpolates linearly between order statistics', () => {
    // Prepare: [0, 10, 20, 100]: Q25 at h = 0.75 -> 7.5; Q75 at h = 2.25 -> 20 + 0.25 x 80 = 40
    const xs = [100, 0, 20, 10];
    // Act & Assess
    expect(quantileType7(xs, 0.25)).toBe(7.5);
    expect(quantileType7(xs, 0.75)).toBe(40);
    expect(quantileType7([5], 0.75)).toBe(5);
    expect(quantileType7([], 0.5)).toBeNull();
  });
});
