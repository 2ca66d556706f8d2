import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { TableDef } from '../../../shared/contract/tables.ts';
import { csvField, formatCell, writeCsvTable } from '../../../shared/generate/writeCsvTable.ts';

const def: TableDef = {
  source: 'pendo',
  name: 'demo',
  grain: 'test',
  key: ['id'],
  columns: [
    { name: 'id', type: 'varchar' },
    { name: 'n', type: 'bigint' },
    { name: 'x', type: 'double' },
    { name: 'ok', type: 'boolean' },
  ],
};

describe('Function: csvField', () => {
  it('quotes like csv-stringify when values hold commas, quotes, line breaks or blanks', () => {
    // Prepare
    const values = [
      'plain',
      'a,b',
      'say "hi"',
      'two\nlines',
      'cr\r',
      '  ',
      '',
      'Mozilla/5.0 (KHTML, like Gecko)',
    ];
    // Act
    const mine = `${values.map(csvField).join(',')}\n`;
    // Assess
    expect(mine).toBe(stringify([values]));
    expect(csvField(null)).toBe('');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('Function: formatCell', () => {
  it('renders booleans, integers and doubles in the sample formats', () => {
    // Act / Assess
    expect(formatCell(def.columns[3], true)).toBe('true');
    expect(formatCell(def.columns[3], false)).toBe('false');
    expect(formatCell(def.columns[1], 41.6)).toBe('42');
    expect(formatCell(def.columns[2], 1 / 3)).toBe('0.333333');
    expect(formatCell(def.columns[2], null)).toBeNull();
    expect(() => formatCell(def.columns[2], Number.NaN)).toThrow(/non-finite/);
  });
});

describe('Function: writeCsvTable', () => {
  it('writes the header and rows in contract order with NULL as an empty field', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'cvs-csv-'));
    const path = join(dir, 'demo', 'part-0000.csv');
    // Act
    const n = await writeCsvTable(path, def, [
      { ok: true, id: 'a,"b"', n: 3, x: 0.5 },
      { id: 'c', n: null },
    ]);
    // Assess
    const text = await readFile(path, 'utf8');
    expect(n).toBe(2);
    expect(text).toBe('id,n,x,ok\n"a,""b""",3,0.5,true\nc,,,\n');
    expect((parse(text, { columns: true }) as Record<string, string>[])[0].id).toBe('a,"b"');
    await rm(dir, { recursive: true, force: true });
  });

  it('throws when a row has a column the contract does not know', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'cvs-csv-'));
    // Act & Assess
    await expect(writeCsvTable(join(dir, 'bad.csv'), def, [{ id: 'a', extra: 1 }])).rejects.toThrow(
      /extra/,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
