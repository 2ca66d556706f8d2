import { describe, expect, it } from 'vitest';
import {
  evaluateTriggers,
  type TriggerHistoryEntry,
  type TriggerId,
} from '../../../shared/insights/evaluateTriggers.ts';
import { account, defaults } from './fixtures.ts';

const asOf = '2024-06-30';
const entry = (date: string, values: Partial<TriggerHistoryEntry> = {}): TriggerHistoryEntry => ({
  asOf: date,
  current_pipeline_amount: null,
  days_since_last_event: null,
  avg_nps_rating: null,
  ...values,
});
const pick = (results: ReturnType<typeof evaluateTriggers>, id: TriggerId) => {
  const found = results.find((r) => r.trigger === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
};

describe('Function: evaluateTriggers', () => {
  it('fires the rescue and enrichment triggers past their thresholds', () => {
    // Prepare: 23 days > 14; 2 < 3 activities; 19 < 20 contacts; 14 < 15 with e-mail
    const row = account({
      account_id: 'a',
      days_since_last_activity: 23,
      total_activities_30d: 2,
      total_contacts: 19,
      contacts_with_email: 14,
    });
    // Act
    const results = evaluateTriggers(row, [], asOf, defaults());
    // Assess
    expect(pick(results, 'no-recent-activity')).toEqual({
      trigger: 'no-recent-activity',
      action: 'rescue',
      fired: true,
      reason: 'no CRM activity for 23 days (days_since_last_activity > 14)',
    });
    expect(pick(results, 'low-activity-30d').fired).toBe(true);
    expect(pick(results, 'few-contacts')).toMatchObject({ fired: true, action: 'enrichment' });
    expect(pick(results, 'few-email-contacts').reason).toBe(
      '14 contacts with e-mail (contacts_with_email < 15)',
    );
  });

  it('does not fire at the thresholds themselves', () => {
    // Prepare: 14 days is not > 14; 3 activities, 20 contacts, 15 with e-mail are not below
    const row = account({
      account_id: 'a',
      days_since_last_activity: 14,
      total_activities_30d: 3,
      total_contacts: 20,
      contacts_with_email: 15,
    });
    // Act
    const results = evaluateTriggers(row, [], asOf, defaults());
    // Assess
    for (const id of [
      'no-recent-activity',
      'low-activity-30d',
      'few-contacts',
      'few-email-contacts',
    ] as const) {
      expect(pick(results, id).fired).toBe(false);
    }
    expect(pick(results, 'no-recent-activity').reason).toBe(
      'last CRM activity 14 days ago (days_since_last_activity <= 14)',
    );
  });

  it('is not yet evaluable when an input is missing or there is no history', () => {
    // Prepare: every input NULL except the product ones, and no earlier run
    const row = account({
      account_id: 'a',
      current_pipeline_amount: 500,
      days_since_last_event: 3,
      avg_nps_rating: 7,
    });
    // Act
    const results = evaluateTriggers(row, [], asOf, defaults());
    // Assess
    expect(pick(results, 'no-recent-activity')).toMatchObject({
      fired: 'not yet evaluable',
      reason: 'days_since_last_activity is missing',
    });
    expect(pick(results, 'pipeline-stagnant')).toMatchObject({
      fired: 'not yet evaluable',
      reason: 'current_pipeline_amount history covers 0 days, needs 30',
    });
    expect(pick(results, 'event-recency-jump').fired).toBe('not yet evaluable');
    expect(pick(results, 'nps-drop').fired).toBe('not yet evaluable');
  });

  it('fires pipeline-stagnant when the amount is unchanged for 30+ days, and ignores later entries', () => {
    // Prepare: same 500 on 05-26 (35 days before) and 06-20; a different value dated on asOf itself is ignored
    const row = account({ account_id: 'a', current_pipeline_amount: 500 });
    const history = [
      entry('2024-06-20', { current_pipeline_amount: 500 }),
      entry('2024-05-26', { current_pipeline_amount: 500 }),
      entry('2024-06-30', { current_pipeline_amount: 900 }),
    ];
    // Act
    const result = pick(evaluateTriggers(row, history, asOf, defaults()), 'pipeline-stagnant');
    // Assess
    expect(result).toMatchObject({ fired: true, action: 'executive review' });
    expect(result.reason).toBe(
      'pipeline unchanged at 500 for 35 days (current_pipeline_amount, >= 30)',
    );
  });

  it('does not fire pipeline-stagnant when the amount changed within 30 days', () => {
    // Prepare: 400 on 06-10 (20 days before), 500 now; the history spans 40 days
    const row = account({ account_id: 'a', current_pipeline_amount: 500 });
    const history = [
      entry('2024-05-21', { current_pipeline_amount: 400 }),
      entry('2024-06-10', { current_pipeline_amount: 400 }),
    ];
    // Act
    const result = pick(evaluateTriggers(row, history, asOf, defaults()), 'pipeline-stagnant');
    // Assess
    expect(result.fired).toBe(false);
    expect(result.reason).toContain('changed from 400 (2024-06-10) to 500');
  });

  it('is not yet evaluable for pipeline-stagnant when history spans under 30 days', () => {
    // Prepare: the only earlier run is 12 days before
    const row = account({ account_id: 'a', current_pipeline_amount: 500 });
    // Act
    const result = pick(
      evaluateTriggers(
        row,
        [entry('2024-06-18', { current_pipeline_amount: 500 })],
        asOf,
        defaults(),
      ),
      'pipeline-stagnant',
    );
    // Assess
    expect(result).toMatchObject({
      fired: 'not yet evaluable',
      reason: 'current_pipeline_amount history covers 12 days, needs 30',
    });
  });

  it('fires event-recency-jump when days_since_last_event grew 14+ days beyond the elapsed days', () => {
    // Prepare: 3 days on 06-23, 7 days before; now 30 -> grew 27, 20 beyond the 7 elapsed (>= 14); now 12 -> 2 beyond
    const history = [entry('2024-06-23', { days_since_last_event: 3 })];
    // Act
    const jumped = pick(
      evaluateTriggers(
        account({ account_id: 'a', days_since_last_event: 30 }),
        history,
        asOf,
        defaults(),
      ),
      'event-recency-jump',
    );
    const steady = pick(
      evaluateTriggers(
        account({ account_id: 'a', days_since_last_event: 12 }),
        history,
        asOf,
        defaults(),
      ),
      'event-recency-jump',
    );
    // Assess
    expect(jumped.fired).toBe(true);
    expect(jumped.reason).toBe(
      'days_since_last_event went from 3 to 30 over 7 days between runs (+20 beyond the elapsed days, >= 14)',
    );
    expect(steady.fired).toBe(false);
  });

  it('fires nps-drop on a fall of one point and not on less', () => {
    // Prepare: 8.2 -> 7.2 is a 1-point fall (0.9999999999999991 in floating point); 8.2 -> 7.5 is 0.7
    const history = [
      entry('2024-06-29', { avg_nps_rating: 8.2 }),
      entry('2024-06-01', { avg_nps_rating: 3 }),
    ];
    // Act
    const fell = pick(
      evaluateTriggers(
        account({ account_id: 'a', avg_nps_rating: 7.2 }),
        history,
        asOf,
        defaults(),
      ),
      'nps-drop',
    );
    const dipped = pick(
      evaluateTriggers(
        account({ account_id: 'a', avg_nps_rating: 7.5 }),
        history,
        asOf,
        defaults(),
      ),
      'nps-drop',
    );
    // Assess
    expect(fell).toMatchObject({ fired: true, action: 'success review' });
    expect(fell.reason).toBe(
      'avg_nps_rating went from 8.2 (2024-06-29) to 7.2 (fell 1 points, >= 1)',
    );
    expect(dipped.fired).toBe(false);
  });

  it('uses configured thresholds', () => {
    // Prepare: 23 days with the threshold raised to 30
    const config = defaults();
    const row = account({ account_id: 'a', days_since_last_activity: 23 });
    // Act
    const result = evaluateTriggers(row, [], asOf, {
      triggers: { ...config.triggers, maxDaysSinceActivity: 30 },
    });
    // Assess
    expect(pick(result, 'no-recent-activity').fired).toBe(false);
  });
});
