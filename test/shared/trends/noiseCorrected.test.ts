import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  hasThreeWindows,
  noiseCorrectedSlope,
  rawChange,
  rawPrevChange,
  shrinkageOf,
  windowNoiseVariance,
} from '../../../shared/trends/ownTrend.ts';
import { shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import { uniform, worldHistory } from './trendWorld.ts';

const K = 13;
const corrected = trendsConfig.parse({ shrinkage: { estimator: 'noise-corrected' } });
const naive = trendsConfig.parse({ shrinkage: { estimator: 'naive', reliability: 'pooled' } });

describe('Function: windowNoiseVariance', () => {
  it('turns the squared week-to-week differences into the variance of the window log level', () => {
    // Prepare: a 3-week window of 4, 6, 5 visitor-days: q = (4 - 6)^2 + (6 - 5)^2 = 5, V = 15
    // Act & Assess: K q / (2 (K - 1) (V + 1)^2) = 3 * 5 / (2 * 2 * 16^2) = 15 / 1024
    expect(windowNoiseVariance(5, 15, 3)).toBeCloseTo(15 / 1024, 15);
    expect(windowNoiseVariance(0, 15, 3)).toBe(0);
  });
});

describe('Function: noiseCorrectedSlope', () => {
  it('adds (n - 1)/n of the summed noise variances to the covariance', () => {
    // Prepare: x = -1, 0, 1 with y = 0 (naive slope 0), noise 0.1 each: Sxx = 2, (2/3) * 0.3 = 0.2
    const pairs = [-1, 0, 1].map((x) => ({ x, y: 0, noise: 0.1 }));
    // Act & Assess: (0 + 0.2) / 2
    expect(noiseCorrectedSlope(pairs)).toBeCloseTo(0.1, 12);
    expect(noiseCorrectedSlope([{ x: 1, y: 1, noise: 0 }])).toBeNull();
    expect(
      noiseCorrectedSlope([
        { x: 1, y: 1, noise: 0 },
        { x: 1, y: 2, noise: 0 },
      ]),
    ).toBeNull();
  });

  it('equals the least-squares slope when no pair has a noise estimate', () => {
    // Prepare: y = 0.3 x + 1
    const pairs = [0, 1, 2, 5].map((x) => ({ x, y: 0.3 * x + 1 }));
    // Act & Assess
    expect(noiseCorrectedSlope(pairs)).toBeCloseTo(0.3, 12);
  });

  it('is used by shrinkageOf only with the noise-corrected estimator', () => {
    // Prepare: 40 pairs with x spread and y = -0.2 x, noise 0.05 each
    const xs = Array.from({ length: 40 }, (_, i) => i / 10 - 2);
    const pairs = xs.map((x) => ({ x, y: -0.2 * x, noise: 0.05 }));
    const sxx = xs.reduce((s, x) => s + (x - xs.reduce((a, v) => a + v, 0) / 40) ** 2, 0);
    // Act
    const c = shrinkageOf(pairs, corrected);
    const n = shrinkageOf(pairs, naive);
    // Assess: naive slope -0.2 -> b 0; corrected -0.2 + (39/40) * 40 * 0.05 / Sxx
    expect(n).toMatchObject({ estimator: 'naive', b: 0, noisePairs: 40 });
    expect(n.slope).toBeCloseTo(-0.2, 12);
    expect(c.estimator).toBe('noise-corrected');
    expect(c.naiveSlope).toBeCloseTo(-0.2, 12);
    expect(c.meanNoiseVariance).toBeCloseTo(0.05, 12);
    expect(c.slope).toBeCloseTo(-0.2 + (39 * 0.05) / sxx, 12);
    expect(c.b).toBeCloseTo(Math.max(0, -0.2 + (39 * 0.05) / sxx), 12);
  });
});

/** A standard normal draw from two uniforms (Box-Muller). */
const normal = (u: () => number) => () =>
  Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

/**
 * A simulated world of weekly visitor-days with a known persistence and a known measurement noise: each account's
 * latent log level moves by d per 13-week window for the whole history (a lasting trend; d ~ N(0, sdTrend^2),
 * independent across accounts), and each week's count is its latent level times (1 + s u), u uniform with sd 1,
 * independent across weeks. The window's log level then carries noise of variance about s^2 / K.
 */
function simulatedWorld(accounts: number, weeks: number, sdTrend: number, s: number, seed: number) {
  const u = uniform(seed);
  const z = normal(u);
  const series: Record<string, number[]> = {};
  const trend = new Map<string, number>();
  for (let i = 0; i < accounts; i++) {
    const id = `acc${String(i).padStart(4, '0')}`;
    const d = sdTrend * z();
    const level = 200 * Math.exp(0.5 * z());
    trend.set(id, d);
    series[id] = Array.from(
      { length: weeks },
      (_, t) => level * Math.exp((d * t) / K) * (1 + s * Math.sqrt(3) * (2 * u() - 1)),
    );
  }
  return { history: worldHistory(series, K), trend };
}

/**
 * The slope the forecast needs, computed from the simulation's own latent changes: the least-squares slope of the
 * next latent window change (d) on the observed previous change, over the same pairs shrinkageAt uses.
 */
function oracleSlope(world: ReturnType<typeof simulatedWorld>): { slope: number; pairs: number } {
  const xs: number[] = [];
  const ds: number[] = [];
  for (const rows of world.history.byWeek.values()) {
    for (const r of rows) {
      if (!hasThreeWindows(r, K)) continue;
      xs.push(rawPrevChange(r));
      ds.push(world.trend.get(r.account_id) as number);
    }
  }
  const n = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  const md = ds.reduce((a, v) => a + v, 0) / n;
  let sxd = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxd += (xs[i] - mx) * (ds[i] - md);
    sxx += (xs[i] - mx) ** 2;
  }
  return { slope: sxd / sxx, pairs: n };
}

