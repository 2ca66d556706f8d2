/**
 * Ports: what the domain needs from the outside world. Each has a local adapter (folder, DuckDB, files, outbox) and
 * an AWS adapter (S3, Athena, DynamoDB, SNS); `shared/adapters/select.ts` picks them in one place.
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

/** A SQL engine that runs the contract SQL (Trino dialect subset shared by Athena and DuckDB). */
export interface QueryEngine {
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

/** Latest and dated history of account scores (DynamoDB in AWS, a file per run locally). */
export interface ScoreStore {
  /** Writes one run's scores; a re-run of the same as-of replaces, never duplicates. */
  putRun(asOf: string, records: readonly ScoreRecord[]): Promise<void>;
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

/** The four ports a pipeline run needs. */
export interface Ports {
  /** Where the exports are read from (never written). */
  readonly input: ObjectStore;
  /** Where runs, models and deliverables are written. */
  readonly output: ObjectStore;
  readonly query: QueryEngine;
  readonly scores: ScoreStore;
  readonly notifier: Notifier;
}
