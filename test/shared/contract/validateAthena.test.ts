import { createHash } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CopyObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../shared/adapters/aws/athenaEngine.ts';
import { NO_ROW_NUMBERS_NOTE } from '../../../shared/adapters/aws/athenaRawRelation.ts';
import { S3Store } from '../../../shared/adapters/aws/s3Store.ts';
import { TABLES, type TableDef } from '../../../shared/contract/tables.ts';
import { validateInputs } from '../../../shared/contract/validate.ts';
import { ContractViolationError } from '../../../shared/errors.ts';
import { s3Body } from '../../helpers/s3Body.ts';

const athenaMock = mockClient(AthenaClient);
const s3Mock = mockClient(S3Client);

const pendo = (name: string): TableDef => {
  const t = TABLES.find((x) => x.source === 'pendo' && x.name === name);
  if (!t) throw new Error(name);
  return t;
};

/** A CSV with the full contract header in contract order and `rows` rows of placeholder values. */
const contractCsv = (name: string, rows: number): string => {
  const cols = pendo(name).columns.map((c) => c.name);
  const lines = [cols.join(',')];
  for (let r = 0; r < rows; r++) lines.push(cols.map((_, i) => `v${r}${i}`).join(','));
  return `${lines.join('\n')}\n`;
};

/** The four non-optional Pendo tables, each one CSV of two rows, keyed relative to the input root. */
const exportFiles = (): Record<string, string> => ({
  'pendo/pendo__account/part-1.csv': contractCsv('pendo__account', 2),
  'pendo/pendo__visitor/part-1.csv': contractCsv('pendo__visitor', 2),
  'pendo/pendo__feature/part-1.csv': contractCsv('pendo__feature', 2),
  'pendo/pendo__visitor_feature/part-1.csv': contractCsv('pendo__visitor_feature', 2),
});

interface Result {
  readonly columns: [string, string][];
  readonly csv: string;
}

/** What the mocked Athena answers to each query validation reads (by the SQL's shape). */
function resultFor(sql: string): Result {
  if (sql.includes('HAVING count(*) > 1')) {
    // pendo__visitor has a repeated key: the validated table is rebuilt with the key check
    const n = sql.includes('validated_pendo__visitor ') ? 1 : 0;
    return { columns: [['n', 'bigint']], csv: `"n"\n"${n}"\n` };
  }
  if (sql.startsWith('SELECT _file, _categories, count(*) AS rows_read')) {
    const table = /validated_(\w+)/.exec(sql)?.[1] ?? '';
    const file = `"pendo/${table}/part-1.csv"`;
    const rows =
      table === 'pendo__account'
        ? `${file},,"1","1","0","0"\n${file},"out of range","1","0","1","0"\n`
        : `${file},,"2","2","0","0"\n`;
    return {
      columns: [
        ['_file', 'varchar'],
        ['_categories', 'varchar'],
        ['rows_read', 'bigint'],
        ['rows_valid', 'bigint'],
        ['rows_quarantined', 'bigint'],
        ['deleted_rows', 'bigint'],
      ],
      csv: `"_file","_categories","rows_read","rows_valid","rows_quarantined","deleted_rows"\n${rows}`,
    };
  }
  if (sql.includes('AS visitor_feature_visitors_not_in_visitor')) {
    const keys = [
      'visitor_feature_visitors_not_in_visitor',
      'visitor_feature_features_not_in_feature',
      'pendo_accounts_without_crm_link',
    ];
    return {
      columns: keys.map((k) => [k, 'bigint']),
      csv: `${keys.map((k) => `"${k}"`).join(',')}\n"0","3","2"\n`,
    };
  }
  if (sql.includes('CAST(NULL AS bigint) AS _row')) {
    return { columns: [], csv: QUARANTINE_RESULT };
  }
  return { columns: [], csv: '' };
}

const QUARANTINE_RESULT =
  '"source_relation","account_id","_file","_row","_reason"\n' +
  '"v10","v11","pendo/pendo__account/part-1.csv",,"min_nps_rating: 11 outside 0..10"\n';

