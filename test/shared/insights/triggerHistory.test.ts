import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/dates.ts';
import {
  evaluateTriggers,
  type TriggerHistoryEntry,
} from '../../../shared/insights/evaluateTriggers.ts';
import { TriggerHistoryReducer } from '../../../shared/insights/triggerHistory.ts';
import { account, defaults } from './fixtures.ts';

const asOf = '2024-06-30';
const entry = (date: string, values: Partial<TriggerHistoryEntry> = {}): TriggerHistoryEntry => ({
  asOf: date,
  current_pipeline_amount: null,
  days_since_last_event: null,
  avg_nps_rating: null,
  ...values,
});

/** A small deterministic generator (mulberry32) for the randomised equivalence check. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Class: TriggerHistoryReducer', () => {
  it('keeps the oldest unchanged pipeline run, the first change, and the newest recency and NPS runs', () => {
    // Prepare: today's pipeline is 500; runs 1..3 days back show 500, 4 days back 400, 5 days back 500 again
    const reducer = new TriggerHistoryReducer(() => 500);
    const runs: TriggerHistoryEntry[] = [
      entry('2024-06-29', { current_pipeline_amount: 500 }),
      entry('2024-06-28', { current_pipeline_amount: 500, days_since_last_event: 3 }),
      entry('2024-06-27', { current_pipeline_amount: 500, avg_nps_rating: 8 }),
      entry('2024-06-26', { current_pipeline_amount: 400, avg_nps_rating: 9 }),
      entry('2024-06-25', { current_pipeline_amount: 500, days_since_last_event: 1 }),
    ];
    // Act
    for (const e of runs) reducer.addRun(e.asOf, [{ accountId: 'a', entry: e }]);
    // Assess: 06-27 (oldest 500 before the change, and the newest NPS), 06-26 (the change), 06-28 (newest recency)
    const kept = reducer.history('a').sort((x, y) => (x.asOf < y.asOf ? -1 : 1));
    expect(kept).toEqual([
      entry('2024-06-26', { current_pipeline_amount: 400 }),
      entry('2024-06-27', { current_pipeline_amount: 500, avg_nps_rating: 8 }),
      entry('2024-06-28', { days_since_last_event: 3 }),
    ]);
    expect(reducer.history('unknown')).toEqual([]);
  });

  it('refuses runs that are not added newest first', () => {
    const reducer = new TriggerHistoryReducer(() => null);
    reducer.addRun('2024-06-29', []);
    expect(() => reducer.addRun('2024-06-29', [])).toThrow(/newest first/);
  });

  it('gives evaluateTriggers the same results as the whole history, on 400 random histories', () => {
    const next = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const config = defaults();
    let fired = 0;
    for (let i = 0; i < 400; i++) {
      const current = pick([null, 0, 500, 750]);
      const row = account({
        account_id: 'a',
        current_pipeline_amount: current,
        days_since_last_event: pick([null, 2, 30]),
        avg_nps_rating: pick([null, 5, 8]),
      });
      // up to 60 earlier runs at 1-10 day steps, values often equal to today's
      const full: TriggerHistoryEntry[] = [];
      let date = asOf;
      for (let r = Math.floor(next() * 60); r > 0; r--) {
        date = addDays(date, -1 - Math.floor(next() * 10));
        full.push(
          entry(date, {
            current_pipeline_amount: pick([null, current, current, current, 400, 0]),
            days_since_last_event: pick([null, 1, 10]),
            avg_nps_rating: pick([null, 6, 9]),
          }),
        );
      }
      const reducer = new TriggerHistoryReducer(() => current);
      for (const e of full) reducer.addRun(e.asOf, [{ accountId: 'a', entry: e }]);
      const expected = evaluateTriggers(row, full, asOf, config);
      expect(evaluateTriggers(row, reducer.history('a'), asOf, config)).toEqual(expected);
      fired += expected.filter((t) => t.trigger === 'pipeline-stagnant' && t.fired === true).length;
    }
    // the random histories do reach the interesting case: stagnant pipelines that fire
    expect(fired).toBeGreaterThan(10);
  });
});
