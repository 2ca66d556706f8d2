import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { pointInTimeSql } from '../../../shared/sql/pointInTime.ts';

const CREATE = `CREATE OR REPLACE TABLE pendo__account_daily_metrics (source_relation varchar, date_day date,
  account_id varchar, count_active_visitors bigint, sum_minutes bigint, sum_events bigint, count_features_clicked bigint)`;
const row = (d: string, acc: string, minutes: number | null) =>
  minutes === null
    ? `('s', DATE '${d}', '${acc}', NULL, NULL, NULL, NULL)`
    : `('s', DATE '${d}', '${acc}', 1, ${minutes}, ${2 * minutes}, 3)`;

describe('Function: pointInTimeSql', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
  });
  afterAll(async () => engine.close());

  const run = () =>
    engine.query(
      pointInTimeSql({ dates: ['2024-03-31'], shortWindowDays: 30, longWindowDays: 90 }),
    );

  it('sums trailing windows and recency from rows on or before t only', async () => {
    // Prepare: a active on Jan 15 (10 min), Mar 1 (20), Mar 20 (30); an inactive spine day; b starts after t
    await engine.execute(CREATE);
    await engine.execute(
      `INSERT INTO pendo__account_daily_metrics VALUES ${[
        row('2024-01-15', 'a', 10),
        row('2024-03-01', 'a', 20),
        row('2024-03-20', 'a', 30),
        row('2024-03-25', 'a', null),
      ].join(', ')}`,
    );
    // Act
    const [r, ...rest] = await run();
    // Assess: short window (Mar 1 - Mar 31] holds Mar 20 only; long window (Jan 1 - Mar 31] all three
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      as_of: '2024-03-31',
      account_id: 'a',
      minutes_short: 30,
      events_short: 60,
      active_days_short: 1,
      minutes_long: 60,
      active_days_long: 3,
      visitor_days_long: 3,
      features_long: 9,
      minutes_m2: 20, // (Jan 31, Mar 1]
      minutes_m3: 10, // (Jan 1, Jan 31]
      days_since_last_active: 11, // Mar 20 -> Mar 31
      tenure_days: 76, // Jan 15 -> Mar 31
    });
  });

  it('gives the same answer when rows after t change (no look-ahead)', async () => {
    // Prepare
    const before = await run();
    await engine.execute(
      `INSERT INTO pendo__account_daily_metrics VALUES ${[
        row('2024-04-01', 'a', 999),
        row('2024-04-02', 'b', 500),
        row('2024-06-01', 'a', 1),
      ].join(', ')}`,
    );
    // Act
    const after = await run();
    // Assess: a later active day would change recency and sums if it were read; b is not active yet
    expect(after).toEqual(before);
  });

  it('computes several dates in one query, each with its own windows', async () => {
    // Act
    const rows = await engine.query(
      pointInTimeSql({
        dates: ['2024-04-02', '2024-01-20'],
        shortWindowDays: 30,
        longWindowDays: 90,
      }),
    );
    // Assess: Jan 20 sees only Jan 15; Apr 2 sees b's first day and a's Apr 1
    expect(
      rows.map((r) => [r.as_of, r.account_id, r.minutes_long, r.days_since_last_active]),
    ).toEqual([
      ['2024-01-20', 'a', 10, 5],
      ['2024-04-02', 'a', 1059, 1], // (Jan 3, Apr 2]: 10 + 20 + 30 + 999
      ['2024-04-02', 'b', 500, 0],
    ]);
  });
  it('gives one date the same rows alone as among several dates (its cheaper single-date SQL)', async () => {
    // Prepare: a second connection's row for a on Mar 20 (summed with the first), and c active only after Apr 2
    await engine.execute(
      `INSERT INTO pendo__account_daily_metrics VALUES ('t', DATE '2024-03-20', 'a', 1, 5, 10, 3),
        ${row('2024-05-01', 'c', 7)}`,
    );
    const sql = (dates: string[]) =>
      pointInTimeSql({ dates, shortWindowDays: 30, longWindowDays: 90 });
    // Act
    const alone = await engine.query(sql(['2024-04-02']));
    const among = (await engine.query(sql(['2024-01-20', '2024-04-02', '2024-05-01']))).filter(
      (r) => r.as_of === '2024-04-02',
    );
    // Assess: a at Apr 2: (Jan 3, Apr 2] = 10 + 20 + 30 + 5 + 999 minutes on 4 active days; short (Mar 3, Apr 2]
    // = 30 + 5 + 999 on 2 days; last active Apr 1, first Jan 15 (78 days); b: Apr 2 only; c not yet active
    expect(sql(['2024-04-02'])).not.toContain('lead(');
    expect(alone).toEqual(among);
    expect(
      alone.map((r) => [
        r.account_id,
        r.minutes_long,
        r.active_days_long,
        r.minutes_short,
        r.active_days_short,
        r.days_since_last_active,
        r.tenure_days,
      ]),
    ).toEqual([
      ['a', 1064, 4, 1034, 2, 1, 78],
      ['b', 500, 1, 500, 1, 0, 0],
    ]);
  });
});
