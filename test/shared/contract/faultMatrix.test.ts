import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import type { DataQualityReport } from '../../../shared/contract/dataQuality.ts';
import { validateInputs } from '../../../shared/contract/validate.ts';
import { ContractViolationError } from '../../../shared/errors.ts';
import { cleanup, hashTree, pendoBase, tempDir, writeInput } from './fixtures.ts';

/**
 * The fault matrix: one small export per kind of damage, made here, validated with one DuckDB instance; each with its
 * expected outcome (quarantined with a reason, counted, or a stop naming table, file, column and row) and the input
 * folder byte-identical afterwards.
 */

let engine: DuckDbEngine;
const dirs: string[] = [];
beforeAll(async () => {
  engine = await DuckDbEngine.open({ threads: 2 });
});
afterAll(async () => {
  await engine.close();
  await cleanup(dirs);
});

const VISITOR = 'pendo/pendo__visitor/part-1.csv';
const ACCOUNT = 'pendo/pendo__account/part-1.csv';
const ACCOUNT_HEADER = pendoBase()[ACCOUNT].split('\n')[0];

/** A pendo__account data line with the base values, some replaced. */
const accountRow = (id: string, over: Record<string, string> = {}): string => {
  const base: Record<string, string> = {
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
    .map((c) => base[c])
    .join(',');
};

/** pendo__account with A1, A2 and the given extra lines. */
const accounts = (...lines: string[]): string =>
  [ACCOUNT_HEADER, accountRow('A1'), accountRow('A2'), ...lines].join('\n');

interface Outcome {
  readonly report: DataQualityReport | null;
  readonly error: Error | null;
  readonly runDir: string;
  readonly inputDir: string;
}

/**
 * Writes the files (and then lets `prepare` add what plain writes cannot: links, Parquet), validates, and checks the
 * input folder is byte-identical after the run, whatever the outcome.
 */
async function run(
  files: Record<string, string | Uint8Array>,
  prepare?: (inputDir: string) => Promise<void>,
): Promise<Outcome> {
  const inputDir = await writeInput(files);
  const runDir = await tempDir();
  dirs.push(inputDir, runDir);
  if (prepare) await prepare(inputDir);
  const before = await hashTree(inputDir);
  let report: DataQualityReport | null = null;
  let error: Error | null = null;
  try {
    report = await validateInputs({
      input: new FolderStore(inputDir),
      engine,
      run: new FolderStore(runDir),
      asOf: '2024-02-01',
      linkColumn: 'agent_salesforceaccountid',
    });
  } catch (err) {
    error = err as Error;
  }
  expect(await hashTree(inputDir)).toEqual(before);
  return { report, error, runDir, inputDir };
}

/** The rows of a quarantine file of the run. */
async function quarantine(runDir: string, view: string): Promise<Record<string, string>[]> {
  return parse(await readFile(join(runDir, 'quarantine', `${view}.csv`)), { columns: true });
}

/** Runs an export with one damaged pendo__account file and returns its table report and quarantine rows. */
async function damagedAccount(body: string | Uint8Array) {
  const out = await run({ ...pendoBase(), [ACCOUNT]: body });
  expect(out.error).toBeNull();
  const table = out.report?.tables['pendo/pendo__account'];
  const rows = table?.rows_quarantined ? await quarantine(out.runDir, 'pendo__account') : [];
  const clean = await engine.query('SELECT account_id FROM pendo__account ORDER BY account_id');
  return { table, rows, clean: clean.map((r) => r.account_id), report: out.report };
}

describe('Fault matrix: malformed records are quarantined with file, row, reason and raw text', () => {
  it('short row', async () => {
    const { table, rows, clean } = await damagedAccount(accounts('db.pendo,A3,,1,5'));
    expect(table).toMatchObject({
      rows_read: 3,
      rows_valid: 2,
      quarantined_by_reason: { 'too few fields': 1 },
    });
    expect(rows).toEqual([
      expect.objectContaining({
        _file: ACCOUNT,
        _row: '4',
        _reason: expect.stringMatching(/^too few fields: /),
        _raw: 'db.pendo,A3,,1,5',
      }),
    ]);
    expect(clean).toEqual(['A1', 'A2']);
  });

  it('long row', async () => {
    const { table, rows } = await damagedAccount(
      [ACCOUNT_HEADER, `${accountRow('A0')},extra`, accountRow('A1'), accountRow('A2')].join('\n'),
    );
    expect(table?.quarantined_by_reason).toEqual({ 'too many fields': 1 });
    expect(rows.map((r) => [r._row, r._raw])).toEqual([['2', `${accountRow('A0')},extra`]]);
  });

  it('unterminated quote', async () => {
    const { table, rows, clean } = await damagedAccount(
      accounts(accountRow('A3').replace('A3', '"A3')),
    );
    expect(table?.quarantined_by_reason).toEqual({ 'unterminated quote': 1 });
    expect(rows[0]).toMatchObject({ _row: '4', _raw: expect.stringContaining('"A3') });
    expect(clean).toEqual(['A1', 'A2']);
  });

  it('invalid UTF-8', async () => {
    const bad = Buffer.concat([
      Buffer.from(`${accounts()}\n${accountRow('A3').replace('A3', 'A')}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`\n${accountRow('A4')}\n`),
    ]);
    // the bytes land inside the account_id field: "A\xff\xfe" followed by the line end
    const { table, rows, clean } = await damagedAccount(bad);
    expect(table?.quarantined_by_reason).toMatchObject({ 'invalid UTF-8': 1 });
    expect(rows.map((r) => r._row)).toEqual(['4']);
    expect(clean).toEqual(['A1', 'A2', 'A4']);
  });

  it('NUL byte in a value', async () => {
    const { table, rows, clean } = await damagedAccount(
      accounts(accountRow('A3', { agent_salesforceaccountid: '00\u00001A' })),
    );
    expect(table?.quarantined_by_reason).toEqual({ 'NUL byte': 1 });
    expect(rows[0]).toMatchObject({
      _row: '4',
      _reason: 'agent_salesforceaccountid: NUL byte',
    });
    expect(clean).toEqual(['A1', 'A2']);
  });

  it('numbers the valid rows after rejected records by their place in the file', async () => {
    const { rows } = await damagedAccount(
      accounts('short,row', accountRow('A3', { sum_minutes: '-1' }), 'x', accountRow('A4')),
    );
    expect(rows.map((r) => [r._row, r._reason.split(':')[0]])).toEqual([
      ['4', 'too few fields'],
      ['5', 'sum_minutes'],
      ['6', 'too few fields'],
    ]);
  });

  it('a file whose every record is malformed stops the run naming table, file and cause', async () => {
    const out = await run({
      ...pendoBase(),
      'pendo/pendo__visitor/part-2.csv': 'source_relation,visitor_id,account_id\na;b;c\nd;e;f\n',
    });
    expect(out.error).toBeInstanceOf(ContractViolationError);
    expect(out.error?.message).toBe(
      'pendo/pendo__visitor: file pendo/pendo__visitor/part-2.csv has no readable record: all 2 records ' +
        'were rejected (first: row 2, too few fields: Expected Number of Columns: 3 Found: 1)',
    );
  });
});

describe('Fault matrix: shapes that are read as they are', () => {
  it('BOM', async () => {
    const { table } = await damagedAccount(`\uFEFF${accounts()}`);
    expect(table).toMatchObject({ rows_read: 2, rows_valid: 2, rows_quarantined: 0 });
  });

  it('CRLF line ends', async () => {
    const { table } = await damagedAccount(`${accounts().replaceAll('\n', '\r\n')}\r\n`);
    expect(table).toMatchObject({ rows_read: 2, rows_valid: 2, rows_quarantined: 0 });
    const [row] = await engine.query(
      "SELECT last_event_on FROM pendo__account WHERE account_id = 'A1'",
    );
    expect(row.last_event_on).toBe('2024-01-01');
  });

  it('empty file: counted and skipped', async () => {
    const out = await run({ ...pendoBase(), 'pendo/pendo__visitor/part-0.csv': '' });
    expect(out.report?.tables['pendo/pendo__visitor']).toMatchObject({
      empty_files: 1,
      rows_read: 2,
    });
  });

  it('header-only file: counted with 0 rows and noted', async () => {
    const out = await run({
      ...pendoBase(),
      'pendo/pendo__visitor/part-0.csv': 'source_relation,visitor_id,account_id\n',
    });
    const t = out.report?.tables['pendo/pendo__visitor'];
    expect(t?.files.map((f) => f.rows)).toEqual([0, 2]);
    expect(out.report?.notes).toContain(
      'pendo/pendo__visitor: file pendo/pendo__visitor/part-0.csv has a header but no record',
    );
  });

  it('unknown extra column: kept as text and listed', async () => {
    const out = await run({
      ...pendoBase(),
      [VISITOR]: 'source_relation,visitor_id,account_id,Region\ndb.pendo,v1,A1,EMEA\n',
    });
    expect(out.report?.tables['pendo/pendo__visitor'].unknown_columns).toEqual(['region']);
  });

  it('a timestamp with a zone is converted to UTC before its date is taken', async () => {
    const { table, clean } = await damagedAccount(
      accounts(accountRow('A3', { last_event_on: '2024-01-31T23:30:00-05:00' })),
    );
    expect(table?.rows_quarantined).toBe(0);
    expect(clean).toContain('A3');
    const [row] = await engine.query(
      "SELECT CAST(last_event_on AS VARCHAR) AS d FROM pendo__account WHERE account_id = 'A3'",
    );
    expect(row.d).toBe('2024-02-01');
  });
});

describe('Fault matrix: bad values are quarantined with their reason and counted', () => {
  it('duplicate key', async () => {
    const { table, rows } = await damagedAccount(accounts(accountRow('A1')));
    expect(table?.quarantined_by_reason).toEqual({ 'duplicate key': 1 });
    expect(rows[0]).toMatchObject({
      _row: '4',
      _reason: 'duplicate key (source_relation, account_id) = (db.pendo, A1)',
    });
  });

  it('negative count', async () => {
    const { rows } = await damagedAccount(accounts(accountRow('A3', { sum_events: '-3' })));
    expect(rows[0]).toMatchObject({
      _row: '4',
      _reason: 'sum_events: -3 below 0',
      sum_events: '-3',
    });
  });

  it('NPS 11', async () => {
    const { rows } = await damagedAccount(accounts(accountRow('A3', { max_nps_rating: '11' })));
    expect(rows[0]._reason).toBe('max_nps_rating: 11 outside 0..10');
  });

  it('spreadsheet error text in number columns', async () => {
    const { table, rows } = await damagedAccount(
      accounts(
        accountRow('A3', { sum_minutes: '#N/A' }),
        accountRow('A4', { average_daily_minutes: '#DIV/0!' }),
      ),
    );
    expect(rows.map((r) => r._reason)).toEqual([
      "sum_minutes: not a bigint ('#N/A')",
      "average_daily_minutes: not a double ('#DIV/0!')",
    ]);
    expect(table?.quarantined_by_reason).toEqual({ 'not a bigint': 1, 'not a double': 1 });
  });

  it('currency text in an amount', async () => {
    const out = await run({
      'salesforce/account/a.csv':
        'id,name,industry,number_of_employees,annual_revenue\n001A,Acme,Tech,10,100\n',
      'salesforce/opportunity/o.csv':
        'id,account_id,amount,is_closed,is_won,forecast_category\n' +
        '006A,001A,1200,true,true,Closed\n006B,001A,"$1,200.00",false,false,Pipeline\n',
    });
    const rows = await quarantine(out.runDir, 'salesforce__opportunity');
    expect(rows).toEqual([
      expect.objectContaining({
        _row: '3',
        amount: '$1,200.00',
        _reason: "amount: not a double ('$1,200.00')",
      }),
    ]);
  });

  it('a date in another format', async () => {
    const { rows } = await damagedAccount(
      accounts(accountRow('A3', { first_event_on: '31/01/2024' })),
    );
    expect(rows[0]._reason).toBe("first_event_on: not a date ('31/01/2024')");
  });

  it('NaN and Infinity', async () => {
    const { table, rows } = await damagedAccount(
      accounts(
        accountRow('A3', { avg_nps_rating: 'NaN' }),
        accountRow('A4', { average_daily_events: 'Infinity' }),
        accountRow('A5', { sum_minutes: '-inf' }),
      ),
    );
    expect(rows.map((r) => r._reason)).toEqual([
      "avg_nps_rating: not a finite number ('NaN')",
      "average_daily_events: not a finite number ('Infinity')",
      "sum_minutes: not a finite number ('-inf')",
    ]);
    expect(table?.quarantined_by_reason).toEqual({ 'not a finite number': 3 });
  });
});

describe('Fault matrix: what is in a table folder is read or named', () => {
  it('.csv.gz part: read like CSV', async () => {
    const out = await run({
      ...pendoBase(),
      'pendo/pendo__visitor/part-2.csv.gz': gzipSync(
        'source_relation,visitor_id,account_id\ndb.pendo,v3,A1\ndb.pendo,v4,A2\n',
      ),
    });
    expect(out.report?.tables['pendo/pendo__visitor']).toMatchObject({
      rows_read: 4,
      rows_valid: 4,
    });
  });

  it('symlinked part: read; broken link: named', async () => {
    const out = await run(pendoBase(), async (dir) => {
      const target = join(dir, 'elsewhere', 'v.csv');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, 'source_relation,visitor_id,account_id\ndb.pendo,v9,A1\n');
      await symlink(target, join(dir, 'pendo', 'pendo__visitor', 'part-2.csv'));
      await symlink(join(dir, 'nowhere.csv'), join(dir, 'pendo', 'pendo__visitor', 'part-3.csv'));
    });
    const t = out.report?.tables['pendo/pendo__visitor'];
    expect(t?.rows_read).toBe(3);
    expect(t?.skipped_files).toEqual([
      { key: 'pendo/pendo__visitor/part-3.csv', reason: 'broken symbolic link' },
    ]);
  });

  it('stray file: named in data_quality.json and the notes; a table with only skipped files stops', async () => {
    const out = await run({
      ...pendoBase(),
      'pendo/pendo__visitor/notes.txt': 'x',
      'pendo/pendo__visitor/_SUCCESS': '',
      'salesforce/account/export.xlsx': 'x',
    });
    expect(out.error?.message).toBe(
      'salesforce/account/: no file of the folder can be read: salesforce/account/export.xlsx ' +
        '(not a .csv, .csv.gz, .csv.zst or .parquet file)',
    );
    const ok = await run({ ...pendoBase(), 'pendo/pendo__visitor/notes.txt': 'x' });
    expect(ok.report?.skipped_files).toEqual([
      {
        key: 'pendo/pendo__visitor/notes.txt',
        reason: 'not a .csv, .csv.gz, .csv.zst or .parquet file',
      },
    ]);
    expect(ok.report?.notes).toContain(
      'pendo/pendo__visitor: 1 file not read: pendo/pendo__visitor/notes.txt (not a .csv, .csv.gz, .csv.zst or .parquet file)',
    );
  });
});

describe('Fault matrix: schema problems stop the run, all of them listed at once', () => {
  it('missing required columns in two tables, a duplicated header column and a Parquet column of a wrong type', async () => {
    const base = pendoBase();
    const [head, ...rest] = base[ACCOUNT].split('\n');
    const dropped = head.split(',').filter((c) => c !== 'sum_minutes' && c !== 'sum_events');
    const keep = head.split(',').map((c) => dropped.includes(c));
    const out = await run(
      {
        ...base,
        [ACCOUNT]: [
          dropped.join(','),
          ...rest.map((l) =>
            l
              .split(',')
              .filter((_, i) => keep[i])
              .join(','),
          ),
        ].join('\n'),
        'pendo/pendo__visitor_feature/part-1.csv':
          'source_relation,visitor_id,feature_id,sum_clicks,count_click_events\ndb.pendo,v1,F1,5,2\n',
        [VISITOR]: 'source_relation,visitor_id,account_id,Visitor_ID\ndb.pendo,v1,A1,v1\n',
      },
      async (dir) => {
        const path = join(dir, 'pendo', 'pendo__feature', 'part-2.parquet');
        await engine.execute(
          `COPY (SELECT 'db.pendo' AS source_relation, 'F9' AS feature_id, DATE '2024-01-01' AS is_core_event) ` +
            `TO '${path}' (FORMAT parquet)`,
        );
      },
    );
    expect(out.error).toBeInstanceOf(ContractViolationError);
    const lines = out.error?.message.split('\n') ?? [];
    expect(lines[0]).toBe('4 problems in the input (all listed):');
    expect(lines.slice(1)).toEqual([
      `- pendo/pendo__account: file ${ACCOUNT} row 1 (header): required columns "sum_minutes", "sum_events" are missing`,
      `- pendo/pendo__visitor: file ${VISITOR} row 1 (header): column "visitor_id" appears 2 times (fields 2 and 4); a column must be named once`,
      '- pendo/pendo__feature: file pendo/pendo__feature/part-2.parquet: column "is_core_event" is DATE in the Parquet file; the contract wants a boolean (no value of that type is valid here)',
      '- pendo/pendo__visitor_feature: file pendo/pendo__visitor_feature/part-1.csv row 1 (header): required column "product_area_id" is missing',
    ]);
  });
});
