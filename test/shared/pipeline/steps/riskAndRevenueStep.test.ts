import { describe, expect, it } from 'vitest';
import type { TriggerResult } from '../../../../shared/insights/index.ts';
import {
  newestInputDate,
  newlyFired,
} from '../../../../shared/pipeline/steps/riskAndRevenueStep.ts';

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

describe('Function: newestInputDate', () => {
  it('takes the later of the newest product event and the most recent CRM activity', () => {
    const rows = [
      { last_event_on: '2024-10-20', days_since_last_activity: 12 },
      { last_event_on: null, days_since_last_activity: 3 }, // 2024-10-28
      { last_event_on: '2024-10-25', days_since_last_activity: null },
    ];
    expect(newestInputDate(rows, '2024-10-31')).toBe('2024-10-28');
    expect(newestInputDate(rows.slice(2), '2024-10-31')).toBe('2024-10-25');
    expect(
      newestInputDate([{ last_event_on: null, days_since_last_activity: null }], '2024-10-31'),
    ).toBeNull();
  });
});
