import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  type InstrumentQuad,
  instrumentEstimate,
  instrumentQuadOf,
  regressedCall,
  shrinkageOf,
  withInstrument,
} from '../../../shared/trends/ownTrend.ts';
import { type SampledHistory, shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import { quadRow } from './trendWorld.ts';

const config = trendsConfig.parse({
  shrinkage: { estimator: 'crm-instrument', reliability: 'pooled' },
});

/**
 * Four accounts at one origin, means 0: u1 = 2, -2, 1, -1; a1 = 2, -2, -1, 1; u2 = 1, -1, 0, 0;
 * a2 = 0.5, -0.5, 1, -1. Sums of products: u1a1 6, u2a1 4, a2u1 4, u2a2 1, u2u2 2, u1u1 10, a1a1 10; divisor
 * 4 - 1 origin = 3: cov(u1, a1) = 2, cross covariances 4/3 and 4/3, cov(u2, a2) = 1/3, var(u2) = 2/3; standard
 * error of cov(u1, a1) = sqrt((10/3)(10/3) / 4) = 5/3. phi = (4/3) / 2 = 2/3, share = (1/3) / (2/3) = 1/2.
 */
const quads = (w: number, shift = 0): InstrumentQuad[] =>
  [
    [2, 1, 2, 0.5],
    [-2, -1, -2, -0.5],
    [1, 0, -1, 1],
    [-1, 0, 1, -1],
  ].map(([u1, u2, a1, a2]) => ({
    w,
    u1: u1 + shift,
    u2: u2 + shift,
    a1: a1 + shift,
    a2: a2 + shift,
  }));

describe('Function: instrumentEstimate', () => {
  it('estimates the persistence and the share of value change from the cross-measure covariances', () => {
    // Act
    const e = instrumentEstimate(quads(0), 4, 1);
    // Assess
    expect(e.usable).toBe(true);
    expect(e.covU1A1).toBeCloseTo(2, 12);
    expect(e.covU2A1).toBeCloseTo(4 / 3, 12);
    expect(e.covA2U1).toBeCloseTo(4 / 3, 12);
    expect(e.covU2A2).toBeCloseTo(1 / 3, 12);
    expect(e.varU2).toBeCloseTo(2 / 3, 12);
    expect(e.seU1A1).toBeCloseTo(5 / 3, 12);
    expect(e.phi).toBeCloseTo(2 / 3, 12);
    expect(e.share).toBeCloseTo(1 / 2, 12);
  });

  it('takes covariances within origins: a second origin shifted by 10 in every measure changes nothing', () => {
    // Act
    const e = instrumentEstimate([...quads(0), ...quads(13, 10)], 4, 1);
    // Assess: sums double, divisor 8 - 2 = 6
    expect(e.origins).toBe(2);
    expect(e.covU1A1).toBeCloseTo(2, 12);
    expect(e.phi).toBeCloseTo(2 / 3, 12);
    expect(e.share).toBeCloseTo(1 / 2, 12);
  });

  it('is not usable below the guard (2 standard errors = 10/3 > 2) or with too few quads', () => {
    // Act
    const guarded = instrumentEstimate(quads(0), 4, 2);
    const few = instrumentEstimate(quads(0), 5, 1);
    // Assess
    expect(guarded).toMatchObject({ usable: false, phi: null, share: null });
    expect(guarded.reason).toMatch(/not above 2 standard errors/);
    expect(few).toMatchObject({ usable: false, pairs: 4 });
    expect(few.reason).toMatch(/need 5/);
  });

  it('clips phi and the share to [0, 1]', () => {
    // Prepare: the earlier change of each measure predicts the later one of the other negatively
    const reversed = quads(0).map((q) => ({ ...q, u2: -q.u2, a2: -q.a2 }));
    // Act
    const e = instrumentEstimate(reversed, 4, 1);
    // Assess: cross covariances -4/3 -> phi 0; cov(u2, a2) unchanged (1/3) -> share 1/2
    expect(e.phi).toBe(0);
    expect(e.share).toBeCloseTo(1 / 2, 12);
  });
});

describe('Function: withInstrument', () => {
  const base = shrinkageOf(
    [-1, 0, 1, 2].flatMap((x) => Array.from({ length: 10 }, () => ({ x, y: 0.05 * x, noise: 0 }))),
    config,
  );

  it('replaces b and b + b^2 by phi x share and (phi + phi^2) x share when the estimate is usable', () => {
    // Act
    const s = withInstrument(base, instrumentEstimate(quads(0), 4, 1));
    // Assess: 3 months 2/3 x 1/2 = 1/3; 6 months (2/3 + 4/9) x 1/2 = 5/9
    expect(base.b).toBeCloseTo(0.05, 12);
    expect(s.estimator).toBe('crm-instrument');
    expect(s.factors?.['3m']).toBeCloseTo(1 / 3, 12);
    expect(s.factors?.['6m']).toBeCloseTo(5 / 9, 12);
    // a corrected change of 0.3: 0.1 > ln 1.1 at 3 months, Up; with b = 0.05 it would be 0.015, Flat
    expect(regressedCall(0.3, s, '3m', config)).toEqual({ p: expect.closeTo(0.1, 12), t: 'Up' });
    expect(regressedCall(0.3, base, '3m', config).t).toBe('Flat');
    expect(regressedCall(-0.3, s, '6m', config)).toEqual({
      p: expect.closeTo(-1 / 6, 12),
      t: 'Down',
    });
  });

  it('keeps the noise-corrected b and says why when the estimate is not usable', () => {
    // Act
    const s = withInstrument(base, instrumentEstimate(quads(0), 4, 2));
    // Assess
    expect(s.estimator).toBe('noise-corrected');
    expect(s.factors).toBeUndefined();
    expect(s.b).toBe(base.b);
    expect(s.instrument?.usable).toBe(false);
    expect(s.reason).toMatch(/instrument is not usable/);
  });
});

describe('Function: shrinkageAt (crm-instrument)', () => {
  const values = [
    [2, 1, 2, 0.5],
    [-2, -1, -2, -0.5],
    [1, 0, -1, 1],
    [-1, 0, 1, -1],
  ];

  it('uses the rows of the origins known at the forecast date, and only accounts with CRM windows', () => {
    // Prepare: origin week 0 holds the quads of the example above plus an account without CRM windows; week 6,
    // known at the forecast origin 6 and at the as-of, holds them with the later changes reversed
    const week0 = [
      ...values.map((q, i) => quadRow(`a${i}`, 0, q)),
      { ...quadRow('nolink', 0, [5, 5, 5, 5]), a_last: null, a_prev: null, a_prev2: null },
    ];
    const week6 = values.map((q, i) => quadRow(`b${i}`, 6, [q[0], -q[1], q[2], -q[3]]));
    const hist: SampledHistory = {
      frame: { asOf: '2024-10-31', firstDay: '2023-01-01', lastDay: '2024-10-31', windowWeeks: 13 },
      byWeek: new Map([
        [0, week0],
        [6, week6],
      ]),
      medians: new Map(),
    };
    const cfg = trendsConfig.parse({
      shrinkage: {
        estimator: 'crm-instrument',
        reliability: 'pooled',
        instrument: { minPairs: 4, guardSe: 1 },
      },
    });
    // Act
    const atOrigin6 = shrinkageAt(hist, 6, cfg);
    // Assess: at origin 6 only week 6 is known (phi 0: its later changes run against the earlier ones)
    expect(atOrigin6.instrument?.pairs).toBe(4);
    expect(atOrigin6.instrument?.phi).toBe(0);
    expect(atOrigin6.factors).toEqual({ '3m': 0, '6m': 0 });
    // at the as-of (origin 0) both weeks: cross covariances cancel, cov(u1, a1) = (6 + 6) / 6 = 2
    const atAsOf = shrinkageAt(hist, 0, cfg);
    expect(atAsOf.instrument?.pairs).toBe(8);
    expect(atAsOf.instrument?.covU1A1).toBeCloseTo(2, 9);
    expect(atAsOf.instrument?.phi).toBeCloseTo(0, 9);
  });

  it('is a quad only with three full windows of usage and all three activity windows', () => {
    // Act & Assess
    expect(instrumentQuadOf(quadRow('a', 0, values[0]), 13)).toMatchObject({ w: 0 });
    expect(instrumentQuadOf({ ...quadRow('a', 0, values[0]), first_w: 37 }, 13)).toBeNull();
    expect(instrumentQuadOf({ ...quadRow('a', 0, values[0]), a_prev2: null }, 13)).toBeNull();
    const q = instrumentQuadOf(quadRow('a', 0, values[0]), 13) as InstrumentQuad;
    expect(q.u1).toBeCloseTo(2, 12);
    expect(q.a2).toBeCloseTo(0.5, 12);
  });
});