/** Mocks S3 (exports, result files, the copied quarantine file) and Athena; returns the SQL sent, in order. */
function mockAws(files: Record<string, string>): string[] {
  const sent: string[] = [];
  athenaMock.on(StartQueryExecutionCommand).callsFake((input) => {
    sent.push(input.QueryString);
    return { QueryExecutionId: `q${sent.length - 1}` };
  });
  athenaMock.on(GetQueryExecutionCommand).callsFake((input) => ({
    QueryExecution: {
      QueryExecutionId: input.QueryExecutionId,
      Status: { State: 'SUCCEEDED' },
      ResultConfiguration: {
        OutputLocation: `s3://athena-results/results/${input.QueryExecutionId}.csv`,
      },
    },
  }));
  const sqlOf = (id: string): string => sent[Number(id.slice(1))];
  athenaMock.on(GetQueryResultsCommand).callsFake((input) => ({
    ResultSet: {
      ResultSetMetadata: {
        ColumnInfo: resultFor(sqlOf(input.QueryExecutionId)).columns.map(([Name, Type]) => ({
          Name,
          Type,
        })),
      },
    },
  }));
  s3Mock.on(ListObjectsV2Command).resolves({
    Contents: Object.entries(files).map(([k, v]) => ({ Key: `in/${k}`, Size: v.length })),
  });
  s3Mock.on(CopyObjectCommand).resolves({});
  s3Mock.on(GetObjectCommand).callsFake((input) => {
    if (input.Bucket === 'athena-results') {
      const id = /results\/(q\d+)\.csv$/.exec(input.Key)?.[1] ?? '';
      return { Body: s3Body(resultFor(sqlOf(id)).csv) };
    }
    if (input.Bucket === 'results') return { Body: s3Body(QUARANTINE_RESULT) };
    return { Body: s3Body(files[input.Key.slice('in/'.length)]) };
  });
  return sent;
}

function ports() {
  const s3 = new S3Client({ region: 'eu-west-1' });
  return {
    input: new S3Store(s3, 'exports', 'in/'),
    run: new S3Store(s3, 'results', 'runs/2024-02-01/'),
    engine: new AthenaEngine({
      athena: new AthenaClient({ region: 'eu-west-1' }),
      s3,
      workGroup: 'cvs',
      database: 'cvs',
      scratchLocation: 's3://athena-results/scratch/',
      sleep: async () => {},
    }),
  };
}

