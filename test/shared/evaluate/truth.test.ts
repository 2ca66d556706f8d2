import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  direction,
  readTruthFile,
  TruthFileError,
  truthRows,
  writeTruthFile,
} from '../../../shared/evaluate/truth.ts';

const HEADER =
  'account_id,world,latent_value_now,latent_value_3m,latent_value_6m,true_high_value,true_direction_3m,true_direction_6m';

describe('Function: direction', () => {
  it('is Up above +10%, Down below -10%, else Flat', () => {
    expect(direction(100, 111)).toBe('Up');
    expect(direction(100, 105)).toBe('Flat');
    expect(direction(100, 91)).toBe('Flat');
    expect(direction(100, 89)).toBe('Down');
    expect(direction(0, 0)).toBe('Flat');
    expect(direction(0, 3)).toBe('Up');
  });
});

describe('Function: truthRows', () => {
  it('flags the top quartile of the value now and derives both directions', () => {
    const rows = truthRows(
      'w',
      [50, 80, 10, 20, 70, 30, 40, 60].map((v, i) => ({
        id: `a${i}`,
        now: v,
        m3: v * 1.2,
        m6: v * 0.8,
      })),
    );
    expect(rows.filter((r) => r.true_high_value === 1).map((r) => r.account_id)).toEqual([
      'a1',
      'a4',
    ]);
    expect(rows.every((r) => r.true_direction_3m === 'Up' && r.true_direction_6m === 'Down')).toBe(
      true,
    );
  });
});

describe('Functions: writeTruthFile and readTruthFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-truth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the agreed header and reads back the same rows', async () => {
    const rows = truthRows('trends', [
      { id: 'acct-1', now: 120.5, m3: 140, m6: 100 },
      { id: 'acct-2', now: 80.25, m3: 80, m6: 60 },
    ]);
    const path = join(dir, 'sub', 'truth.csv');
    await writeTruthFile(path, rows);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(text.split('\n')[1]).toBe('acct-1,trends,120.5,140,100,1,Up,Down');
    expect(await readTruthFile(path)).toEqual(rows);
  });

  it('names the file when it does not exist', async () => {
    await expect(readTruthFile(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv does not exist/);
  });

  it('names a missing column', async () => {
    const path = join(dir, 't.csv');
    writeFileSync(path, 'account_id,world,latent_value_now\na,w,1\n');
    await expect(readTruthFile(path)).rejects.toThrow(/missing column\(s\) latent_value_3m/);
  });

  it('names the row and column of a bad direction, a bad flag and a duplicate id', async () => {
    const path = join(dir, 't.csv');
    writeFileSync(path, `${HEADER}\na,w,1,1,1,0,Flat,Flat\nb,w,1,1,1,0,Sideways,Flat\n`);
    await expect(readTruthFile(path)).rejects.toThrow(
      /row 3, column true_direction_3m: expected Up, Flat or Down, got 'Sideways'/,
    );
    writeFileSync(path, `${HEADER}\na,w,1,1,1,2,Flat,Flat\n`);
    await expect(readTruthFile(path)).rejects.toThrow(/row 2, column true_high_value/);
    writeFileSync(path, `${HEADER}\na,w,1,1,1,0,Flat,Flat\na,w,1,1,1,0,Flat,Flat\n`);
    await expect(readTruthFile(path)).rejects.toBeInstanceOf(TruthFileError);
    await expect(readTruthFile(path)).rejects.toThrow(/duplicate account 'a'/);
    writeFileSync(path, `${HEADER}\na,w,x,1,1,0,Flat,Flat\n`);
    await expect(readTruthFile(path)).rejects.toThrow(/column latent_value_now: expected a number/);
  });
});
