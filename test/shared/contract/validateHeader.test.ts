import { afterEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { pendoVisitor, sfAccount } from '../../../shared/contract/tables.ts';
import {
  firstColumnOutOfPlace,
  mapColumns,
  parseCsvHeader,
  readCsvHeader,
} from '../../../shared/contract/validateHeader.ts';
import { ContractViolationError } from '../../../shared/errors.ts';
import { pendoBase, validationHarness, writeInput } from './fixtures.ts';

const harness = validationHarness();
afterEach(() => harness.close());

const validate = (files: Record<string, string | Uint8Array>) => harness.validate(files);

describe('Function: parseCsvHeader', () => {
  it('strips a BOM and stops at CRLF', () => {
    // Act
    const parsed = parseCsvHeader('\uFEFFa,b,c\r\n1,2,3');

    // Assess
    expect(parsed).toEqual({ names: ['a', 'b', 'c'], complete: true, end: 6 });
  });

  it('reads quoted names with commas, doubled quotes and line breaks', () => {
    // Act
    const parsed = parseCsvHeader('"a,1","say ""hi""","x\ny"\nrest');

    // Assess
    expect(parsed.names).toEqual(['a,1', 'say "hi"', 'x\ny']);
  });

  it('is incomplete until the line ends, unless the text is the whole file', () => {
    // Act & Assess
    expect(parseCsvHeader('a,b').complete).toBe(false);
    expect(parseCsvHeader('a,b', true)).toEqual({ names: ['a', 'b'], complete: true, end: 3 });
    expect(parseCsvHeader('a,"b', true).complete).toBe(false);
  });
});

describe('Function: mapColumns', () => {
  it('maps Salesforce API names and lower-cased variants to the contract names', () => {
    // Act
    const { byColumn, unknown } = mapColumns(
      sfAccount,
      [
        'Id',
        ' Name ',
        'Industry',
        'NumberOfEmployees',
        'annualrevenue',
        'IsDeleted',
        'Custom_Field__c',
      ],
      'salesforce/account/a.csv',
    );

    // Assess
    expect(byColumn.id).toEqual([0]);
    expect(byColumn.name).toEqual([1]);
    expect(byColumn.number_of_employees).toEqual([3]);
    expect(byColumn.annual_revenue).toEqual([4]);
    expect(byColumn.is_deleted).toEqual([5]);
    expect(byColumn.website).toEqual([]);
    expect(unknown).toEqual([{ name: 'custom_field__c', index: 6 }]);
  });

  it('lists the snake_case column before its API-name twin when a file has both', () => {
    // Act
    const { byColumn } = mapColumns(
      sfAccount,
      ['id', 'name', 'industry', 'NumberOfEmployees', 'number_of_employees', 'annual_revenue'],
      'f.csv',
    );

    // Assess
    expect(byColumn.number_of_employees).toEqual([4, 3]);
  });

  it('throws naming table, file, column and the header row when a required column is missing', () => {
    // Act & Assess
    expect(() =>
      mapColumns(pendoVisitor, ['visitor_id', 'source_relation'], 'pendo/pendo__visitor/x.csv'),
    ).toThrow(
      new ContractViolationError(
        'pendo/pendo__visitor: file pendo/pendo__visitor/x.csv row 1 (header): required column "account_id" is missing',
      ),
    );
  });

  it('ignores extra columns named like the columns validation adds', () => {
    // Act
    const { unknown } = mapColumns(
      pendoVisitor,
      ['visitor_id', 'account_id', '_row', '_file', '', 'x'],
      'f.csv',
    );

    // Assess
    expect(unknown.map((u) => u.name)).toEqual(['x']);
  });
});

describe('Function: readCsvHeader', () => {
  it('reads only the header of a BOM + CRLF file', async () => {
    // Prepare
    const dir = await writeInput({ 'a.csv': '\uFEFFId,Name\r\n1,x\r\n' });
    harness.track(dir);

    // Act
    const names = await readCsvHeader(new FolderStore(dir), 'a.csv');

    // Assess
    expect(names).toEqual(['Id', 'Name']);
  });

  it('throws naming the file when it holds binary content', async () => {
    // Prepare
    const dir = await writeInput({
      'bad.csv': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x0a]),
    });
    harness.track(dir);

    // Act & Assess
    await expect(readCsvHeader(new FolderStore(dir), 'bad.csv')).rejects.toThrow(
      'file bad.csv is not readable as CSV (binary content)',
    );
  });
});

