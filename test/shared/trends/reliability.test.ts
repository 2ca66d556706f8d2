import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  hasThreeWindows,
  rawChange,
  rawPrevChange,
  regressedCall,
  regressedMeanFactor,
  reliableFactor,
  type Shrinkage,
  type WindowRow,
  windowNoiseVariance,
} from '../../../shared/trends/ownTrend.ts';
import {
  changeNoiseVariance,
  type Reliability,
  reliabilityOf,
  withReliability,
} from '../../../shared/trends/reliability.ts';
import { shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import { valueTrends } from '../../../shared/trends/valueTrends.ts';
import { uniform, worldHistory } from './trendWorld.ts';

const config = trendsConfig.parse({
  shrinkage: { pairs: 'all-accounts', reliability: 'per-account' },
});
const pooled = trendsConfig.parse({ shrinkage: { reliability: 'pooled' } });

/** A standard normal draw from a seeded uniform (Box-Muller). */
const normal = (u: () => number) => () =>
  Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

const usable = (beta: number, tau2: number): Reliability => ({
  usable: true,
  beta,
  slope: beta,
  tau2,
  meanChangeNoise: 0,
  pairs: 100,
  reason: 'test',
});

/** A pooled shrinkage with b = 0.2 (the estimator's other fields do not enter the calls). */
const base: Shrinkage = {
  b: 0.2,
  estimator: 'noise-corrected',
  slope: 0.2,
  naiveSlope: 0.1,
  meanNoiseVariance: 0.01,
  noisePairs: 100,
  pairs: 100,
  changeVariance: 0.04,
  reason: 'pooled',
};

describe('Function: reliabilityOf', () => {
  /** x = -1, -1, 1, 1 and y = -0.5, -0.3, 0.3, 0.5, every window's noise 0.1. */
  const handPairs = () =>
    [
      [-1, -0.5],
      [-1, -0.3],
      [1, 0.3],
      [1, 0.5],
    ].map(([x, y]) => ({ x, y, noise: 0.1, noisePrev2: 0.1 as number | null }));

  it('removes both windows’ noise from the variance and the shared one from the covariance (hand-checked)', () => {
    // Prepare: x = -1, -1, 1, 1 and y = -0.5, -0.3, 0.3, 0.5 (both centred): Sxy = 1.6, Sxx = 4; every window's noise
    // 0.1, (n - 1)/n = 3/4
    const pairs = handPairs();
    // Act
    const r = reliabilityOf(pairs, 2);
    // Assess: beta = (1.6 + 0.75 x 0.4) / (4 - 0.75 x 0.8) = 1.9 / 3.4; tau2 = 3.4 / 4
    expect(r.usable).toBe(true);
    expect(r.slope).toBeCloseTo(1.9 / 3.4, 12);
    expect(r.beta).toBeCloseTo(1.9 / 3.4, 12);
    expect(r.tau2).toBeCloseTo(0.85, 12);
    expect(r.meanChangeNoise).toBeCloseTo(0.2, 12);
    expect(r.pairs).toBe(4);
  });

  it('is not usable with too few pairs with both noises, or when the noise is as large as the variance', () => {
    // Prepare: the same x and y; one pair without the earlier window's noise
    const base = handPairs();
    const oneUnknown = base.map((p, i) => (i === 0 ? { ...p, noisePrev2: null } : p));
    // Act & Assess: 3 pairs with both noises < minPairs 4
    expect(reliabilityOf(oneUnknown, 4)).toMatchObject({ usable: false, pairs: 3, beta: null });
    // noise 1 + 1 a change against var(x) = 1: nothing left
    const loud = base.map((p) => ({ ...p, noise: 1, noisePrev2: 1 }));
    const r = reliabilityOf(loud, 2);
    expect(r.usable).toBe(false);
    expect(r.reason).toContain('as large as their variance');
  });

  it('recovers beta and gives each noise level the slope of the next latent change on its observed change', () => {
    // Prepare: 20,000 accounts; latent change d1 ~ N(0, 0.02), next latent change d2 = 0.6 d1 + N(0, 0.01); the
    // three windows' observed log levels carry noise of variance 0.002 (half the accounts) or 0.05 (the others)
    const z = normal(uniform(7));
    const rows: {
      x: number;
      y: number;
      d2: number;
      noise: number;
      noisePrev2: number;
    }[] = [];
    for (let i = 0; i < 20_000; i++) {
      const s2 = i % 2 ? 0.05 : 0.002;
      const d1 = Math.sqrt(0.02) * z();
      const d2 = 0.6 * d1 + 0.1 * z();
      const [e1, e2, e3] = [z(), z(), z()].map((e) => Math.sqrt(s2) * e);
      // L1 = e1, L2 = d1 + e2, L3 = d1 + d2 + e3
      rows.push({ x: d1 + e2 - e1, y: d2 + e3 - e2, d2, noise: s2, noisePrev2: s2 });
    }
    // Act
    const r = reliabilityOf(rows, 30);
    const pooledB = trendsConfig.parse({}).shrinkage; // the config's minPairs only
    // Assess: beta 0.6, tau2 0.02
    expect(r.beta).toBeGreaterThan(0.55);
    expect(r.beta).toBeLessThan(0.65);
    expect(r.tau2).toBeGreaterThan(0.018);
    expect(r.tau2).toBeLessThan(0.022);
    // within each noise level, the least-squares slope of the latent next change d2 on the observed change x is the
    // factor the method gives that level: 0.6 x 0.02 / (0.02 + 2 s2) = 0.5455 (quiet) and 0.1000 (loud)
    for (const [s2, expected] of [
      [0.002, (0.6 * 0.02) / 0.024],
      [0.05, (0.6 * 0.02) / 0.12],
    ]) {
      const g = rows.filter((p) => p.noise === s2);
      const mx = g.reduce((a, p) => a + p.x, 0) / g.length;
      const my = g.reduce((a, p) => a + p.d2, 0) / g.length;
      const slope =
        g.reduce((a, p) => a + (p.x - mx) * (p.d2 - my), 0) /
        g.reduce((a, p) => a + (p.x - mx) ** 2, 0);
      expect(slope).toBeCloseTo(expected, 1);
      expect(reliableFactor(r as Reliability, '3m', 2 * s2)).toBeCloseTo(slope, 1);
    }
    expect(pooledB.minPairs).toBe(30);
  });
});

describe('Function: changeNoiseVariance', () => {
  it('adds the noise of the last and the previous window, null when either is unknown', () => {
    // Prepare: K 13; last window V = 99, q = 24: 13 x 24 / (24 x 100^2) = 0.0013; previous V = 199, q = 48:
    // 13 x 48 / (24 x 200^2) = 0.00065
    const r = {
      v_last: 99,
      v_prev: 199,
      q_last: 24,
      q_prev: 48,
    } as unknown as WindowRow;
    // Act & Assess
    expect(changeNoiseVariance(r, 13)).toBeCloseTo(0.0013 + 0.00065, 15);
    expect(changeNoiseVariance({ ...r, q_last: null }, 13)).toBeNull();
    expect(changeNoiseVariance({ ...r, q_prev: null }, 13)).toBeNull();
    expect(windowNoiseVariance(24, 99, 13)).toBeCloseTo(0.0013, 15);
  });
});

describe('Function: regressedCall with a per-account reliability', () => {
  const s = withReliability(base, usable(0.5, 0.02));

  it('scales the change by beta (or beta + beta^2) x tau2 / (tau2 + the account’s noise)', () => {
    // Act & Assess: c = 0.5; quiet account (noise 0.02): 3 months 0.5 x 0.5 = 0.25 -> 0.125, Up (> ln 1.1 = 0.0953);
    // 6 months 0.75 x 0.5 = 0.375 -> 0.1875
    expect(regressedCall(0.5, s, '3m', config, 0.02).p).toBeCloseTo(0.125, 12);
    expect(regressedCall(0.5, s, '3m', config, 0.02).t).toBe('Up');
    expect(regressedCall(0.5, s, '6m', config, 0.02).p).toBeCloseTo(0.1875, 12);
    // a loud account (noise 0.18): 0.5 x 0.02 / 0.2 = 0.05 -> 0.025, Flat
    expect(regressedCall(0.5, s, '3m', config, 0.18).p).toBeCloseTo(0.025, 12);
    expect(regressedCall(0.5, s, '3m', config, 0.18).t).toBe('Flat');
    // without the account's noise, the pooled b: 0.2 x 0.5 = 0.1, Up
    expect(regressedCall(0.5, s, '3m', config).p).toBeCloseTo(0.1, 12);
    expect(regressedCall(0.5, s, '3m', config, null).p).toBeCloseTo(0.1, 12);
    // no single factor
    expect(regressedMeanFactor(s, '3m', config)).toBeNull();
    expect(regressedMeanFactor(base, '3m', config)).toBeCloseTo(0.2, 12);
  });

  it('with sixMonth.factor lasting, 2 beta at 6 months instead of beta + beta^2; 3 months unchanged', () => {
    // Prepare: beta 0.5, tau2 0.02
    const lasting = trendsConfig.parse({
      shrinkage: { pairs: 'all-accounts', reliability: 'per-account' },
      sixMonth: { factor: 'lasting' },
    });
    const sl = withReliability(base, usable(0.5, 0.02), 'lasting');
    // Act & Assess: the stored factors of beta: 0.5 and 2 x 0.5 = 1 (regressed: 0.5 and 0.75)
    expect(sl.reliability?.factors).toEqual({ '3m': 0.5, '6m': 1 });
    expect(s.reliability?.factors).toEqual({ '3m': 0.5, '6m': 0.75 });
    // c = 0.5, quiet account (noise 0.02, reliability 0.5): 6 months 1 x 0.5 x 0.5 = 0.25; 3 months 0.125 as before
    expect(regressedCall(0.5, sl, '6m', lasting, 0.02).p).toBeCloseTo(0.25, 12);
    expect(regressedCall(0.5, sl, '3m', lasting, 0.02).p).toBeCloseTo(0.125, 12);
    // c = 0.15, noise 0.02: regressed 0.75 x 0.5 x 0.15 = 0.05625 is Flat; lasting 0.075 still Flat; c = 0.25:
    // regressed 0.09375 Flat (below ln 1.1 = 0.0953), lasting 0.125 Up
    expect(regressedCall(0.25, s, '6m', config, 0.02).t).toBe('Flat');
    expect(regressedCall(0.25, sl, '6m', lasting, 0.02).t).toBe('Up');
    expect(regressedCall(-0.25, sl, '6m', lasting, 0.02).t).toBe('Down');
    expect(sl.reason).toContain('2 beta (6 months)');
  });

  it('keeps the pooled b when the estimate is not usable, and says so', () => {
    // Prepare
    const not = withReliability(base, {
      ...usable(0.5, 0.02),
      usable: false,
      beta: null,
      tau2: null,
      reason: 'too few',
    });
    // Act & Assess
    expect(regressedCall(0.5, not, '3m', config, 0.02).p).toBeCloseTo(0.1, 12);
    expect(regressedMeanFactor(not, '3m', config)).toBeCloseTo(0.2, 12);
    expect(not.reason).toContain('per-account reliability not usable (too few)');
  });
});

describe('Per-account reliability in the pipeline functions', () => {
  // Weekly visitor-days of 60 accounts over 40 weeks: lasting trends (half up, half down, 0.5-2 % a week), and
  // Poisson-like counting noise around levels of 5 (small accounts) or 500 (large ones) a week
  const u = uniform(11);
  const z = normal(uniform(12));
  const series: Record<string, number[]> = {};
  for (let i = 0; i < 60; i++) {
    const level = i % 2 ? 5 : 500;
    const slope = (i % 4 < 2 ? 1 : -1) * (0.005 + 0.015 * u());
    series[`a${String(i).padStart(2, '0')}`] = Array.from({ length: 40 }, (_, t) => {
      const mean = level * Math.exp(slope * t);
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * z()));
    });
  }
  const hist = worldHistory(series, 4);

  it('shrinkageAt estimates beta from the sampled pairs with both noises; pooled leaves it out', () => {
    // Act
    const s = shrinkageAt(
      hist,
      0,
      trendsConfig.parse({ windowWeeks: 4, shrinkage: { reliability: 'per-account' } }),
    );
    const p = shrinkageAt(
      hist,
      0,
      trendsConfig.parse({ windowWeeks: 4, shrinkage: { reliability: 'pooled' } }),
    );
    // Assess: the same pooled b; per-account pairs = the pooled pairs (every window's noise is known here)
    expect(p.reliability).toBeUndefined();
    expect(s.b).toBe(p.b);
    expect(s.reliability?.usable).toBe(true);
    expect(s.reliability?.pairs).toBe(p.pairs);
    // every pair with three full windows, built by hand from the rows and their medians
    const pairs: { x: number; y: number; noise: number; noisePrev2: number }[] = [];
    for (const [w, rows] of hist.byWeek) {
      const my = hist.medians.get(w)?.c;
      const mx = hist.medians.get(w + 4)?.c;
      if (my == null || mx == null) continue;
      for (const r of rows) {
        if (!hasThreeWindows(r, 4)) continue;
        pairs.push({
          x: rawPrevChange(r) - mx,
          y: rawChange(r) - my,
          noise: windowNoiseVariance(r.q_prev as number, r.v_prev, 4),
          noisePrev2: windowNoiseVariance(r.q_prev2 as number, r.v_prev2, 4),
        });
      }
    }
    expect(pairs.length).toBe(p.pairs);
    expect(s.reliability?.beta).toBeCloseTo(reliabilityOf(pairs, 30).beta as number, 12);
    // lasting trends: beta well above the pooled b, which the small accounts' noise pulls down
    expect(s.reliability?.beta as number).toBeGreaterThan(s.b + 0.2);
  });

  it('valueTrends gives a large account a larger share of its change than a small one', async () => {
    // Prepare: the as-of rows (w 0); every account has product data
    const asOfRows = hist.byWeek.get(0) as WindowRow[];
    const accounts = asOfRows.map((r) => ({
      account_id: r.account_id,
      value_index: null,
      product_health_score: null,
      has_product: true,
    }));
    const cfg = trendsConfig.parse({ windowWeeks: 4, shrinkage: { reliability: 'per-account' } });
    // Act
    const out = await valueTrends({
      frame: hist.frame,
      asOfRows,
      history: hist,
      accounts,
      trendScores: new Map(),
      config: cfg,
    });
    // Assess: predicted / corrected change = the account's own factor, larger for every large account than for
    // every small one
    const share = (i: number) => {
      const r = out.rows.find((x) => x.account_id === `a${String(i).padStart(2, '0')}`);
      return (r?.predicted_change_3m as number) / (r?.usage_change as number);
    };
    // (an account whose corrected change is exactly 0 has no share)
    const large = Array.from({ length: 30 }, (_, k) => share(2 * k)).filter(Number.isFinite);
    const small = Array.from({ length: 30 }, (_, k) => share(2 * k + 1)).filter(Number.isFinite);
    expect(large.length + small.length).toBeGreaterThan(50);
    expect(Math.min(...large)).toBeGreaterThan(Math.max(...small));
    const rel = out.shrinkage.reliability as Reliability;
    const r0 = asOfRows.find((r) => r.account_id === 'a00') as WindowRow;
    expect(share(0)).toBeCloseTo(
      reliableFactor(rel, '3m', changeNoiseVariance(r0, 4) as number),
      12,
    );
    expect(out.methods['3m'].factor).toBeNull();
    expect(out.methods['6m'].basis).toContain('reliability');
  });
});

