import { describe, expect, it } from 'vitest';
import { issue10Bars, referenceBars } from '../../../shared/evaluate/bars.ts';
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

describe('Function: referenceBars', () => {
  /** An evaluation whose references have the given trend intervals and high-value accuracy. */
  const withReferences = (
    ref3: ReturnType<typeof diff> | null,
    ref6: ReturnType<typeof diff>,
    accuracy: number | null,
  ) =>
    ({
      trends: {
        '3m': {
          truthReference: ref3 ? { vsAllFlat: ref3 } : { unavailable: 'no trend features' },
        },
        '6m': { truthReference: { vsAllFlat: ref6 } },
      },
      highValue: {
        truthReference: accuracy === null ? { unavailable: 'no classifier' } : { accuracy },
      },
    }) as unknown as Evaluation;

  it('reads the thresholds off the truth-trained references: strictly above all-Flat, accuracy at least 0.85', () => {
    // Arrange: 3m interval above 0, 6m holding 0, high-value reference exactly at the bar
    const e = withReferences(diff(0.008, 0.005, 0.012), diff(0.004, -0.007, 0.014), 0.85);
    // Act
    const bars = referenceBars(e, { trends: true, signal: true });
    // Assess
    expect(bars.map((b) => [b.bar, b.met])).toEqual([
      ['3m > all-Flat by the trend truth-trained reference (a world with trends)', true],
      ['6m > all-Flat by the trend truth-trained reference (a world with trends)', false],
      ['high-value accuracy >= 0.85 by the truth-trained reference', true],
    ]);
    expect(bars[1].detail).toBe('0.0040 [-0.0070, 0.0140]');
  });

  it('does not apply without trends or signal, and is null with the reason when a reference is unavailable', () => {
    // Arrange
    const e = withReferences(null, diff(0.1, 0.09, 0.11), null);
    // Act
    const withTrends = referenceBars(e, { trends: true, signal: true });
    const without = referenceBars(e, { trends: false, signal: false });
    // Assess
    expect(withTrends.map((b) => [b.met, b.detail])).toEqual([
      [null, 'no trend features'],
      [true, '0.1000 [0.0900, 0.1100]'],
      [null, 'no classifier'],
    ]);
    expect(without.map((b) => [b.met, b.detail])).toEqual([
      [null, 'no trends in this world'],
      [null, 'no trends in this world'],
      [null, 'no signal in usage or revenue'],
    ]);
  });
});