describe('Function: validateInputs (headers and unreadable files)', () => {
  it('stops with a message naming table, file, column and row 1 when a required column is missing', async () => {
    // Prepare
    const files = pendoBase();
    const [header, ...rows] = files['pendo/pendo__account/part-1.csv'].split('\n');
    const cols = header.split(',');
    const drop = cols.indexOf('sum_minutes');
    const cut = (line: string) =>
      line
        .split(',')
        .filter((_, i) => i !== drop)
        .join(',');
    files['pendo/pendo__account/part-1.csv'] = [cut(header), ...rows.map(cut)].join('\n');

    // Act & Assess
    const run = validate(files);
    await expect(run).rejects.toBeInstanceOf(ContractViolationError);
    await expect(run).rejects.toThrow(
      'pendo/pendo__account: file pendo/pendo__account/part-1.csv row 1 (header): required column "sum_minutes" is missing',
    );
  });

  it('accepts a Salesforce header in API-name case', async () => {
    // Prepare
    const files = {
      'salesforce/account/a.csv':
        'Id,Name,Industry,NumberOfEmployees,AnnualRevenue\n001A,Acme,Tech,250,1000.5\n',
    };

    // Act
    const { engine: db } = await validate(files);

    // Assess
    expect(
      await db.query('SELECT id, number_of_employees, annual_revenue FROM salesforce__account'),
    ).toEqual([{ id: '001A', number_of_employees: 250, annual_revenue: 1000.5 }]);
  });

  it('reads a BOM + CRLF file with the last column typed cleanly', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__feature/part-1.csv'] =
      '\uFEFFsource_relation,feature_id,is_core_event\r\ndb.pendo,F1,true\r\ndb.pendo,F2,no\r\n';

    // Act
    const { engine: db, report } = await validate(files);

    // Assess
    expect(report.tables['pendo/pendo__feature'].rows_quarantined).toBe(0);
    expect(
      await db.query(
        'SELECT source_relation, feature_id, is_core_event FROM pendo__feature ORDER BY 2',
      ),
    ).toEqual([
      { source_relation: 'db.pendo', feature_id: 'F1', is_core_event: true },
      { source_relation: 'db.pendo', feature_id: 'F2', is_core_event: false },
    ]);
  });

  it('skips a 0-byte file and counts it', async () => {
    // Prepare
    const files = { ...pendoBase(), 'pendo/pendo__visitor/part-0.csv': '' };

    // Act
    const { report } = await validate(files);

    // Assess
    expect(report.tables['pendo/pendo__visitor']).toMatchObject({ empty_files: 1, rows_read: 2 });
    expect(report.tables['pendo/pendo__visitor'].files.map((f) => [f.key, f.rows])).toEqual([
      ['pendo/pendo__visitor/part-0.csv', 0],
      ['pendo/pendo__visitor/part-1.csv', 2],
    ]);
  });

  it('stops naming the file when a .csv holds binary garbage', async () => {
    // Prepare
    const files: Record<string, string | Uint8Array> = {
      ...pendoBase(),
      'pendo/pendo__feature/part-2.csv': new Uint8Array([
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0xc3, 0x28,
      ]),
    };

    // Act & Assess
    await expect(validate(files)).rejects.toThrow(
      'file pendo/pendo__feature/part-2.csv is not readable as CSV',
    );
  });

  it('stops naming the file when a .parquet cannot be opened', async () => {
    // Prepare
    const files = { ...pendoBase(), 'pendo/pendo__feature/part-2.parquet': 'not parquet at all' };

    // Act & Assess
    await expect(validate(files)).rejects.toThrow(
      'file pendo/pendo__feature/part-2.parquet is not readable as Parquet',
    );
  });

  it('quarantines a CSV row with more fields than the header and reads the others', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__visitor/part-2.csv'] = 'visitor_id,account_id\nv3,A1\nv4,A1,extra\n';

    // Act
    const { report } = await validate(files);

    // Assess
    expect(report.tables['pendo/pendo__visitor']).toMatchObject({
      rows_read: 4,
      rows_valid: 3,
      rows_quarantined: 1,
      quarantined_by_reason: { 'too many fields': 1 },
    });
  });
});

describe('Function: firstColumnOutOfPlace', () => {
  const contract = ['source_relation', 'visitor_id', 'account_id'];

  it('is null for the contract order, with trailing columns left out or extras after', () => {
    // Prepare
    const short = {
      key: 'a.csv',
      format: 'csv' as const,
      width: 2,
      columns: { source_relation: ['c0'], visitor_id: ['c1'], account_id: [] },
    };
    const extra = {
      key: 'b.csv',
      format: 'csv' as const,
      width: 4,
      columns: { source_relation: ['c0'], visitor_id: ['c1'], account_id: ['c2'], region: ['c3'] },
    };

    // Act & Assess
    expect(firstColumnOutOfPlace(contract, short)).toBeNull();
    expect(firstColumnOutOfPlace(contract, extra)).toBeNull();
  });

  it('reports an extra column standing where a left-out contract column belongs', () => {
    // Prepare: a positional reader would read region as account_id
    const layout = {
      key: 'c.csv',
      format: 'csv' as const,
      width: 3,
      columns: { source_relation: ['c0'], visitor_id: ['c1'], account_id: [], region: ['c2'] },
      header: ['source_relation', 'visitor_id', 'Region'],
    };

    // Act & Assess
    expect(firstColumnOutOfPlace(contract, layout)).toEqual({
      column: 'account_id',
      position: 3,
      found: 'Region',
    });
  });

  it('names the first contract column whose position differs and what the header has there', () => {
    // Prepare
    const layout = {
      key: 'k.csv',
      format: 'csv' as const,
      width: 3,
      columns: { source_relation: ['c0'], visitor_id: ['c2'], account_id: ['c1'] },
      header: ['source_relation', 'AccountId', 'visitor_id'],
    };

    // Act & Assess
    expect(firstColumnOutOfPlace(contract, layout)).toEqual({
      column: 'visitor_id',
      position: 2,
      found: 'AccountId',
    });
  });

  it('names a Parquet column held only under another name', () => {
    // Prepare
    const layout = {
      key: 'k.parquet',
      format: 'parquet' as const,
      width: 2,
      columns: { source_relation: ['Source_Relation'], visitor_id: ['VisitorId'], account_id: [] },
    };

    // Act & Assess
    expect(firstColumnOutOfPlace(contract, layout)).toEqual({
      column: 'visitor_id',
      position: null,
      found: 'VisitorId',
    });
  });
});
