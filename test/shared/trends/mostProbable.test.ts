import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  categoryProbabilities,
  mostProbableCategory,
  normalCdf,
  persistentPredictive,
  regressedCall,
  shrinkageOf,
} from '../../../shared/trends/ownTrend.ts';

// The fourth method (docs/trends.md, "Fourth method, pre-registered"). Expected probabilities below were computed
// by hand from the normal CDF (Python's math.erf), not from the code under test. Thresholds: Up above ln 1.1 =
// 0.0953102, Down below ln 0.9 = -0.1053605.
const config = trendsConfig.parse({
  regressedCall: 'most-probable',
  shrinkage: { reliability: 'pooled' },
  sixMonth: { factor: 'regressed' },
});
const meanThreshold = trendsConfig.parse({ sixMonth: { factor: 'regressed' } });

describe('Config: trends.regressedCall', () => {
  it('defaults to mean-threshold (the fourth method failed its adoption rule)', () => {
    expect(meanThreshold.regressedCall).toBe('mean-threshold');
  });
});

describe('Function: normalCdf', () => {
  it('matches the table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});

describe('Function: persistentPredictive', () => {
  it('gives N(k b x, k^2 b (1 - b) var(x)), k = 1 window at 3 months and 2 at 6', () => {
    // b = 0.5, var(x) = 0.08, x = 0.05: 6 months mean 2 x 0.5 x 0.05 = 0.05, sd 2 sqrt(0.25 x 0.08) = 0.282843
    expect(persistentPredictive(0.05, 0.5, 0.08, '6m').mean).toBeCloseTo(0.05, 12);
    expect(persistentPredictive(0.05, 0.5, 0.08, '6m').sd).toBeCloseTo(0.282843, 6);
    // 3 months: mean 0.025, sd sqrt(0.02) = 0.141421
    expect(persistentPredictive(0.05, 0.5, 0.08, '3m').mean).toBeCloseTo(0.025, 12);
    expect(persistentPredictive(0.05, 0.5, 0.08, '3m').sd).toBeCloseTo(0.141421, 6);
  });
});

describe('Function: categoryProbabilities', () => {
  it('splits a normal predictive at the +/-10 % thresholds', () => {
    // Act: mean 0.05, sd 0.282843
    const p = categoryProbabilities({ mean: 0.05, sd: 0.282843 }, config);
    // Assess: P(Up) = 1 - Phi(0.160196) = 0.436363, P(Down) = Phi(-0.549283) = 0.291406
    expect(p.Up).toBeCloseTo(0.436363, 5);
    expect(p.Flat).toBeCloseTo(0.272231, 5);
    expect(p.Down).toBeCloseTo(0.291406, 5);
  });
});

describe('Function: mostProbableCategory', () => {
  it('calls Up where P(Up) is the largest although the expected change is inside the band', () => {
    // Assess: mean 0.05 < ln 1.1, but P(Up) 0.436 > P(Down) 0.291 > P(Flat) 0.272
    expect(mostProbableCategory({ mean: 0.05, sd: 0.282843 }, config)).toBe('Up');
    // Mirror: P(Down) 0.422 > P(Up) 0.304 > P(Flat) 0.274
    expect(mostProbableCategory({ mean: -0.05, sd: 0.282843 }, config)).toBe('Down');
  });

  it('calls Flat where Flat is the most probable', () => {
    // Assess: mean 0.05, sd 0.1: P(Up) 0.325, P(Flat) 0.615, P(Down) 0.060
    expect(mostProbableCategory({ mean: 0.05, sd: 0.1 }, config)).toBe('Flat');
    // mean 0.1, sd 0.1: P(Up) 0.519 > P(Flat) 0.461
    expect(mostProbableCategory({ mean: 0.1, sd: 0.1 }, config)).toBe('Up');
  });

  it('never calls Up with an expected change of 0, though the asymmetric band makes P(Up) the largest', () => {
    // Assess: mean 0, sd 0.5: P(Up) 0.424 > P(Down) 0.417 > P(Flat) 0.159, yet no sign -> Flat
    const p = categoryProbabilities({ mean: 0, sd: 0.5 }, config);
    expect(p.Up).toBeGreaterThan(p.Down);
    expect(p.Down).toBeGreaterThan(p.Flat);
    expect(mostProbableCategory({ mean: 0, sd: 0.5 }, config)).toBe('Flat');
  });

  it('thresholds the mean when the sd is 0', () => {
    expect(mostProbableCategory({ mean: 0.1, sd: 0 }, config)).toBe('Up');
    expect(mostProbableCategory({ mean: 0.09, sd: 0 }, config)).toBe('Flat');
    expect(mostProbableCategory({ mean: -0.11, sd: 0 }, config)).toBe('Down');
  });
});

describe('Function: regressedCall', () => {
  // 40 pairs, x = +/-0.1 (var(x) = 0.01 exactly, mean 0), y = 0.5 x: b = 0.5
  const half = shrinkageOf(
    Array.from({ length: 40 }, (_, i) => {
      const x = i % 2 ? 0.1 : -0.1;
      return { x, y: 0.5 * x };
    }),
    config,
  );

  it('estimates b and var(x) from the pairs', () => {
    expect(half.b).toBeCloseTo(0.5, 12);
    expect(half.changeVariance).toBeCloseTo(0.01, 12);
  });

  it('calls the most probable class at 6 months where thresholding the mean calls Flat', () => {
    // Act: x = 0.1. 6 months: N(0.1, 0.1^2): P(Up) 0.519 -> Up; the second method: (b + b^2) x = 0.075 -> Flat
    const now = regressedCall(0.1, half, '6m', config);
    const before = regressedCall(0.1, half, '6m', meanThreshold);
    // Assess
    expect(now).toEqual({ p: expect.closeTo(0.1, 12), t: 'Up' });
    expect(before).toEqual({ p: expect.closeTo(0.075, 12), t: 'Flat' });
  });

  it('keeps the 3-month call Flat where Flat is the most probable', () => {
    // Act: x = 0.1. 3 months: N(0.05, 0.05^2): P(Flat) 0.817
    expect(regressedCall(0.1, half, '3m', config).t).toBe('Flat');
  });

  it('calls every account Flat when b = 0 (changes that reverse: a world of noise)', () => {
    // Prepare: y = -0.5 x -> b = 0
    const none = shrinkageOf(
      Array.from({ length: 40 }, (_, i) => {
        const x = i % 2 ? 0.1 : -0.1;
        return { x, y: -0.5 * x };
      }),
      config,
    );
    // Assess: even a 20-fold rise or fall is Flat
    expect(none.b).toBe(0);
    for (const x of [3, 0.5, -0.5, -3]) {
      expect(regressedCall(x, none, '6m', config).t).toBe('Flat');
      expect(regressedCall(x, none, '3m', config).t).toBe('Flat');
    }
  });

  it('is plain persistence when b = 1 (sd 0): 2 x thresholded at 6 months', () => {
    // Prepare: y = 2 x -> slope 2, b = 1
    const full = shrinkageOf(
      Array.from({ length: 40 }, (_, i) => {
        const x = i % 2 ? 0.1 : -0.1;
        return { x, y: 2 * x };
      }),
      config,
    );
    // Assess: 2 x 0.05 = 0.1 > 0.0953 Up; 2 x 0.045 = 0.09 Flat
    expect(regressedCall(0.05, full, '6m', config).t).toBe('Up');
    expect(regressedCall(0.045, full, '6m', config).t).toBe('Flat');
  });

  it('thresholds the mean (b + b^2) when b is the fallback (too few pairs)', () => {
    // Prepare: 29 pairs < 30 -> b = 0.5, no variance
    const fallback = shrinkageOf(
      Array.from({ length: 29 }, (_, i) => ({ x: i, y: i })),
      config,
    );
    // Assess: 0.75 x 0.12 = 0.09 -> Flat; 0.75 x 0.13 = 0.0975 -> Up
    expect(fallback.changeVariance).toBeNull();
    expect(regressedCall(0.12, fallback, '6m', config)).toEqual({
      p: expect.closeTo(0.09, 12),
      t: 'Flat',
    });
    expect(regressedCall(0.13, fallback, '6m', config).t).toBe('Up');
  });
});
