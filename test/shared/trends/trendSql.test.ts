import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { trendsConfig } from '../../../shared/config/trends.ts';
import type { QueryEngine, Row } from '../../../shared/ports/index.ts';
import { originMediansSql, trendAsOfSql, trendGridSql } from '../../../shared/sql/pointInTime.ts';
import {
  activeRange,
  asOfRows,
  historyWeeks,
  sampledHistory,
  TREND_WEEKLY_TABLE,
  withWeeklyActivity,
} from '../../../shared/trends/trendData.ts';

const CREATE = `CREATE OR REPLACE TABLE pendo__account_daily_metrics (source_relation varchar, date_day date,
  account_id varchar, count_active_visitors bigint, sum_minutes bigint, sum_events bigint, count_features_clicked bigint)`;
const row = (d: string, acc: string, visitors: number, minutes = 1) =>
  `('s', DATE '${d}', '${acc}', ${visitors}, ${minutes}, 1, 1)`;
// Weeks back from 2024-03-31: w = floor(days before / 7).
const ROWS = [
  row('2024-03-31', 'a', 5, 10), // w 0
  row('2024-03-24', 'a', 3, 20), // w 1 (7 days)
  row('2024-03-17', 'a', 4), // w 2 (14 days)
  row('2024-03-05', 'a', 6), // w 3 (26 days)
  row('2024-02-25', 'a', 7), // w 5 (35 days)
  row('2024-04-05', 'a', 100), // after the as-of: never read
  row('2024-03-20', 'b', 2), // w 1 (11 days)
];

