import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { ContractViolationError } from '../errors.ts';
import type { ObjectStore } from '../ports/index.ts';
import { CORE_TABLES, type SourceName, TABLES, type TableDef } from './tables.ts';

/** Format of an input file, from its extension. */
export type InputFormat = 'csv' | 'parquet';

/** Compression of a CSV file, from its extension (DuckDB and Athena read both by extension). */
export type InputCompression = 'gzip' | 'zstd';

/** One input file of a contract table. */
export interface DiscoveredFile {
  /** Key relative to the input root. */
  readonly key: string;
  /** Size in bytes (0 = empty file, skipped by the validation). */
  readonly size: number;
  /** SHA-256 of the bytes as stored (compressed ones too), lower-case hex. */
  readonly sha256: string;
  readonly format: InputFormat;
  /** Set for `.csv.gz` / `.csv.zst` files. */
  readonly compression?: InputCompression;
}

/** A file under a contract table folder that is not read, and why. */
export interface SkippedFile {
  readonly key: string;
  readonly reason: string;
  /** A hidden or marker file (name starting with `.` or `_`, like `_SUCCESS`): named, but not a data file. */
  readonly hidden: boolean;
}

/** A contract table and the files found in its folder `<source>/<name>/` (sub-folders included). */
export interface DiscoveredTable {
  readonly table: TableDef;
  /** Sorted by key; empty when the table is absent. */
  readonly files: DiscoveredFile[];
  /** Entries of the folder that are not read (unknown extension, unsupported compression, broken link, ...). */
  readonly skipped: SkippedFile[];
}

/** What the input root holds: every contract table (in contract order), the sources present, ignored keys. */
export interface InputInventory {
  readonly tables: DiscoveredTable[];
  /** Sources whose core table folder has at least one data file. */
  readonly sources: SourceName[];
  /** Keys outside the contract table folders (never read). */
  readonly ignored: string[];
}

/** Something a store can iterate in chunks. */
type Chunks = AsyncIterable<Uint8Array | Buffer | string>;

/** An object store that can also stream an object (the local FolderStore, S3Store). */
type StreamingStore = ObjectStore & { stream(key: string): Chunks };

/** A store that can name the entries it cannot read as objects (broken links, links to folders). */
type SkippingStore = ObjectStore & {
  listSkipped(prefix: string): Promise<{ key: string; reason: string }[]>;
};

/** True when the store can stream objects instead of loading them whole. */
export function canStream(store: ObjectStore): store is StreamingStore {
  return typeof (store as Partial<StreamingStore>).stream === 'function';
}

/** SHA-256 (hex) of an object, streamed when the store allows it. */
export async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  if (canStream(store)) {
    for await (const chunk of store.stream(key)) hash.update(chunk);
  } else {
    hash.update(await store.get(key));
  }
  return hash.digest('hex');
}

/** True when this Node.js can decompress zstd (22.15 and later). */
export const nodeReadsZstd = (): boolean =>
  typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';

const COMPRESSED = /\.(bz2|xz|zip|lz4|snappy|lzo|br|7z|tar|tgz|gzip|z)$/;

/**
 * How a key is read, from its name (case-insensitive): CSV (`.csv`, `.csv.gz`, `.csv.zst`), Parquet (`.parquet`),
 * or not read, with the reason.
 */
export function classifyKey(
  key: string,
): { format: InputFormat; compression?: InputCompression } | { reason: string; hidden: boolean } {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (name.startsWith('.') || name.startsWith('_'))
    return { reason: 'hidden or marker file (name starts with . or _)', hidden: true };
  if (lower.endsWith('.csv')) return { format: 'csv' };
  if (lower.endsWith('.parquet')) return { format: 'parquet' };
  if (lower.endsWith('.csv.gz')) return { format: 'csv', compression: 'gzip' };
  if (lower.endsWith('.csv.zst')) {
    if (nodeReadsZstd()) return { format: 'csv', compression: 'zstd' };
    return {
      reason: `zstd-compressed CSV: this Node.js (${process.version}) cannot read its header; use Node.js 22.15 or later, or gzip (.csv.gz)`,
      hidden: false,
    };
  }
  const comp = COMPRESSED.exec(lower);
  if (comp)
    return {
      reason: `compressed as .${comp[1]}: not read (CSV is read plain, as .csv.gz or as .csv.zst)`,
      hidden: false,
    };
  return { reason: 'not a .csv, .csv.gz, .csv.zst or .parquet file', hidden: false };
}

