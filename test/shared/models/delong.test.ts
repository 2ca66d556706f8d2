import { describe, expect, it } from 'vitest';
import {
  aucComponents,
  aucVariance,
  compareAuc,
  normalQuantile,
  rocAuc,
} from '../../../shared/models/index.ts';

describe('Function: aucComponents / aucVariance', () => {
  it('gives the structural components and the DeLong variance of a 2 x 2 example computed by hand', () => {
    // Prepare: positives score 0.9 and 0.4, negatives 0.5 and 0.1.
    // V10: 0.9 beats both negatives (1), 0.4 beats one (0.5); V01: 0.5 is beaten by one positive (0.5), 0.1 by both (1).
    // AUC = 0.75; var = var(V10)/2 + var(V01)/2 = 0.125/2 + 0.125/2 = 0.125 (sample variances, ddof 1).
    const y = Uint8Array.from([1, 0, 1, 0]);
    const s = [0.9, 0.5, 0.4, 0.1];
    // Act
    const c = aucComponents(y, s);
    // Assess
    expect(Array.from(c.v10)).toEqual([1, 0.5]);
    expect(Array.from(c.v01)).toEqual([0.5, 1]);
    expect(c.auc).toBe(0.75);
    expect(aucVariance(c)).toBeCloseTo(0.125, 12);
  });

  it('counts ties as one half, as rocAuc does', () => {
    // Prepare: positive 0.5 ties negative 0.5 -> 0.5; positive 0.7 beats both -> 1; AUC (1 + 1 + 0.5 + 1) / 4 = 0.875
    const y = Uint8Array.from([1, 1, 0, 0]);
    const s = [0.7, 0.5, 0.5, 0.2];
    // Act
    const c = aucComponents(y, s);
    // Assess
    expect(c.auc).toBe(0.875);
    expect(c.auc).toBe(rocAuc(y, s));
  });
});

describe('Function: compareAuc', () => {
  it('gives a zero-width interval for identical scores and the hand-computed interval against a constant score', () => {
    // Prepare: model B is constant (AUC 0.5, all components 0.5, variance 0), so var(A - B) = var(A) = 0.125
    const y = Uint8Array.from([1, 0, 1, 0]);
    const a = [0.9, 0.5, 0.4, 0.1];
    // Act
    const same = compareAuc(y, a, a);
    const vsConst = compareAuc(y, a, [1, 1, 1, 1], 0.95);
    // Assess
    expect(same).toMatchObject({ difference: 0, se: 0, lower: 0, upper: 0 });
    expect(vsConst.difference).toBe(0.25);
    expect(vsConst.se).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(vsConst.lower).toBeCloseTo(0.25 - 1.959964 * Math.sqrt(0.125), 5);
    expect(vsConst.upper).toBeCloseTo(0.25 + 1.959964 * Math.sqrt(0.125), 5);
  });

  it('throws when a class is absent', () => {
    expect(() => compareAuc(Uint8Array.from([1, 1]), [0.1, 0.2], [0.3, 0.4])).toThrow(
      /both classes/,
    );
  });
});

describe('Function: normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});