describe('Trend window SQL (weeks back from the as-of, K = 2 weeks)', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
    await engine.execute(CREATE);
    await engine.execute(`INSERT INTO pendo__account_daily_metrics VALUES ${ROWS.join(', ')}`);
  });
  afterAll(async () => engine.close());

  it('sums each account window at the as-of from rows on or before it only', async () => {
    // Act
    const rows = await engine.query(trendAsOfSql({ asOf: '2024-03-31', windowWeeks: 2 }));
    // Assess: a: last = w0 + w1 = 5 + 3, prev = w2 + w3 = 4 + 6, prev2 = w4 + w5 = 7; recent third = 1 week
    expect(rows).toEqual([
      {
        account_id: 'a',
        w: 0,
        first_w: 5,
        last_w: 0,
        v_last: 8,
        v_prev: 10,
        v_prev2: 7,
        v_fut3: null,
        v_fut6: null,
        m_recent: 10,
        m_rest: 20,
        d_last: 2,
        // Squared week-to-week differences: last window (weeks 0, 1) (5 - 3)^2, previous (weeks 2, 3) (4 - 6)^2;
        // the window before and the CRM activity windows are computed on the history grid only
        q_prev: 4,
        q_last: 4,
        q_prev2: null,
        a_last: null,
        a_prev: null,
        a_prev2: null,
      },
      expect.objectContaining({ account_id: 'b', first_w: 1, last_w: 1, v_last: 2, v_prev: 0 }),
    ]);
  });

  it('builds the grid with the same windows and the future ones, each account from its first week on', async () => {
    // Act
    const rows = await engine.query(
      `SELECT * FROM (${trendGridSql({ asOf: '2024-03-31', windowWeeks: 2, fromWeek: 0, toWeek: 5 })}) ORDER BY account_id, w`,
    );
    const at = (id: string, w: number) => rows.find((r) => r.account_id === id && r.w === w);
    // Assess
    expect(rows.filter((r) => r.account_id === 'b').map((r) => r.w)).toEqual([0, 1]);
    expect(at('a', 0)).toMatchObject({ v_last: 8, v_prev: 10, v_prev2: 7, v_fut3: 0, v_fut6: 0 });
    // w 1: last = w1 + w2, prev = w3 + w4, next = w0 (w -1 is beyond the data)
    expect(at('a', 1)).toMatchObject({ v_last: 7, v_prev: 6, v_fut3: 5 });
    // w 4: next window = w2 + w3 = 10, the one after = w0 + w1 = 8; latest active week at or before: 5
    expect(at('a', 4)).toMatchObject({ v_last: 7, v_fut3: 10, v_fut6: 8, last_w: 5, first_w: 5 });
  });

  it('counts the linked Salesforce account activities in the same windows (a_*) when asked, NULL otherwise', async () => {
    // Prepare: a links to sf1 (tasks and events), b to no Salesforce account; c links to sf9, absent from
    // salesforce__account (a dangling link), so it has no CRM windows either
    await engine.execute(
      `CREATE OR REPLACE TABLE pendo__account AS SELECT * FROM (VALUES ('a', 'sf1'), ('b', NULL), ('c', 'sf9')) t(account_id, agent_salesforceaccountid)`,
    );
    await engine.execute(
      `CREATE OR REPLACE TABLE salesforce__account AS SELECT * FROM (VALUES ('sf1')) t(id)`,
    );
    await engine.execute(
      `CREATE OR REPLACE TABLE cvs_sources AS SELECT true AS has_task, true AS has_event`,
    );
    // tasks of sf1 in weeks 0 (x2), 2, 5, one after the as-of (never read); an event in week 3 dated only by
    // activity_date_time; activities of an unlinked Salesforce account are never counted
    await engine.execute(
      `CREATE OR REPLACE TABLE salesforce__task AS SELECT account_id, CAST(d AS DATE) AS activity_date FROM (VALUES
        ('sf1', '2024-03-31'), ('sf1', '2024-03-30'), ('sf1', '2024-03-17'), ('sf1', '2024-02-25'),
        ('sf1', '2024-04-02'), ('sf2', '2024-03-31')) t(account_id, d)`,
    );
    await engine.execute(
      `CREATE OR REPLACE TABLE salesforce__event AS SELECT account_id, CAST(NULL AS DATE) AS activity_date,
        CAST(ts AS TIMESTAMP) AS activity_date_time FROM (VALUES ('sf1', '2024-03-05 10:00:00')) t(account_id, ts)`,
    );
    const grid = (crm: boolean) =>
      engine.query(
        `SELECT * FROM (${trendGridSql({ asOf: '2024-03-31', windowWeeks: 2, fromWeek: 0, toWeek: 5, ...(crm ? { crm: { linkColumn: 'agent_salesforceaccountid' } } : {}) })}) ORDER BY account_id, w`,
      );
    // Act
    const rows = await grid(true);
    const plain = await grid(false);
    // Assess: a's activities per week 0..5: 2, 0, 1, 1, 0, 1 -> at w 0: last = 2 + 0, prev = 1 + 1, prev2 = 0 + 1
    const at = (id: string, w: number) => rows.find((r) => r.account_id === id && r.w === w);
    expect(at('a', 0)).toMatchObject({ a_last: 2, a_prev: 2, a_prev2: 1, v_last: 8 });
    // w 2: last = weeks 2, 3 = 2; prev = weeks 4, 5 = 1; prev2 beyond the account's first week = 0
    expect(at('a', 2)).toMatchObject({ a_last: 2, a_prev: 1, a_prev2: 0 });
    expect(at('b', 0)).toMatchObject({ a_last: null, a_prev: null, a_prev2: null });
    expect(plain.every((r) => r.a_last === null && r.a_prev === null)).toBe(true);
    // the usage windows are the same with and without the CRM columns
    expect(plain.map((r) => [r.account_id, r.w, r.v_last, r.v_prev, r.q_prev])).toEqual(
      rows.map((r) => [r.account_id, r.w, r.v_last, r.v_prev, r.q_prev]),
    );
  });

  it('sums the squared week-to-week differences inside the previous window (q_prev)', async () => {
    // Act
    const rows = await engine.query(
      `SELECT * FROM (${trendGridSql({ asOf: '2024-03-31', windowWeeks: 2, fromWeek: 0, toWeek: 5 })}) ORDER BY account_id, w`,
    );
    const q = (w: number) => rows.find((r) => r.account_id === 'a' && r.w === w)?.q_prev;
    // Assess: weekly visitor-days of a, w 0..5: 5, 3, 4, 6, 0 (no row), 7; K = 2 -> the previous window of origin w
    // is weeks w + 2, w + 3, one pair of consecutive weeks: w 0: (4 - 6)^2 = 4; w 1: (6 - 0)^2 = 36;
    // w 2: (0 - 7)^2 = 49; w 3: weeks 5 and 6, 6 is before the account's first week: no pair, 0
    expect([0, 1, 2, 3].map(q)).toEqual([4, 36, 49, 0]);
  });

  it('sums the week-to-week differences at the as-of as the grid does at w 0, weeks without rows counting 0', async () => {
    // Act
    const at = async (K: number) => ({
      asOf: await engine.query(trendAsOfSql({ asOf: '2024-03-31', windowWeeks: K })),
      grid: (
        await engine.query(
          `SELECT * FROM (${trendGridSql({ asOf: '2024-03-31', windowWeeks: K, fromWeek: 0, toWeek: 5 })}) ORDER BY account_id, w`,
        )
      ).filter((r) => r.w === 0),
    });
    const k3 = await at(3);
    // Assess: a's weeks 0..5: 5, 3, 4, 6, 0 (no row), 7; K = 3: last window weeks 0..2: (5 - 3)^2 + (3 - 4)^2 = 5,
    // previous weeks 3..5: (6 - 0)^2 + (0 - 7)^2 = 85; b (week 1 only, its first week): (0 - 2)^2 = 4 in its last
    // window, no pair before its first week
    expect(k3.asOf.map((r) => [r.account_id, r.q_last, r.q_prev])).toEqual([
      ['a', 5, 85],
      ['b', 4, 0],
    ]);
    for (const K of [2, 3]) {
      const { asOf, grid } = await at(K);
      expect(asOf.map((r) => [r.account_id, r.q_last, r.q_prev])).toEqual(
        grid.map((r) => [r.account_id, r.q_last, r.q_prev]),
      );
    }
    // the grid's window before the previous one: K = 2, weeks 4, 5 of a at w 0: (0 - 7)^2
    expect(k3.grid.length).toBe(2);
    const g2 = (await at(2)).grid;
    expect(g2.find((r) => r.account_id === 'a')?.q_prev2).toBe(49);
  });

  it('takes exact population medians per origin over accounts with two full windows', async () => {
    // Prepare: at w 0, changes ln(v_last + 1) with v_prev = 0: 0, 1, 2, 3 (median 1.5); at w 1: 0, 1, 5 (median 1);
    // an account without two full windows (first_w 1 < w + 2K - 1 = 3) is left out
    const e = Math.E;
    const g = (w: number, first: number, c: number) => `(${w}, ${first}, ${e ** c - 1}, 0, 0, 0)`;
    await engine.execute(
      `CREATE OR REPLACE TABLE g (w double, first_w double, v_last double, v_prev double, v_fut3 double, v_fut6 double)`,
    );
    await engine.execute(
      `INSERT INTO g VALUES ${[g(0, 9, 0), g(0, 9, 1), g(0, 9, 2), g(0, 9, 3), g(0, 1, 100), g(1, 9, 0), g(1, 9, 1), g(1, 9, 5)].join(', ')}`,
    );
    // Act
    const med = (await engine.query(originMediansSql('g', 2))).filter((r) => r.k === 'c');
    // Assess
    expect(med.map((r) => r.w)).toEqual([0, 1]);
    expect(med[0].median).toBeCloseTo(1.5, 9);
    expect(med[0].n).toBe(4);
    expect(med[1].median).toBeCloseTo(1, 9);
  });

  it('reads the data range on or before the as-of', async () => {
    // Act & Assess
    expect(await activeRange(engine, '2024-03-31')).toEqual({
      first: '2024-02-25',
      last: '2024-03-31',
    });
    expect(await activeRange(engine, '2024-04-30')).toEqual({
      first: '2024-02-25',
      last: '2024-04-05',
    });
  });

  it('bounds the history by the data dates, not by an as-of years later', async () => {
    // Prepare: as-of 2027-03-31; data 2024-02-25 .. 2024-04-05 = 1,130 .. 1,090 days before
    const frame = {
      asOf: '2027-03-31',
      firstDay: '2024-02-25',
      lastDay: '2024-04-05',
      windowWeeks: 2,
    };
    const config = trendsConfig.parse({ windowWeeks: 2 });
    // Act
    const weeks = historyWeeks(frame);
    const s = await sampledHistory({ query: engine, frame, accountIds: ['a', 'b'], config });
    // Assess: weeks floor(1090 / 7) = 155 .. floor(1130 / 7) = 161: 7 weeks, not 161
    expect(weeks).toEqual({ fromWeek: 155, toWeek: 161 });
    expect(s.weeks).toBe(7);
    const ws = [...s.history.byWeek.keys()];
    expect(Math.min(...ws)).toBe(155);
    expect(Math.max(...ws)).toBe(161);
  });
});

