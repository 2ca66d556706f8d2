/**
 * Ports: what the domain needs from the outside world. Each has a local adapter (folder, DuckDB, files, outbox) and
 * an AWS adapter (S3, Athena, DynamoDB, SNS); `shared/adapters/select.ts` picks the local ones, `shared/adapters/aws/ports.ts` the AWS ones.
 */

/** One stored object. */
export interface ObjectInfo {
  /** Key relative to the store's root, `/`-separated. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
}

/** A flat key -> bytes store (S3 in AWS, a folder locally). */
export interface ObjectStore {
  /** Objects whose key starts with prefix, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** The object's bytes; throws ObjectNotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /** Writes (replaces) an object. */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** A location the query engine can read the object from (a file path locally, an s3:// URI in AWS). */
  locate(key: string): string;
}

/** A row as returned by the query engine: plain JS values (numbers, strings, booleans, null). */
export type Row = Record<string, string | number | boolean | null>;

/** One input file as validation found it: its format and where each column sits in it. */
export interface RawFileSpec {
  /** Key relative to the input root, e.g. `pendo/pendo__account/part-1.csv`. */
  readonly key: string;
  readonly format: 'csv' | 'parquet';
  /** Number of columns in the file (CSV: fields of the header line). */
  readonly width: number;
  /** Column name (contract or extra) -> the file's physical columns holding it (CSV: `c0`, `c1`, ...). */
  readonly columns: Readonly<Record<string, readonly string[]>>;
  /** The header names as written (CSV header fields, Parquet column names), when known. */
  readonly header?: readonly string[];
}

/** The files of one input table, to be opened as one text relation. */
export interface RawTableSpec {
  /** Report key of the table, `<source>/<table>`, for messages. */
  readonly label: string;
  /** Clean view name (`pendo__account`, `salesforce__account`); the Glue table over the files is `raw_<view>`. */
  readonly view: string;
  /** The contract columns in contract order (the Glue table's columns). */
  readonly contractColumns: readonly string[];
  /** Columns wanted, contract first then extra ones. */
  readonly columns: readonly string[];
  /** Non-empty files, sorted by key. */
  readonly files: readonly RawFileSpec[];
  /** Where the engine reads an input key from (`ObjectStore.locate` of the input store). */
  readonly locate: (key: string) => string;
}

/** A SELECT over the files of a table: the columns as text, `_file` (input key) and `_row`. */
export interface RawRelation {
  readonly sql: string;
  /** The columns the relation gives (a subset of the wanted ones, in their order), besides `_file` and `_row`. */
  readonly columns: string[];
  /**
   * True when `_row` is the record's row in its file; false when it only tells rows of one file apart, and only
   * once the relation is stored (createTable): it is then no file position and must not be shown.
   */
  readonly rowNumbers: boolean;
  /**
   * When set, `_row` is NULL in the relation for some files and is given afterwards over the stored table (made by
   * createTable or storeRows from the relation): the statements that number the rows of `table` (all of them, or
   * with `onlyFlagged` at least those with a `_reason`). Run once, before any query that reads `_row`.
   */
  readonly numberRows?: (table: string, onlyFlagged: boolean) => string[];
  /** Plain-language notes for the data-quality report (what this engine cannot read or show). */
  readonly notes: string[];
  /**
   * Records the engine skipped because it could not parse them (too few or too many fields, an unterminated quote,
   * invalid UTF-8), when it collects them: `sql` (valid once the relation has been read, e.g. by createTable) gives
   * `_file`, `_row`, `_categories`, `_reason`, `_raw`, `_shift` (see `rejectsSql` in contract/validateRaw.ts);
   * `tables` are the engine's tables behind it, to drop before a read and after use.
   */
  readonly rejects?: { readonly sql: string; readonly tables: readonly string[] };
}

/** A SQL engine that runs the contract SQL (Trino dialect subset shared by Athena and DuckDB). */
export interface QueryEngine {
  /**
   * The raw text relation of one input table's files. Throws ContractViolationError (naming table, file and
   * column) when a file cannot be read correctly by this engine as it is laid out.
   */
  rawRelation(spec: RawTableSpec): RawRelation;
  /** Column names of a Parquet object (an `ObjectStore.locate` location), in file order, read from its footer. */
  parquetColumns(location: string): Promise<string[]>;
  /**
   * Column names and this engine's type names of a Parquet object, in file order (optional: an engine that reads
   * Parquet through a fixed table schema need not give them).
   */
  parquetSchema?(location: string): Promise<{ name: string; type: string }[]>;
  /**
   * Stores a query's result as table `name`, replacing any table of that name. `temporary`: only needed while this
   * engine is open (DuckDB keeps it in a TEMP table: in memory, spilled to its temp directory beyond the memory
   * limit, never compressed into the database file).
   */
  createTable(name: string, sql: string, options?: { temporary?: boolean }): Promise<void>;
  /**
   * Stores a query's rows as the read-only relation `name` for as long as this engine is open, in the order the query
   * gives them (so a CSV row's position can be recovered, see RawRelation.numberRows), replacing any relation of that
   * name. DuckDB streams them once into a Parquet file of its scratch folder and makes `name` a view over it
   * (compressed and columnar, never held in memory or spilled); Athena stores a Parquet CTAS table (createTable).
   */
  storeRows(name: string, sql: string): Promise<void>;
  /** Drops a table made by createTable or a relation made by storeRows, if it exists. */
  dropTable(name: string): Promise<void>;
  /**
   * Makes `view` the rows of `sql` for the rest of the run, after which the tables in `release` (which `sql` reads)
   * are no longer needed. DuckDB writes the rows once to a Parquet file of its scratch folder, points the view at it
   * and drops the released tables (compressed, columnar, read by every later query, instead of the uncompressed
   * temporary tables it would otherwise keep in memory or spill); Athena creates the view over `sql` (its tables are
   * Parquet already, and expire with the results bucket's lifecycle).
   */
  storeView(view: string, sql: string, release: readonly string[]): Promise<void>;
  /** Runs a statement that returns no rows (CREATE VIEW, COPY, ...). */
  execute(sql: string): Promise<void>;
  /** Runs a query and returns its rows; only for account-level results, never raw event rows. */
  query(sql: string): Promise<Row[]>;
  /** Column names and types of a query's result without running it in full. */
  describe(sql: string): Promise<{ name: string; type: string }[]>;
  /** Writes a query's result to the object-store location as CSV or Parquet and returns its row count. */
  exportTo(sql: string, location: string, format: 'csv' | 'parquet'): Promise<number>;
  /** Writes a Parquet copy of a CSV object (both given as `ObjectStore.locate` locations). */
  csvToParquet(csvLocation: string, parquetLocation: string): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** One account's scores on one day, as kept in the score store. */
export interface ScoreRecord {
  readonly accountId: string;
  readonly asOf: string;
  readonly values: Record<string, string | number | boolean | null>;
}

/** What every shard of one run's write shares, decided once by `ScoreStore.beginRun`. */
export interface ScoreRunPlan {
  /** True when the as-of is not older than any stored run: its shards also replace each account's latest scores. */
  readonly isLatest: boolean;
}

/**
 * Latest and dated history of account scores (DynamoDB in AWS, a file per run locally). A run is written whole
 * (`putRun`) or in account shards by independent invocations: `beginRun` once, `putShard` per shard (in any order,
 * retried or not), `endRun` once after every shard; `putRun` is exactly that sequence with one shard.
 */
export interface ScoreStore {
  /** Writes one run's scores; a re-run of the same as-of replaces, never duplicates. */
  putRun(asOf: string, records: readonly ScoreRecord[]): Promise<void>;
  /**
   * Starts a run written in shards: decides whether it is the latest run and removes what an earlier run of the same
   * as-of stored for accounts not in `accountIds` (every account of the new run).
   */
  beginRun(asOf: string, accountIds: readonly string[]): Promise<ScoreRunPlan>;
  /** Writes one shard (a name unique in the run) of a run begun with beginRun; writing it again writes the same. */
  putShard(
    asOf: string,
    shard: string,
    records: readonly ScoreRecord[],
    plan: ScoreRunPlan,
  ): Promise<void>;
  /** Completes a run once every shard is written: `accounts` is the run's number of records. */
  endRun(asOf: string, plan: ScoreRunPlan, accounts: number): Promise<void>;
  /** The as-of dates with stored scores, ascending. */
  listRuns(): Promise<string[]>;
  /** The scores stored for one as-of date (empty when none). */
  getRun(asOf: string): Promise<ScoreRecord[]>;
}

/** One alert or notice to a team. */
export interface Message {
  /** Under 100 characters. */
  readonly subject: string;
  /** Plain text. */
  readonly body: string;
  /** Attributes subscriptions filter on (segment, industry, size, severity). */
  readonly attributes: Record<string, string>;
  /** Idempotency key: the same key is never delivered twice (run date + segment). */
  readonly dedupeKey: string;
}

/** Delivers messages (SNS in AWS, an outbox folder locally). */
export interface Notifier {
  /** Publishes messages whose dedupeKey was not sent before; returns how many were sent. */
  publish(messages: readonly Message[]): Promise<number>;
}

/** The ports a pipeline run needs: two object stores (input, output), the query engine, the score store, the notifier. */
export interface Ports {
  /** Where the exports are read from (never written). */
  readonly input: ObjectStore;
  /** Where runs, models and deliverables are written. */
  readonly output: ObjectStore;
  readonly query: QueryEngine;
  readonly scores: ScoreStore;
  readonly notifier: Notifier;
}
