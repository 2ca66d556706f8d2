import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { pendoAccount, sfAccount, sfTask, TABLES } from '../../../shared/contract/tables.ts';
import {
  quoteIdent,
  sqlLiteral,
  typedExpr,
  validatedSelectSql,
  viewName,
} from '../../../shared/contract/validationSql.ts';

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
    .map((t) => `(${t === null ? 'CAST(NULL AS VARCHAR)' : sqlLiteral(t)})`)
    .join(', ');
  const expr = typedExpr(type, 'x');
  const shown = type === 'timestamp' || type === 'date' ? `CAST(${expr} AS VARCHAR)` : expr;
  const rows = await engine.query(
    `SELECT ${shown} AS v FROM (SELECT x, row_number() OVER () AS i FROM (VALUES ${values}) t(x)) ORDER BY i`,
  );
  return rows.map((r) => r.v);
}

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

    // Assess
    expect(big).toEqual([12, 10, 1000, null, null, 4294967295]);
    expect(int).toEqual([7, null]);
  });

  it('reads doubles and rejects text', async () => {
    // Act
    const out = await typed('double', ['8.5', '-1', 'n/a']);

    // Assess
    expect(out).toEqual([8.5, -1, null]);
  });
});

describe('Function: validatedSelectSql', () => {
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
    ]);
    const keywords = new Set(['as', 'over', 'from', 'and', 'or', 'in']);

    for (const table of TABLES) {
      // Act
      const sql = validatedSelectSql(table, table.columns, `raw_${viewName(table)}`);

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
