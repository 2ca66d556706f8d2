import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DuckDbEngine,
  defaultMemoryLimit,
} from '../../../../shared/adapters/local/duckdbEngine.ts';
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

  it('drops a view it did not store itself (a database left by another process) as a view', async () => {
    // Prepare: a view this engine's storeRows did not make, as in a database file a run is continued from
    engine = await DuckDbEngine.open({ threads: 1 });
    await engine.execute('CREATE VIEW validated_t AS SELECT 1 AS x');

    // Act
    await engine.dropTable('validated_t');
    await engine.storeRows('validated_t', 'SELECT 2 AS x');

    // Assess: dropped (not "Existing object validated_t is of type View, trying to drop type Table"), then stored
    expect(await engine.query('SELECT x FROM validated_t')).toEqual([{ x: 2 }]);
  });

  it('stores a view as Parquet in its scratch folder, in row order, and drops the released tables', async () => {
    // Prepare: 5,000 rows in an order no sort gives back (i * 7919 mod 5000), one typed column of each kind
    engine = await DuckDbEngine.open({ threads: 2 });
    await engine.createTable(
      'validated_t',
      "SELECT (i * 7919) % 5000 AS k, DATE '2024-01-01' + CAST(i % 30 AS INTEGER) AS d, 'v' || i AS s, i % 3 = 0 AS bad FROM range(5000) r(i)",
      { temporary: true },
    );

    // Act
    await engine.storeView('t', 'SELECT k, d, s FROM validated_t WHERE NOT bad', ['validated_t']);

    // Assess
    const rows = await engine.query('SELECT k, CAST(d AS VARCHAR) AS d, s FROM t');
    expect(rows).toHaveLength(3333);
    expect(rows.slice(0, 3)).toEqual([
      { k: 7919 % 5000, d: '2024-01-02', s: 'v1' },
      { k: (2 * 7919) % 5000, d: '2024-01-03', s: 'v2' },
      { k: (4 * 7919) % 5000, d: '2024-01-05', s: 'v4' },
    ]);
    const [view] = await engine.query("SELECT sql FROM duckdb_views() WHERE view_name = 't'");
    expect(String(view?.sql)).toContain(join(engine.scratchDir, 'views', 't.parquet'));
    expect(readdirSync(join(engine.scratchDir, 'views'))).toEqual(['t.parquet']);
    await expect(engine.query('SELECT count(*) FROM validated_t')).rejects.toThrow(
      /validated_t does not exist/,
    );
  });

  it('stores rows as Parquet in query order, numbers two CSV files read on 4 threads, and drops them', async () => {
    // Prepare: 120,000 and 80,000 records whose id is the record's row (header = row 1), every 997th flagged. (The
    // order kept at scale was checked once on 28.8 M rows of one 1.5 GB file against a single-threaded numbering: 0
    // rows off, against 28.7 M with preserve_insertion_order off; files this small are read by one thread each.)
    const dir = await tempDir();
    dirs.push(dir);
    const body = (n: number) =>
      Array.from({ length: n }, (_, i) => `${i + 2},${i % 997 === 0 ? 'bad' : 'ok'}`).join('\n');
    await writeFile(join(dir, 'a.csv'), `id,flag\n${body(120_000)}\n`);
    await writeFile(join(dir, 'b.csv'), `id,flag\n${body(80_000)}\n`);
    engine = await DuckDbEngine.open({ threads: 4 });
    const file = (key: string) => ({
      key,
      format: 'csv' as const,
      width: 2,
      columns: { id: ['c0'], flag: ['c1'] },
    });
    const raw = engine.rawRelation({
      label: 'pendo/t',
      view: 't',
      contractColumns: ['id', 'flag'],
      columns: ['id', 'flag'],
      files: [file('a.csv'), file('b.csv')],
      locate: (k) => join(dir, k),
    });

    // Act
    await engine.storeRows(
      'stored_t',
      `SELECT *, CASE WHEN flag = 'bad' THEN 'flagged' END AS _reason FROM (${raw.sql})`,
    );
    const before = await engine.query('SELECT count(_row) AS numbered FROM stored_t');
    for (const sql of raw.numberRows?.('stored_t', true) ?? []) await engine.execute(sql);
    const numbered = await engine.query(
      'SELECT _file, count(*) AS n, count(*) FILTER (WHERE CAST(id AS BIGINT) <> _row) AS wrong, count(_reason) AS flagged FROM stored_t GROUP BY _file ORDER BY _file',
    );
    const stored = readdirSync(join(engine.scratchDir, 'tables'));
    await engine.dropTable('stored_t');

    // Assess
    expect(before).toEqual([{ numbered: 0 }]);
    expect(numbered).toEqual([
      { _file: 'a.csv', n: 120_000, wrong: 0, flagged: Math.ceil(120_000 / 997) },
      { _file: 'b.csv', n: 80_000, wrong: 0, flagged: Math.ceil(80_000 / 997) },
    ]);
    expect(stored).toEqual(['stored_t.parquet']);
    expect(readdirSync(join(engine.scratchDir, 'tables'))).toEqual([]);
    await expect(engine.query('SELECT count(*) FROM stored_t')).rejects.toThrow(
      /stored_t does not exist/,
    );
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

  it('opens CSV files, numbers their stored rows from 2 and names the Parquet columns', async () => {
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
    await engine.createTable('stored_t', raw.sql, { temporary: true });
    for (const sql of raw.numberRows?.('stored_t', false) ?? []) await engine.execute(sql);
    const rows = await engine.query('SELECT * FROM stored_t ORDER BY _row');
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

describe('Class: DuckDbEngine (scratch folder and memory limit)', () => {
  it('keeps its database file in a scratch folder under the given parent and removes it on close', async () => {
    // Prepare
    const parent = await tempDir();
    dirs.push(parent);
    // Act
    const e = await DuckDbEngine.open({ threads: 1, memoryLimit: '300MB', scratchParent: parent });
    const [limit] = await e.query("SELECT current_setting('memory_limit') AS v");
    const [dbFile] = await e.query(
      'SELECT path FROM duckdb_databases() WHERE database_name = current_database()',
    );
    const [temp] = await e.query("SELECT current_setting('temp_directory') AS v");
    const during = readdirSync(parent);
    await e.close();
    // Assess: 300 MB as DuckDB reports it (286.1 MiB), file and spill folder inside the scratch folder
    expect(String(limit.v)).toMatch(/^286\.1 MiB$/);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.cvs-duckdb-/);
    expect(dbFile.path).toBe(join(parent, during[0], 'cvs.duckdb'));
    expect(temp.v).toBe(join(parent, during[0], 'spill'));
    expect(readdirSync(parent)).toEqual([]);
  });

  it('spills a sort larger than its memory limit to the scratch folder instead of failing', async () => {
    // Prepare: a million 100-byte strings (~100 MB) under a 32 MB limit
    const parent = await tempDir();
    dirs.push(parent);
    engine = await DuckDbEngine.open({ threads: 1, memoryLimit: '32MB', scratchParent: parent });
    // Act
    const [row] = await engine.query(
      "SELECT count(*) AS n, min(s) AS first FROM (SELECT repeat('x', 92) || lpad(CAST(i AS VARCHAR), 8, '0') AS s FROM range(1000000) t(i) ORDER BY s DESC)",
    );
    // Assess
    expect(row).toEqual({ n: 1_000_000, first: `${'x'.repeat(92)}00000000` });
  });

  it('takes a quarter of the memory as its default limit, between 1 and 2 GiB', () => {
    const gib = 1024 ** 3;
    expect(defaultMemoryLimit(2 * gib)).toBe('1024MiB');
    expect(defaultMemoryLimit(6 * gib)).toBe('1536MiB');
    expect(defaultMemoryLimit(64 * gib)).toBe('2048MiB');
  });
});