describe('Function: withWeeklyActivity (the weekly activity stored once for the as-of rows and the grid)', () => {
  it('gives the as-of rows and the grid the same values as the inline weekly activity, then drops its table', async () => {
    // Prepare: the fixture above (a: weeks 0, 1, 2, 3, 5; b: week 1), as-of 2024-03-31, K = 2
    const engine = await DuckDbEngine.open({ threads: 1 });
    try {
      await engine.execute(CREATE);
      await engine.execute(`INSERT INTO pendo__account_daily_metrics VALUES ${ROWS.join(', ')}`);
      const config = trendsConfig.parse({ windowWeeks: 2 });
      const grid = (weekly?: string) =>
        engine.query(
          `SELECT * FROM (${trendGridSql({ asOf: '2024-03-31', windowWeeks: 2, fromWeek: 0, toWeek: 5, weekly })}) ORDER BY account_id, w`,
        );
      const inline = { today: await asOfRows(engine, '2024-03-31', config), grid: await grid() };
      // Act
      const stored = await withWeeklyActivity(engine, '2024-03-31', async (weekly) => ({
        today: await asOfRows(engine, '2024-03-31', config, weekly),
        grid: await grid(weekly),
        weeks: await engine.query(
          `SELECT w, v, d FROM ${weekly} WHERE account_id = 'a' ORDER BY w`,
        ),
      }));
      // Assess: a's weeks hold its visitor-days 5, 3, 4, 6, 7 on one day each (the Apr 5 row is after the as-of)
      expect(stored.weeks.map((r) => [r.w, r.v, r.d])).toEqual([
        [0, 5, 1],
        [1, 3, 1],
        [2, 4, 1],
        [3, 6, 1],
        [5, 7, 1],
      ]);
      expect(stored.today).toEqual(inline.today);
      expect(stored.today.find((r) => r.account_id === 'a')).toMatchObject({
        v_last: 8,
        v_prev: 10,
      });
      expect(stored.grid).toEqual(inline.grid);
      expect(stored.grid).toHaveLength(8); // a: weeks 0..5, b: weeks 0..1
      await expect(engine.query(`SELECT * FROM ${TREND_WEEKLY_TABLE}`)).rejects.toThrow();
    } finally {
      await engine.close();
    }
  });
});

