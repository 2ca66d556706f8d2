import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import type { DataQualityReport } from '../../../shared/contract/dataQuality.ts';
import {
  BREADTH_AGGREGATE_KEY,
  BREADTH_SIDECAR_KEY,
  type BreadthSidecar,
  breadthInputs,
  breadthSqlSha256,
  createBreadthView,
  publishedBreadthViewSql,
  staleReason,
} from '../../../shared/pipeline/breadthAggregate.ts';
import { accountBreadthSql } from '../../../shared/sql/accountFeatures.ts';

/** A data-quality report holding only the given files per table key. */
function report(files: Record<string, [string, string][]>): Pick<DataQualityReport, 'tables'> {
  return {
    tables: Object.fromEntries(
      Object.entries(files).map(([table, list]) => [
        table,
        { files: list.map(([key, sha256]) => ({ key, sha256, size: 1, rows: 1 })) },
      ]),
    ) as unknown as DataQualityReport['tables'],
  };
}

const REPORT = report({
  'pendo/pendo__visitor_feature': [
    ['pendo/pendo__visitor_feature/b.csv', 'bb'],
    ['pendo/pendo__visitor_feature/a.csv', 'aa'],
  ],
  'pendo/pendo__visitor': [['pendo/pendo__visitor/v.csv', 'vv']],
  'pendo/pendo__account': [['pendo/pendo__account/x.csv', 'xx']],
});

const sidecar = (over: Partial<BreadthSidecar> = {}): BreadthSidecar => ({
  asOf: '2024-10-27',
  runId: 'w1',
  publishedAt: '2024-10-27T03:00:00Z',
  sqlSha256: breadthSqlSha256(),
  rows: 2,
  inputs: breadthInputs(REPORT),
  ...over,
});

describe('Function: breadthInputs', () => {
  it('keeps only visitor_feature, visitor and feature files, sorted by table then key', () => {
    // Act
    const inputs = breadthInputs(REPORT);
    // Assess
    expect(inputs.map((f) => f.key)).toEqual([
      'pendo/pendo__visitor/v.csv',
      'pendo/pendo__visitor_feature/a.csv',
      'pendo/pendo__visitor_feature/b.csv',
    ]);
    expect(inputs[1]).toEqual({
      table: 'pendo/pendo__visitor_feature',
      key: 'pendo/pendo__visitor_feature/a.csv',
      sha256: 'aa',
    });
  });
});

describe('Function: staleReason', () => {
  it('accepts an aggregate built from the same files with the same SQL', () => {
    // Act & Assess
    expect(staleReason(sidecar(), breadthInputs(REPORT))).toBeNull();
  });

  it('rejects a missing, unfinished, other-SQL or other-input aggregate with the reason', () => {
    // Prepare
    const changed = breadthInputs(
      report({
        'pendo/pendo__visitor_feature': [
          ['pendo/pendo__visitor_feature/a.csv', 'aa'],
          ['pendo/pendo__visitor_feature/b.csv', 'b2'],
        ],
        'pendo/pendo__visitor': [['pendo/pendo__visitor/v.csv', 'vv']],
      }),
    );
    const added = [
      ...breadthInputs(REPORT),
      { table: 'pendo/pendo__feature', key: 'pendo/pendo__feature/f.csv', sha256: 'ff' },
    ];
    // Act & Assess
    expect(staleReason(null, breadthInputs(REPORT))).toBe('no published aggregate');
    expect(staleReason(sidecar({ publishing: true }), breadthInputs(REPORT))).toBe(
      'aggregate publication incomplete',
    );
    expect(staleReason(sidecar({ sqlSha256: '0'.repeat(64) }), breadthInputs(REPORT))).toBe(
      'aggregate built with another breadth SQL',
    );
    expect(staleReason(sidecar(), changed)).toBe(
      'aggregate of 2024-10-27 was built from other input files',
    );
    expect(staleReason(sidecar(), added)).toMatch(/other input files/);
  });
});

describe('Function: publishedBreadthViewSql', () => {
  it('builds an Athena external table over the folder of an s3 location, then the casting view', () => {
    // Act
    const [drop, create, view] = publishedBreadthViewSql(
      's3://results/aggregates/account_breadth/account_breadth.csv',
    );
    // Assess
    expect(drop).toBe('DROP TABLE IF EXISTS `cvs_account_breadth_published`');
    expect(create).toContain("LOCATION 's3://results/aggregates/account_breadth/'");
    expect(create).toContain('OpenCSVSerde');
    expect(create).toContain("'skip.header.line.count'='1'");
    expect(view).toMatch(/^CREATE OR REPLACE VIEW account_breadth AS SELECT account_id, /);
    expect(view).toContain("try_cast(nullif(trim(n_features_used), '') AS bigint)");
  });

  it('reads a local path with DuckDB read_csv in one statement', () => {
    // Act
    const sql = publishedBreadthViewSql('/tmp/out/aggregates/account_breadth/account_breadth.csv');
    // Assess
    expect(sql).toHaveLength(1);
    expect(sql[0]).toContain("read_csv('/tmp/out/aggregates/account_breadth/account_breadth.csv'");
  });
});

