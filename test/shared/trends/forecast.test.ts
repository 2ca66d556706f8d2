import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import { directionMetrics } from '../../../shared/trends/backtest.ts';
import {
  heuristicForecast,
  lastChangeDeltas,
  trendCategory,
} from '../../../shared/trends/forecast.ts';
import { makeHistory } from '../../../shared/trends/trendHistory.ts';
import type { PitFeatures, PitPoint } from '../../../shared/trends/types.ts';
import { valueTrends } from '../../../shared/trends/valueTrends.ts';

const config = trendsConfig.parse({});
const features = {} as PitFeatures;
const point = (accountId: string, score: number): PitPoint => ({ accountId, score, features });
const history = (scores: Record<string, Record<string, number>>) =>
  makeHistory(
    new Map(
      Object.entries(scores).map(([d, byId]) => [
        d,
        new Map(Object.entries(byId).map(([id, s]) => [id, point(id, s)])),
      ]),
    ),
  );

describe('Function: trendCategory', () => {
  it('puts deltas at the thresholds in Up and Down and between them in Flat', () => {
    // Act & Assess (defaults: up 0.05, down 0.05)
    expect(trendCategory(0.05, config)).toBe('Up');
    expect(trendCategory(0.0499, config)).toBe('Flat');
    expect(trendCategory(-0.0499, config)).toBe('Flat');
    expect(trendCategory(-0.05, config)).toBe('Down');
  });

  it('follows configured thresholds', () => {
    // Prepare
    const wide = trendsConfig.parse({ upThreshold: 0.2, downThreshold: 0.1 });
    // Act & Assess
    expect([0.15, 0.2, -0.09, -0.1].map((d) => trendCategory(d, wide))).toEqual([
      'Flat',
      'Up',
      'Flat',
      'Down',
    ]);
  });
});

describe('Function: directionMetrics', () => {
  it('computes hit rate, MAE and the confusion matrix of a tiny set by hand', () => {
    // Prepare: predicted / actual deltas -> categories Up/Up, Flat/Down, Down/Down, Up/Flat
    const pairs = [
      { predicted: 0.1, actual: 0.2 },
      { predicted: 0, actual: -0.1 },
      { predicted: -0.2, actual: -0.1 },
      { predicted: 0.06, actual: 0.02 },
    ];
    // Act
    const m = directionMetrics(pairs, config);
    // Assess: 2 of 4 hit; |errors| 0.1 + 0.1 + 0.1 + 0.04 = 0.34 -> MAE 0.085
    expect(m.n).toBe(4);
    expect(m.hitRate).toBe(0.5);
    expect(m.mae).toBeCloseTo(0.085, 10);
    expect(m.confusion.Up).toEqual({ Up: 1, Flat: 0, Down: 0 });
    expect(m.confusion.Down).toEqual({ Up: 0, Flat: 1, Down: 1 });
    expect(m.confusion.Flat).toEqual({ Up: 1, Flat: 0, Down: 0 });
  });

  it('returns null rates when nothing is evaluable', () => {
    // Act
    const m = directionMetrics([], config);
    // Assess
    expect([m.n, m.hitRate, m.mae]).toEqual([0, null, null]);
  });
});

describe('Function: lastChangeDeltas', () => {
  it('continues the change over the previous horizon', () => {
    // Prepare: a rose 0.1 in 90 days, b fell 0.3 (and cannot fall below 0 next time)
    const h = history({ '2024-01-01': { a: 0.5, b: 0.4 }, '2024-03-31': { a: 0.6, b: 0.1 } });
    // Act
    const d = lastChangeDeltas(h, '2024-03-31', 90, config);
    // Assess
    expect(d.get('a')).toBeCloseTo(0.1, 10);
    expect(d.get('b')).toBeCloseTo(-0.1, 10);
  });
});

describe('Function: heuristicForecast', () => {
  it('blends score and health, adds dampened momentum, continues it to 6 months', () => {
    // Act: score 0.5, health 80, last-month change +0.02 (weights 0.6 / 0.4, momentum 0.5, damping 0.5)
    const f = heuristicForecast({ score: 0.5, health: 80, changeShort: 0.02 }, config);
    // Assess: 3m = 0.6 x 0.5 + 0.4 x 0.8 + 0.5 x 0.02 = 0.63; 6m = 0.63 + 0.5 x 0.13 = 0.695
    expect(f.predicted3m).toBeCloseTo(0.63, 10);
    expect(f.predicted6m).toBeCloseTo(0.695, 10);
  });
});

describe('Function: valueTrends', () => {
  it('falls back to the heuristic and says so when no outcome is known yet', async () => {
    // Prepare: two dates one month apart: no pair with a 90- or 180-day outcome
    const h = history({ '2024-09-30': { a: 0.4 }, '2024-10-31': { a: 0.5 } });
    // Act
    const r = await valueTrends({
      history: h,
      asOf: '2024-10-31',
      accounts: [
        { account_id: 'a', value_index: 0.7, product_health_score: 50 },
        { account_id: 'z', value_index: null, product_health_score: null },
      ],
      config,
    });
    // Assess: 3m = 0.6 x 0.5 + 0.4 x 0.5 + 0.5 x 0.1 = 0.55 (Up); z has no usage: empty trend
    expect(r.methods['3m'].method).toBe('heuristic-fallback');
    expect(r.methods['6m'].method).toBe('heuristic-fallback');
    expect(r.backtest['3m'].evaluable).toBe(false);
    expect(r.rows[0]).toMatchObject({
      trend_method_3m: 'heuristic-fallback',
      trend_3m: 'Up',
      value_index: 0.7,
    });
    expect(r.rows[0].predicted_value_3m).toBeCloseTo(0.55, 10);
    expect(r.rows[1]).toMatchObject({ account_id: 'z', trend_3m: null, trend_method_3m: null });
  });
});
