import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { championSilentTrigger } from '../../../shared/champions/championTrigger.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { SQL_TYPE, sourcesViewSql } from '../../../shared/contract/sourcesView.ts';
import { TABLES } from '../../../shared/contract/tables.ts';
import { readCsvRows } from '../../../shared/io/csvTable.ts';
import { visitorChampionsStep } from '../../../shared/pipeline/steps/visitorChampionsStep.ts';
import type { Ports } from '../../../shared/ports/index.ts';

/**
 * Three identified visitors of account A (plus one anonymous and one without an account), as-of 2024-10-31:
 *   a1: 300 min, 30 days, features f1 f2 f3 (30 clicks), last event 2024-10-31 (0 days), NPS 9
 *   a2: 100 min, 10 days, feature f1 (10 clicks), last event 2024-10-01 (30 days), no NPS answer
 *   a3: 600 min, 10 days, features f1 f2 (20 clicks), last event 2024-10-21 (10 days), NPS 5
 * Percentile ranks (ties averaged, n = 3; NPS n = 2):
 *   duration a2 1/3, a1 2/3, a3 1; frequency a1 1, a2 = a3 = 1.5/3 = 0.5; adoption and engagement a2 1/3, a3 2/3,
 *   a1 1; recency (fewer days is better) a2 1/3, a3 2/3, a1 1; satisfaction a3 0.5, a1 1, a2 none.
 * Weighted (duration .25, frequency .25, adoption .15, engagement .10, recency .15, satisfaction .10):
 *   a1 = .25 x 2/3 + .25 + .15 + .10 + .15 + .10 = 0.916667
 *   a2 = (.25/3 + .25 x .5 + .15/3 + .10/3 + .15/3) / .90 (no NPS: re-weighted) = 0.341667 / 0.9 = 0.379630
 *   a3 = .25 + .125 + .15 x 2/3 + .10 x 2/3 + .15 x 2/3 + .10 x .5 = 0.691667
 * 2-D: a1 (2/3 + 1) / 2 = 0.833333, a2 (1/3 + .5) / 2 = 0.416667, a3 (1 + .5) / 2 = 0.75.
 * Champions: a1, a3, a2; minutes 300 + 600 + 100 = 1000, so shares 0.3, 0.6, 0.1.
 */
describe('Step: visitor-champions', () => {
  let engine: DuckDbEngine;
  let dir: string;

  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
    for (const t of TABLES) {
      const name = t.source === 'pendo' ? t.name : `salesforce__${t.name}`;
      const cols = t.columns.map((c) => `${c.name} ${SQL_TYPE[c.type]}`).join(', ');
      await engine.execute(`CREATE OR REPLACE TABLE ${name} (${cols})`);
    }
    await engine.execute(`INSERT INTO pendo__visitor
      (visitor_id, account_id, sum_minutes, count_active_days, latest_nps_rating, last_event_on) VALUES
      ('a1', 'A', 300, 30, 9, DATE '2024-10-31'),
      ('a2', 'A', 100, 10, NULL, DATE '2024-10-01'),
      ('a3', 'A', 600, 10, 5, DATE '2024-10-21'),
      ('_PENDO_T_x1', 'A', 1000, 50, 10, DATE '2024-10-31'),
      ('lost', NULL, 50, 5, NULL, DATE '2024-10-30')`);
    await engine.execute(`INSERT INTO pendo__visitor_feature (visitor_id, feature_id, sum_clicks) VALUES
      ('a1', 'f1', 10), ('a1', 'f2', 10), ('a1', 'f3', 10), ('a2', 'f1', 10),
      ('a3', 'f1', 10), ('a3', 'f2', 10), ('_PENDO_T_x1', 'f1', 99)`);
    const present = new Set(['pendo/pendo__visitor', 'pendo/pendo__visitor_feature']);
    await engine.execute(sourcesViewSql(present));
    dir = mkdtempSync(join(tmpdir(), 'cvs-champions-'));
  });

  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function champions(config: unknown) {
    const run = new FolderStore(join(dir, String(Math.random())));
    const ports = { query: engine } as unknown as Ports;
    const state = { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/2024-10-31/', steps: {} };
    const out = await visitorChampionsStep(state, {
      ports,
      config: parseConfig(config),
      run,
      log: () => {},
    });
    return { out, run };
  }

  it('scores each identified visitor on seed 002 dimensions as computed by hand', async () => {
    // Act
    const { out, run } = await champions({});
    const rows = await readCsvRows(run, 'visitor_scores.csv');

    // Assess
    expect(rows.map((r) => r.visitor_id)).toEqual(['a1', 'a3', 'a2']);
    const [a1, a3, a2] = rows;
    expect(a1.weighted_score).toBeCloseTo(0.916667, 5);
    expect(a2.weighted_score).toBeCloseTo(0.37963, 5);
    expect(a3.weighted_score).toBeCloseTo(0.691667, 5);
    expect(a1.baseline_2d_score).toBeCloseTo(0.833333, 5);
    expect(a2.baseline_2d_score).toBeCloseTo(0.416667, 5);
    expect(a3.baseline_2d_score).toBeCloseTo(0.75, 5);
    expect(a2.frequency_pct).toBeCloseTo(0.5, 6);
    expect(a2.satisfaction_pct).toBeNull();
    expect(rows.map((r) => r.activity_share)).toEqual([0.3, 0.6, 0.1]);
    expect(out.visitorsScored).toBe(3);
    expect(out.anonymousVisitorsLeftOut).toBe(1);
    expect(out.visitorsWithoutAccount).toBe(1);
    expect(readFileSync(run.locate('visitor_scores.parquet')).subarray(0, 4).toString()).toBe(
      'PAR1',
    );
  });

  it('lists the top champions, their share of activity and the silent ones', async () => {
    // Act: two champions per account, silent after 5 days
    const { out, run } = await champions({ champions: { perAccount: 2, silentDays: 5 } });
    const [a] = await readCsvRows(run, 'parts/champions.csv');

    // Assess: a1 and a3 carry 900 of 1000 minutes; a3's last event is 10 days old (> 5)
    expect(a.champion_1).toBe('a1');
    expect(a.champion_2).toBe('a3');
    expect(a.champion_activity_share).toBeCloseTo(0.9, 6);
    expect(a.identified_visitors).toBe(3);
    expect(a.champion_silent).toBe(true);
    expect(a.champion_silent_reason).toBe('a3 (rank 2, 60% of minutes) silent 10 days (> 5)');
    expect(out.accountsWithSilentChampion).toBe(1);
  });

  it('fires no trigger when every champion was active within the window', async () => {
    // Act: three champions, silent after 30 days (a2 is exactly 30: not more)
    const { run } = await champions({ champions: { perAccount: 3, silentDays: 30 } });
    const [a] = await readCsvRows(run, 'parts/champions.csv');

    // Assess
    expect(a.champion_activity_share).toBeCloseTo(1, 6);
    expect(a.champion_silent).toBe(false);
    expect(
      championSilentTrigger({ champion_silent: false, champion_silent_reason: null })?.fired,
    ).toBe(false);
  });
});
