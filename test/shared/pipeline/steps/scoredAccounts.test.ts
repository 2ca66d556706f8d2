import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { ACCOUNT_FEATURE_COLUMNS } from '../../../../shared/features/readFeatures.ts';
import { FEATURES_KEY, partKey } from '../../../../shared/pipeline/steps/keys.ts';
import { loadScoredAccounts } from '../../../../shared/pipeline/steps/scoredAccounts.ts';

let dir: string;
let run: FolderStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvs-scored-'));
  run = new FolderStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const put = (key: string, lines: string[]) => run.put(key, `${lines.join('\n')}\n`);

/** The features part: every feature column, empty unless given. */
const features = (rows: Record<string, string>[]) =>
  put(FEATURES_KEY, [
    ACCOUNT_FEATURE_COLUMNS.join(','),
    ...rows.map((r) => ACCOUNT_FEATURE_COLUMNS.map((c) => r[c] ?? '').join(',')),
  ]);

describe('Function: loadScoredAccounts', () => {
  it('merges the parts by account, features first, never replacing a column an earlier part gave', async () => {
    // Prepare: two accounts; scores has both, trends only A2, champions repeats industry (not replaced)
    await features([
      {
        account_id: 'A1',
        industry: 'Retail',
        has_crm: 'true',
        has_product: 'true',
        sum_minutes: '120',
      },
      { account_id: 'A2', industry: 'Finance', has_crm: 'false', has_product: 'true' },
    ]);
    await put(partKey('scores'), [
      'account_id,crm_health_score,crm_health_band,value_index',
      'A1,42.5,Low,0.7',
      'A2,,,0.2',
    ]);
    await put(partKey('trends'), ['account_id,trend_3m', 'A2,Up']);
    await put(partKey('champions'), [
      'account_id,industry,champion_silent,champion_silent_reason',
      'A1,Energy,true,2 of 3 champions silent',
      'A3,Energy,false,',
    ]);

    // Act
    const rows = await loadScoredAccounts(run);

    // Assess
    expect(rows.map((r) => r.account_id)).toEqual(['A1', 'A2']);
    const [a1, a2] = rows;
    expect(a1.industry).toBe('Retail');
    expect(a1.sum_minutes).toBe(120);
    expect(a2.sum_minutes).toBeNull();
    expect(a1.has_crm).toBe(true);
    expect(a1.crm_health_score).toBe(42.5);
    expect(a1.crm_health_band).toBe('Low');
    expect(a2.crm_health_score).toBeNull();
    expect(a1.trend_3m).toBeNull();
    expect(a2.trend_3m).toBe('Up');
    expect(a1.champion_silent).toBe(true);
    expect(a1.champion_silent_reason).toBe('2 of 3 champions silent');
    expect(a2.champion_silent).toBeUndefined();
  });

  it('names the CSV row of a bad cell past the first batch of 5,000 rows', async () => {
    // Prepare: 5,002 accounts, the last one's sum_minutes is text (CSV row 5,003 after the header)
    const rows = Array.from({ length: 5_001 }, (_, i) => ({
      account_id: `A${i + 1}`,
      sum_minutes: String(i + 1),
    }));
    await features([...rows, { account_id: 'A5002', sum_minutes: 'lots' }]);

    // Act & Assess
    await expect(loadScoredAccounts(run)).rejects.toThrow(
      "column sum_minutes, row 5003: expected a number, got 'lots'",
    );
  });

  it('gives no accounts when the run has no parts yet', async () => {
    expect(await loadScoredAccounts(run)).toEqual([]);
  });
});
