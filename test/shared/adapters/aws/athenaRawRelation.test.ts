import { describe, expect, it } from 'vitest';
import {
  athenaRawRelation,
  NO_ROW_NUMBERS_NOTE,
} from '../../../../shared/adapters/aws/athenaRawRelation.ts';
import { ContractViolationError } from '../../../../shared/errors.ts';
import type { RawFileSpec, RawTableSpec } from '../../../../shared/ports/index.ts';

const csvFile = (
  key: string,
  header: string[],
  contract = ['id', 'name', 'score'],
): RawFileSpec => {
  const columns: Record<string, string[]> = {};
  header.forEach((h, i) => {
    columns[h.toLowerCase()] = [`c${i}`];
  });
  for (const c of contract) columns[c] ??= [];
  return { key, format: 'csv', width: header.length, columns, header };
};

const spec = (files: RawFileSpec[], columns = ['id', 'name', 'score']): RawTableSpec => ({
  label: 'pendo/t',
  view: 't',
  contractColumns: ['id', 'name', 'score'],
  columns,
  files,
  locate: (k) => `s3://in/exports/${k}`,
});

describe('Function: athenaRawRelation', () => {
  it('selects the contract columns as varchar from raw_<view>, limited to the listed files', () => {
    // Act
    const raw = athenaRawRelation(spec([csvFile('pendo/t/a.csv', ['id', 'name', 'score'])]), 'csv');

    // Assess: `s3://in/exports/` has 16 characters, so the key starts at 17
    expect(raw.sql).toBe(
      'SELECT CAST("id" AS varchar) AS "id", CAST("name" AS varchar) AS "name", CAST("score" AS varchar) AS "score", ' +
        'substr("$path", 17) AS _file, row_number() OVER (PARTITION BY "$path") AS _row ' +
        `FROM raw_t WHERE "$path" IN ('s3://in/exports/pendo/t/a.csv')`,
    );
    expect(raw.rowNumbers).toBe(false);
    expect(raw.notes).toEqual([NO_ROW_NUMBERS_NOTE]);
  });

  it('accepts a file that leaves out trailing contract columns and leaves extra columns out with a note', () => {
    // Act
    const raw = athenaRawRelation(
      spec([csvFile('pendo/t/a.csv', ['id', 'name'])], ['id', 'name', 'score', 'region']),
      'csv',
    );

    // Assess
    expect(raw.columns).toEqual(['id', 'name', 'score']);
    expect(raw.sql).not.toContain('region');
    expect(raw.notes[1]).toBe(
      'pendo/t: extra column region not read: the Glue table raw_t has only the contract columns',
    );
  });

  it('throws naming table, file and the first column out of place when the header order differs', () => {
    // Prepare: score and name swapped; id is in place
    const file = csvFile('pendo/t/b.csv', ['id', 'score', 'name']);

    // Act & Assess
    expect(() => athenaRawRelation(spec([file]), 'csv')).toThrow(ContractViolationError);
    expect(() => athenaRawRelation(spec([file]), 'csv')).toThrow(
      'pendo/t: file pendo/t/b.csv row 1 (header): column "name" is out of place: the contract has it at ' +
        'position 2, the header has "score" there.',
    );
  });

  it('throws when a Parquet file holds a contract column only under another name', () => {
    // Prepare
    const file: RawFileSpec = {
      key: 'pendo/t/a.parquet',
      format: 'parquet',
      width: 2,
      columns: { id: ['id'], name: ['Name_'], score: [] },
      header: ['id', 'Name_'],
    };

    // Act & Assess
    expect(() => athenaRawRelation(spec([file]), 'parquet')).toThrow(
      'pendo/t: file pendo/t/a.parquet: column "name" is named "Name_" in the file. Athena reads Parquet columns by name',
    );
  });

  it('throws when a file is not in the format the Glue table reads', () => {
    // Prepare
    const file: RawFileSpec = {
      key: 'pendo/t/a.parquet',
      format: 'parquet',
      width: 1,
      columns: { id: ['id'] },
    };

    // Act & Assess
    expect(() => athenaRawRelation(spec([file]), 'csv')).toThrow(
      'pendo/t: file pendo/t/a.parquet is Parquet, but the Glue table raw_t reads CSV',
    );
  });

  it('picks files by extension when the list of paths is too long for one query', () => {
    // Prepare: 2,000 files of ~50 characters each make a list over 100,000 characters
    const files = Array.from({ length: 2000 }, (_, i) =>
      csvFile(`pendo/t/part-${String(i).padStart(5, '0')}-0123456789.csv`, ['id']),
    );

    // Act
    const raw = athenaRawRelation(spec(files), 'csv');

    // Assess
    // (gzip-compressed CSV parts are data files too: issue 15)
    expect(
      raw.sql.endsWith(
        `FROM raw_t WHERE (lower("$path") LIKE '%.csv' OR lower("$path") LIKE '%.csv.gz')`,
      ),
    ).toBe(true);
  });

  it('reads nothing when the table has no non-empty file', () => {
    // Act & Assess
    expect(athenaRawRelation(spec([]), 'csv').sql.endsWith('FROM raw_t WHERE 1 = 0')).toBe(true);
  });
});
