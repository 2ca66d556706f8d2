import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CopyObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { QueryFailedError } from '../../errors.ts';
import type { QueryEngine, RawRelation, RawTableSpec, Row } from '../../ports/index.ts';
import { athenaRawRelation } from './athenaRawRelation.ts';
import { type RetryOptions, sleep, withThrottleRetry } from './backoff.ts';
import { deletePrefix } from './deletePrefix.ts';
import { FOOTER_PROBE_BYTES, footerLength, parquetSchemaNames } from './parquetFooter.ts';
import { parseS3Uri } from './s3Store.ts';

/** Where and how the engine runs queries. */
export interface AthenaEngineOptions {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  /** Workgroup with the result location and the bytes-scanned cut-off. */
  readonly workGroup: string;
  /** Glue database the contract views and tables live in. */
  readonly database: string;
  /** s3:// folder for temporary tables (csvToParquet), e.g. `s3://athena-results/scratch/`. */
  readonly scratchLocation: string;
  /** Format the Glue tables `raw_<view>` read (the stack's exportFormat). @default 'csv' */
  readonly rawFormat?: 'csv' | 'parquet';
  /** First poll delay, ms. @default 200 */
  readonly pollInitialMs?: number;
  /** Longest poll delay, ms. @default 5000 */
  readonly pollMaxMs?: number;
  /** Give up (and cancel the query) after this long, ms. @default 840000 (14 min, inside a Lambda's 15) */
  readonly timeoutMs?: number;
  /** Attempts for a throttled Athena call. @default 6 */
  readonly maxThrottleAttempts?: number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|float|double|decimal)/;

/** Converts one Athena CSV field to a JS value by its column type; an unquoted empty field is NULL. */
export function athenaValue(raw: string, quoted: boolean, type: string): Row[string] {
  if (!quoted && raw === '') return null;
  if (NUMERIC.test(type)) return raw === '' ? null : Number(raw);
  if (type === 'boolean') return raw === 'true';
  return raw;
}

/** The query engine in AWS: Athena in a workgroup; results are read from the result file in S3. */
export class AthenaEngine implements QueryEngine {
  private readonly retry: RetryOptions;

  constructor(private readonly o: AthenaEngineOptions) {
    this.retry = {
      maxAttempts: o.maxThrottleAttempts ?? 6,
      baseDelayMs: 500,
      maxDelayMs: 10_000,
      sleep: o.sleep ?? sleep,
    };
  }

