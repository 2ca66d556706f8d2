import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import { addDays } from '../../../shared/sql/accountFeatures.ts';
import { backtestHorizon, directionMetrics } from '../../../shared/trends/backtest.ts';
import { trainingSet } from '../../../shared/trends/forecast.ts';
import { makeHistory } from '../../../shared/trends/trendHistory.ts';
import type { PitPoint } from '../../../shared/trends/types.ts';
import { features } from './fixtures.ts';

/** Weekly history from 2024-01-01: account i rises, stays or falls by 0.002 a day with i % 3 (12 accounts). */
function weeklyHistory(weeks: number) {
  const byDate = new Map<string, Map<string, PitPoint>>();
  for (let k = 0; k < weeks; k++) {
    const date = addDays('2024-01-01', 7 * k);
    const points = new Map<string, PitPoint>();
    for (let i = 0; i < 12; i++) {
      const slope = [0.002, 0, -0.002][i % 3];
      const score = Math.min(1, Math.max(0, 0.5 + slope * 7 * k + i * 0.001));
      points.set(`a${i}`, {
        accountId: `a${i}`,
        score,
        features: features(7 * k, 100 * (1 + slope * 100 * k)),
      });
    }
    byDate.set(date, points);
  }
  return makeHistory(byDate);
}

describe('Function: trainingSet', () => {
  it('uses only pairs whose outcome date is on or before the cutoff (no look-ahead)', () => {
    // Prepare: 0, 90 and 180 days after Jan 1
    const p = (s: number) => ({ accountId: 'a', score: s, features: features(0, 10) });
    const h = makeHistory(
      new Map([
        ['2024-01-01', new Map([['a', p(0.2)]])],
        ['2024-03-31', new Map([['a', p(0.5)]])],
        ['2024-06-29', new Map([['a', p(0.9)]])],
      ]),
    );
    const config = trendsConfig.parse({});
    // Act
    const known = trainingSet(h, 90, '2024-03-31', config);
    const early = trainingSet(h, 90, '2024-03-30', config);
    // Assess: at Mar 31 only Jan 1 -> Mar 31 is known (+0.3); a day earlier nothing is
    expect(known.origins).toEqual(['2024-01-01']);
    expect(known.y).toHaveLength(1);
    expect(known.y[0]).toBeCloseTo(0.3, 10);
    expect(early.y).toEqual([]);
  });
});

describe('Function: directionMetrics', () => {
  it("scores a pair's own category instead of its delta's when it carries one", () => {
    // Prepare: the delta 0 says Flat, the classifier said Up; actual +0.1 is Up
    const config = trendsConfig.parse({});
    // Act
    const m = directionMetrics(
      [
        { predicted: 0, actual: 0.1, category: 'Up' },
        { predicted: 0, actual: 0.1 },
      ],
      config,
    );
    // Assess
    expect(m.hitRate).toBe(0.5);
    expect(m.confusion.Up).toEqual({ Up: 1, Flat: 1, Down: 0 });
    expect(m.mae).toBeCloseTo(0.1, 10);
  });
});

describe('Function: backtestHorizon', () => {
  it('fits at an origin only on outcomes known then, and refits when the fit is backtestRefitDays old', async () => {
    // Prepare: 30 weeks (Jan 1 .. Jul 22); an outcome 90 days on is read 91 days on (next weekly date)
    const config = trendsConfig.parse({
      minTrainOrigins: 2,
      minTrainPairs: 10,
      backtestRefitDays: 14,
      classifier: { nEstimators: 5, minSamplesLeaf: 2 },
    });
    // Act
    const bt = await backtestHorizon(weeklyHistory(30), 90, config);
    // Assess: an origin t needs t + 91 <= Jul 22 (t <= Apr 22); a fit at t knows origins s <= t - 91, i.e.
    // k - 12 of them at week k: 2 at Apr 8 (week 14), reused at Apr 15, refitted with 4 at Apr 22
    expect(bt.evaluable).toBe(true);
    expect(bt.origins.map((o) => [o.origin, o.fittedAt, o.outcome, o.trainOrigins, o.n])).toEqual([
      ['2024-04-08', '2024-04-08', '2024-07-08', 2, 12],
      ['2024-04-15', '2024-04-08', '2024-07-15', 2, 12],
      ['2024-04-22', '2024-04-22', '2024-07-22', 4, 12],
    ]);
    expect(bt.model.n).toBe(36);
    expect(bt.flat.n).toBe(36);
    expect(bt.lastChange.n).toBe(36);
    expect(bt.selected.n).toBe(36);
  });
});
