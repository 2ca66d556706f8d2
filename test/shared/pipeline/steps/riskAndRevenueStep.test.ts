import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileScoreStore } from '../../../../shared/adapters/local/fileScoreStore.ts';
import type { TriggerResult } from '../../../../shared/insights/index.ts';
import { TriggerHistoryReducer } from '../../../../shared/insights/triggerHistory.ts';
import {
  foldEarlierRuns,
  newestInputDate,
  newlyFired,
} from '../../../../shared/pipeline/steps/riskAndRevenueStep.ts';
import type { Row } from '../../../../shared/ports/index.ts';

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

describe('Function: foldEarlierRuns', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-fold-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const record = (asOf: string, values: Row) => ({ accountId: 'A', asOf, values });

  it('reads earlier daily runs newest first, skips backfilled ones and stops at the limit', async () => {
    // Prepare: four earlier runs, the newest but one backfilled, and a run on the as-of date itself
    const store = new FileScoreStore(dir);
    await store.putRun('2024-06-01', [record('2024-06-01', { avg_nps_rating: 9 })]);
    await store.putRun('2024-06-10', [record('2024-06-10', { avg_nps_rating: 7 })]);
    await store.putRun('2024-06-20', [
      record('2024-06-20', { avg_nps_rating: 3, backfilled: true }),
    ]);
    await store.putRun('2024-06-25', [record('2024-06-25', { days_since_last_event: 4 })]);
    await store.putRun('2024-06-30', [record('2024-06-30', { avg_nps_rating: 1 })]);
    const history = new TriggerHistoryReducer(() => null);

    // Act: two runs at most, before 2024-06-30
    const { newest, runs } = await foldEarlierRuns(store, '2024-06-30', 2, history);

    // Assess: 06-25 and 06-10 were read (06-20 is backfilled, 06-01 past the limit)
    expect(runs).toBe(2);
    expect(newest?.asOf).toBe('2024-06-25');
    expect(history.history('A').sort((x, y) => (x.asOf < y.asOf ? -1 : 1))).toEqual([
      {
        asOf: '2024-06-10',
        current_pipeline_amount: null,
        days_since_last_event: null,
        avg_nps_rating: 7,
      },
      {
        asOf: '2024-06-25',
        current_pipeline_amount: null,
        days_since_last_event: 4,
        avg_nps_rating: null,
      },
    ]);
  });
});
