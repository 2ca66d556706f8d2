import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  backtestHorizon,
  dataCovers,
  outcomeKnown,
  shrinkageAt,
} from '../../../shared/trends/trendBacktest.ts';
import { uniform, worldHistory } from './trendWorld.ts';

// Windows of 2 weeks keep the hand-made worlds small: 30 weeks give 25 base origins and 19 where the model can be
// fitted on 4 or more earlier origins.
const config = trendsConfig.parse({
  windowWeeks: 2,
  gate: { reps: 400 },
  model: { nEstimators: 10, minSamplesLeaf: 2, maxDepth: 4 },
});
const WEEKS = 30;

/** Accounts with steady weekly growth: 1.1 (Up), 1.0 (Flat), 0.9 (Down) per week, 10 of each. */
function persistentWorld() {
  const series: Record<string, number[]> = {};
  for (const [k, g] of [1.1, 1.0, 0.9].entries())
    for (let i = 0; i < 10; i++)
      series[`a${k}-${i}`] = Array.from({ length: WEEKS }, (_, t) => 1000 * (1 + i / 10) * g ** t);
  return worldHistory(series, 2);
}

/** Accounts alternating high / low every 2 weeks (phase by account): the last change always reverses. */
function reversalWorld() {
  const series: Record<string, number[]> = {};
  for (let i = 0; i < 40; i++)
    series[`r${i}`] = Array.from(
      { length: WEEKS },
      (_, t) => 100 + 60 * (Math.floor((t + i) / 2) % 2 === 0 ? 1 : -1),
    );
  return worldHistory(series, 2);
}

/** Independent noise around a constant level: no trend at all. */
function noiseWorld() {
  const rnd = uniform(7);
  const series: Record<string, number[]> = {};
  for (let i = 0; i < 60; i++)
    series[`n${i}`] = Array.from({ length: WEEKS }, () => 100 * (0.5 + rnd()));
  return worldHistory(series, 2);
}

describe('Origins: persistence needs two full windows of data, the outcome must be known', () => {
  it('dates the windows from the data range', () => {
    // Prepare: as-of 2024-12-29, 30 weeks of data -> first day 2024-06-03
    const h = persistentWorld();
    // Assess: K = 2 weeks -> two windows = 28 days -> week 28 (2024-06-30) is the oldest covered origin
    expect(h.frame.firstDay).toBe('2024-06-03');
    expect(dataCovers(h.frame, 26, 2)).toBe(true);
    expect(dataCovers(h.frame, 27, 2)).toBe(false);
    expect(outcomeKnown(h.frame, 2, '3m', h.frame.lastDay)).toBe(true);
    expect(outcomeKnown(h.frame, 1, '3m', h.frame.lastDay)).toBe(false);
    expect(outcomeKnown(h.frame, 4, '6m', h.frame.lastDay)).toBe(true);
    expect(outcomeKnown(h.frame, 3, '6m', h.frame.lastDay)).toBe(false);
  });
});

