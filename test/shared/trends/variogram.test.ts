import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import { shrinkageFactor } from '../../../shared/trends/ownTrend.ts';
import { shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import {
  fitVariogram,
  type LagPoint,
  variogramEstimate,
  variogramPointsFrom,
  variogramSums,
} from '../../../shared/trends/variogram.ts';
import { worldHistory } from './trendWorld.ts';

const regressedConfig = trendsConfig.parse({ sixMonth: { factor: 'regressed' } });

const K = 13;
/** Lag points h = 13..30 of a given g(h), 100 pairs each. */
const lagsOf = (g: (h: number) => number): LagPoint[] =>
  Array.from({ length: 18 }, (_, i) => ({ h: K + i, g: g(K + i), n: 100 }));

describe('Function: fitVariogram', () => {
  it('recovers a quadratic rise plus a noise term that levels off, whole-week tau', () => {
    // Arrange: g(h) = 0.02 + 0.0003 h^2 - 0.01 exp(-(h - 13) / 4)
    const points = lagsOf((h) => 0.02 + 0.0003 * h * h - 0.01 * Math.exp(-(h - 13) / 4));
    // Act
    const fit = fitVariogram(points, K);
    // Assess
    expect(fit?.tau).toBe(4);
    expect(fit?.a).toBeCloseTo(0.02, 9);
    expect(fit?.c).toBeCloseTo(0.0003, 9);
    expect(fit?.e).toBeCloseTo(0.01, 9);
    expect(fit?.sse).toBeLessThan(1e-15);
  });

  it('gives no curvature to noise that levels off (no lasting slopes)', () => {
    // Arrange: g(h) = 0.05 - 0.02 exp(-(h - 13) / 6): rises and levels off, never grows with h^2
    const points = lagsOf((h) => 0.05 - 0.02 * Math.exp(-(h - 13) / 6));
    // Act
    const fit = fitVariogram(points, K);
    // Assess
    expect(fit?.c).toBeCloseTo(0, 12);
    expect(fit?.tau).toBe(6);
  });

  it('keeps c >= 0 where the squared change falls with the lag', () => {
    // Arrange: g falls with h^2 (an unconstrained fit would give c < 0)
    const points = lagsOf((h) => 0.1 - 0.00005 * h * h);
    // Act
    const fit = fitVariogram(points, K);
    // Assess
    expect(fit?.c).toBe(0);
    expect(fit?.e).toBeGreaterThanOrEqual(0);
  });
});

describe('Function: variogramEstimate', () => {
  it('is 2 x K^2 c / g(K) at 6 months: 2 x 169 x 0.0003 / 0.0607 = 1.6705', () => {
    // Arrange: g(13) = 0.02 + 0.0507 - 0.01 = 0.0607
    const points = lagsOf((h) => 0.02 + 0.0003 * h * h - 0.01 * Math.exp(-(h - 13) / 4));
    // Act
    const est = variogramEstimate(points, K, 8);
    // Assess
    expect(est.usable).toBe(true);
    expect(est.lastingShare).toBeCloseTo(0.0507 / 0.0607, 6);
    expect(est.factor6m).toBeCloseTo((2 * 0.0507) / 0.0607, 6);
  });

  it('clips the lasting share to 1 and is not usable with fewer lags than asked or without the K-week lag', () => {
    // Arrange: g(h) = 0.001 h^2: all of the change lasts (169 c / g(13) = 1 exactly, clipped at 1)
    const pure = lagsOf((h) => 0.001 * h * h);
    // Act & Assess
    expect(variogramEstimate(pure, K, 8).factor6m).toBeCloseTo(2, 9);
    // no noise term fitted: the reason prints none
    expect(variogramEstimate(pure, K, 8).reason).not.toContain('exp(');
    expect(variogramEstimate(pure.slice(0, 7), K, 8).usable).toBe(false);
    expect(variogramEstimate(pure.slice(1), K, 8).usable).toBe(false);
  });
});

describe('Function: variogramSums and variogramPointsFrom', () => {
  it('is the mean squared median-centred change of the window log level per lag, over accounts x origins', () => {
    // Arrange: K = 2 weeks, 6 weeks of data; account a grows, b is constant. Window sums (2 weeks ending at
    // origin w): a 14, 10, 6, 4, 2 (w = 0..4), b 2 everywhere; w = 5 is not a full window
    const hist = worldHistory({ a: [1, 1, 3, 3, 7, 7], b: [1, 1, 1, 1, 1, 1] }, 2);
    const L = [15, 11, 7, 5, 3].map(Math.log);
    const covers = (w: number) => w + 2 <= 6;
    // Act
    const sums = variogramSums(hist.byWeek, 2, covers);
    const points = variogramPointsFrom(sums, 0, 1);
    // Assess: lags 2..4 (3K = 6 exceeds the data); with two accounts the median is their mean, so each
    // centred change is +-d/2 and each origin adds 2 (d/2)^2 = d^2/2 over 2 changes
    const g = (h: number) => {
      const ds = [];
      for (let w = 0; w + h <= 4; w++) ds.push(L[w] - L[w + h]);
      return ds.reduce((s, d) => s + (d * d) / 2, 0) / (2 * ds.length);
    };
    expect(points.map((p) => p.h)).toEqual([2, 3, 4]);
    expect(points.map((p) => p.n)).toEqual([6, 4, 2]);
    for (const p of points) expect(p.g).toBeCloseTo(g(p.h), 12);
    // at origin 1 only the weeks from 1 on are known: lag 4 has no pair of origins (1 and 5)
    expect(variogramPointsFrom(sums, 1, 1).map((p) => p.h)).toEqual([2, 3]);
  });
});

describe('Function: shrinkageAt (sixMonth.factor)', () => {
  // 40 accounts over 40 weeks, K = 4: half grow steadily (each its own rate), half swing around a level and come
  // back; the lasting slopes show in the variogram's h^2 term, the swings level off
  const series: Record<string, number[]> = {};
  for (let i = 0; i < 40; i++) {
    const rate = i % 2 === 0 ? 0.01 + 0.002 * i : 0;
    series[`a${i}`] = Array.from({ length: 40 }, (_, t) =>
      Math.round(200 * Math.exp(rate * t + (i % 2 ? 0.3 * Math.sin((t + i) / 2) : 0))),
    );
  }
  const hist = worldHistory(series, 4);

  it('replaces b + b^2 at 6 months by the variogram factor and keeps b at 3 months', () => {
    const cfg = trendsConfig.parse({
      windowWeeks: 4,
      sixMonth: { factor: 'variogram' },
      shrinkage: { reliability: 'pooled' },
    });
    const regressed = shrinkageAt(
      hist,
      0,
      trendsConfig.parse({ windowWeeks: 4, sixMonth: { factor: 'regressed' } }),
    );
    // Act
    const s = shrinkageAt(hist, 0, cfg);
    // Assess: same b; 6 months from the estimate, which sees the lasting slopes
    expect(s.b).toBe(regressed.b);
    expect(s.sixMonth?.usable).toBe(true);
    expect(shrinkageFactor(s, '3m', regressedConfig)).toBe(regressed.b);
    expect(shrinkageFactor(s, '6m', regressedConfig)).toBe(s.sixMonth?.factor6m);
    expect(s.sixMonth?.fit?.c ?? 0).toBeGreaterThan(0);
    expect(shrinkageFactor(regressed, '6m', regressedConfig)).toBeCloseTo(
      regressed.b + regressed.b ** 2,
      12,
    );
    expect(regressed.sixMonth).toBeUndefined();
  });

  it('falls back to b + b^2, saying why, with fewer lags than minLags', () => {
    const cfg = trendsConfig.parse({
      windowWeeks: 4,
      sixMonth: { factor: 'variogram', minLags: 20 },
      shrinkage: { reliability: 'pooled' },
    });
    // Act
    const s = shrinkageAt(hist, 0, cfg);
    // Assess: lags 4..12 only (9 < 20)
    expect(s.sixMonth?.usable).toBe(false);
    expect(s.sixMonth?.lags.length).toBe(9);
    expect(shrinkageFactor(s, '6m', regressedConfig)).toBeCloseTo(s.b + s.b * s.b, 12);
    expect(s.reason).toContain('the 6-month factor stays b + b^2');
  });
});
