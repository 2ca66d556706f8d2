import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  categoryOfChange,
  hasFullInputs,
  logChange,
  median,
  olsSlope,
  pairedBootstrap,
  rawChange,
  regressedFactor,
  sampleIds,
  shrinkageOf,
  type WindowRow,
} from '../../../shared/trends/ownTrend.ts';
import { valueTrends } from '../../../shared/trends/valueTrends.ts';

// the 6-month factor b + b^2 (the tests below predate sixMonth.factor lasting; reliability.test.ts covers it)
const config = trendsConfig.parse({ sixMonth: { factor: 'regressed' } });

/** An account at the as-of with visitor-days `prev` then `last` over its two windows, active for a year. */
const acct = (id: string, prev: number, last: number): WindowRow => ({
  account_id: id,
  w: 0,
  first_w: 52,
  last_w: 0,
  v_last: last,
  v_prev: prev,
  v_prev2: prev,
  v_fut3: null,
  v_fut6: null,
  m_recent: 10,
  m_rest: 20,
  d_last: 40,
  q_prev: null,
  a_last: null,
  a_prev: null,
  a_prev2: null,
});

describe('Function: categoryOfChange', () => {
  it('calls Up above +10 %, Down below -10 %, Flat in between (log changes)', () => {
    // Act & Assess: ln(1.11) > ln(1.10) = 0.0953; ln(1.09) inside; ln(0.89) < ln(0.90) = -0.1054
    expect(categoryOfChange(Math.log(1.11), config)).toBe('Up');
    expect(categoryOfChange(Math.log(1.09), config)).toBe('Flat');
    expect(categoryOfChange(Math.log(0.91), config)).toBe('Flat');
    expect(categoryOfChange(Math.log(0.89), config)).toBe('Down');
  });
});

describe('Function: median, olsSlope, logChange', () => {
  it('computes hand-checkable values', () => {
    // Act & Assess
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    // y = 2x + 1 exactly
    expect(olsSlope([0, 1, 2].map((x) => ({ x, y: 2 * x + 1 })))).toBeCloseTo(2, 12);
    expect(olsSlope([{ x: 1, y: 1 }])).toBeNull();
    // (119 + 1) / (99 + 1) = 1.2
    expect(logChange(119, 99)).toBeCloseTo(Math.log(1.2), 12);
  });
});

describe('Label correction for population-wide movement', () => {
  // Three accounts whose usage all rose 20 %: (v + 1) goes 100 -> 120, 200 -> 240, 500 -> 600.
  const rows = [acct('a', 99, 119), acct('b', 199, 239), acct('c', 499, 599)];
  /** A run account without scores; `has_product` false for an account without product data. */
  const account = (id: string, has_product = true) => ({
    account_id: id,
    value_index: null,
    product_health_score: null,
    has_product,
  });
  const frame = {
    asOf: '2024-10-31',
    firstDay: '2023-10-01',
    lastDay: '2024-10-31',
    windowWeeks: 13,
  };

  it('reads each raw change as Up: +20 % is above the +10 % bar', () => {
    // Assess: without the correction every account would be Up
    for (const r of rows) expect(categoryOfChange(rawChange(r), config)).toBe('Up');
  });

  it('subtracts the population median (20 %): corrected change 0, every call Flat', async () => {
    // Act
    const out = await valueTrends({
      frame,
      asOfRows: rows,
      history: null,
      accounts: rows.map((r) => account(r.account_id)),
      trendScores: new Map(),
      config,
    });
    // Assess
    expect(out.populationChange).toBeCloseTo(Math.log(1.2), 12);
    for (const r of out.rows) {
      expect(r.usage_change).toBeCloseTo(0, 12);
      expect(r).toMatchObject({
        trend_3m: 'Flat',
        trend_6m: 'Flat',
        persistence_3m: 'Flat',
        persistence_6m: 'Flat',
      });
    }
  });

  it('keeps an account that rose 50 % while the others rose 20 % Up (log 1.5 - log 1.2 = log 1.25)', async () => {
    // Prepare: median of (1.2, 1.2, 1.5, 1.2, 1.2) is 1.2
    const more = [...rows, acct('d', 99, 149), acct('e', 999, 1199)];
    // Act
    const out = await valueTrends({
      frame,
      asOfRows: more,
      history: null,
      accounts: more.map((r) => account(r.account_id)),
      trendScores: new Map(),
      config,
    });
    // Assess: without history, b is the fixed fallback 0.5: 0.5 x log 1.25 = 0.1116 > log 1.1 = 0.0953 -> Up
    const d = out.rows.find((r) => r.account_id === 'd');
    expect(d?.usage_change).toBeCloseTo(Math.log(1.25), 12);
    expect(out.shrinkage.b).toBe(0.5);
    expect(d).toMatchObject({
      persistence_3m: 'Up',
      trend_3m: 'Up',
      trend_method_3m: 'persistence-regressed',
    });
    // 6 months: persistence doubles the change; regressed uses b + b^2 = 0.75
    expect(d?.predicted_change_6m).toBeCloseTo(0.75 * Math.log(1.25), 12);
  });

  it('calls every account Flat when the data has fewer than two full windows before the as-of', async () => {
    // Act: data from 2024-06-01 only, 152 days before the as-of (< 182)
    const out = await valueTrends({
      frame: { ...frame, firstDay: '2024-06-01' },
      asOfRows: [acct('d', 99, 149)],
      history: null,
      accounts: [account('d')],
      trendScores: new Map(),
      config,
    });
    // Assess
    expect(out.methods['3m'].method).toBe('flat');
    expect(out.rows[0]).toMatchObject({
      trend_3m: 'Flat',
      persistence_3m: 'Flat',
      usage_change: null,
    });
  });

  it('calls a product account without any daily-metrics row Flat and counts it; a prospect gets no call', async () => {
    // Prepare: a, b, c active (two full windows); 'never' a product account without any daily-metrics row;
    // 'young' active for 10 weeks only; 'prospect' an account without product data
    const young = { ...acct('young', 0, 50), first_w: 9 };
    // Act
    const out = await valueTrends({
      frame,
      asOfRows: [...rows, young],
      history: null,
      accounts: [
        ...rows.map((r) => account(r.account_id, true)),
        account('young', true),
        account('never', true),
        account('prospect', false),
      ],
      trendScores: new Map(),
      config,
    });
    // Assess: 'never' like 'young': Flat at both horizons and for persistence, no usage change, the method named
    const flat = {
      usage_change: null,
      predicted_change_3m: 0,
      predicted_change_6m: 0,
      trend_3m: 'Flat',
      trend_6m: 'Flat',
      persistence_3m: 'Flat',
      persistence_6m: 'Flat',
      trend_method_3m: 'persistence-regressed',
      trend_method_6m: 'persistence-regressed',
    };
    expect(out.rows.find((r) => r.account_id === 'never')).toMatchObject(flat);
    expect(out.rows.find((r) => r.account_id === 'young')).toMatchObject(flat);
    expect(out.rows.find((r) => r.account_id === 'prospect')).toMatchObject({
      trend_3m: null,
      trend_6m: null,
      persistence_3m: null,
      persistence_6m: null,
      trend_method_3m: null,
    });
    // Counted: young and never without full inputs, never also without daily metrics
    expect(out.accountsWithoutFullInputs).toBe(2);
    expect(out.accountsWithoutDailyMetrics).toBe(1);
  });
});

