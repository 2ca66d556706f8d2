import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import type { FileLayout } from '../../../shared/contract/validateHeader.ts';
import { numberCsvRowsSql, rawRelationSql } from '../../../shared/contract/validateRaw.ts';
import { pendoBase, validationHarness, writeInput } from './fixtures.ts';

const harness = validationHarness();
/** SELECT of columns of the run's pendo__visitor quarantine file, as text. */
const quarantined = (runDir: string, columns: string): string =>
  `SELECT ${columns} FROM read_csv('${join(runDir, 'quarantine', 'pendo__visitor.csv')}', header = true, all_varchar = true)`;
afterEach(() => harness.close());

describe('Function: rawRelationSql', () => {
  it('reads quoted commas and line breaks, BOM and CRLF, numbering rows from 2', async () => {
    // Prepare
    const dir = await writeInput({
      'pendo/t/a.csv': '\uFEFFid,agent\r\n1,"Mozilla, 5.0"\r\n2,"two\r\nlines"\r\n3,\r\n',
    });
    harness.track(dir);
    const store = new FolderStore(dir);
    const engine = await harness.openEngine();
    const layout: FileLayout = {
      key: 'pendo/t/a.csv',
      format: 'csv',
      width: 2,
      columns: { id: ['c0'], agent: ['c1'], missing: [] },
      unknown: [],
    };

    // Act
    const raw = rawRelationSql([layout], ['id', 'agent', 'missing'], (k) => store.locate(k));
    const unnumbered = await engine.query(`SELECT count(*) AS n FROM (${raw}) WHERE _row IS NULL`);
    await engine.createTable('stored', raw);
    await engine.execute(numberCsvRowsSql('stored', false));
    const rows = await engine.query('SELECT * FROM stored ORDER BY _row');

    // Assess
    expect(unnumbered).toEqual([{ n: 3 }]);
    expect(rows).toEqual([
      { id: '1', agent: 'Mozilla, 5.0', missing: null, _file: 'pendo/t/a.csv', _row: 2 },
      { id: '2', agent: 'two\r\nlines', missing: null, _file: 'pendo/t/a.csv', _row: 3 },
      { id: '3', agent: null, missing: null, _file: 'pendo/t/a.csv', _row: 4 },
    ]);
  });

  it('numbers the rows of two large files in file order when read on 4 threads, and only flagged ones if asked', async () => {
    // Prepare: 120,000 and 80,000 records; the id is the record's row (header = row 1).
    const body = (n: number) =>
      Array.from({ length: n }, (_, i) => `${i + 2},${i % 997 === 0 ? 'bad' : 'ok'}`).join('\n');
    const dir = await writeInput({
      'pendo/t/a.csv': `id,flag\n${body(120_000)}\n`,
      'pendo/t/b.csv': `id,flag\n${body(80_000)}\n`,
    });
    harness.track(dir);
    const store = new FolderStore(dir);
    const engine = await harness.openEngine(4);
    const layout = (key: string): FileLayout => ({
      key,
      format: 'csv',
      width: 2,
      columns: { id: ['c0'], flag: ['c1'] },
      unknown: [],
    });
    const raw = rawRelationSql(
      [layout('pendo/t/a.csv'), layout('pendo/t/b.csv')],
      ['id', 'flag'],
      (k) => store.locate(k),
    );
    const stored = `SELECT *, CASE WHEN flag = 'bad' THEN 'flagged' END AS _reason FROM (${raw})`;
    await engine.createTable('all_rows', stored);
    await engine.createTable('flagged_rows', stored);

    // Act
    await engine.execute(numberCsvRowsSql('all_rows', false));
    await engine.execute(numberCsvRowsSql('flagged_rows', true));

    // Assess
    expect(
      await engine.query(
        'SELECT _file, count(*) AS n, count(*) FILTER (WHERE CAST(id AS BIGINT) <> _row) AS wrong FROM all_rows GROUP BY _file ORDER BY _file',
      ),
    ).toEqual([
      { _file: 'pendo/t/a.csv', n: 120_000, wrong: 0 },
      { _file: 'pendo/t/b.csv', n: 80_000, wrong: 0 },
    ]);
    expect(
      await engine.query(
        'SELECT count(*) FILTER (WHERE _row IS NOT NULL) AS numbered, count(*) FILTER (WHERE _row IS NOT NULL AND CAST(id AS BIGINT) <> _row) AS wrong FROM flagged_rows',
      ),
    ).toEqual([{ numbered: Math.ceil(120_000 / 997) + Math.ceil(80_000 / 997), wrong: 0 }]);
  });

  it('gives an empty relation with the columns when a table has no readable file', async () => {
    // Prepare
    const engine = await harness.openEngine(1);

    // Act
    const described = await engine.describe(rawRelationSql([], ['id'], (k) => k));

    // Assess
    expect(described).toEqual([
      { name: 'id', type: 'VARCHAR' },
      { name: '_file', type: 'VARCHAR' },
      { name: '_row', type: 'BIGINT' },
    ]);
  });
});

