import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  classification,
  confusion,
  hitRate,
  pairedBootstrap,
  quantileSorted,
  spearman,
  topQuartileFlags,
} from '../../../shared/evaluate/metrics.ts';
import type { Direction } from '../../../shared/evaluate/truth.ts';

describe('Function: spearman', () => {
  it('gives tied values the average of their ranks', () => {
    expect(averageRanks([10, 20, 20, 30, 50])).toEqual([1, 2.5, 2.5, 4, 5]);
    expect(averageRanks([3, 3, 3])).toEqual([2, 2, 2]);
  });

  it('matches a hand computation with ties on five rows', () => {
    // ranks x [1, 2.5, 2.5, 4, 5], ranks y [2, 1, 4, 3, 5]; centred products sum 6.5, squares 9.5 and 10
    const rho = spearman([1, 2, 2, 3, 5], [2, 1, 4, 3, 5]);
    expect(rho).toBeCloseTo(6.5 / Math.sqrt(95), 12);
    expect(rho).toBeCloseTo(0.666886, 6);
  });

  it('is 1 for a monotone relation, -1 for a reversed one, null for a constant side', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(spearman([1], [2])).toBeNull();
  });
});

describe('Function: classification', () => {
  it('counts a hand example: accuracy 6/8, precision 2/3, recall 2/3', () => {
    const flags = [true, true, false, false, true, false, false, false];
    const truth = [true, false, true, false, true, false, false, false];
    const c = classification(flags, truth);
    expect(c).toMatchObject({ n: 8, flagged: 3, tp: 2, fp: 1, fn: 1, tn: 4 });
    expect(c.accuracy).toBeCloseTo(0.75, 12);
    expect(c.precision).toBeCloseTo(2 / 3, 12);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
  });

  it('leaves precision undefined when nothing is flagged', () => {
    const c = classification([false, false], [true, false]);
    expect(c.precision).toBeNull();
    expect(c.recall).toBe(0);
    expect(c.accuracy).toBe(0.5);
  });
});

describe('Function: topQuartileFlags', () => {
  it('flags the round(n/4) highest scores', () => {
    expect(topQuartileFlags([0.9, 0.1, 0.5, 0.8, 0.3, 0.2, 0.7, 0.4])).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('flags every score tied with the cut', () => {
    const flags = topQuartileFlags([1, 1, 1, 0.2, 0.1, 0.3, 0.4, 0.5]);
    expect(flags.filter(Boolean)).toHaveLength(3);
  });
});

describe('Function: hitRate and confusion', () => {
  const calls: Direction[] = ['Up', 'Flat', 'Down', 'Flat', 'Up'];
  const truth: Direction[] = ['Up', 'Up', 'Down', 'Flat', 'Down'];

  it('is the share of calls equal to the truth', () => {
    expect(hitRate(calls, truth)).toBeCloseTo(3 / 5, 12);
    expect(hitRate([], [])).toBeNull();
  });

  it('counts calls per true direction', () => {
    expect(confusion(calls, truth)).toEqual({
      Up: { Up: 1, Flat: 1, Down: 0 },
      Flat: { Up: 0, Flat: 1, Down: 0 },
      Down: { Up: 1, Flat: 0, Down: 1 },
    });
  });
});

describe('Function: pairedBootstrap', () => {
  it('gives a [0, 0] interval when the forecast is the reference', () => {
    const hits = Array.from({ length: 50 }, (_, i) => i % 3 === 0);
    const d = pairedBootstrap(hits, hits, 7);
    expect(d).toMatchObject({ n: 50, difference: 0, lower: 0, upper: 0 });
  });

  it('gives an interval above 0 for a forecast that is right wherever the reference is, and more', () => {
    // forecast right on 60 of 100, the reference on 30 of those 60 only: difference 0.3
    const forecast = Array.from({ length: 100 }, (_, i) => i < 60);
    const reference = Array.from({ length: 100 }, (_, i) => i < 30);
    const d = pairedBootstrap(forecast, reference, 7);
    expect(d.forecast).toBeCloseTo(0.6, 12);
    expect(d.reference).toBeCloseTo(0.3, 12);
    expect(d.difference).toBeCloseTo(0.3, 12);
    expect(d.lower).toBeGreaterThan(0);
    expect(d.lower).toBeLessThan(0.3);
    expect(d.upper).toBeGreaterThan(0.3);
    expect(d.upper).toBeLessThanOrEqual(0.6);
  });

  it('is deterministic for a seed', () => {
    const a = Array.from({ length: 40 }, (_, i) => i % 2 === 0);
    const b = Array.from({ length: 40 }, (_, i) => i % 3 === 0);
    expect(pairedBootstrap(a, b, 3)).toEqual(pairedBootstrap(a, b, 3));
  });

  it('returns nulls without accounts', () => {
    expect(pairedBootstrap([], [], 1).difference).toBeNull();
  });
});

describe('Function: quantileSorted', () => {
  it('interpolates between order statistics', () => {
    expect(quantileSorted([0, 10, 20, 30, 40], 0.5)).toBe(20);
    expect(quantileSorted([0, 10, 20, 30, 40], 0.025)).toBeCloseTo(1, 12);
    expect(quantileSorted([0, 10], 0.975)).toBeCloseTo(9.75, 12);
  });
});
