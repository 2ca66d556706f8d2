import { describe, expect, it } from 'vitest';
import type { TriggerResult } from '../../../../shared/insights/index.ts';
import { newlyFired } from '../../../../shared/pipeline/steps/riskAndRevenueStep.ts';

const result = (trigger: TriggerResult['trigger'], fired: TriggerResult['fired']): TriggerResult =>
  ({ trigger, action: 'rescue', fired, reason: `${trigger} reason` }) as TriggerResult;

describe('Function: newlyFired', () => {
  it('keeps a trigger that fires for the first time and mutes one that fired in the previous run', () => {
    // Prepare
    const now = [
      result('no-recent-activity', true),
      result('few-contacts', true),
      result('nps-drop', false),
    ];
    // Act
    const out = newlyFired(now, new Set(['few-contacts']));
    // Assess
    expect(out.map((r) => r.fired)).toEqual([true, false, false]);
    expect(out[1].reason).toBe('few-contacts reason; already firing in the previous run');
  });

  it('treats every fired trigger as new when there is no previous run for the account', () => {
    const now = [result('few-contacts', true)];
    expect(newlyFired(now, undefined)).toEqual(now);
  });
});
