import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { appendAlertLog, readAlertLog } from '../../../../shared/pipeline/steps/alertLog.ts';

describe('Function: appendAlertLog', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('appends only entries not logged yet, so a re-run of a day adds nothing', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cvs-alertlog-'));
    dirs.push(dir);
    const store = new FolderStore(dir);
    const first = [
      { accountId: 'a', trigger: 'few-contacts', asOf: '2024-10-30' },
      { accountId: 'b', trigger: 'high-risk', asOf: '2024-10-30' },
    ];
    // Act
    const added1 = await appendAlertLog(store, first);
    const added2 = await appendAlertLog(store, [
      first[1],
      { accountId: 'b', trigger: 'high-risk', asOf: '2024-10-31' },
    ]);
    const again = await appendAlertLog(store, first);
    // Assess
    expect([added1, added2, again]).toEqual([2, 1, 0]);
    expect(await readAlertLog(store)).toHaveLength(3);
  });

  it('reads an absent log as empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-alertlog-'));
    dirs.push(dir);
    expect(await readAlertLog(new FolderStore(dir))).toEqual([]);
  });
});
