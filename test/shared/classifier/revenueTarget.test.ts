import { describe, expect, it } from 'vitest';
import { forestThreshold } from '../../../shared/classifier/evaluate.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';

describe('Config: classifier.forest.revenueTarget', () => {
  it('defaults to flag and refuses rank with the stacker switched off, naming the way out', () => {
    // Act
    const defaults = classifierOf({});
    const flagAlone = classifierOf({ classifier: { stacking: { enabled: false } } });
    const rank = classifierOf({ classifier: { forest: { revenueTarget: 'rank' } } });
    // Assess
    expect(defaults.forest.revenueTarget).toBe('flag');
    expect(flagAlone.stacking.enabled).toBe(false);
    expect(rank.stacking.enabled).toBe(true);
    expect(() =>
      classifierOf({
        classifier: { forest: { revenueTarget: 'rank' }, stacking: { enabled: false } },
      }),
    ).toThrow(/revenueTarget 'rank' needs stacking.enabled.*set forest.revenueTarget: flag/);
  });
});

describe('Function: forestThreshold', () => {
  it("is the config threshold for a probability and 1 - revenueTopShare for a revenue-rank forest's percentile", () => {
    // Prepare
    const config = { threshold: 0.5, revenueTopShare: 0.2 };
    // Act + Assess
    expect(forestThreshold({ params: { criterion: 'gini' } } as never, config)).toBe(0.5);
    expect(forestThreshold({ params: { criterion: 'squared_error' } } as never, config)).toBe(0.8);
  });
});
