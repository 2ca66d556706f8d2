import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { writeCsvRows } from '../../../shared/io/csvTable.ts';
import { spreadsheetSafe, spreadsheetSafeSql } from '../../../shared/io/spreadsheetSafe.ts';

/** [raw text, what a spreadsheet-safe CSV holds], written by hand from the OWASP rule. */
const CASES: [string, string][] = [
  ['=HYPERLINK("http://evil.test","click")', `'=HYPERLINK("http://evil.test","click")`],
  ["+cmd|' /C calc'!A0", `'+cmd|' /C calc'!A0`],
  ['-abc', `'-abc`],
  ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
  ['\t=1+1', `'\t=1+1`],
  ['\r=1+1', `'\r=1+1`],
  ['＝1+1', `'＝1+1`],
  ['-5', '-5'],
  ['-0.25', '-0.25'],
  ['1e-3', '1e-3'],
  ['Acme - Large', 'Acme - Large'],
  ["'quoted", "'quoted"],
  ['', ''],
];

describe('Function: spreadsheetSafe', () => {
  it.each(CASES)('writes %j as %j', (raw, safe) => {
    expect(spreadsheetSafe(raw)).toBe(safe);
  });
});

describe('Function: spreadsheetSafeSql', () => {
  const engine = DuckDbEngine.open();
  afterAll(async () => (await engine).close());

  it('gives the same cells as spreadsheetSafe when run in DuckDB', async () => {
    // Prepare
    const values = CASES.map(([raw], i) => `(${i}, '${raw.replaceAll("'", "''")}')`).join(', ');
    // Act
    const rows = await (await engine).query(
      `SELECT i, ${spreadsheetSafeSql('v')} AS safe FROM (VALUES ${values}) t(i, v) ORDER BY i`,
    );
    // Assess
    expect(rows.map((r) => r.safe)).toEqual(CASES.map(([, safe]) => safe));
  });
});

describe('Function: writeCsvRows (spreadsheet safety)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('neutralises formula text in a deliverable, keeps numbers, and keeps parts raw', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cvs-csvsafe-'));
    dirs.push(dir);
    const store = new FolderStore(dir);
    const rows = [
      { account_name: '=HYPERLINK("http://evil.test","x")', delta: -5, note: '-abc' },
      { account_name: '+cmd|x', delta: -0.5, note: 'fine' },
    ];
    // Act
    await writeCsvRows(store, 'deliverable.csv', rows);
    await writeCsvRows(store, 'parts/p.csv', rows);
    // Assess
    expect(readFileSync(join(dir, 'deliverable.csv'), 'utf8')).toBe(
      [
        'account_name,delta,note',
        `"'=HYPERLINK(""http://evil.test"",""x"")",-5,'-abc`,
        `'+cmd|x,-0.5,fine`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'parts', 'p.csv'), 'utf8')).toBe(
      [
        'account_name,delta,note',
        `"=HYPERLINK(""http://evil.test"",""x"")",-5,-abc`,
        '+cmd|x,-0.5,fine',
        '',
      ].join('\n'),
    );
  });
});