describe('Function: sampledHistory on an engine that returns text (Athena)', () => {
  it('parses medians and window columns given as strings, and drops the grid table afterwards', async () => {
    // Prepare: a fake engine answering the medians query and the sample query with text values
    const calls: string[] = [];
    const engine = {
      createTable: async (name: string) => {
        calls.push(`create ${name}`);
      },
      dropTable: async (name: string) => {
        calls.push(`drop ${name}`);
      },
      query: async (sql: string): Promise<Row[]> => {
        if (sql.includes('row_number()')) return [{ w: '0', k: 'c', median: '0.25', n: '3' }];
        return [
          {
            account_id: 'a',
            w: '0',
            first_w: '30',
            last_w: '0',
            v_last: '8',
            v_prev: '10',
            v_prev2: '7',
            v_fut3: null,
            v_fut6: null,
            m_recent: '1',
            m_rest: '2',
            d_last: '3',
          },
        ];
      },
    } as unknown as QueryEngine;
    const frame = {
      asOf: '2024-03-31',
      firstDay: '2023-09-01',
      lastDay: '2024-03-31',
      windowWeeks: 2,
    };
    // Act
    const s = await sampledHistory({
      query: engine,
      frame,
      accountIds: ['a'],
      config: trendsConfig.parse({ windowWeeks: 2 }),
    });
    // Assess
    expect(s.history.medians.get(0)).toEqual({ c: 0.25, y3: null, y6: null });
    expect(s.history.byWeek.get(0)?.[0]).toMatchObject({ account_id: 'a', first_w: 30, v_last: 8 });
    expect(calls).toEqual(['create cvs_trend_grid', 'drop cvs_trend_grid']);
  });
});