describe('Function: hasFullInputs (persistence needs two full windows)', () => {
  it('needs the account active since the earliest week of the earlier window', () => {
    // Assess: K = 13 -> weeks w .. w + 25; first active week 25 weeks back at w = 0 is enough, 24 is not
    expect(hasFullInputs({ ...acct('a', 1, 1), first_w: 25 }, 13)).toBe(true);
    expect(hasFullInputs({ ...acct('a', 1, 1), first_w: 24 }, 13)).toBe(false);
    expect(hasFullInputs({ ...acct('a', 1, 1), w: 3, first_w: 27 }, 13)).toBe(false);
  });
});

describe('Function: shrinkageOf', () => {
  it('takes the slope of the change on the previous one, clipped to [0, 1]', () => {
    // Act: y = 0.4 x (b = 0.4); y = -0.5 x (mean reversion: b = 0); y = 2 x (b = 1)
    const xs = Array.from({ length: 40 }, (_, i) => i / 10 - 2);
    expect(
      shrinkageOf(
        xs.map((x) => ({ x, y: 0.4 * x })),
        config,
      ).b,
    ).toBeCloseTo(0.4, 12);
    expect(
      shrinkageOf(
        xs.map((x) => ({ x, y: -0.5 * x })),
        config,
      ).b,
    ).toBe(0);
    expect(
      shrinkageOf(
        xs.map((x) => ({ x, y: 2 * x })),
        config,
      ).b,
    ).toBe(1);
  });

  it('uses the fixed fallback with fewer than minPairs pairs', () => {
    // Act: 29 pairs < 30
    const s = shrinkageOf(
      Array.from({ length: 29 }, (_, i) => ({ x: i, y: i })),
      config,
    );
    // Assess
    expect(s).toMatchObject({ b: 0.5, slope: null, pairs: 29 });
  });

  it('gives the 6-month factor b + b^2', () => {
    expect(regressedFactor(0.5, '6m')).toBe(0.75);
    expect(regressedFactor(0.5, '3m')).toBe(0.5);
  });
});

describe('Function: pairedBootstrap', () => {
  it('gives a degenerate interval when every origin has the same difference', () => {
    // Prepare: a hits 60 of 100, b 50 of 100 at each of 8 origins
    const origins = Array.from({ length: 8 }, () => ({ n: 100, a: 60, b: 50 }));
    // Act
    const d = pairedBootstrap(origins, 500, 0.95, 1);
    // Assess
    expect(d).toMatchObject({ origins: 8, pairs: 800 });
    expect(d?.diff).toBeCloseTo(0.1, 12);
    expect(d?.lower).toBeCloseTo(0.1, 12);
    expect(d?.upper).toBeCloseTo(0.1, 12);
  });

  it('has a lower bound at or below 0 when a wins half the origins and loses the other half', () => {
    // Prepare: +0.1 at four origins, -0.1 at four: pooled difference 0
    const origins = [
      ...Array.from({ length: 4 }, () => ({ n: 100, a: 60, b: 50 })),
      ...Array.from({ length: 4 }, () => ({ n: 100, a: 50, b: 60 })),
    ];
    // Act
    const d = pairedBootstrap(origins, 500, 0.95, 1);
    // Assess
    expect(d?.diff).toBeCloseTo(0, 12);
    expect(d?.lower).toBeLessThan(0);
    expect(d?.upper).toBeGreaterThan(0);
  });
});

describe('Function: sampleIds', () => {
  it('draws at most n ids, the same whatever their order', () => {
    // Prepare
    const ids = Array.from({ length: 50 }, (_, i) => `acct-${i}`);
    // Act
    const a = sampleIds(ids, 10, 1);
    const b = sampleIds([...ids].reverse(), 10, 1);
    // Assess
    expect(a).toHaveLength(10);
    expect(b).toEqual(a);
    expect(sampleIds(ids, 100, 1)).toHaveLength(50);
    expect(sampleIds(ids, 10, 2)).not.toEqual(a);
  });
});
