import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { footerLength, parquetSchemaNames } from '../../../../shared/adapters/aws/parquetFooter.ts';
import { DuckDbEngine } from '../../../../shared/adapters/local/duckdbEngine.ts';
import { cleanup, tempDir } from '../../contract/fixtures.ts';

const dirs: string[] = [];
let engine: DuckDbEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await cleanup(dirs.splice(0));
});

/** Writes a Parquet file with DuckDB (an independent writer) and returns its bytes. */
async function duckdbParquet(select: string): Promise<Uint8Array> {
  const dir = await tempDir();
  dirs.push(dir);
  const path = join(dir, 'f.parquet');
  engine = await DuckDbEngine.open({ threads: 1 });
  await engine.execute(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  return new Uint8Array(await readFile(path));
}

describe('Function: parquetSchemaNames', () => {
  it('lists the top-level columns in file order, skipping the children of nested ones', async () => {
    // Prepare
    const bytes = await duckdbParquet(
      "SELECT 'v1' AS VisitorId, {'a': 1, 'b': [2, 3]} AS nested, [1, 2] AS list_col, 9::BIGINT AS latest_nps_rating, TIMESTAMP '2024-01-31 10:00:00' AS last_visit",
    );
    const length = footerLength(bytes);

    // Act
    const names = parquetSchemaNames(bytes.subarray(bytes.length - 8 - length, bytes.length - 8));

    // Assess
    expect(names).toEqual(['VisitorId', 'nested', 'list_col', 'latest_nps_rating', 'last_visit']);
  });
});

describe('Function: footerLength', () => {
  it('throws when the bytes do not end with PAR1', () => {
    // Act & Assess
    expect(() => footerLength(new TextEncoder().encode('not parquet at all'))).toThrow(
      'not a Parquet file (no PAR1 at the end)',
    );
    expect(() => footerLength(new Uint8Array(3))).toThrow('shorter than 8 bytes');
  });

  it('reads the little-endian length before the magic', () => {
    // Prepare: length 300 = 0x012c
    const tail = new Uint8Array([0x2c, 0x01, 0, 0, 0x50, 0x41, 0x52, 0x31]);

    // Act & Assess
    expect(footerLength(tail)).toBe(300);
  });
});
