import { describe, expect, it } from 'vitest';
import { cumulative, Rng } from '../../../shared/generate/random.ts';

describe('Class: Rng', () => {
  it('repeats the same sequence when seeded with the same seed and keys', () => {
    // Prepare
    const a = new Rng(42, 3, 7);
    const b = new Rng(42, 3, 7);
    const c = new Rng(42, 3, 8);
    // Act
    const sa = Array.from({ length: 5 }, () => a.next32());
    const sb = Array.from({ length: 5 }, () => b.next32());
    const sc = Array.from({ length: 5 }, () => c.next32());
    // Assess
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('keeps draws in range and near their means over many draws', () => {
    // Prepare
    const r = new Rng(1);
    const n = 20_000;
    let sumU = 0;
    let sumN = 0;
    let sumP = 0;
    let outOfRange = 0;
    // Act
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (u < 0 || u >= 1) outOfRange++;
      sumU += u;
      sumN += r.normal();
      sumP += r.poisson(4);
    }
    // Assess: means 0.5, 0 and 4, within a few standard errors
    expect(outOfRange).toBe(0);
    expect(sumU / n).toBeCloseTo(0.5, 1);
    expect(Math.abs(sumN / n)).toBeLessThan(0.05);
    expect(sumP / n).toBeCloseTo(4, 0);
  });

  it('draws an index in proportion to its weight when given cumulative weights', () => {
    // Prepare: weights 1, 0, 3 -> index 1 never, index 2 three times as often as 0
    const r = new Rng(9);
    const cdf = cumulative([1, 0, 3]);
    const counts = [0, 0, 0];
    // Act
    for (let i = 0; i < 8_000; i++) counts[r.weighted(cdf)]++;
    // Assess
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
    expect(counts[2] / counts[0]).toBeLessThan(3.4);
  });
});
