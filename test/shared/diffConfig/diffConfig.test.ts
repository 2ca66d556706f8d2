import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileScoreStore } from '../../../shared/adapters/local/fileScoreStore.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { configHash, diffConfig } from '../../../shared/diffConfig/diffConfig.ts';
import { readCsvRows, writeCsvRows } from '../../../shared/io/csvTable.ts';
import { FEATURES_KEY } from '../../../shared/pipeline/steps/keys.ts';
import { mergeParts } from '../../../shared/pipeline/steps/parts.ts';
import { predictHighValueStep } from '../../../shared/pipeline/steps/predictHighValueStep.ts';
import { riskAndRevenueStep } from '../../../shared/pipeline/steps/riskAndRevenueStep.ts';
import { scoreAccountsStep } from '../../../shared/pipeline/steps/scoreAccountsStep.ts';
import type { Ports } from '../../../shared/ports/index.ts';
import { account } from '../../helpers/accounts.ts';

/**
 * Three CRM accounts, all Mid-Market (scale map 0.5), min-max over the three:
 *   A: 10 activities, 0 days since, 10 of 10 contacts with e-mail, revenue and won 100, 200 employees
 *      -> activity 100, contact 100, business 100, scale 0.6 x 0.5 + 0.4 x 1 = 70 -> health 40 + 30 + 20 + 7 = 97
 *   B: 0 activities, 20 days, 0 of 10, 0, 0 employees -> 0, 0, 0, 30 -> health 3
 *   C: 5, 10 days, 5 of 10, 50, 100 employees -> 50, 50, 50, 50 -> health 50
 * Bands with the defaults (High 80+, Low < 50): A High, B Low, C Medium. With riskBelow 55 and highBand 98, C moves
 * Medium -> Low and becomes high-risk, A moves High -> Medium.
 */
const crm = (id: string, k: number, employees: number, days: number) =>
  account({
    account_id: id,
    account_name: `Account ${id}`,
    industry: 'Technology',
    account_size_segment: 'Mid-Market',
    has_crm: true,
    has_product: true,
    sum_minutes: 100 * (k + 1),
    sum_events: 200 * (k + 1),
    count_active_days: 10 * (k + 1),
    average_daily_minutes: 10,
    days_since_last_event: 1,
    last_event_on: '2024-10-30',
    total_activities_30d: 10 * k,
    days_since_last_activity: days,
    total_contacts: 10,
    contacts_with_email: 10 * k,
    annual_revenue: 100 * k,
    total_won_amount: 100 * k,
    current_pipeline_amount: 1000,
    number_of_employees: employees,
  });

describe('Function: diffConfig', () => {
  let out: string;
  let runDir: string;
  const noTraining = { classifier: { trainWhenNoChampion: false } };

  beforeAll(async () => {
    // Prepare: a finished run (features, scores, fallback probabilities, risk and digests) with the defaults
    out = mkdtempSync(join(tmpdir(), 'cvs-diff-'));
    runDir = join(out, 'runs', '2024-10-31');
    const run = new FolderStore(runDir);
    await writeCsvRows(run, FEATURES_KEY, [
      crm('A', 1, 200, 0),
      crm('B', 0, 0, 20),
      crm('C', 0.5, 100, 10),
    ]);
    const config = parseConfig(noTraining);
    const ports = {
      output: new FolderStore(out),
      scores: new FileScoreStore(join(out, 'score-store')),
    } as unknown as Ports;
    const ctx = { ports, config, run, log: () => {} };
    const state = { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/2024-10-31/', steps: {} };
    await scoreAccountsStep(state, ctx);
    await predictHighValueStep(state, ctx);
    await riskAndRevenueStep(state, ctx);
    const keys = (await run.list('parts/')).map((o) => o.key).sort();
    const { rows } = mergeParts(await Promise.all(keys.map((k) => readCsvRows(run, k))));
    await writeCsvRows(run, 'account_scores.csv', rows);
    await run.put('manifest.json', JSON.stringify({ asOf: '2024-10-31', config, steps: {} }));
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('checks the hand-computed health of the run it compares against', async () => {
    const rows = await readCsvRows(new FolderStore(runDir), 'account_scores.csv');
    expect(rows.map((r) => [r.account_id, r.crm_health_score, r.crm_health_band])).toEqual([
      ['A', 97, 'High'],
      ['B', 3, 'Low'],
      ['C', 50, 'Medium'],
    ]);
  });

  it('reports the accounts a new health cut-off moves, the alerts it adds and the config hashes', async () => {
    // Prepare
    const before = readdirSync(out, { recursive: true }).sort();
    const config = parseConfig({ ...noTraining, crmHealth: { riskBelow: 55, highBand: 98 } });

    // Act
    const diff = await diffConfig({ runDir, config, configFile: 'new.json' });

    // Assess
    const move = (column: string) => diff.moves.find((m) => m.column === column);
    expect(move('crm_health_band')?.transitions).toEqual([
      { from: 'High', to: 'Medium', accounts: 1, top: ['A'] },
      { from: 'Medium', to: 'Low', accounts: 1, top: ['C'] },
    ]);
    expect(move('high_risk')?.transitions).toEqual([
      { from: 'false', to: 'true', accounts: 1, top: ['C'] },
    ]);
    expect(move('value_tier')?.moved).toBe(0);
    expect(diff.alerts).toEqual([
      { reason: 'high-risk', wouldFire: 1, wouldStop: 0, fireTop: ['C'], stopTop: [] },
    ]);
    expect(diff.configChanges).toEqual([
      'crmHealth.highBand: 80 -> 98',
      'crmHealth.riskBelow: 50 -> 55',
    ]);
    expect(diff.current.sha256).toBe(configHash(parseConfig(noTraining)));
    expect(diff.proposed.sha256).not.toBe(diff.current.sha256);
    // nothing written: the output folder (run, models, score store, outbox, alert log) is as it was
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);
  });

  it('moves nothing when the config is the same', async () => {
    const diff = await diffConfig({
      runDir,
      config: parseConfig(noTraining),
      configFile: 'same.json',
    });
    expect(diff.moves.every((m) => m.moved === 0)).toBe(true);
    expect(diff.alerts).toEqual([]);
    expect(diff.current.sha256).toBe(diff.proposed.sha256);
  });
});
