import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import { addDays } from '../../../shared/sql/accountFeatures.ts';
import { backtestHorizon } from '../../../shared/trends/backtest.ts';
import {
  accountGroup,
  pickMethod,
  selectCategoryMethod,
} from '../../../shared/trends/methodSelection.ts';
import { makeHistory } from '../../../shared/trends/trendHistory.ts';
import type { PitPoint } from '../../../shared/trends/types.ts';
import { valueTrends } from '../../../shared/trends/valueTrends.ts';
import { features } from './fixtures.ts';

/** Score slope per day of each account: 3 rising, 6 flat, 3 falling (so Flat is the majority category). */
const SLOPES: Record<string, number> = {
  u0: 0.002,
  u1: 0.002,
  u2: 0.002,
  f0: 0,
  f1: 0,
  f2: 0,
  f3: 0,
  f4: 0,
  f5: 0,
  d0: -0.002,
  d1: -0.002,
  d2: -0.002,
};

/**
 * Weekly history from 2024-01-01 (week k): every account's score moves by its constant slope, so "last change
 * continues" is always right; after week `flipAfter` the slopes reverse (a future the selection must not read).
 */
function steadyHistory(weeks: number, flipAfter = weeks) {
  const byDate = new Map<string, Map<string, PitPoint>>();
  for (let k = 0; k < weeks; k++) {
    const points = new Map<string, PitPoint>();
    for (const [id, slope] of Object.entries(SLOPES)) {
      const days = 7 * Math.min(k, flipAfter) - 7 * Math.max(0, k - flipAfter);
      const score = 0.5 + slope * days;
      points.set(id, { accountId: id, score, features: features(7 * k, 100) });
    }
    byDate.set(addDays('2024-01-01', 7 * k), points);
  }
  return makeHistory(byDate);
}

/** Forests that cannot split (a leaf needs 1,000 pairs): they predict the majority category, Flat, everywhere. */
const blindConfig = trendsConfig.parse({
  minTrainOrigins: 2,
  minTrainPairs: 10,
  classifier: { nEstimators: 5, minSamplesLeaf: 1000 },
  selection: { groupByAccount: false, minValidationPairs: 12 },
});

describe('Function: pickMethod', () => {
  it('picks the best inner hit rate, ties going to the classifier, then to last change', () => {
    // Act & Assess
    expect(pickMethod({ model: 0.5, lastChange: 0.6, flat: 0.4 })).toBe('last-change');
    expect(pickMethod({ model: 0.5, lastChange: 0.4, flat: 0.6 })).toBe('flat');
    expect(pickMethod({ model: 0.6, lastChange: 0.6, flat: 0.6 })).toBe('model');
    expect(pickMethod({ model: 0.4, lastChange: 0.6, flat: 0.6 })).toBe('last-change');
  });
});

describe('Function: accountGroup', () => {
  it('puts the same id in the same group every time and uses both groups', () => {
    // Prepare
    const ids = Array.from({ length: 20 }, (_, i) => `acc-${i}`);
    // Act
    const groups = ids.map(accountGroup);
    // Assess
    expect(ids.map(accountGroup)).toEqual(groups);
    expect(new Set(groups)).toEqual(new Set([0, 1]));
  });
});

