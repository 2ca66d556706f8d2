import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  type CalibrationCurve,
  calibratedValue,
  calibrationCurve,
  calibrationPoints,
  type InstrumentQuad,
  instrumentEstimate,
  monotoneFit,
  regressedCall,
  regressedMeanFactor,
  shrinkageOf,
  withCalibration,
} from '../../../shared/trends/ownTrend.ts';
import { type SampledHistory, shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import { quadRow } from './trendWorld.ts';

const config = trendsConfig.parse({
  shrinkage: { estimator: 'crm-calibrated', reliability: 'pooled' },
});

describe('Function: monotoneFit', () => {
  it('pools adjacent violators into their weighted mean', () => {
    // Act & Assess: 3 > 2 pooled to 2.5
    expect(monotoneFit([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    // 5 (weight 1) > 1 (weight 3): (5 + 3) / 4 = 2
    expect(monotoneFit([0, 5, 1], [1, 1, 3])).toEqual([0, 2, 2]);
    // a decreasing run pools back to the start: (3 + 2) / 2 = 2.5 > 1, then (5 + 1) / 3 = 2
    expect(monotoneFit([3, 2, 1], [1, 1, 1])).toEqual([2, 2, 2]);
    // already monotone: unchanged
    expect(monotoneFit([-1, 0, 0, 2], [5, 1, 2, 3])).toEqual([-1, 0, 0, 2]);
  });
});

describe('Function: calibrationCurve', () => {
  it('bins x into equal counts and gives each bin its mean y, made non-decreasing', () => {
    // Prepare: x = 1..10 out of order, y so that the bin means are 0, 2, 1, 3, 10 (bins of two)
    const ys = [-1, 1, 2, 2, 0, 2, 3, 3, 9, 11];
    const points = [7, 2, 9, 1, 4, 10, 3, 8, 5, 6].map((x) => ({ x, y: ys[x - 1] }));
    // Act
    const curve = calibrationCurve(points, 5) as CalibrationCurve;
    // Assess: edges are each bin's largest x; 2 > 1 is pooled to 1.5
    expect(curve.edges).toEqual([2, 4, 6, 8]);
    expect(curve.counts).toEqual([2, 2, 2, 2, 2]);
    expect(curve.values).toEqual([0, 1.5, 1.5, 3, 10]);
  });

  it('deals an uneven count by floor(k n / bins) and is null with fewer points than bins', () => {
    // Prepare: 7 points, 3 bins: 0..1, 2..3, 4..6 (floor(7/3) = 2, floor(14/3) = 4)
    const points = [0, 1, 2, 3, 4, 5, 6].map((x) => ({ x, y: x }));
    // Act
    const curve = calibrationCurve(points, 3) as CalibrationCurve;
    // Assess
    expect(curve.counts).toEqual([2, 2, 3]);
    expect(curve.edges).toEqual([1, 3]);
    expect(curve.values).toEqual([0.5, 2.5, 5]);
    expect(calibrationCurve(points.slice(0, 2), 3)).toBeNull();
  });
});

describe('Function: calibratedValue', () => {
  it('reads the bin of x (an edge belongs to the lower bin) and the outer bins beyond the edges', () => {
    // Prepare
    const curve: CalibrationCurve = {
      edges: [-0.1, 0.1],
      values: [-0.2, 0, 0.3],
      counts: [1, 1, 1],
    };
    // Act & Assess
    expect(calibratedValue(curve, -5)).toBe(-0.2);
    expect(calibratedValue(curve, -0.1)).toBe(-0.2);
    expect(calibratedValue(curve, 0)).toBe(0);
    expect(calibratedValue(curve, 0.1)).toBe(0);
    expect(calibratedValue(curve, 0.11)).toBe(0.3);
    expect(calibratedValue(curve, 9)).toBe(0.3);
  });
});

describe('Function: calibrationPoints', () => {
  it('corrects u2 by its origin median and centres a2 on its origin mean; skips origins without a median', () => {
    // Prepare: origin 0 (median 0.1): a2 = 1, 3 (mean 2); origin 13 (median -0.2): a2 = 0; origin 26 no median
    const q = (w: number, u2: number, a2: number): InstrumentQuad => ({ w, u1: 0, u2, a1: 0, a2 });
    const quads = [q(0, 0.5, 1), q(0, -0.5, 3), q(13, 0, 0), q(26, 1, 1)];
    const medians = new Map([
      [0, 0.1],
      [13, -0.2],
    ]);
    // Act
    const points = calibrationPoints(quads, (w) => medians.get(w) ?? null);
    // Assess
    expect(points).toHaveLength(3);
    expect(points[0].x).toBeCloseTo(0.4, 12);
    expect(points[0].y).toBe(-1);
    expect(points[1].x).toBeCloseTo(-0.6, 12);
    expect(points[1].y).toBe(1);
    expect(points[2]).toEqual({ x: 0.2, y: 0 });
  });
});

/** The four-account example of crmInstrument.test.ts: phi = 2/3 (cov(u1, a1) 2, cross covariances 4/3). */
const exampleQuads: InstrumentQuad[] = [
  [2, 1, 2, 0.5],
  [-2, -1, -2, -0.5],
  [1, 0, -1, 1],
  [-1, 0, 1, -1],
].map(([u1, u2, a1, a2]) => ({ w: 0, u1, u2, a1, a2 }));

describe('Function: withCalibration', () => {
  const base = shrinkageOf(
    Array.from({ length: 40 }, (_, i) => ({ x: i % 2 ? 1 : -1, y: 0, noise: 0 })),
    config,
  );
  const curve: CalibrationCurve = { edges: [0], values: [-0.3, 0.12], counts: [2, 2] };

  it('calls phi (3 months) or phi + phi^2 (6 months) times the curve at the corrected change', () => {
    // Prepare
    const est = instrumentEstimate(exampleQuads, 4, 1);
    // Act
    const s = withCalibration(base, est, curve);
    // Assess: phi = 2/3; 3 months 2/3 x 0.12 = 0.08 (Flat, below ln 1.1 = 0.0953), 6 months (2/3 + 4/9) x 0.12
    // = 0.1333 (Up); a negative change reads -0.3: 3 months -0.2 (Down)
    expect(s.estimator).toBe('crm-calibrated');
    expect(s.factors?.['3m']).toBeCloseTo(2 / 3, 12);
    expect(s.factors?.['6m']).toBeCloseTo(10 / 9, 12);
    const up3 = regressedCall(0.5, s, '3m', config);
    expect(up3.p).toBeCloseTo(0.08, 12);
    expect(up3.t).toBe('Flat');
    const up6 = regressedCall(5, s, '6m', config);
    expect(up6.p).toBeCloseTo(0.12 * (10 / 9), 12);
    expect(up6.t).toBe('Up');
    expect(regressedCall(-0.01, s, '3m', config)).toMatchObject({ t: 'Down' });
    // the expected change is not proportional to the corrected change: no single factor
    expect(regressedMeanFactor(s, '6m', config)).toBeNull();
    // with the most-probable call configured, the calibrated mean-threshold call still applies
    const mp = trendsConfig.parse({
      shrinkage: { estimator: 'crm-calibrated', reliability: 'pooled' },
      regressedCall: 'most-probable',
    });
    expect(regressedCall(5, s, '6m', mp).t).toBe('Up');
  });

  it('keeps the noise-corrected b and says why when the estimate is not usable or there is no curve', () => {
    // Prepare
    const unusable = instrumentEstimate(exampleQuads, 5, 1);
    const usable = instrumentEstimate(exampleQuads, 4, 1);
    // Act
    const a = withCalibration(base, unusable, curve);
    const b = withCalibration(base, usable, null);
    // Assess
    for (const s of [a, b]) {
      expect(s.estimator).toBe('noise-corrected');
      expect(s.calibration).toBeUndefined();
      expect(s.factors).toBeUndefined();
      expect(s.b).toBe(base.b);
      expect(s.reason).toContain('the noise-corrected b stands');
    }
    expect(a.reason).toContain('need 5');
  });
});

describe('Function: shrinkageAt (crm-calibrated)', () => {
  it('fits the curve on the quads of the origins known at the forecast date, corrected by their medians', () => {
    // Prepare: the example's quads at origin 0 (median of the corrected change 0.5); u2 - 0.5 = 0.5, -1.5, -0.5,
    // -0.5 with a2 - mean(a2) = 0.5, -0.5, 1, -1: two bins {-1.5, -0.5} and {-0.5, 0.5} (a tie at the bound)
    const hist: SampledHistory = {
      frame: { asOf: '2024-10-31', firstDay: '2023-01-01', lastDay: '2024-10-31', windowWeeks: 13 },
      byWeek: new Map([
        [
          0,
          [
            [2, 1, 2, 0.5],
            [-2, -1, -2, -0.5],
            [1, 0, -1, 1],
            [-1, 0, 1, -1],
          ].map((q, i) => quadRow(`a${i}`, 0, q)),
        ],
      ]),
      medians: new Map([[0, { c: 0.5, y3: null, y6: null }]]),
    };
    const cfg = trendsConfig.parse({
      shrinkage: {
        estimator: 'crm-calibrated',
        reliability: 'pooled',
        instrument: { minPairs: 4, guardSe: 1, bins: 2 },
      },
    });
    // Act
    const s = shrinkageAt(hist, 0, cfg);
    // Assess: sorted by x: (-1.5, -0.5), (-0.5, 1) | (-0.5, -1), (0.5, 0.5) -> means 0.25 and -0.25, pooled to 0
    expect(s.estimator).toBe('crm-calibrated');
    expect(s.instrument?.phi).toBeCloseTo(2 / 3, 9);
    expect(s.calibration?.counts).toEqual([2, 2]);
    expect(s.calibration?.edges[0]).toBeCloseTo(-0.5, 9);
    expect(s.calibration?.values[0]).toBeCloseTo(0, 9);
    expect(s.calibration?.values[1]).toBeCloseTo(0, 9);
    // with crm-instrument the same history gives no curve
    const plain = shrinkageAt(
      hist,
      0,
      trendsConfig.parse({
        shrinkage: {
          estimator: 'crm-instrument',
          reliability: 'pooled',
          instrument: { minPairs: 4, guardSe: 1 },
        },
      }),
    );
    expect(plain.calibration).toBeUndefined();
    expect(plain.estimator).toBe('crm-instrument');
  });
});
