import { describe, expect, it } from 'vitest';
import { gateDecision } from '../../../shared/classifier/gate.ts';

const gate = { minAccuracy: 0.85, aucTolerance: 0.005 };

describe('Function: gateDecision', () => {
  it('refuses a candidate whose AUC is below the champion AUC on the same holdout minus the tolerance', () => {
    // Prepare: 0.95 < 0.97 - 0.005 = 0.965
    const input = {
      candidate: { version: 'new', accuracy: 0.95, auc: 0.95 },
      champion: { version: 'old', auc: 0.97 },
    };
    // Act
    const d = gateDecision(input, gate);
    // Assess
    expect(d.promote).toBe(false);
    expect(d.minAuc).toBeCloseTo(0.965, 10);
    expect(d.reason).toContain('old');
    expect(d.reason).toContain('stays');
  });

  it('accepts a better candidate, and one within the tolerance of the champion', () => {
    // Prepare
    const better = { version: 'new', accuracy: 0.9, auc: 0.98 };
    const close = { version: 'new', accuracy: 0.9, auc: 0.966 };
    const champion = { version: 'old', auc: 0.97 };
    // Act
    const a = gateDecision({ candidate: better, champion }, gate);
    const b = gateDecision({ candidate: close, champion }, gate);
    // Assess
    expect(a.promote).toBe(true);
    expect(b.promote).toBe(true);
  });

  it('refuses a candidate below the accuracy bar even when its AUC beats the champion', () => {
    // Act
    const d = gateDecision(
      {
        candidate: { version: 'new', accuracy: 0.84, auc: 0.99 },
        champion: { version: 'old', auc: 0.9 },
      },
      gate,
    );
    // Assess
    expect(d.promote).toBe(false);
    expect(d.reason).toContain('accuracy 0.8400 is below the bar 0.8500');
  });

  it('gates the first model on accuracy alone', () => {
    // Prepare: a poor AUC does not matter when there is no champion
    const pass = { version: 'v1', accuracy: 0.86, auc: 0.5 };
    const fail = { version: 'v1', accuracy: 0.849, auc: 0.99 };
    // Act
    const a = gateDecision({ candidate: pass, champion: null }, gate);
    const b = gateDecision({ candidate: fail, champion: null }, gate);
    // Assess
    expect(a).toMatchObject({ promote: true, minAuc: null });
    expect(a.reason).toContain('first model');
    expect(b.promote).toBe(false);
    expect(b.reason).toContain('no champion is set');
  });

  it('refuses a candidate whose AUC is undefined', () => {
    // Act
    const d = gateDecision(
      {
        candidate: { version: 'new', accuracy: 0.9, auc: Number.NaN },
        champion: { version: 'old', auc: 0.9 },
      },
      gate,
    );
    // Assess
    expect(d.promote).toBe(false);
  });
});