describe('Function: backtestHorizon (the method gate)', () => {
  it('keeps regressed persistence when the model cannot beat persistence (persistence is always right)', async () => {
    // Act
    const bt = await backtestHorizon(persistentWorld(), '3m', config);
    // Assess: origins w = 2 .. 26 -> 25; the model is fitted and checked (>= 8 origins) but only ties
    expect(bt.baseOrigins).toBe(25);
    expect(bt.modelOrigins).toBeGreaterThanOrEqual(8);
    expect(bt.metrics.persistence.hitRate).toBe(1);
    expect(bt.metrics.flat.hitRate).toBeCloseTo(1 / 3, 12);
    // Regressed persistence is exact wherever b could be estimated (about 1 here)
    const estimated = bt.origins.filter((o) => o.b > 0.99);
    expect(estimated.length).toBeGreaterThan(10);
    expect(estimated.every((o) => o.hits['persistence-regressed'] === o.n)).toBe(true);
    expect(bt.method).not.toBe('model');
    const vsPersistence = bt.comparisons.find(
      (c) => c.candidate === 'model' && c.against === 'persistence',
    );
    expect(vsPersistence?.difference?.lower).toBeLessThanOrEqual(0);
    // The reason says the model lost in the history and would not be eligible anyway
    expect(bt.reason).toContain('the learned model does not beat every other method');
    expect(bt.reason).toContain('not eligible');
  });

  it('does not ship the model by default even when it beats every method in the history (not eligible)', async () => {
    // Prepare: the default, model.eligible false
    expect(config.model.eligible).toBe(false);
    // Act
    const bt = await backtestHorizon(reversalWorld(), '3m', config);
    // Assess: the model is fitted, compared and reported, and wins in the history with every lower bound above 0
    expect(bt.modelOrigins).toBeGreaterThanOrEqual(8);
    const model = bt.comparisons.filter((c) => c.candidate === 'model');
    expect(model.map((c) => c.against)).toEqual(['persistence-regressed', 'persistence', 'flat']);
    expect(model.every((c) => (c.difference?.lower ?? 0) > 0)).toBe(true);
    expect(bt.metrics.model.hitRate).toBeGreaterThan(bt.metrics.flat.hitRate as number);
    // ... but the persistence family's rule decides: the changes always reverse, so b = 0 and regressed persistence
    // calls like all Flat (all Flat cannot beat it: difference 0), and plain persistence is worse than both
    expect(bt.method).toBe('persistence-regressed');
    expect(bt.reason).toContain(
      'beats regressed persistence, persistence and all Flat in the history',
    );
    expect(bt.reason).toContain('is not eligible (trends.model.eligible false)');
    expect(bt.reason).toContain('docs/trends.md');
    expect(bt.reason).toContain('regressed persistence stands');
    // The persistence family was compared too
    expect(bt.comparisons.some((c) => c.candidate === 'persistence')).toBe(true);
  });

  it('ships the model when eligible and it beats persistence, regressed persistence and all Flat (interval above 0)', async () => {
    // Prepare
    const eligible = trendsConfig.parse({ ...config, model: { ...config.model, eligible: true } });
    // Act
    const bt = await backtestHorizon(reversalWorld(), '3m', eligible);
    // Assess
    expect(bt.method).toBe('model');
    expect(bt.metrics.model.hitRate).toBeGreaterThan(bt.metrics.persistence.hitRate as number);
    const model = bt.comparisons.filter((c) => c.candidate === 'model');
    expect(model).toHaveLength(3);
    expect(model.every((c) => (c.difference?.lower ?? 0) > 0)).toBe(true);
  });

  it('keeps regressed persistence with fewer than 8 valid origins, comparing nothing', async () => {
    // Prepare: the last 12 weeks only -> origins w = 2 .. 8 (7 origins)
    const h = persistentWorld();
    const short = {
      ...h,
      byWeek: new Map([...h.byWeek].filter(([w]) => w <= 8)),
    };
    // Act
    const bt = await backtestHorizon(short, '3m', config);
    // Assess
    expect(bt.baseOrigins).toBe(7);
    expect(bt.method).toBe('persistence-regressed');
    expect(bt.comparisons).toHaveLength(0);
    expect(bt.reason).toContain('need 8');
  });

  it('in a world of noise, shrinks persistence to 0 so its calls are all Flat, which beats plain persistence', async () => {
    // Prepare: the persistence family only
    const noModel = trendsConfig.parse({ ...config, model: { ...config.model, enabled: false } });
    const h = noiseWorld();
    // Act
    const bt = await backtestHorizon(h, '3m', noModel);
    // Assess: consecutive changes share a window with opposite signs: negative slope -> b = 0
    expect(shrinkageAt(h, 0, noModel).b).toBe(0);
    const estimated = bt.origins.filter((o) => o.b === 0);
    expect(estimated.length).toBeGreaterThan(10);
    expect(estimated.every((o) => o.hits['persistence-regressed'] === o.hits.flat)).toBe(true);
    expect(bt.metrics.flat.hitRate).toBeGreaterThan(bt.metrics.persistence.hitRate as number);
    expect(['persistence-regressed', 'flat']).toContain(bt.method);
  });
});