describe('Function: selectCategoryMethod', () => {
  it('picks last change when the classifier does worse on the held-out latest pairs', async () => {
    // Prepare: 30 weeks, cutoff Jul 22 (week 29): origins weeks 0..16 have a known 91-day outcome; the latest
    // round(0.25 x 17) = 4 (weeks 13..16, 48 pairs) are held out, weeks 0..12 (156 pairs) fit the classifier
    const history = steadyHistory(30);
    // Act
    const s = await selectCategoryMethod(history, 90, '2024-07-22', blindConfig);
    // Assess: the blind classifier says Flat for all (right for 6 of 12 accounts), as does all Flat; last change
    // (+-0.182 or 0 over 91 days) is right for all 12
    expect(s.method).toBe('last-change');
    expect(s.inner).toMatchObject({
      fitOrigins: 13,
      fitPairs: 156,
      validationOrigins: ['2024-04-01', '2024-04-08', '2024-04-15', '2024-04-22'],
      validationPairs: 48,
      hitRate: { model: 0.5, lastChange: 1, flat: 0.5 },
    });
    expect(s.reason).toContain('-> last-change');
  });

  it('uses only pairs whose outcome is known at the cutoff (no look-ahead)', async () => {
    // Prepare: cutoff May 20 (week 20): origins weeks 0..7 have a known outcome; the same history with every slope
    // reversed after week 20 must give the same selection
    const steady = steadyHistory(30);
    const flipped = steadyHistory(30, 20);
    // Act
    const a = await selectCategoryMethod(steady, 90, '2024-05-20', blindConfig);
    const b = await selectCategoryMethod(flipped, 90, '2024-05-20', blindConfig);
    // Assess: 8 origins, the latest 2 (Feb 12, Feb 19) held out
    expect(a.inner?.validationOrigins).toEqual(['2024-02-12', '2024-02-19']);
    expect(a.inner?.fitOrigins).toBe(6);
    expect(a.inner?.validationPairs).toBe(24);
    expect(b).toEqual(a);
  });

  it('keeps the classifier and says so when the held-out set is too small', async () => {
    // Prepare
    const config = trendsConfig.parse({
      ...blindConfig,
      selection: { groupByAccount: false, minValidationPairs: 49 },
    });
    // Act
    const s = await selectCategoryMethod(steadyHistory(30), 90, '2024-07-22', config);
    // Assess: 48 held-out pairs < 49
    expect(s.method).toBe('model');
    expect(s.inner?.hitRate).toBeNull();
    expect(s.reason).toContain('inner validation too small (48 held-out pairs, need 49');
  });
});

describe('Function: backtestHorizon (with method selection)', () => {
  it('scores the method chosen at each origin, which beats the blind classifier here', async () => {
    // Prepare: 40 weeks; origins weeks 14..26 (an outcome 13 weeks on), week t knowing origins 0..t-13
    const history = steadyHistory(40);
    // Act
    const bt = await backtestHorizon(history, 90, blindConfig);
    // Assess: at weeks 14-16 the held-out origin (week 1-3) has no score 30 days back, so last change says Flat
    // like the classifier (a tie: classifier kept); from week 17 the held-out origins (week 4 on) have one
    const methods = bt.origins.map((o) => o.selected.method);
    expect(methods).toEqual([...Array(3).fill('model'), ...Array(10).fill('last-change')]);
    expect(bt.selectedCounts).toEqual({ model: 3, 'last-change': 10, flat: 0 });
    // 3 origins x 12 pairs at 0.5, 10 x 12 at 1: 138 / 156
    expect(bt.selected.hitRate).toBeCloseTo(138 / 156, 10);
    expect(bt.model.hitRate).toBe(0.5);
  });
});

describe('Function: valueTrends (with method selection)', () => {
  it("takes today's categories from the method that won the inner validation", async () => {
    // Prepare
    const history = steadyHistory(30);
    const accounts = ['u0', 'f0', 'd0'].map((id) => ({
      account_id: id,
      value_index: 0.5,
      product_health_score: 50,
    }));
    // Act
    const r = await valueTrends({ history, asOf: '2024-07-22', accounts, config: blindConfig });
    // Assess: the classifier alone would say Flat for all three
    expect(r.methods['3m']).toMatchObject({ method: 'last-change', categoryFrom: 'last-change' });
    expect(r.rows.map((row) => [row.trend_3m, row.trend_method_3m])).toEqual([
      ['Up', 'last-change'],
      ['Flat', 'last-change'],
      ['Down', 'last-change'],
    ]);
  });
});
