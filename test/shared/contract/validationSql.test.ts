import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import type { TableDef } from '../../../shared/contract/tables.ts';
import { pendoAccount, sfAccount, sfTask, TABLES } from '../../../shared/contract/tables.ts';
import {
  blankToNull,
  checkedRelationSql,
  cleanSelectSql,
  duplicateRowsSql,
  quarantineSelectSql,
  quoteIdent,
  storedDuplicateKeysSql,
  typedExpr,
  validatedSelectSql,
  viewName,
} from '../../../shared/contract/validationSql.ts';
import { sqlString } from '../../../shared/sql/literals.ts';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

/** Evaluates typedExpr on each text through DuckDB; dates and timestamps come back as text. */
async function typed(
  type: Parameters<typeof typedExpr>[0],
  texts: (string | null)[],
): Promise<unknown[]> {
  const values = texts
    .map((t) => `(${t === null ? 'CAST(NULL AS VARCHAR)' : sqlString(t)})`)
    .join(', ');
  const expr = typedExpr(type, 'x');
  const shown = type === 'timestamp' || type === 'date' ? `CAST(${expr} AS VARCHAR)` : expr;
  const rows = await engine.query(
    `SELECT ${shown} AS v FROM (SELECT x, row_number() OVER () AS i FROM (VALUES ${values}) t(x)) ORDER BY i`,
  );
  return rows.map((r) => r.v);
}

describe('Function: blankToNull', () => {
  it('reads as NULL exactly the values trim makes empty, and keeps every other value as written', async () => {
    // Prepare: blank values (empty, spaces), values with spaces around them, printable ASCII at both ends of the
    // range the shortcut takes ('!', '~'), and values starting with characters outside it (tab, DEL, non-ASCII
    // letters, an ideographic space)
    const texts: (string | null)[] = [
      null,
      '',
      ' ',
      '   ',
      ' 5',
      '5 ',
      ' a b ',
      '!',
      '~',
      'abc',
      '2024-10-31',
      '\t',
      '\t5',
      '\u007f',
      'é',
      '\u3000',
      '\u3000x',
    ];
    const values = texts
      .map((t) => `(${t === null ? 'CAST(NULL AS VARCHAR)' : sqlString(t)})`)
      .join(', ');
    // Act: the expression beside the plain `trim(x) = ''` test it stands for
    const rows = await engine.query(
      `SELECT ${blankToNull('x')} AS v, CASE WHEN trim(x) = '' THEN NULL ELSE x END AS w FROM (SELECT x, row_number() OVER () AS i FROM (VALUES ${values}) t(x)) ORDER BY i`,
    );
    // Assess: NULL for NULL, '' and what DuckDB's trim removes whole (spaces, the ideographic space; not a tab);
    // every other text unchanged, spaces around it kept
    expect(rows.map((r) => r.v)).toEqual([
      null,
      null,
      null,
      null,
      ...texts.slice(4, 15),
      null,
      '\u3000x',
    ]);
    expect(rows.map((r) => r.v)).toEqual(rows.map((r) => r.w));
  });
});

describe('Function: viewName', () => {
  it('keeps pendo names and prefixes Salesforce ones', () => {
    // Act & Assess
    expect(viewName(pendoAccount)).toBe('pendo__account');
    expect(viewName(sfAccount)).toBe('salesforce__account');
    expect(viewName(sfTask)).toBe('salesforce__task');
  });
});

