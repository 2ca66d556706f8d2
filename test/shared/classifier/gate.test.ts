import { describe, expect, it } from 'vitest';
import { gateDecision } from '../../../shared/classifier/gate.ts';
import { compareAuc } from '../../../shared/models/index.ts';

const gate = { aucTolerance: 0.005, confidence: 0.95 };

/**
 * A hand-made holdout of 8 positives and 8 negatives. `perfect` ranks every positive above every negative (AUC 1);
 * `good` swaps one positive-negative pair (AUC 63/64); `weak` interleaves them (AUC 0.5 + a little).
 */
const y = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
const perfect = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const good = [16, 15, 14, 13, 12, 11, 10, 8.5, 9, 7, 6, 5, 4, 3, 2, 1];
const weak = [16, 14, 12, 10, 8, 6, 4, 2, 15, 13, 11, 9, 7, 5, 3, 1];

describe('Function: gateDecision', () => {
  it('promotes a candidate better than both the champion and the 2-D baseline on the same holdout', () => {
    // Prepare: candidate perfect (AUC 1), baseline and champion weak (AUC 36/64 = 0.5625)
    const input = {
      candidate: { version: 'new', auc: 1 },
      baseline: compareAuc(y, perfect, weak),
      champion: { version: 'old', comparison: compareAuc(y, perfect, weak) },
    };
    // Act
    const d = gateDecision(input, gate);
    // Assess
    expect(input.baseline.aucB).toBeCloseTo(36 / 64, 12);
    expect(d.promote).toBe(true);
    expect(d.checks.map((c) => c.passed)).toEqual([true, true]);
    expect(d.checks[0].difference).toBeCloseTo(1 - 36 / 64, 12);
  });

  it('does not promote a candidate worse than the champion, even when it beats the baseline', () => {
    // Prepare: candidate weak (0.5625), champion perfect (1), baseline weak too (difference 0)
    const input = {
      candidate: { version: 'new', auc: 36 / 64 },
      baseline: compareAuc(y, weak, weak),
      champion: { version: 'old', comparison: compareAuc(y, weak, perfect) },
    };
    // Act
    const d = gateDecision(input, gate);
    // Assess
    expect(d.promote).toBe(false);
    expect(d.checks[0].passed).toBe(true);
    expect(d.checks[1]).toMatchObject({ against: 'champion old', passed: false });
    expect(d.reason).toContain('champion old stays');
  });

  it('refuses a first model that is clearly worse than the 2-D baseline', () => {
    // Act
    const d = gateDecision(
      {
        candidate: { version: 'v1', auc: 36 / 64 },
        baseline: compareAuc(y, weak, perfect),
        champion: null,
      },
      gate,
    );
    // Assess
    expect(d.promote).toBe(false);
    expect(d.reason).toContain('the 2-D baseline');
    expect(d.reason).toContain('no champion is set');
  });

  it('promotes a candidate within the tolerance of an equal champion: no accuracy floor applies', () => {
    // Prepare: the same scores (difference 0, interval 0 to 0); the candidate is promoted whatever its accuracy
    const same = compareAuc(y, good, good);
    // Act
    const d = gateDecision(
      {
        candidate: { version: 'new', auc: 63 / 64 },
        baseline: compareAuc(y, good, weak),
        champion: { version: 'old', comparison: same },
      },
      gate,
    );
    // Assess
    expect(same.aucA).toBeCloseTo(63 / 64, 12);
    expect(same.difference).toBe(0);
    expect(d.promote).toBe(true);
  });

  it('refuses a candidate more than the tolerance below the champion even when the interval reaches 0', () => {
    // Prepare: a hand-made comparison, difference -0.01 with a wide interval
    const comparison = {
      aucA: 0.8,
      aucB: 0.81,
      difference: -0.01,
      se: 0.05,
      confidence: 0.95,
      lower: -0.108,
      upper: 0.088,
    };
    // Act
    const d = gateDecision(
      {
        candidate: { version: 'new', auc: 0.8 },
        baseline: null,
        champion: { version: 'old', comparison },
      },
      gate,
    );
    // Assess
    expect(d.promote).toBe(false);
    expect(d.reason).toContain('more than the tolerance 0.005 below');
  });

  it('refuses a candidate whose AUC is undefined', () => {
    // Act
    const d = gateDecision(
      { candidate: { version: 'new', auc: Number.NaN }, baseline: null, champion: null },
      gate,
    );
    // Assess
    expect(d.promote).toBe(false);
    expect(d.reason).toContain('undefined');
  });
});
