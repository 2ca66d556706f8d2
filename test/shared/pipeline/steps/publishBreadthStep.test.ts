import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../../shared/config/load.ts';
import { breadthSqlSha256 } from '../../../../shared/pipeline/breadthAggregate.ts';
import { publishBreadthStep } from '../../../../shared/pipeline/steps/publishBreadthStep.ts';
import type { RunState, StepContext } from '../../../../shared/pipeline/types.ts';
import type { Ports } from '../../../../shared/ports/index.ts';

const HEADER =
  'account_id,n_features_used,n_product_areas_used,n_core_features_used,total_feature_clicks,total_feature_click_events';
const DQ = {
  tables: {
    'pendo/pendo__visitor_feature': {
      files: [{ key: 'pendo/pendo__visitor_feature/p.csv', sha256: 'f1', size: 9, rows: 3 }],
    },
    'pendo/pendo__visitor': {
      files: [{ key: 'pendo/pendo__visitor/p.csv', sha256: 'v1', size: 9, rows: 2 }],
    },
    'salesforce/account': {
      files: [{ key: 'salesforce/account/p.csv', sha256: 's1', size: 9, rows: 2 }],
    },
  },
};
const state: RunState = {
  asOf: '2024-10-27',
  runId: 'weekly-1',
  runPrefix: 'runs/weekly-2024-10-27/',
  steps: {},
};

describe('Function: publishBreadthStep', () => {
  let root: string;
  let ctx: StepContext;

  beforeEach(async () => {
    // Prepare: a weekly run folder holding the data-quality report and the breadth result
    root = mkdtempSync(join(tmpdir(), 'cvs-publish-'));
    const output = new FolderStore(root);
    const run = new FolderStore(join(root, 'runs', 'weekly-2024-10-27'));
    await run.put('data_quality.json', JSON.stringify(DQ));
    ctx = {
      ports: { output } as unknown as Ports,
      config: parseConfig({}),
      run,
      log: () => {},
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('copies the result to the stable key and records as-of, SQL hash and breadth input hashes', async () => {
    // Prepare: a quoted name with a line break still counts as one row
    const body = `${HEADER}\n"P1","2","2","1","12","7"\n"P 2\nb","1","1","0","1","1"\n`;
    await ctx.run.put('parts/breadth.csv', body);
    // Act
    const out = await publishBreadthStep(state, ctx);
    // Assess
    expect(out).toEqual({
      aggregateKey: 'aggregates/account_breadth/account_breadth.csv',
      sidecarKey: 'aggregates/account_breadth.json',
      rows: 2,
      inputFiles: 2,
    });
    expect(readFileSync(join(root, 'aggregates/account_breadth/account_breadth.csv'), 'utf8')).toBe(
      body,
    );
    const sidecar = JSON.parse(readFileSync(join(root, 'aggregates/account_breadth.json'), 'utf8'));
    expect(sidecar).toMatchObject({
      asOf: '2024-10-27',
      runId: 'weekly-1',
      rows: 2,
      sqlSha256: breadthSqlSha256(),
      inputs: [
        { table: 'pendo/pendo__visitor', key: 'pendo/pendo__visitor/p.csv', sha256: 'v1' },
        {
          table: 'pendo/pendo__visitor_feature',
          key: 'pendo/pendo__visitor_feature/p.csv',
          sha256: 'f1',
        },
      ],
    });
    expect(sidecar.publishing).toBeUndefined();
  });

  it('refuses a result whose columns are not the breadth columns and publishes nothing', async () => {
    // Prepare
    await ctx.run.put('parts/breadth.csv', 'account_id,n_features_used\n"P1","2"\n');
    // Act & Assess
    await expect(publishBreadthStep(state, ctx)).rejects.toThrow(
      /has columns account_id, n_features_used, expected account_id, n_features_used, n_product_areas_used/,
    );
    expect(await ctx.ports.output.exists('aggregates/account_breadth.json')).toBe(false);
  });
});