describe('Function: validateInputs (file formats)', () => {
  it('validates a quoted multi-line value and still numbers the rows after it', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__visitor/part-1.csv'] = [
      'visitor_id,account_id,last_user_agent,latest_nps_rating',
      'v1,A1,"Mozilla, 5.0 (X11)\nsecond line",9',
      'v2,A2,plain,12',
    ].join('\n');
    // Act
    const { report, engine, runDir } = await harness.validate(files);

    // Assess
    expect(report.tables['pendo/pendo__visitor'].rows_quarantined).toBe(1);
    expect(await engine.query('SELECT last_user_agent FROM pendo__visitor')).toEqual([
      { last_user_agent: 'Mozilla, 5.0 (X11)\nsecond line' },
    ]);
    // the stored table is dropped once the clean view is written (storeView): its numbers are in the quarantine file
    expect(await engine.query(quarantined(runDir, '_row, _reason'))).toEqual([
      { _row: '3', _reason: 'latest_nps_rating: 12 outside 0..10' },
    ]);
  });

  it('reads a Parquet file written by DuckDB, with typed columns and 1-based rows', async () => {
    // Prepare
    const files = pendoBase();
    delete (files as Record<string, string | undefined>)['pendo/pendo__visitor/part-1.csv'];
    const inputDir = await writeInput(files);
    harness.track(inputDir);
    const engine = await harness.openEngine();
    const parquet = join(inputDir, 'pendo', 'pendo__visitor', 'part-1.parquet');
    await mkdir(dirname(parquet), { recursive: true });
    await engine.execute(
      'CREATE TABLE src (VisitorId VARCHAR, account_id VARCHAR, latest_nps_rating BIGINT, last_visit TIMESTAMP)',
    );
    await engine.execute(
      "INSERT INTO src VALUES ('v1', 'A1', 9, TIMESTAMP '2024-01-31 10:00:00'), ('v2', 'A2', 11, NULL), ('v3', 'A1', NULL, NULL)",
    );
    await engine.execute(`COPY src TO '${parquet}' (FORMAT parquet)`);

    // Act
    const { report, runDir } = await harness.validateDir(inputDir, { engine });

    // Assess
    expect(report.tables['pendo/pendo__visitor']).toMatchObject({
      rows_read: 3,
      rows_valid: 2,
      rows_quarantined: 1,
    });
    expect(report.tables['pendo/pendo__visitor'].files[0].key).toBe(
      'pendo/pendo__visitor/part-1.parquet',
    );
    const rows = await engine.query(
      "SELECT visitor_id, latest_nps_rating, strftime(last_visit, '%Y-%m-%d %H:%M') AS lv FROM pendo__visitor ORDER BY 1",
    );
    expect(rows).toEqual([
      { visitor_id: 'v1', latest_nps_rating: 9, lv: '2024-01-31 10:00' },
      { visitor_id: 'v3', latest_nps_rating: null, lv: null },
    ]);
    expect(await engine.query(quarantined(runDir, '_row'))).toEqual([{ _row: '2' }]);
  });
});
