import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataQualityReport } from '../../../shared/contract/dataQuality.ts';
import { TABLES } from '../../../shared/contract/tables.ts';
import { viewName } from '../../../shared/contract/validationSql.ts';
import { hashTree, pendoBase, validationHarness, writeInput } from './fixtures.ts';

const ACCOUNT_HEADER = pendoBase()['pendo/pendo__account/part-1.csv'].split('\n')[0];
const accountRow = (id: string, over: Partial<Record<string, string>> = {}): string => {
  const values: Record<string, string> = {
    source_relation: 'db.pendo',
    account_id: id,
    agent_salesforceaccountid: '',
    count_associated_visitors: '1',
    min_nps_rating: '5',
    max_nps_rating: '5',
    avg_nps_rating: '5',
    count_active_visitors: '1',
    count_active_days: '1',
    count_active_months: '1',
    sum_minutes: '10',
    sum_events: '20',
    average_daily_minutes: '10',
    average_daily_events: '20',
    first_event_on: '2024-01-01',
    last_event_on: '2024-01-01',
    ...over,
  };
  return ACCOUNT_HEADER.split(',')
    .map((c) => values[c])
    .join(',');
};

const harness = validationHarness();
afterEach(() => harness.close());

/** Writes the files, runs validateInputs on them, returns the report and the run folder. */
const validate = (files: Record<string, string | Uint8Array>, asOf = '2024-02-01') =>
  harness.validate(files, { asOf });

/** The rows of a quarantine CSV written by the run. */
async function quarantine(runDir: string, view: string): Promise<Record<string, string>[]> {
  return parse(await readFile(join(runDir, 'quarantine', `${view}.csv`), 'utf8'), {
    columns: true,
  });
}

const table = (report: DataQualityReport, key: string) => report.tables[key];

