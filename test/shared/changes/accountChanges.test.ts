import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileScoreStore } from '../../../shared/adapters/local/fileScoreStore.ts';
import { accountChanges, whyChanged } from '../../../shared/changes/accountChanges.ts';
import { earlierRuns } from '../../../shared/changes/earlierRuns.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { Row } from '../../../shared/ports/index.ts';

const config = parseConfig({});

/** Account A on 2024-10-24: CRM health 60 with activity sub-score 80 (last activity 3 days before). */
const before: Row = {
  account_id: 'A',
  value_index: 0.6,
  p_high_value: 0.7,
  product_health_score: 55,
  crm_health_score: 60,
  crm_activity_score: 80,
  crm_contact_score: 50,
  crm_business_score: 40,
  crm_scale_score: 20,
  days_since_last_activity: 3,
  crm_health_band: 'Medium',
  value_tier: 'Medium value',
  hv_band: 'Likely',
  value_usage: 0.6,
  value_freshness: 0.6,
};

/** A on 2024-10-31: activity sub-score 50 (weight 0.4: -12 points), no activity for 32 days. */
const now: Row = {
  ...before,
  value_index: 0.58,
  p_high_value: 0.66,
  product_health_score: 54,
  crm_health_score: 48,
  crm_activity_score: 50,
  days_since_last_activity: 32,
  crm_health_band: 'Low',
};

describe('Function: whyChanged', () => {
  it('names the score and the sub-score that moved most, with its input', () => {
    // Act
    const why = whyChanged(now, before, config);

    // Assess: CRM health -12 (of it, activity 0.4 x (50 - 80) = -12); value index moved 2 points, p 4
    expect(why).toBe('CRM health -12 (activity -12: no activity for 32 days (was 3))');
  });

  it('says nothing moved when every score moved under a point', () => {
    expect(whyChanged({ ...before, crm_health_score: 60.4 }, before, config)).toBe(
      'no score moved by 1 point or more',
    );
  });
});

describe('Function: accountChanges with a two-run history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-changes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves every delta empty with a note on the first run', async () => {
    // Prepare: an empty score store
    const store = new FileScoreStore(dir);

    // Act
    const earlier = await earlierRuns(store, '2024-10-24', [7, 30], 3);
    const [row] = accountChanges([before], earlier, config);

    // Assess: empty, not zero
    expect(row.delta_crm_health).toBeNull();
    expect(row.delta_value_index_7d).toBeNull();
    expect(row.why_changed).toBeNull();
    expect(row.change_note).toBe('first run: no earlier stored run to compare with');
  });

  it('compares with the previous run and the run about 7 days back', async () => {
    // Prepare: runs stored on 2024-09-20 and 2024-10-24; today is 2024-10-31
    const store = new FileScoreStore(dir);
    await store.putRun('2024-09-20', [{ accountId: 'A', asOf: '2024-09-20', values: before }]);
    await store.putRun('2024-10-24', [
      { accountId: 'A', asOf: '2024-10-24', values: before },
      { accountId: 'GONE', asOf: '2024-10-24', values: { ...before, account_id: 'GONE' } },
    ]);

    // Act
    const earlier = await earlierRuns(store, '2024-10-31', [7, 30], 3);
    const [a, b] = accountChanges([now, { ...before, account_id: 'NEW' }], earlier, config);

    // Assess: 2024-10-24 is both the previous and the 7-day run; 2024-10-01 +- 3 days has none
    expect(earlier.previous?.asOf).toBe('2024-10-24');
    expect(a.changed_since).toBe('2024-10-24');
    expect(a.delta_crm_health).toBe(-12);
    expect(a.delta_value_index).toBe(-0.02);
    expect(a.delta_p_high_value).toBe(-0.04);
    expect(a.delta_product_health).toBe(-1);
    expect(a.crm_health_band_change).toBe('Medium -> Low');
    expect(a.value_tier_change).toBeNull();
    expect(a.changed_since_7d).toBe('2024-10-24');
    expect(a.delta_crm_health_7d).toBe(-12);
    expect(a.changed_since_30d).toBeNull();
    expect(a.delta_crm_health_30d).toBeNull();
    expect(a.why_changed).toBe('CRM health -12 (activity -12: no activity for 32 days (was 3))');
    expect(b.delta_crm_health).toBeNull();
    expect(b.change_note).toBe('new since 2024-10-24: not in the previous run');
  });
});
