import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CopyObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaEngine, athenaValue } from '../../../../shared/adapters/aws/athenaEngine.ts';
import { QueryFailedError } from '../../../../shared/errors.ts';
import { s3Body } from '../../../helpers/s3Body.ts';

const athenaMock = mockClient(AthenaClient);
const s3Mock = mockClient(S3Client);
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

function engine(sleeps: number[] = []) {
  return new AthenaEngine({
    athena: new AthenaClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    workGroup: 'cvs',
    database: 'cvs',
    scratchLocation: 's3://athena-results/scratch/',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const succeeded = {
  QueryExecution: {
    QueryExecutionId: 'q1',
    Status: { State: 'SUCCEEDED' as const },
    ResultConfiguration: { OutputLocation: 's3://athena-results/results/q1.csv' },
  },
};

describe('Class: AthenaEngine', () => {
  afterEach(() => {
    athenaMock.reset();
    s3Mock.reset();
  });

  it('reads rows from the result file with types from the column metadata when the query succeeds', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'RUNNING' } } })
      .resolves(succeeded);
    athenaMock.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'account_id', Type: 'varchar' },
            { Name: 'sum_minutes', Type: 'bigint' },
            { Name: 'has_crm', Type: 'boolean' },
          ],
        },
      },
    });
    s3Mock.on(GetObjectCommand).resolves({
      Body: s3Body('"account_id","sum_minutes","has_crm"\n"A1","120","true"\n"A2",,"false"\n'),
    });
    const sleeps: number[] = [];

    // Act
    const rows = await engine(sleeps).query('SELECT 1');

    // Assess
    expect(rows).toEqual([
      { account_id: 'A1', sum_minutes: 120, has_crm: true },
      { account_id: 'A2', sum_minutes: null, has_crm: false },
    ]);
    expect(sleeps).toEqual([200]); // one poll while RUNNING
    expect(athenaMock.commandCalls(GetQueryResultsCommand)[0].args[0].input.MaxResults).toBe(1);
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toMatchObject({
      WorkGroup: 'cvs',
      QueryExecutionContext: { Database: 'cvs' },
    });
  });

  it('throws QueryFailedError with the state reason when the query FAILED', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q2',
        Status: {
          State: 'FAILED',
          StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
        },
      },
    });

    // Act & Assess
    const err = await engine()
      .execute('SELECT x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as Error).message).toBe(
      "athena query q2 FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
    );
  });

  it('retries a throttled start with backoff and then succeeds', async () => {
    // Prepare
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ QueryExecutionId: 'q1' });
    athenaMock.on(GetQueryExecutionCommand).resolves(succeeded);
    const sleeps: number[] = [];

    // Act
    await engine(sleeps).execute('CREATE VIEW v AS SELECT 1');

    // Assess
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(500); // full jitter under the first ceiling
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
  });

  it('throws the throttling error when Athena stays throttled past the bound', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).rejects(throttled());

    // Act & Assess
    await expect(engine().execute('SELECT 1')).rejects.toThrow('Rate exceeded');
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(6);
  });

  it('copies the result file and counts its rows when exporting CSV', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athenaMock.on(GetQueryExecutionCommand).resolves(succeeded);
    s3Mock.on(CopyObjectCommand).resolves({});
    s3Mock.on(GetObjectCommand).resolves({ Body: s3Body('"a","b"\n"1","x\ny"\n"2","z"\n') });

    // Act
    const n = await engine().exportTo(
      'SELECT 1',
      's3://results/runs/2024-10-31/parts/features.csv',
      'csv',
    );

    // Assess
    expect(n).toBe(2); // the quoted newline does not count as a row
    expect(s3Mock.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: 'results',
      Key: 'runs/2024-10-31/parts/features.csv',
      CopySource: 'athena-results/results/q1.csv',
    });
  });
});

describe('Function: athenaValue', () => {
  it('keeps an empty quoted string and turns an unquoted empty field into NULL', () => {
    // Act & Assess
    expect(athenaValue('', true, 'varchar')).toBe('');
    expect(athenaValue('', false, 'varchar')).toBeNull();
    expect(athenaValue('2.5', true, 'double')).toBe(2.5);
    expect(athenaValue('12', true, 'decimal(10,2)')).toBe(12);
  });
});

describe('Class: AthenaEngine (validation methods)', () => {
  afterEach(() => {
    athenaMock.reset();
    s3Mock.reset();
  });

  it('replaces a table by DROP then CTAS to Parquet, and drops it', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athenaMock.on(GetQueryExecutionCommand).resolves(succeeded);
    const athena = engine();

    // Act
    await athena.createTable('validated_t', 'SELECT 1 AS x', { temporary: true });
    await athena.dropTable('validated_t');

    // Assess
    expect(
      athenaMock.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString),
    ).toEqual([
      'DROP TABLE IF EXISTS validated_t',
      "CREATE TABLE validated_t WITH (format = 'PARQUET', write_compression = 'SNAPPY') AS SELECT 1 AS x",
      'DROP TABLE IF EXISTS validated_t',
    ]);
  });

  it('reads Parquet column names from the file footer with ranged GETs, fetching a large footer whole', async () => {
    // Prepare: a fake footer of 70,000 bytes, longer than the first 64 KiB read
    const metadata = new Uint8Array(70_000);
    // FileMetaData: field 2 (delta 2, list) with 2 SchemaElements: root (5: num_children=1), leaf (4: name "id")
    metadata.set([0x29, 0x2c, 0x55, 0x02, 0x00, 0x48, 0x02, 0x69, 0x64, 0x00]);
    const file = new Uint8Array([
      ...new TextEncoder().encode('PAR1'),
      ...metadata,
      0x70,
      0x11,
      0x01,
      0x00,
      ...new TextEncoder().encode('PAR1'),
    ]);
    s3Mock.on(GetObjectCommand).callsFake((input) => {
      const n = Number(/^bytes=-(\d+)$/.exec(input.Range)?.[1]);
      const bytes = file.subarray(Math.max(0, file.length - n));
      return { Body: { transformToByteArray: async () => bytes } };
    });

    // Act
    const names = await engine().parquetColumns('s3://exports/in/pendo/t/a.parquet');

    // Assess: 0x011170 = 70,000
    expect(names).toEqual(['id']);
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'exports', Key: 'in/pendo/t/a.parquet', Range: 'bytes=-65536' },
      { Bucket: 'exports', Key: 'in/pendo/t/a.parquet', Range: 'bytes=-70008' },
    ]);
  });

  it('tells the files of its CSV Glue table apart without row numbers', () => {
    // Act
    const raw = engine().rawRelation({
      label: 'pendo/t',
      view: 't',
      contractColumns: ['id'],
      columns: ['id'],
      files: [{ key: 'pendo/t/a.csv', format: 'csv', width: 1, columns: { id: ['c0'] } }],
      locate: (k) => `s3://exports/in/${k}`,
    });

    // Assess
    expect(raw.rowNumbers).toBe(false);
    expect(raw.sql).toContain('FROM raw_t WHERE');
  });
});
