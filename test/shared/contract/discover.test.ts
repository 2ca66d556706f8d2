import { afterEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import {
  checkInventory,
  discoverInputs,
  formatOf,
  hashObject,
  type InputInventory,
} from '../../../shared/contract/discover.ts';
import { ContractViolationError } from '../../../shared/errors.ts';
import type { ObjectInfo, ObjectStore } from '../../../shared/ports/index.ts';
import { cleanup, pendoBase, writeInput } from './fixtures.ts';

/** SHA-256 of the three bytes `abc` (FIPS 180-2 test vector). */
const SHA_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

const dirs: string[] = [];
afterEach(async () => {
  await cleanup(dirs.splice(0));
});

async function inventoryOf(files: Record<string, string>): Promise<InputInventory> {
  const dir = await writeInput(files);
  dirs.push(dir);
  return discoverInputs(new FolderStore(dir));
}

describe('Function: formatOf', () => {
  it('knows .csv, .csv.gz and .parquet in any case, nothing else', () => {
    // Act & Assess
    expect(formatOf('a/b.CSV')).toBe('csv');
    expect(formatOf('a/b.parquet')).toBe('parquet');
    expect(formatOf('a/b.csv.GZ')).toBe('csv');
    expect(formatOf('a/b.csv.bz2')).toBeNull();
    expect(formatOf('a/b.tsv')).toBeNull();
    expect(formatOf('a/_SUCCESS')).toBeNull();
    expect(formatOf('a/.part-1.csv')).toBeNull();
  });
});

describe('Function: hashObject', () => {
  it('gives the same SHA-256 streamed or loaded whole', async () => {
    // Prepare
    const dir = await writeInput({ 'x.csv': 'abc' });
    dirs.push(dir);
    const folder = new FolderStore(dir);
    const plain: ObjectStore = {
      list: async (): Promise<ObjectInfo[]> => [],
      get: (key) => folder.get(key),
      put: async () => {},
      exists: async () => true,
      locate: (key) => key,
    };

    // Act & Assess
    expect(await hashObject(folder, 'x.csv')).toBe(SHA_ABC);
    expect(await hashObject(plain, 'x.csv')).toBe(SHA_ABC);
  });
});

describe('Function: discoverInputs', () => {
  it('lists table files with size and hash, nested ones too, names what it skips and ignores the rest', async () => {
    // Act
    const inv = await inventoryOf({
      ...pendoBase(),
      'pendo/pendo__account/2024/part-9.csv': 'abc',
      'pendo/pendo__account/notes.txt': 'x',
      'pendo/pendo__page/p.csv': 'x',
      'README.txt': 'x',
    });

    // Assess
    expect(inv.sources).toEqual(['pendo']);
    const account = inv.tables.find((t) => t.table.name === 'pendo__account');
    expect(account?.files.map((f) => f.key)).toEqual([
      'pendo/pendo__account/2024/part-9.csv',
      'pendo/pendo__account/part-1.csv',
    ]);
    expect(account?.files[0]).toEqual({
      key: 'pendo/pendo__account/2024/part-9.csv',
      size: 3,
      sha256: SHA_ABC,
      format: 'csv',
    });
    expect(account?.skipped).toEqual([
      {
        key: 'pendo/pendo__account/notes.txt',
        reason: 'not a .csv, .csv.gz, .csv.zst or .parquet file',
        hidden: false,
      },
    ]);
    expect(inv.ignored).toEqual(['README.txt', 'pendo/pendo__page/p.csv']);
    expect(inv.tables.map((t) => t.table.name)).toHaveLength(10);
  });

  it('does not mistake salesforce/account for a prefix of another folder', async () => {
    // Act
    const inv = await inventoryOf({
      'salesforce/account_history/a.csv': 'x',
      'salesforce/account/a.csv': 'y',
    });

    // Assess
    const sf = inv.tables.find(
      (t) => t.table.source === 'salesforce' && t.table.name === 'account',
    );
    expect(sf?.files.map((f) => f.key)).toEqual(['salesforce/account/a.csv']);
    expect(inv.ignored).toEqual(['salesforce/account_history/a.csv']);
  });
});

describe('Function: checkInventory', () => {
  it('passes a complete Pendo export', async () => {
    // Prepare
    const inv = await inventoryOf(pendoBase());

    // Act & Assess
    expect(() => checkInventory(inv)).not.toThrow();
  });

  it('throws when no source has its core table', async () => {
    // Prepare
    const inv = await inventoryOf({ 'other/x.csv': 'a' });

    // Act & Assess
    expect(() => checkInventory(inv)).toThrow(ContractViolationError);
    expect(() => checkInventory(inv)).toThrow(/no input source found/);
  });

  it('throws when a source has table files but not its core table', async () => {
    // Prepare
    const inv = await inventoryOf({ ...pendoBase(), 'salesforce/contact/c.csv': 'id\n1' });

    // Act & Assess
    expect(() => checkInventory(inv)).toThrow(
      'salesforce files found (contact) but its core table salesforce/account/ has no CSV or Parquet file',
    );
  });

  it('throws when a present source lacks a table that is not optional', async () => {
    // Prepare
    const files = pendoBase();
    delete (files as Record<string, string | undefined>)['pendo/pendo__visitor/part-1.csv'];
    const inv = await inventoryOf(files);

    // Act & Assess
    expect(() => checkInventory(inv)).toThrow('pendo/pendo__visitor/ has no CSV or Parquet file');
  });
});