/** The input format of a key from its extension (case-insensitive), or null for a file that is not read. */
export function formatOf(key: string): InputFormat | null {
  const c = classifyKey(key);
  return 'format' in c ? c.format : null;
}

/**
 * Lists the input root: the files of every contract table with size and SHA-256 (each file hashed once, streamed),
 * the entries of table folders that are not read, the sources present, and the keys outside the table folders.
 */
export async function discoverInputs(input: ObjectStore): Promise<InputInventory> {
  const all = await input.list('');
  const unreadable =
    typeof (input as Partial<SkippingStore>).listSkipped === 'function'
      ? await (input as SkippingStore).listSkipped('')
      : [];
  const used = new Set<string>();
  const tables: DiscoveredTable[] = [];
  for (const table of TABLES) {
    const prefix = `${table.source}/${table.name}/`;
    const files: DiscoveredFile[] = [];
    const skipped: SkippedFile[] = [];
    for (const obj of all) {
      if (!obj.key.startsWith(prefix)) continue;
      used.add(obj.key);
      const c = classifyKey(obj.key);
      if (!('format' in c)) {
        skipped.push({ key: obj.key, ...c });
        continue;
      }
      const sha256 = await hashObject(input, obj.key);
      files.push({ key: obj.key, size: obj.size, sha256, ...c });
    }
    for (const u of unreadable) {
      if (!u.key.startsWith(prefix)) continue;
      used.add(u.key);
      skipped.push({ key: u.key, reason: u.reason, hidden: false });
    }
    skipped.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    tables.push({ table, files, skipped });
  }
  const sources = (Object.keys(CORE_TABLES) as SourceName[]).filter((s) =>
    tables.some(
      (t) => t.table.source === s && t.table.name === CORE_TABLES[s] && t.files.length > 0,
    ),
  );
  const ignored = [...all.map((o) => o.key), ...unreadable.map((u) => u.key)]
    .filter((k) => !used.has(k))
    .sort();
  return { tables, sources, ignored };
}

/** The entries of a table that were skipped as data (not hidden or marker files). */
export const skippedData = (t: DiscoveredTable): SkippedFile[] =>
  t.skipped.filter((s) => !s.hidden);

/**
 * What stops the inventory from being scored, one message per problem (empty when it can be scored): no source; a
 * source with table files but not its core table; a non-optional table of a present source without files; a table
 * folder whose files were all skipped (named with the reasons).
 */
export function inventoryProblems(inv: InputInventory): string[] {
  const problems: string[] = [];
  for (const t of inv.tables) {
    const skipped = skippedData(t);
    if (t.files.length === 0 && skipped.length > 0) {
      const list = skipped.map((s) => `${s.key} (${s.reason})`).join('; ');
      problems.push(
        `${t.table.source}/${t.table.name}/: no file of the folder can be read: ${list}`,
      );
    }
  }
  const hasFiles = (t: DiscoveredTable): boolean => t.files.length > 0 || skippedData(t).length > 0;
  const sourceHasCore = (s: SourceName): boolean =>
    inv.tables.some((t) => t.table.source === s && t.table.name === CORE_TABLES[s] && hasFiles(t));
  if (!(Object.keys(CORE_TABLES) as SourceName[]).some(sourceHasCore)) {
    const cores = Object.entries(CORE_TABLES).map(([s, t]) => `${s}/${t}/`);
    problems.push(`no input source found: need CSV or Parquet files in ${cores.join(' or ')}`);
    return problems;
  }
  for (const source of Object.keys(CORE_TABLES) as SourceName[]) {
    const withFiles = inv.tables.filter((t) => t.table.source === source && hasFiles(t));
    if (withFiles.length > 0 && !sourceHasCore(source)) {
      problems.push(
        `${source} files found (${withFiles.map((t) => t.table.name).join(', ')}) but its core table ` +
          `${source}/${CORE_TABLES[source]}/ has no CSV or Parquet file`,
      );
    }
  }
  for (const t of inv.tables) {
    if (sourceHasCore(t.table.source) && !t.table.optional && !hasFiles(t)) {
      problems.push(
        `${t.table.source}/${t.table.name}/ has no CSV or Parquet file; it is required when ${t.table.source} is present`,
      );
    }
  }
  return problems;
}

/** Throws ContractViolationError listing every problem of inventoryProblems (nothing when there is none). */
export function checkInventory(inv: InputInventory): void {
  const problems = inventoryProblems(inv);
  if (problems.length > 0) throw new ContractViolationError(problems.join('\n'));
}
