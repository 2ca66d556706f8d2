import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { readRunData } from '../../../shared/classifier/trainCandidate.ts';
import { writeCsvRows } from '../../../shared/io/csvTable.ts';
import { syntheticRun } from './fixtures.ts';

describe('Function: readRunData', () => {
  let root: string;
  let run: FolderStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cvs-rundata-'));
    run = new FolderStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps of the score part only the id, the value index and the three label flags', async () => {
    // Prepare: two accounts' scores with two columns the classifier never reads
    const { features } = syntheticRun(2, 1);
    await writeCsvRows(run, 'parts/features.csv', features);
    await writeCsvRows(run, 'parts/scores.csv', [
      {
        account_id: features[0].account_id,
        value_index: 0.75,
        high_value_index: true,
        high_value_quintile: false,
        high_value_weighted: true,
        crm_health_score: 61.5,
        crm_health_band: 'Medium',
      },
      {
        account_id: features[1].account_id,
        value_index: 0.25,
        high_value_index: false,
        high_value_quintile: false,
        high_value_weighted: false,
        crm_health_score: 40,
        crm_health_band: 'Low',
      },
    ]);

    // Act
    const data = await readRunData(run);

    // Assess
    expect(data.features.map((f) => f.account_id)).toEqual(features.map((f) => f.account_id));
    expect(data.scores).toEqual([
      {
        account_id: features[0].account_id,
        value_index: 0.75,
        high_value_index: true,
        high_value_quintile: false,
        high_value_weighted: true,
      },
      {
        account_id: features[1].account_id,
        value_index: 0.25,
        high_value_index: false,
        high_value_quintile: false,
        high_value_weighted: false,
      },
    ]);
  });
});