  /** Starts a query and waits for it; throws QueryFailedError when it fails, is cancelled or times out. */
  async run(sql: string): Promise<QueryExecution> {
    const { athena } = this.o;
    const started = await withThrottleRetry(
      () =>
        athena.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            WorkGroup: this.o.workGroup,
            QueryExecutionContext: { Database: this.o.database },
          }),
        ),
      this.retry,
    );
    const id = started.QueryExecutionId;
    if (!id) throw new QueryFailedError('athena returned no query execution id');
    const wait = this.o.sleep ?? sleep;
    const deadline = Date.now() + (this.o.timeoutMs ?? 840_000);
    let delay = this.o.pollInitialMs ?? 200;
    for (;;) {
      const res = await withThrottleRetry(
        () => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
        this.retry,
      );
      const exec = res.QueryExecution ?? {};
      const state = exec.Status?.State;
      if (state === 'SUCCEEDED') return exec;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = exec.Status?.StateChangeReason ?? exec.Status?.AthenaError?.ErrorMessage;
        throw new QueryFailedError(`athena query ${id} ${state}: ${reason ?? 'no reason given'}`);
      }
      if (Date.now() > deadline) {
        await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        throw new QueryFailedError(`athena query ${id} timed out after ${this.o.timeoutMs} ms`);
      }
      await wait(delay);
      delay = Math.min(this.o.pollMaxMs ?? 5000, Math.ceil(delay * 1.5));
    }
  }

  /** Column metadata (and the UNLOAD / CTAS row count) of a finished query: one call, never paging rows. */
  private async metadata(id: string) {
    const res = await withThrottleRetry(
      () => this.o.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 })),
      this.retry,
    );
    const columns = (res.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
      name: c.Name ?? '',
      type: (c.Type ?? 'varchar').toLowerCase(),
    }));
    return { columns, updateCount: res.UpdateCount ?? 0 };
  }

  private async resultText(exec: QueryExecution): Promise<string> {
    const uri = exec.ResultConfiguration?.OutputLocation;
    if (!uri)
      throw new QueryFailedError(`athena query ${exec.QueryExecutionId} has no result file`);
    const { bucket, key } = parseS3Uri(uri);
    const res = await this.o.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToString('utf-8')) ?? '';
  }

  async execute(sql: string): Promise<void> {
    await this.run(sql);
  }

  async query(sql: string): Promise<Row[]> {
    const exec = await this.run(sql);
    const { columns } = await this.metadata(exec.QueryExecutionId ?? '');
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const text = await this.resultText(exec);
    return parseSync(text, {
      columns: true,
      cast: (value, ctx) =>
        ctx.header ? value : athenaValue(value, ctx.quoting, types.get(String(ctx.column)) ?? ''),
    }) as Row[];
  }

  /** `raw_<view>` (the Glue table over the export folder) limited to the spec's files; see athenaRawRelation.ts. */
  rawRelation(spec: RawTableSpec): RawRelation {
    return athenaRawRelation(spec, this.o.rawFormat ?? 'csv');
  }

  /** Reads the Parquet footer with ranged GETs (the last 64 KiB, then the whole footer when it is larger). */
  async parquetColumns(location: string): Promise<string[]> {
    const { bucket, key } = parseS3Uri(location);
    const tail = async (bytes: number): Promise<Uint8Array> => {
      const res = await this.o.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=-${bytes}` }),
      );
      return (await res.Body?.transformToByteArray()) ?? new Uint8Array(0);
    };
    let bytes = await tail(FOOTER_PROBE_BYTES);
    const length = footerLength(bytes);
    if (length + 8 > bytes.length) {
      if (bytes.length < FOOTER_PROBE_BYTES)
        throw new Error('not a Parquet file (footer longer than the file)');
      bytes = await tail(length + 8);
    }
    return parquetSchemaNames(bytes.subarray(bytes.length - 8 - length, bytes.length - 8));
  }

  /**
   * `DROP TABLE IF EXISTS` then CTAS to Parquet (Snappy). The workgroup enforces its result location, so Athena
   * writes the data under `<results>/tables/<query id>/`, which the results bucket's lifecycle expires. Athena has no
   * temporary tables: `temporary` changes nothing here; dropTable removes the table when it is no longer needed.
   */
  async createTable(name: string, sql: string, _options?: { temporary?: boolean }): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS ${name}`);
    await this.run(
      `CREATE TABLE ${name} WITH (format = 'PARQUET', write_compression = 'SNAPPY') AS ${sql}`,
    );
  }

  /** A Parquet CTAS table, as createTable (Athena's tables keep the order of no query; `_row` is not renumbered). */
  async storeRows(name: string, sql: string): Promise<void> {
    await this.createTable(name, sql);
  }

  /** `DROP TABLE IF EXISTS`: the catalog entry goes; the data files expire with the results bucket's lifecycle. */
  async dropTable(name: string): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS ${name}`);
  }
  /** `CREATE OR REPLACE VIEW view AS sql`: the tables it reads are Parquet CTAS results already, kept until expiry. */
  async storeView(view: string, sql: string, _release: readonly string[]): Promise<void> {
    await this.execute(`CREATE OR REPLACE VIEW ${view} AS ${sql}`);
  }

  async describe(sql: string): Promise<{ name: string; type: string }[]> {
    const exec = await this.run(`SELECT * FROM (${sql}) LIMIT 0`);
    return (await this.metadata(exec.QueryExecutionId ?? '')).columns;
  }

  /**
   * CSV: runs the query and copies its result file (CSV with a header) to `location`, counting its rows while
   * streaming. Parquet: `UNLOAD` into the folder `location/` (emptied first; Athena may write several files).
   */
  async exportTo(sql: string, location: string, format: 'csv' | 'parquet'): Promise<number> {
    if (format === 'parquet') return this.unload(sql, location);
    const exec = await this.run(sql);
    const from = parseS3Uri(exec.ResultConfiguration?.OutputLocation ?? '');
    const to = parseS3Uri(location);
    await this.o.s3.send(
      new CopyObjectCommand({
        Bucket: to.bucket,
        Key: to.key,
        CopySource: `${from.bucket}/${encodeURIComponent(from.key).replaceAll('%2F', '/')}`,
        ContentType: 'text/csv',
        MetadataDirective: 'REPLACE',
      }),
    );
    return this.countCsvRows(to.bucket, to.key);
  }

  /** Writes a Parquet dataset (folder `parquetLocation/`, every column varchar) from a CSV object with a header. */
  async csvToParquet(csvLocation: string, parquetLocation: string): Promise<void> {
    const src = parseS3Uri(csvLocation);
    const head = await this.o.s3.send(
      new GetObjectCommand({ Bucket: src.bucket, Key: src.key, Range: 'bytes=0-65535' }),
    );
    const firstLine = ((await head.Body?.transformToString('utf-8')) ?? '').split(/\r?\n/)[0];
    const header = (parseSync(firstLine) as string[][])[0] ?? [];
    if (header.length === 0) throw new QueryFailedError(`no header in ${csvLocation}`);
    const cols = header.map((h) => `\`${h.toLowerCase().replace(/[^a-z0-9_]/g, '_')}\` string`);
    const tmpName = `cvs_tmp_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const scratch = `${this.o.scratchLocation.replace(/\/?$/, '/')}${tmpName}/`;
    const dst = parseS3Uri(scratch);
    await this.o.s3.send(
      new CopyObjectCommand({
        Bucket: dst.bucket,
        Key: `${dst.key}data.csv`,
        CopySource: `${src.bucket}/${encodeURIComponent(src.key).replaceAll('%2F', '/')}`,
      }),
    );
    try {
      await this.run(
        `CREATE EXTERNAL TABLE \`${tmpName}\` (${cols.join(', ')})
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
LOCATION '${scratch}' TBLPROPERTIES ('skip.header.line.count'='1')`,
      );
      await this.unload(`SELECT * FROM "${tmpName}"`, parquetLocation);
    } finally {
      await this.run(`DROP TABLE IF EXISTS \`${tmpName}\``).catch(() => undefined);
      await deletePrefix(this.o.s3, dst.bucket, dst.key);
    }
  }

  private async unload(sql: string, location: string): Promise<number> {
    const folder = location.endsWith('/') ? location : `${location}/`;
    const { bucket, key } = parseS3Uri(folder);
    await deletePrefix(this.o.s3, bucket, key); // UNLOAD refuses a non-empty folder; a re-run replaces
    const exec = await this.run(
      `UNLOAD (${sql}) TO '${folder.replaceAll("'", "''")}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
    );
    return (await this.metadata(exec.QueryExecutionId ?? '')).updateCount;
  }

  private async countCsvRows(bucket: string, key: string): Promise<number> {
    const res = await this.o.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = res.Body as unknown as NodeJS.ReadableStream | undefined;
    if (!body) return 0;
    let n = 0;
    const parser = body.pipe(parse({ from_line: 2 }));
    for await (const _ of parser) n++;
    return n;
  }

  async close(): Promise<void> {
    // Athena holds no connection; the SDK clients are shared and live as long as the Lambda.
  }
}
