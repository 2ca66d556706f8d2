import { createHash } from 'node:crypto';
import { ContractViolationError } from '../errors.ts';
import type { ObjectStore } from '../ports/index.ts';
import { CORE_TABLES, type SourceName, TABLES, type TableDef } from './tables.ts';

/** Format of an input file, from its extension. */
export type InputFormat = 'csv' | 'parquet';

/** One input file of a contract table. */
export interface DiscoveredFile {
  /** Key relative to the input root. */
  readonly key: string;
  /** Size in bytes (0 = empty file, skipped by the validation). */
  readonly size: number;
  /** SHA-256 of the bytes, lower-case hex. */
  readonly sha256: string;
  readonly format: InputFormat;
}

/** A contract table and the files found in its folder `<source>/<name>/` (sub-folders included). */
export interface DiscoveredTable {
  readonly table: TableDef;
  /** Sorted by key; empty when the table is absent. */
  readonly files: DiscoveredFile[];
}

/** What the input root holds: every contract table (in contract order), the sources present, ignored keys. */
export interface InputInventory {
  readonly tables: DiscoveredTable[];
  /** Sources whose core table folder has at least one CSV or Parquet file. */
  readonly sources: SourceName[];
  /** Keys that are not a CSV or Parquet file under a contract table folder. */
  readonly ignored: string[];
}

/** An object store that can also stream an object (the local FolderStore). */
type StreamingStore = ObjectStore & { stream(key: string): NodeJS.ReadableStream };

/** True when the store can stream objects instead of loading them whole. */
export function canStream(store: ObjectStore): store is StreamingStore {
  return typeof (store as Partial<StreamingStore>).stream === 'function';
}

/** SHA-256 (hex) of an object, streamed when the store allows it. */
export async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  if (canStream(store)) {
    for await (const chunk of store.stream(key)) hash.update(chunk as Buffer);
  } else {
    hash.update(await store.get(key));
  }
  return hash.digest('hex');
}

/** The input format of a key from its extension (case-insensitive), or null for any other file. */
export function formatOf(key: string): InputFormat | null {
  const lower = key.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  return null;
}

/** Lists the input root: the files of every contract table with size and SHA-256, sources present, ignored keys. */
export async function discoverInputs(input: ObjectStore): Promise<InputInventory> {
  const all = await input.list('');
  const used = new Set<string>();
  const tables: DiscoveredTable[] = [];
  for (const table of TABLES) {
    const prefix = `${table.source}/${table.name}/`;
    const files: DiscoveredFile[] = [];
    for (const obj of all) {
      const format = formatOf(obj.key);
      if (!obj.key.startsWith(prefix) || format === null) continue;
      used.add(obj.key);
      const sha256 = await hashObject(input, obj.key);
      files.push({ key: obj.key, size: obj.size, sha256, format });
    }
    tables.push({ table, files });
  }
  const sources = (Object.keys(CORE_TABLES) as SourceName[]).filter((s) =>
    tables.some(
      (t) => t.table.source === s && t.table.name === CORE_TABLES[s] && t.files.length > 0,
    ),
  );
  const ignored = all.map((o) => o.key).filter((k) => !used.has(k));
  return { tables, sources, ignored };
}

/**
 * Checks the inventory can be scored: at least one source; a source with any table files has its core table; every
 * non-optional table of a present source has files. Throws ContractViolationError naming what is missing.
 */
export function checkInventory(inv: InputInventory): void {
  if (inv.sources.length === 0) {
    const cores = Object.entries(CORE_TABLES).map(([s, t]) => `${s}/${t}/`);
    throw new ContractViolationError(
      `no input source found: need CSV or Parquet files in ${cores.join(' or ')}`,
    );
  }
  for (const source of Object.keys(CORE_TABLES) as SourceName[]) {
    const withFiles = inv.tables.filter((t) => t.table.source === source && t.files.length > 0);
    if (withFiles.length > 0 && !inv.sources.includes(source)) {
      throw new ContractViolationError(
        `${source} files found (${withFiles.map((t) => t.table.name).join(', ')}) but its core table ` +
          `${source}/${CORE_TABLES[source]}/ has no CSV or Parquet file`,
      );
    }
  }
  for (const t of inv.tables) {
    if (inv.sources.includes(t.table.source) && !t.table.optional && t.files.length === 0) {
      throw new ContractViolationError(
        `${t.table.source}/${t.table.name}/ has no CSV or Parquet file; it is required when ${t.table.source} is present`,
      );
    }
  }
}
