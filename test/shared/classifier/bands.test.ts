import { describe, expect, it } from 'vitest';
import { probabilityBand } from '../../../shared/classifier/bands.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';

describe('Function: probabilityBand', () => {
  it('bands probabilities at 0.8, 0.5 and 0.2 by default, edges included in the upper band', () => {
    // Prepare
    const { bands } = classifierOf({});
    // Act
    const got = [1, 0.8, 0.79, 0.5, 0.49, 0.2, 0.19, 0].map((p) => probabilityBand(p, bands));
    // Assess
    expect(got).toEqual([
      'High',
      'High',
      'Likely',
      'Likely',
      'Possible',
      'Possible',
      'Unlikely',
      'Unlikely',
    ]);
  });

  it('uses the configured edges', () => {
    // Prepare
    const { bands } = classifierOf({
      classifier: { bands: { high: 0.9, likely: 0.6, possible: 0.3 } },
    });
    // Act & Assess
    expect(probabilityBand(0.85, bands)).toBe('Likely');
    expect(probabilityBand(0.25, bands)).toBe('Unlikely');
  });
});

describe('Function: classifierOf', () => {
  it('fills the seed defaults and refuses bands out of order', () => {
    // Act
    const cfg = classifierOf(undefined);
    // Assess
    expect(cfg).toMatchObject({
      label: 'auto',
      revenueWindowDays: 365,
      testSize: 0.3,
      minAccounts: 200,
      minPositives: 30,
    });
    expect(cfg.gate).toEqual({ aucTolerance: 0.005, confidence: 0.95 });
    expect(cfg.crossFit).toEqual({ folds: 5 });
    expect(() => classifierOf({ classifier: { bands: { high: 0.3 } } })).toThrow(/bands/);
  });
});
