import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  categoryFromProba,
  fitTrendClassifier,
  predictCategories,
  samplePairs,
} from '../../../shared/trends/trendClassifier.ts';
import type { TrendCategory } from '../../../shared/trends/types.ts';

describe('Function: categoryFromProba', () => {
  it('picks the most probable of Up, Down and Flat = 1 - P(Up) - P(Down)', () => {
    // Act & Assess: (0.5, 0.2) -> Flat 0.3; (0.2, 0.5) -> Flat 0.3; (0.3, 0.3) -> Flat 0.4
    expect(categoryFromProba(0.5, 0.2)).toBe('Up');
    expect(categoryFromProba(0.2, 0.5)).toBe('Down');
    expect(categoryFromProba(0.3, 0.3)).toBe('Flat');
  });

  it('says Flat on a tie between Up and Down or with Flat', () => {
    // Act & Assess: (0.45, 0.45) -> Flat 0.1 but Up and Down tie; (0.25, 0.375) -> Flat 0.375 ties Down
    expect(categoryFromProba(0.45, 0.45)).toBe('Flat');
    expect(categoryFromProba(0.25, 0.375)).toBe('Flat');
  });
});

describe('Function: samplePairs', () => {
  it('keeps every index when there are no more than the cap', () => {
    // Act & Assess
    expect(samplePairs(4, 4, 1)).toEqual([0, 1, 2, 3]);
  });

  it('draws the cap of distinct indices, ascending, the same for the same seed', () => {
    // Act
    const a = samplePairs(100, 10, 3);
    const b = samplePairs(100, 10, 3);
    // Assess
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(a.every((i) => i >= 0 && i < 100)).toBe(true);
    expect(b).toEqual(a);
  });
});

describe('Function: fitTrendClassifier', () => {
  const config = trendsConfig.parse({
    model: { nEstimators: 20, minSamplesLeaf: 2, maxTrainPairs: 1000 },
  });
  // One feature: x < -1 went Down, x > 1 went Up, in between stayed Flat (10 + 20 + 10 pairs).
  const X: number[][] = [];
  const y: TrendCategory[] = [];
  for (let i = 0; i < 40; i++) {
    const x = -2 + i * 0.1;
    X.push([x]);
    y.push(x < -1 ? 'Down' : x > 1.05 ? 'Up' : 'Flat');
  }

  it('learns the categories of a separable toy and reports the class shares', async () => {
    // Act
    const c = await fitTrendClassifier(X, y, config, ['x']);
    const p = predictCategories(c, [[-1.8], [0], [1.8]]);
    // Assess: x = -2.0 .. -1.1 Down (10), -1.0 .. 1.0 Flat (21), 1.1 .. 1.9 Up (9)
    expect(c.pairs).toBe(40);
    expect(c.classShares.Down).toBeCloseTo(10 / 40, 10);
    expect(c.classShares.Flat).toBeCloseTo(21 / 40, 10);
    expect(c.classShares.Up).toBeCloseTo(9 / 40, 10);
    expect(p.map((r) => r.category)).toEqual(['Down', 'Flat', 'Up']);
    expect(p[2].pUp).toBeGreaterThan(0.5);
    expect(p[0].pDown).toBeGreaterThan(0.5);
  });

  it('fits on a seeded sample of maxTrainPairs pairs when there are more', async () => {
    // Prepare
    const capped = trendsConfig.parse({ model: { nEstimators: 5, maxTrainPairs: 25 } });
    // Act
    const c = await fitTrendClassifier(X, y, capped);
    // Assess
    expect(c.pairs).toBe(25);
    expect(c.up.nSamples).toBe(25);
  });
});