describe('Noise-corrected shrinkage on simulated series (known noise, known persistence)', () => {
  it('recovers the slope the forecast needs where the naive slope is below 0', () => {
    // Prepare: 600 accounts, 45 weeks (origins w = 0 .. 6 have three full windows), lasting trends with sd 0.1 per
    // window, weekly noise sd 0.5: noise variance of a window log level about 0.25 / 13 = 0.0192 > var(d) = 0.01,
    // so cov(consecutive observed changes) = 0.01 - 0.0192 < 0. The slope the forecast needs is
    // var(d) / (var(d) + 2 * 0.0192) = 0.01 / 0.0485 = 0.206.
    const world = simulatedWorld(600, 45, 0.1, 0.5, 11);
    // Act
    const c = shrinkageAt(world.history, 0, corrected);
    const n = shrinkageAt(world.history, 0, naive);
    const oracle = oracleSlope(world);
    // Assess
    expect(c.pairs).toBe(600 * 7);
    expect(oracle.pairs).toBe(c.pairs);
    expect(n.slope).toBeLessThan(0);
    expect(n.b).toBe(0);
    expect(c.naiveSlope).toBeCloseTo(n.slope as number, 12);
    expect(c.meanNoiseVariance).toBeGreaterThan(0.0192 * 0.85);
    expect(c.meanNoiseVariance).toBeLessThan(0.0192 * 1.15);
    expect(Math.abs(oracle.slope - 0.206)).toBeLessThan(0.04);
    expect(Math.abs((c.slope as number) - oracle.slope)).toBeLessThan(0.05);
    expect(c.b).toBeGreaterThan(0.15);
  });

  it('does not invent persistence where there is none (no trend, only noise)', () => {
    // Prepare: d = 0 for every account: the naive slope is about -0.5 (consecutive changes share one noisy window),
    // the forecast needs 0
    const world = simulatedWorld(600, 45, 0, 0.5, 12);
    // Act
    const c = shrinkageAt(world.history, 0, corrected);
    const n = shrinkageAt(world.history, 0, naive);
    // Assess
    expect(n.slope).toBeLessThan(-0.4);
    expect(Math.abs(c.slope as number)).toBeLessThan(0.05);
    expect(c.b).toBeLessThan(0.05);
  });

  it('equals the naive slope without measurement noise (lasting trends: b = 1)', () => {
    // Prepare: no weekly noise: every observed change is the latent one
    const world = simulatedWorld(200, 45, 0.1, 0, 13);
    // Act
    const c = shrinkageAt(world.history, 0, corrected);
    // Assess
    expect(c.meanNoiseVariance).toBeLessThan(1e-4);
    expect(c.naiveSlope).toBeCloseTo(1, 2);
    expect(c.b).toBe(1);
  });
});

describe('Corrected changes of the simulated world are the ones shrinkageAt pairs', () => {
  it('pairs the previous change with the last one of the same account', () => {
    // Prepare: one account whose windows hold 100, 200, 400 visitor-days per week (constant inside each window)
    const K3 = [...Array(K).fill(100), ...Array(K).fill(200), ...Array(K).fill(400)];
    const h = worldHistory({ a: K3 }, K);
    const r = h.byWeek.get(0)?.[0];
    // Assess: ln(13 * 200 + 1) - ln(13 * 100 + 1), and ln(5201) - ln(2601); no week-to-week noise: q_prev = 0
    expect(r && rawPrevChange(r)).toBeCloseTo(Math.log(2601 / 1301), 12);
    expect(r && rawChange(r)).toBeCloseTo(Math.log(5201 / 2601), 12);
    expect(r?.q_prev).toBe(0);
  });
});
