import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileScoreStore } from '../../../shared/adapters/local/fileScoreStore.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { readCsvRows, toCsvBytes, writeCsvRows } from '../../../shared/io/csvTable.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cvs-csv-'));
  dirs.push(d);
  return d;
};

describe('Function: toCsvBytes', () => {
  it('writes the header once and every row, across chunks of 5,000 rows', () => {
    // Prepare: 12,001 rows (three chunks), a quoted text cell and a null
    const rows = Array.from({ length: 12_001 }, (_, i) => ({
      account_id: `A${i}`,
      x: i / 4,
      note: i === 7000 ? 'a, "b"' : null,
    }));
    // Act
    const lines = toCsvBytes(rows, ['account_id', 'x', 'note']).toString('utf8').split('\n');
    // Assess
    expect(lines).toHaveLength(12_003); // header, 12,001 rows, the final newline
    expect(lines[0]).toBe('account_id,x,note');
    expect(lines[1]).toBe('A0,0,');
    expect(lines[5001]).toBe('A5000,1250,');
    expect(lines[7001]).toBe('A7000,1750,"a, ""b"""');
    expect(lines[12_001]).toBe('A12000,3000,');
    expect(lines.filter((l) => l.startsWith('account_id'))).toHaveLength(1);
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsvBytes([], ['a', 'b']).toString('utf8')).toBe('a,b\n');
  });

  it('round-trips through writeCsvRows and readCsvRows', async () => {
    // Prepare
    const store = new FolderStore(temp());
    const rows = [
      { account_id: '007', value_index: 0.1234567, high_value: true },
      { account_id: 'B', value_index: null, high_value: false },
    ];
    // Act
    await writeCsvRows(store, 't.csv', rows);
    const back = await readCsvRows(store, 't.csv');
    // Assess: ids stay text, numbers rounded to 6 decimals, null as empty
    expect(back).toEqual([
      { account_id: '007', value_index: 0.123457, high_value: true },
      { account_id: 'B', value_index: null, high_value: false },
    ]);
  });
});

describe('Class: FileScoreStore', () => {
  it('writes a run of more records than one write chunk as one JSON line each and reads them back', async () => {
    // Prepare
    const store = new FileScoreStore(temp());
    const records = Array.from({ length: 4_500 }, (_, i) => ({
      accountId: `A${i}`,
      asOf: '2024-10-31',
      values: { account_id: `A${i}`, score: i },
    }));
    // Act
    await store.putRun('2024-10-31', records);
    await store.putRun('2024-10-31', records.slice(0, 3)); // a re-run replaces
    // Assess
    expect(await store.listRuns()).toEqual(['2024-10-31']);
    expect(await store.getRun('2024-10-31')).toEqual(records.slice(0, 3));
  });

  it('keeps 4,500 records in order', async () => {
    const store = new FileScoreStore(temp());
    const records = Array.from({ length: 4_500 }, (_, i) => ({
      accountId: `A${i}`,
      asOf: '2024-10-30',
      values: { score: i },
    }));
    await store.putRun('2024-10-30', records);
    const back = await store.getRun('2024-10-30');
    expect(back).toHaveLength(4_500);
    expect(back[4_499]).toEqual({
      accountId: 'A4499',
      asOf: '2024-10-30',
      values: { score: 4499 },
    });
  });
});

describe('Function: readCsvRows with only some columns', () => {
  it('keeps the wanted columns the file has, typed as usual, and skips the others', async () => {
    // Prepare: four columns, of which two are wanted (and one wanted column the file lacks)
    const store = new FolderStore(temp());
    await store.put('t.csv', 'account_id,x,note,y\nA1,1.5,"a, b",true\nA2,,c,false\n');
    // Act
    const rows = await readCsvRows(
      store,
      't.csv',
      new Set(['account_id']),
      new Set(['account_id', 'x', 'z']),
    );
    // Assess
    expect(rows).toEqual([
      { account_id: 'A1', x: 1.5 },
      { account_id: 'A2', x: null },
    ]);
  });
});