describe('Function: quoteIdent', () => {
  it('doubles quotes inside a name', () => {
    // Act & Assess
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('Function: typedExpr', () => {
  it('accepts true/false/t/f/1/0/yes/no in any case as booleans', async () => {
    // Act
    const out = await typed('boolean', [
      'TRUE',
      'false',
      't',
      'F',
      '1',
      '0',
      ' Yes ',
      'NO',
      'maybe',
      null,
    ]);

    // Assess
    expect(out).toEqual([true, false, true, false, true, false, true, false, null, null]);
  });

  it('accepts date, date-time with fraction and ISO T/Z forms as timestamps', async () => {
    // Act
    const out = await typed('timestamp', [
      '2024-01-31',
      '2024-01-31 10:20:30',
      '2024-01-31 10:20:30.125',
      '2024-01-31T10:20:30Z',
      'yesterday',
    ]);

    // Assess
    expect(out).toEqual([
      '2024-01-31 00:00:00',
      '2024-01-31 10:20:30',
      '2024-01-31 10:20:30.125',
      '2024-01-31 10:20:30',
      null,
    ]);
  });

  it('reads a date from a date or a midnight timestamp', async () => {
    // Act
    const out = await typed('date', ['2024-02-29', '2024-02-29 00:00:00', '2024-02-30']);

    // Assess
    expect(out).toEqual(['2024-02-29', '2024-02-29', null]);
  });

  it('accepts whole numbers only for bigint and integer, within the type', async () => {
    // Act
    const big = await typed('bigint', [' 12 ', '10.0', '1e3', '1.5', 'abc', '4294967295']);
    const int = await typed('integer', ['7', '5000000000']);
    // texts the direct cast does not give back as written (sign, zero, padding) take the general path
    const signed = await typed('bigint', ['-0', '+5', '-12', '0', '05', '-05']);

    // Assess
    expect(big).toEqual([12, 10, 1000, null, null, 4294967295]);
    expect(int).toEqual([7, null]);
    expect(signed).toEqual([0, 5, -12, 0, 5, -5]);
  });

  it('gives the plain forms (cast directly) and the other forms of a value the same reading', async () => {
    // Act
    const ts = await typed('timestamp', [
      '2024-01-31 23:30:00',
      '2024-01-31T23:30:00-01:00',
      ' 2024-01-31 23:30:00 ',
      '2024-01-31 23:30:00+0100',
      '2024-02-30 10:00:00',
      '2024-01-31 25:00:00',
    ]);
    const day = await typed('date', ['2024-01-31', '2024-01-31T23:30:00-01:00', '2024-01-31Z']);
    const int = await typed('integer', ['007', ' 7', '7.0', '2147483647', '2147483648', '-7']);
    const dbl = await typed('double', [
      '007.50',
      '.5',
      '1.2.3',
      ' 2.5 ',
      '1e3',
      `1${'0'.repeat(400)}`,
    ]);

    // Assess
    expect(ts).toEqual([
      '2024-01-31 23:30:00',
      '2024-02-01 00:30:00',
      '2024-01-31 23:30:00',
      '2024-01-31 22:30:00',
      null,
      null,
    ]);
    expect(day).toEqual(['2024-01-31', '2024-02-01', '2024-01-31']);
    expect(int).toEqual([7, 7, 7, 2147483647, null, -7]);
    expect(dbl).toEqual([7.5, 0.5, null, 2.5, 1000, null]);
  });

  it('reads doubles and rejects text', async () => {
    // Act
    const out = await typed('double', ['8.5', '-1', 'n/a']);

    // Assess
    expect(out).toEqual([8.5, -1, null]);
  });
});

/** A one-column table keyed on a date, over raw text rows in a DuckDB VALUES list. */
const dayTable: TableDef = {
  source: 'pendo',
  name: 'days',
  grain: 'one row per day',
  key: ['day'],
  columns: [
    { name: 'day', type: 'date', required: true, nullable: false },
    { name: 'n', type: 'bigint', min: 0 },
  ],
};
const dayRaw = `(SELECT * FROM (VALUES ('2024-01-01', '1', 'f.csv', 2), ('2024-01-01 00:00:00', '2', 'f.csv', 3),
  ('2024-01-02', 'x', 'f.csv', 4), ('2024-01-03', '-4', 'f.csv', 5), ('2024-01-03', '5', 'f.csv', 6),
  (NULL, '6', 'f.csv', 7)) t(day, n, _file, _row))`;

describe('Function: storedDuplicateKeysSql', () => {
  it('counts key values held by several rows of the stored table, comparing typed values', async () => {
    // Prepare: the validated rows built without the key check
    await engine.execute(
      `CREATE OR REPLACE TABLE validated_days AS ${validatedSelectSql(dayTable, dayTable.columns, dayRaw)}`,
    );

    // Act: 2024-01-01 is written two ways, 2024-01-03 twice
    const [row] = await engine.query(storedDuplicateKeysSql(dayTable, 'validated_days'));

    // Assess
    expect(row.n).toBe(2);
  });
});

describe('Function: validatedSelectSql', () => {
  it('gives each bad row all its reasons and keeps the first valid row of a key', async () => {
    // Prepare: the validated table (one pass, no window), then the later rows of repeated keys
    await engine.execute(
      `CREATE OR REPLACE TABLE validated_days AS ${validatedSelectSql(dayTable, dayTable.columns, dayRaw)}`,
    );
    await engine.execute(
      `CREATE OR REPLACE TABLE duplicates_days AS ${duplicateRowsSql(dayTable, 'validated_days')}`,
    );

    // Act
    const checked = checkedRelationSql(dayTable.columns, 'validated_days', 'duplicates_days');
    const rows = await engine.query(
      `SELECT _row, _reason, _categories FROM ${checked} c ORDER BY _row`,
    );
    const clean = await engine.query(
      `SELECT n FROM (${cleanSelectSql(dayTable.columns, 'validated_days', 'duplicates_days')}) ORDER BY n`,
    );

    // Assess
    expect(rows).toEqual([
      { _row: 2, _reason: null, _categories: null },
      {
        _row: 3,
        _reason: 'duplicate key (day) = (2024-01-01)',
        _categories: 'duplicate key',
      },
      { _row: 4, _reason: "n: not a bigint ('x')", _categories: 'not a bigint' },
      {
        _row: 5,
        _reason: 'n: -4 below 0; duplicate key (day) = (2024-01-03)',
        _categories: 'out of range;duplicate key',
      },
      { _row: 6, _reason: null, _categories: null },
      { _row: 7, _reason: 'day: missing value', _categories: 'missing value' },
    ]);
    expect(clean).toEqual([{ n: 1 }, { n: 5 }]);
  });

  it('gives a reason to every row with one bad cell of any kind, and none to the valid rows', async () => {
    // Prepare: one column of each type; row 2 is valid, every later row has exactly one bad cell.
    const grid: TableDef = {
      source: 'pendo',
      name: 'grid',
      grain: 'one row per id',
      key: ['id'],
      columns: [
        { name: 'id', type: 'varchar', nullable: false },
        { name: 'n', type: 'bigint', min: 0, max: 10 },
        { name: 'x', type: 'double', min: -1 },
        { name: 'seen_at', type: 'timestamp' },
        { name: 'on_day', type: 'date' },
        { name: 'ok', type: 'boolean' },
      ],
    };
    const good = ['a', '3', '0.5', '2024-01-01 10:00:00', '2024-01-01', 'true'];
    const bad: [number, string][] = [
      [0, ''], // missing value
      [0, `a${String.fromCharCode(0)}`], // NUL byte in a text
      [1, '1.5'], // not a bigint
      [1, '11'], // above the range
      [1, `3${String.fromCharCode(0)}`], // NUL byte in a number
      [2, 'NaN'], // not finite
      [2, '-2'], // below the range
      [2, 'abc'], // not a double
      [3, '2024-13-01 10:00:00'], // not a timestamp
      [4, '31/01/2024'], // not a date
      [5, 'maybe'], // not a boolean
    ];
    const rows = [good, ...bad.map(([i, value]) => good.map((g, j) => (j === i ? value : g)))];
    const values = rows
      .map(
        (r, k) =>
          `(${[...r.map((c) => `${sqlString(c.replaceAll(String.fromCharCode(0), ''))}${c.includes(String.fromCharCode(0)) ? ' || chr(0)' : ''}`), "'f.csv'", String(k + 2)].join(', ')})`,
      )
      .join(', ');
    const raw = `(SELECT * FROM (VALUES ${values}) t(id, n, x, seen_at, on_day, ok, _file, _row))`;

    // Act
    const out = await engine.query(
      `SELECT _row, _categories FROM (${validatedSelectSql(grid, grid.columns, raw)}) ORDER BY _row`,
    );

    // Assess
    expect(out.map((r) => r._categories)).toEqual([
      null,
      'missing value',
      'NUL byte',
      'not a bigint',
      'out of range',
      'NUL byte;not a bigint',
      'not a finite number',
      'out of range',
      'not a double',
      'not a timestamp',
      'not a date',
      'not a boolean',
    ]);
  });

  it('reads the files once: no window in the validated select', () => {
    // Act & Assess
    expect(validatedSelectSql(dayTable, dayTable.columns, dayRaw)).not.toContain('OVER');
  });

  it('uses only functions that Athena (Trino) and DuckDB share', () => {
    // Prepare
    const portable = new Set([
      'try_cast',
      'cast',
      'coalesce',
      'nullif',
      'concat_ws',
      'substr',
      'trim',
      'lower',
      'replace',
      'floor',
      'row_number',
      'strpos',
      'chr',
      'length',
      'upper',
      'count',
      // Trino's; DuckDbEngine defines it as a macro over regexp_matches
      'regexp_like',
    ]);
    const keywords = new Set([
      'as',
      'over',
      'from',
      'and',
      'or',
      'in',
      'between',
      'on',
      'exists',
      'not',
      'join',
      'when',
      'then',
      'else',
      'select',
      'where',
      'is',
    ]);

    for (const table of TABLES) {
      // Act
      const sql = [
        validatedSelectSql(table, table.columns, `raw_${viewName(table)}`),
        duplicateRowsSql(table, 'v'),
        checkedRelationSql(table.columns, 'v', 'd'),
        cleanSelectSql(table.columns, 'v', 'd'),
        quarantineSelectSql(table.columns, 'c', { rowNumbers: true, rejects: 'r' }),
      ].join('\n');

      // Assess
      const code = sql.replace(/'(?:[^']|'')*'/g, "''");
      const called = [...code.matchAll(/\b([A-Za-z_]+)\s*\(/g)].map((m) => m[1].toLowerCase());
      const unknown = called.filter(
        (f) => !portable.has(f) && !keywords.has(f) && !f.startsWith('cvs_'),
      );
      expect(unknown).toEqual([]);
      expect(sql).not.toMatch(/::|read_csv|read_parquet|QUALIFY|\bilike\b/i);
    }
  });
});