describe('Function: createBreadthView', () => {
  let root: string;
  let engine: DuckDbEngine;
  let out: FolderStore;
  const HAND = [
    // P1: v1 clicks f1 (core, A1, 5/2) and f2 (A2, 3/1), v2 clicks f1 (A1, 4/4); vX has no visitor row
    ['P1', 2, 2, 1, 12, 7],
    ['P2', 1, 1, 0, 1, 1],
  ];
  const read = async () =>
    (await engine.query('SELECT * FROM account_breadth ORDER BY account_id')).map((r) => [
      r.account_id,
      Number(r.n_features_used),
      Number(r.n_product_areas_used),
      Number(r.n_core_features_used),
      Number(r.total_feature_clicks),
      Number(r.total_feature_click_events),
    ]);

  beforeAll(async () => {
    // Prepare: the validated views breadth reads, with hand-checkable clicks
    root = mkdtempSync(join(tmpdir(), 'cvs-breadth-'));
    out = new FolderStore(root);
    engine = await DuckDbEngine.open({ threads: 1 });
    for (const sql of [
      `CREATE TABLE pendo__visitor AS SELECT * FROM (VALUES ('v1', 'P1', CAST(NULL AS VARCHAR)), ('v2', 'P1', NULL), ('v3', 'P2', NULL)) t(visitor_id, account_id, source_relation)`,
      `CREATE TABLE pendo__feature AS SELECT * FROM (VALUES ('f1', true, CAST(NULL AS VARCHAR)), ('f2', false, NULL), ('f3', NULL, NULL)) t(feature_id, is_core_event, source_relation)`,
      `CREATE TABLE pendo__visitor_feature AS SELECT * FROM (VALUES
        ('v1', 'f1', 'A1', 5, 2, CAST(NULL AS VARCHAR)), ('v1', 'f2', 'A2', 3, 1, NULL), ('v2', 'f1', 'A1', 4, 4, NULL),
        ('v3', 'f3', 'A1', 1, 1, NULL), ('vX', 'f1', 'A1', 100, 50, NULL))
        t(visitor_id, feature_id, product_area_id, sum_clicks, count_click_events, source_relation)`,
    ])
      await engine.execute(sql);
  });
  afterAll(async () => {
    await engine.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('computes breadth inline when nothing is published', async () => {
    // Act
    const choice = await createBreadthView(REPORT, out, engine);
    // Assess
    expect(choice).toEqual({ source: 'inline', reason: 'no published aggregate' });
    expect(await read()).toEqual(HAND);
  });

  it('reads the published aggregate when its sidecar matches, with the same values', async () => {
    // Prepare: publish a CSV whose clicks differ from the inline ones, to see which one is read
    await out.put(
      BREADTH_AGGREGATE_KEY,
      'account_id,n_features_used,n_product_areas_used,n_core_features_used,total_feature_clicks,total_feature_click_events\n' +
        '"P1","2","2","1","12","7"\n"P2","1","1","0","1","1"\n"P9","3","1",,"40","9"\n',
    );
    await out.put(BREADTH_SIDECAR_KEY, JSON.stringify(sidecar()));
    // Act
    const choice = await createBreadthView(REPORT, out, engine);
    // Assess
    expect(choice).toEqual({
      source: 'aggregate',
      reason: 'weekly aggregate of 2024-10-27 matches the inputs',
    });
    const rows = await engine.query('SELECT * FROM account_breadth ORDER BY account_id');
    expect(rows.map((r) => r.account_id)).toEqual(['P1', 'P2', 'P9']);
    expect(rows[2].n_core_features_used).toBeNull();
    expect(Number(rows[2].total_feature_clicks)).toBe(40);
  });

  it('falls back to inline when the inputs changed since the aggregate was built', async () => {
    // Prepare
    await out.put(
      BREADTH_SIDECAR_KEY,
      JSON.stringify(sidecar({ inputs: sidecar().inputs.map((f) => ({ ...f, sha256: 'old' })) })),
    );
    // Act
    const choice = await createBreadthView(REPORT, out, engine);
    // Assess
    expect(choice.source).toBe('inline');
    expect(choice.reason).toBe('aggregate of 2024-10-27 was built from other input files');
    expect(await read()).toEqual(HAND);
  });

  it('falls back to inline when the sidecar is not JSON', async () => {
    // Prepare
    await out.put(BREADTH_SIDECAR_KEY, '{not json');
    // Act
    const choice = await createBreadthView(REPORT, out, engine);
    // Assess
    expect(choice).toEqual({ source: 'inline', reason: 'no published aggregate' });
    expect(accountBreadthSql()).toContain('pendo__visitor_feature');
  });
});