describe('Config: shrinkage.reliability', () => {
  it('refuses per-account with an estimator, pairs, call or 6-month factor it does not support, naming them', () => {
    // Act & Assess
    expect(() =>
      trendsConfig.parse({
        shrinkage: { reliability: 'per-account', estimator: 'crm-instrument' },
        sixMonth: { factor: 'variogram' },
      }),
    ).toThrow(
      /shrinkage.estimator is crm-instrument, sixMonth.factor is variogram: set shrinkage.reliability to pooled/,
    );
    expect(
      trendsConfig.parse({ shrinkage: { reliability: 'pooled', estimator: 'crm-instrument' } })
        .shrinkage.reliability,
    ).toBe('pooled');
    expect(pooled.shrinkage.reliability).toBe('pooled');
  });

  it('sixMonth.factor lasting gives the pooled b 2 b at 6 months (b + b^2 with regressed)', () => {
    // Prepare: pooled b 0.2; c = 0.3
    const lasting = trendsConfig.parse({
      shrinkage: { reliability: 'pooled' },
      sixMonth: { factor: 'lasting' },
    });
    const regressed = trendsConfig.parse({
      shrinkage: { reliability: 'pooled' },
      sixMonth: { factor: 'regressed' },
    });
    // Act & Assess: 2 x 0.2 x 0.3 = 0.12, Up; (0.2 + 0.04) x 0.3 = 0.072, Flat; 3 months 0.06 either way
    expect(regressedCall(0.3, base, '6m', lasting).p).toBeCloseTo(0.12, 12);
    expect(regressedCall(0.3, base, '6m', lasting).t).toBe('Up');
    expect(regressedCall(0.3, base, '6m', regressed).p).toBeCloseTo(0.072, 12);
    expect(regressedCall(0.3, base, '6m', regressed).t).toBe('Flat');
    expect(regressedCall(0.3, base, '3m', lasting).p).toBeCloseTo(0.06, 12);
    expect(regressedMeanFactor(base, '6m', lasting)).toBeCloseTo(0.4, 12);
  });
});
