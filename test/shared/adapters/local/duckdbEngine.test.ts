import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../../shared/adapters/local/duckdbEngine.ts';
import { cleanup, tempDir } from '../../contract/fixtures.ts';

const dirs: string[] = [];
let engine: DuckDbEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await cleanup(dirs.splice(0));
});

describe('Class: DuckDbEngine', () => {
  it('replaces a table made by createTable and drops it', async () => {
    // Prepare
    engine = await DuckDbEngine.open({ threads: 1 });

    // Act
    await engine.createTable('t', 'SELECT 1 AS x');
    await engine.createTable('t', 'SELECT 2 AS x UNION ALL SELECT 3');
    const rows = await engine.query('SELECT x FROM t ORDER BY x');
    await engine.dropTable('t');
    await engine.dropTable('t'); // a second drop is no error

    // Assess
    expect(rows).toEqual([{ x: 2 }, { x: 3 }]);
    expect(
      await engine.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 't'"),
    ).toEqual([{ n: 0 }]);
  });

  it('keeps a temporary table out of the main schema', async () => {
    // Prepare
    engine = await DuckDbEngine.open({ threads: 1 });

    // Act
    await engine.createTable('tmp', 'SELECT 1 AS x', { temporary: true });

    // Assess
    expect(
      await engine.query("SELECT temporary FROM duckdb_tables() WHERE table_name = 'tmp'"),
    ).toEqual([{ temporary: true }]);
  });

  it('opens CSV files with row numbers from 2 and names the Parquet columns', async () => {
    // Prepare
    const dir = await tempDir();
    dirs.push(dir);
    await writeFile(join(dir, 'a.csv'), 'id,name\n1,x\n2,y\n');
    engine = await DuckDbEngine.open({ threads: 1 });
    await engine.execute(
      `COPY (SELECT 1 AS AccountId, 'x' AS name) TO '${join(dir, 'b.parquet')}' (FORMAT parquet)`,
    );

    // Act
    const raw = engine.rawRelation({
      label: 'pendo/t',
      view: 't',
      contractColumns: ['id', 'name'],
      columns: ['id', 'name'],
      files: [{ key: 'a.csv', format: 'csv', width: 2, columns: { id: ['c0'], name: ['c1'] } }],
      locate: (k) => join(dir, k),
    });
    const rows = await engine.query(`SELECT * FROM (${raw.sql}) ORDER BY _row`);
    const names = await engine.parquetColumns(join(dir, 'b.parquet'));

    // Assess
    expect(raw).toMatchObject({ columns: ['id', 'name'], rowNumbers: true, notes: [] });
    expect(rows).toEqual([
      { id: '1', name: 'x', _file: 'a.csv', _row: 2 },
      { id: '2', name: 'y', _file: 'a.csv', _row: 3 },
    ]);
    expect(names).toEqual(['AccountId', 'name']);
  });
});