describe('Function: validateInputs (Athena engine)', () => {
  beforeEach(() => {
    athenaMock.reset();
    s3Mock.reset();
  });
  afterEach(() => {
    athenaMock.reset();
    s3Mock.reset();
  });

  it('reads the raw_<view> Glue tables once into validated tables by CTAS and creates the clean views', async () => {
    // Prepare
    const files = exportFiles();
    const sent = mockAws(files);

    // Act
    await validateInputs({
      ...ports(),
      asOf: '2024-02-01',
      linkColumn: 'agent_salesforceaccountid',
    });

    // Assess: no DuckDB reader, no temporary copy of the files, one CTAS over the files per table
    expect(sent.filter((q) => /read_csv|read_parquet|ORDINALITY|rejects/i.test(q))).toEqual([]);
    expect(sent.filter((q) => /CREATE OR REPLACE TABLE|TEMP TABLE|text_/i.test(q))).toEqual([]);
    const account = sent.filter((q) => q.includes('pendo__account'));
    const ctas = account.filter((q) => q.startsWith('CREATE TABLE validated_pendo__account '));
    expect(ctas).toHaveLength(1);
    expect(ctas[0]).toMatch(
      /^CREATE TABLE validated_pendo__account WITH \(format = 'PARQUET', write_compression = 'SNAPPY'\) AS WITH cvs_n AS/,
    );
    expect(ctas[0]).toContain(
      `FROM (SELECT CAST("source_relation" AS varchar) AS "source_relation", `,
    );
    expect(ctas[0]).toContain(
      `substr("$path", ${'s3://exports/in/'.length + 1}) AS _file, row_number() OVER (PARTITION BY "$path") AS _row ` +
        `FROM raw_pendo__account WHERE "$path" IN ('s3://exports/in/pendo/pendo__account/part-1.csv')) cvs_raw`,
    );
    expect(account).toContain(
      `CREATE OR REPLACE VIEW pendo__account AS SELECT ${pendo('pendo__account')
        .columns.map((c) => `"${c.name}"`)
        .join(', ')} FROM validated_pendo__account WHERE _reason IS NULL AND NOT _deleted`,
    );
    for (const view of ['pendo__visitor', 'pendo__feature', 'pendo__visitor_feature']) {
      expect(sent.some((q) => q.startsWith(`CREATE OR REPLACE VIEW ${view} AS SELECT`))).toBe(true);
    }
    // the repeated visitor key: the validated table is not rebuilt; the later rows of the key are listed apart
    expect(sent.filter((q) => q.startsWith('CREATE TABLE validated_pendo__visitor '))).toHaveLength(
      1,
    );
    const dups = sent.filter((q) => q.startsWith('CREATE TABLE duplicates_pendo__visitor '));
    expect(dups).toHaveLength(1);
    expect(dups[0]).toContain(
      'row_number() OVER (PARTITION BY v."source_relation", v."visitor_id"',
    );
    expect(sent.find((q) => q.startsWith('CREATE OR REPLACE VIEW pendo__visitor '))).toContain(
      'AND NOT EXISTS (SELECT 1 FROM duplicates_pendo__visitor cvs_d',
    );
    expect(sent.some((q) => q.startsWith('CREATE TABLE duplicates_pendo__account '))).toBe(false);
  });

  it('builds the data-quality report from the query results and exports quarantined rows with _row empty', async () => {
    // Prepare
    const files = exportFiles();
    const sent = mockAws(files);

    // Act
    const report = await validateInputs({
      ...ports(),
      asOf: '2024-02-01',
      linkColumn: 'agent_salesforceaccountid',
    });

    // Assess
    const sha = createHash('sha256').update(files['pendo/pendo__account/part-1.csv']).digest('hex');
    expect(report.tables['pendo/pendo__account']).toMatchObject({
      present: true,
      rows_read: 2,
      rows_valid: 1,
      rows_quarantined: 1,
      quarantined_by_reason: { 'out of range': 1 },
      quarantine_key: 'quarantine/pendo__account.csv',
      files: [{ key: 'pendo/pendo__account/part-1.csv', rows: 2, sha256: sha }],
    });
    expect(report.tables['pendo/pendo__visitor']).toMatchObject({
      rows_read: 2,
      rows_valid: 2,
      rows_quarantined: 0,
      quarantine_key: null,
    });
    expect(report.cross_table).toEqual({
      visitor_feature_visitors_not_in_visitor: 0,
      visitor_feature_features_not_in_feature: 3,
      pendo_accounts_without_crm_link: 2,
    });
    expect(report.notes.filter((n) => n === NO_ROW_NUMBERS_NOTE)).toHaveLength(1);
    const exported = sent.find((q) => q.includes('CAST(NULL AS bigint) AS _row'));
    expect(exported).toContain('FROM validated_pendo__account q WHERE q._reason IS NOT NULL');
    expect(s3Mock.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({
        Bucket: 'results',
        Key: 'runs/2024-02-01/quarantine/pendo__account.csv',
        CopySource: `athena-results/results/q${sent.indexOf(exported ?? '')}.csv`,
      }),
    ]);
  });

  it('stops naming table, file and the first column out of place when a CSV header is not in contract order', async () => {
    // Prepare
    const files = exportFiles();
    const cols = pendo('pendo__visitor').columns.map((c) => c.name);
    const swapped = [cols[1], cols[0], ...cols.slice(2)];
    files['pendo/pendo__visitor/part-1.csv'] = `${swapped.join(',')}\nx,y\n`;
    const sent = mockAws(files);

    // Act
    const err = await validateInputs({
      ...ports(),
      asOf: '2024-02-01',
      linkColumn: 'agent_salesforceaccountid',
    }).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(ContractViolationError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^pendo/pendo__visitor: file pendo/pendo__visitor/part-1\\.csv row 1 \\(header\\): column "${cols[0]}" ` +
          `is out of place: the contract has it at position 1, the header has "${cols[1]}" there\\. ` +
          'Athena reads CSV columns by position \\(Glue table raw_pendo__visitor\\)',
      ),
    );
    expect(sent.some((q) => q.includes('text_pendo__visitor'))).toBe(false);
  });
});
