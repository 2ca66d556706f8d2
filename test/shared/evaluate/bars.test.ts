import { describe, expect, it } from 'vitest';
import { issue10Bars } from '../../../shared/evaluate/bars.ts';
import type { Evaluation } from '../../../shared/evaluate/index.ts';

/** A paired difference with the given bounds (n and hit rates do not matter to the bars). */
const diff = (difference: number, lower: number, upper: number) => ({
  n: 100,
  forecast: 0.5,
  reference: 0.5 - difference,
  difference,
  lower,
  upper,
});

/** The parts of an evaluation the bars read; the rest is not needed. */
function evaluation(parts: {
  flat3: ReturnType<typeof diff>;
  pers3: ReturnType<typeof diff> | { unavailable: string };
  flat6: ReturnType<typeof diff>;
  pers6: ReturnType<typeof diff>;
  accuracy: number;
  rho: number;
}): Evaluation {
  return {
    trends: {
      '3m': { vsAllFlat: parts.flat3, vsPersistence: parts.pers3 },
      '6m': { vsAllFlat: parts.flat6, vsPersistence: parts.pers6 },
    },
    highValue: { methods: { p_high_value: { accuracy: parts.accuracy } } },
    spearman: { value_index: { rho: parts.rho } },
  } as unknown as Evaluation;
}

describe('Function: issue10Bars', () => {
  const e = evaluation({
    flat3: diff(0, 0, 0),
    pers3: diff(0.02, 0.01, 0.03),
    flat6: diff(0.03, 0.01, 0.05),
    pers6: diff(-0.06, -0.08, -0.04),
    accuracy: 0.8494,
    rho: 0.75,
  });

  it('checks every bar of a world with trends: an interval holding 0 is "at least", not "strictly above"', () => {
    // Act
    const bars = issue10Bars(e, { trends: true, signal: true });
    // Assess
    expect(bars.map((b) => [b.bar, b.met])).toEqual([
      ['3m >= all-Flat', true],
      ['3m >= persistence', true],
      ['6m >= all-Flat', true],
      ['6m >= persistence', false],
      ['3m > all-Flat (a world with trends)', false],
      ['6m > all-Flat (a world with trends)', true],
      ['high-value accuracy >= 0.85', false],
      ['value-index Spearman >= 0.75', true],
    ]);
    expect(bars[3].detail).toBe('-0.0600 [-0.0800, -0.0400]');
    expect(bars[6].detail).toBe('0.8494');
  });

  it('does not apply the strict bar without trends, nor the value bars without signal; unavailable is null', () => {
    // Prepare
    const noPersistence = evaluation({
      flat3: diff(0, 0, 0),
      pers3: { unavailable: 'no persistence calls' },
      flat6: diff(0, 0, 0),
      pers6: diff(0.3, 0.29, 0.31),
      accuracy: 0.9,
      rho: 0.8,
    });
    // Act
    const bars = issue10Bars(noPersistence, { trends: false, signal: false });
    // Assess
    expect(bars.map((b) => b.met)).toEqual([true, null, true, true, null, null, null, null]);
    expect(bars[1].detail).toBe('no persistence calls');
    expect(bars[4].detail).toBe('no trends in this world');
    expect(bars[6].detail).toBe('no signal in usage or revenue');
  });
});