describe('Function: validateInputs', () => {
  it('accepts a minimal Pendo export and notes the absent optional parts', async () => {
    // Prepare & Act
    const { report, runDir } = await validate(pendoBase());

    // Assess
    expect(report.sources).toEqual(['pendo']);
    expect(table(report, 'pendo/pendo__account')).toMatchObject({
      present: true,
      rows_read: 2,
      rows_valid: 2,
      rows_quarantined: 0,
      quarantine_key: null,
    });
    expect(table(report, 'salesforce/account').present).toBe(false);
    expect(report.notes).toContain(
      'pendo/pendo__account_daily_metrics absent: daily usage series are not available',
    );
    expect(report.notes.some((n) => n.startsWith('salesforce absent'))).toBe(true);
    await expect(readFile(join(runDir, 'quarantine', 'pendo__account.csv'))).rejects.toThrow();
  });

  it('quarantines an NPS of 11 with its reason, file and row', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-1.csv'] = [
      ACCOUNT_HEADER,
      accountRow('A1'),
      accountRow('A2', { avg_nps_rating: '11' }),
    ].join('\n');

    // Act
    const { report, runDir, engine: db } = await validate(files);

    // Assess
    const t = table(report, 'pendo/pendo__account');
    expect(t).toMatchObject({
      rows_read: 2,
      rows_valid: 1,
      rows_quarantined: 1,
      quarantined_by_reason: { 'out of range': 1 },
    });
    expect(t.quarantine_key).toBe('quarantine/pendo__account.csv');
    expect(report.notes).toContain(
      'pendo/pendo__account: 1 row quarantined, see quarantine/pendo__account.csv',
    );
    const rows = await quarantine(runDir, 'pendo__account');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      account_id: 'A2',
      avg_nps_rating: '11',
      _file: 'pendo/pendo__account/part-1.csv',
      _row: '3',
      _reason: 'avg_nps_rating: 11 outside 0..10',
    });
    expect(await db.query('SELECT account_id FROM pendo__account')).toEqual([{ account_id: 'A1' }]);
  });

  it('quarantines negative minutes and text in a bigint column, all reasons joined', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-1.csv'] = [
      ACCOUNT_HEADER,
      accountRow('A1', { sum_minutes: '-5' }),
      accountRow('A2', { sum_events: 'abc' }),
      accountRow('A3', { sum_minutes: '-1', sum_events: 'x' }),
      accountRow('A4'),
    ].join('\n');

    // Act
    const { report, runDir } = await validate(files);

    // Assess
    const rows = await quarantine(runDir, 'pendo__account');
    expect(rows.map((r) => r._reason)).toEqual([
      'sum_minutes: -5 below 0',
      "sum_events: not a bigint ('abc')",
      "sum_minutes: -1 below 0; sum_events: not a bigint ('x')",
    ]);
    expect(table(report, 'pendo/pendo__account').quarantined_by_reason).toEqual({
      'not a bigint': 2,
      'out of range': 2,
    });
  });

  it('keeps the first row of a duplicate key and quarantines the later one', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-1.csv'] = [
      ACCOUNT_HEADER,
      accountRow('A1'),
      accountRow('A2'),
      accountRow('A1'),
    ].join('\n');

    // Act
    const { report, runDir } = await validate(files);

    // Assess
    const rows = await quarantine(runDir, 'pendo__account');
    expect(rows).toHaveLength(1);
    expect(rows[0]._row).toBe('4');
    expect(rows[0]._reason).toBe('duplicate key (source_relation, account_id) = (db.pendo, A1)');
    expect(table(report, 'pendo/pendo__account').quarantined_by_reason).toEqual({
      'duplicate key': 1,
    });
  });

  it('keeps a valid duplicate over an earlier invalid row of the same key', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-1.csv'] = [
      ACCOUNT_HEADER,
      accountRow('A1', { sum_minutes: 'bad' }),
      accountRow('A1', { sum_minutes: '7' }),
    ].join('\n');

    // Act
    const { engine: db, runDir } = await validate(files);

    // Assess
    expect(await db.query('SELECT sum_minutes FROM pendo__account')).toEqual([{ sum_minutes: 7 }]);
    const rows = await quarantine(runDir, 'pendo__account');
    expect(rows[0]._reason).toBe(
      "sum_minutes: not a bigint ('bad'); duplicate key (source_relation, account_id) = (db.pendo, A1)",
    );
  });

  it('numbers rows per file, counting from the header line, in the second file of a table', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-2.csv'] = [
      ACCOUNT_HEADER,
      accountRow('B1'),
      accountRow('B2'),
      accountRow('B3', { count_active_days: 'many' }),
      accountRow('B4'),
    ].join('\n');

    // Act
    const { report, runDir } = await validate(files);

    // Assess
    const rows = await quarantine(runDir, 'pendo__account');
    expect(rows.map((r) => [r._file, r._row])).toEqual([['pendo/pendo__account/part-2.csv', '4']]);
    expect(table(report, 'pendo/pendo__account').files.map((f) => f.rows)).toEqual([2, 4]);
  });

  it('drops soft-deleted Salesforce rows, counts them and does not call them duplicates', async () => {
    // Prepare
    const files = {
      'salesforce/account/a.csv': [
        'id,name,industry,number_of_employees,annual_revenue,is_deleted,_fivetran_active',
        '001A,Acme,Tech,10,100.5,false,true',
        '001B,Beta,,20,,TRUE,true',
        '001A,Acme old,Tech,10,100.5,false,false',
        '001C,Gamma,,,,0,1',
      ].join('\n'),
    };

    // Act
    const { report, engine: db } = await validate(files);

    // Assess
    expect(table(report, 'salesforce/account')).toMatchObject({
      rows_read: 4,
      rows_valid: 2,
      rows_quarantined: 0,
      deleted_rows: 2,
    });
    expect(await db.query('SELECT id, name FROM salesforce__account ORDER BY id')).toEqual([
      { id: '001A', name: 'Acme' },
      { id: '001C', name: 'Gamma' },
    ]);
  });

  it('gives every clean view the contract types', async () => {
    // Prepare
    const files: Record<string, string> = {
      ...pendoBase(),
      'salesforce/account/a.csv':
        'id,name,industry,number_of_employees,annual_revenue\n001A,Acme,Tech,10,1.5',
    };

    // Act
    const { report, engine: db } = await validate(files);

    // Assess
    const duck: Record<string, string> = {
      varchar: 'VARCHAR',
      bigint: 'BIGINT',
      integer: 'INTEGER',
      double: 'DOUBLE',
      boolean: 'BOOLEAN',
      date: 'DATE',
      timestamp: 'TIMESTAMP',
    };
    const present = TABLES.filter((t) => report.tables[`${t.source}/${t.name}`].present);
    expect(present).toHaveLength(5);
    for (const t of present) {
      const described = await db.describe(`SELECT * FROM ${viewName(t)}`);
      expect(described).toEqual(t.columns.map((c) => ({ name: c.name, type: duck[c.type] })));
    }
  });

  it('leaves the input folder byte-identical and reports each file hash', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__account/part-1.csv'] = [
      ACCOUNT_HEADER,
      accountRow('A1', { sum_minutes: '-1' }),
    ].join('\n');
    const inputDir = await writeInput(files);
    harness.track(inputDir);
    const before = await hashTree(inputDir);

    // Act
    const { report } = await harness.validateDir(inputDir);

    // Assess
    expect(await hashTree(inputDir)).toEqual(before);
    const file = report.tables['pendo/pendo__account'].files[0];
    expect(file.sha256).toBe(before[join('pendo', 'pendo__account', 'part-1.csv')]);
  });

  it('keeps extra columns as varchar and lists them', async () => {
    // Prepare
    const files = pendoBase();
    files['pendo/pendo__visitor/part-1.csv'] =
      'visitor_id,account_id,Agent_Region\nv1,A1,EMEA\nv2,A2,';

    // Act
    const { report, engine: db } = await validate(files);

    // Assess
    expect(report.tables['pendo/pendo__visitor'].unknown_columns).toEqual(['agent_region']);
    expect(
      await db.query('SELECT visitor_id, agent_region FROM pendo__visitor ORDER BY visitor_id'),
    ).toEqual([
      { visitor_id: 'v1', agent_region: 'EMEA' },
      { visitor_id: 'v2', agent_region: null },
    ]);
  });
});
