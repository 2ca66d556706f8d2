import { ContractViolationError } from '../errors.ts';
import type { ObjectStore, QueryEngine, RawFileSpec } from '../ports/index.ts';
import { canStream, type DiscoveredFile, type InputFormat } from './discover.ts';
import type { TableDef } from './tables.ts';
import { RESERVED_COLUMNS } from './validationSql.ts';

/** How one input file's columns map to the table's columns. */
export interface FileLayout {
  readonly key: string;
  readonly format: InputFormat;
  /** Number of columns in the file (CSV: fields of the header line). */
  readonly width: number;
  /**
   * Column name (contract or extra) -> the file's physical columns holding it, first non-NULL wins (a file can carry
   * both `number_of_employees` and `NumberOfEmployees`). CSV physical names are positional, `c0`, `c1`, ...; Parquet
   * ones are the file's own names.
   */
  readonly columns: Record<string, string[]>;
  /** Extra (non-contract) columns, normalized names, in file order. */
  readonly unknown: string[];
  /** The header names as written (CSV header fields, Parquet column names), in file order. */
  readonly header?: readonly string[];
}

/** Header names are compared lower-cased and trimmed. */
export function normalizeColumnName(name: string): string {
  return name.trim().toLowerCase();
}

const squash = (name: string): string => name.replaceAll('_', '');

/**
 * Parses the first CSV record (the header) of a text: strips a UTF-8 BOM, handles quotes (`""` inside), stops at
 * LF or CRLF outside quotes. `complete` is true when the line ended, or when `atEnd` (the text is the whole file)
 * and no quote is left open.
 */
export function parseCsvHeader(
  text: string,
  atEnd = false,
): { names: string[]; complete: boolean } {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      names.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      names.push(field);
      return { names, complete: true };
    } else field += ch;
  }
  names.push(field);
  return { names, complete: atEnd && !quoted };
}

/** Bytes read at most to find a header line. */
const MAX_HEADER_BYTES = 1 << 20;

/** Reads only the first bytes of an object, until the header line is complete (at most 1 MiB). */
async function readHeaderText(
  store: ObjectStore,
  key: string,
): Promise<{ text: string; atEnd: boolean }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const unreadable = (why: string) =>
    new ContractViolationError(`file ${key} is not readable as CSV (${why})`);
  let text = '';
  let bytes = 0;
  const take = (chunk: Uint8Array, last: boolean): boolean => {
    if (chunk.includes(0)) throw unreadable('binary content');
    try {
      text += decoder.decode(chunk, { stream: !last });
    } catch {
      throw unreadable('not UTF-8 text');
    }
    bytes += chunk.length;
    return parseCsvHeader(text).complete;
  };
  if (canStream(store)) {
    const stream = store.stream(key) as NodeJS.ReadableStream & { destroy?: () => void };
    try {
      for await (const chunk of stream) {
        if (take(chunk as Uint8Array, false) || bytes >= MAX_HEADER_BYTES)
          return { text, atEnd: false };
      }
    } finally {
      stream.destroy?.();
    }
    take(new Uint8Array(0), true);
    return { text, atEnd: true };
  }
  const all = await store.get(key);
  take(all.subarray(0, MAX_HEADER_BYTES), all.length <= MAX_HEADER_BYTES);
  return { text, atEnd: all.length <= MAX_HEADER_BYTES };
}

/** The header names of a CSV object, as written (not normalized); throws naming the file when unreadable. */
export async function readCsvHeader(store: ObjectStore, key: string): Promise<string[]> {
  const { text, atEnd } = await readHeaderText(store, key);
  const { names, complete } = parseCsvHeader(text, atEnd);
  if (!complete) {
    throw new ContractViolationError(
      `file ${key} is not readable as CSV (no header line in the first 1 MiB)`,
    );
  }
  return names;
}

/**
 * Maps a file's header names to the table: exact lower-cased name first, then the name with underscores removed
 * (Salesforce API names, `NumberOfEmployees` -> `number_of_employees`). Throws ContractViolationError naming table,
 * file, column and `row 1 (header)` when a required column is missing. Returns indexes into `names`.
 */
export function mapColumns(
  table: TableDef,
  names: readonly string[],
  file: string,
): { byColumn: Record<string, number[]>; unknown: { name: string; index: number }[] } {
  const norm = names.map(normalizeColumnName);
  const byColumn: Record<string, number[]> = {};
  const used = new Set<number>();
  for (const col of table.columns) {
    const exact = norm.flatMap((n, i) => (n === col.name ? [i] : []));
    const variant = norm.flatMap((n, i) =>
      n !== col.name && squash(n) === squash(col.name) ? [i] : [],
    );
    const found = [...exact, ...variant];
    for (const i of found) used.add(i);
    byColumn[col.name] = found;
  }
  const missing = table.columns.filter((c) => c.required && byColumn[c.name].length === 0);
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c.name}"`).join(', ');
    throw new ContractViolationError(
      `${table.source}/${table.name}: file ${file} row 1 (header): required column${missing.length > 1 ? 's' : ''} ` +
        `${list} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  }
  const unknown: { name: string; index: number }[] = [];
  const seen = new Set<string>();
  norm.forEach((name, index) => {
    if (used.has(index) || name === '' || seen.has(name) || RESERVED_COLUMNS.has(name)) return;
    if (name.startsWith('cvs_')) return;
    seen.add(name);
    unknown.push({ name, index });
  });
  return { byColumn, unknown };
}

/** Reads one non-empty file's header (CSV: first line, through the store; Parquet: its footer) and maps it to the table. */
export async function fileLayout(
  input: ObjectStore,
  engine: QueryEngine,
  table: TableDef,
  file: DiscoveredFile,
): Promise<FileLayout> {
  let names: string[];
  let physical: (i: number) => string;
  if (file.format === 'csv') {
    names = await readCsvHeader(input, file.key);
    physical = (i) => `c${i}`;
  } else {
    try {
      names = await engine.parquetColumns(input.locate(file.key));
    } catch (err) {
      throw new ContractViolationError(
        `file ${file.key} is not readable as Parquet (${(err as Error).message.split('\n')[0]})`,
        { cause: err },
      );
    }
    physical = (i) => names[i];
  }
  const { byColumn, unknown } = mapColumns(table, names, file.key);
  const columns: Record<string, string[]> = {};
  for (const [name, idx] of Object.entries(byColumn)) columns[name] = idx.map(physical);
  for (const u of unknown) columns[u.name] = [physical(u.index)];
  return {
    key: file.key,
    format: file.format,
    width: names.length,
    columns,
    unknown: unknown.map((u) => u.name),
    header: names,
  };
}

/** Where a file's header breaks a reader that takes columns by position or by exact name. */
export interface LayoutMismatch {
  /** The first contract column that is not where the reader looks for it. */
  readonly column: string;
  /** 1-based position in the contract (CSV) or null (Parquet). */
  readonly position: number | null;
  /** What the file has there: the header name at that position (CSV), the column's name in the file (Parquet). */
  readonly found: string | null;
}

/**
 * For a reader that takes CSV columns by position (Athena over an OpenCSVSerde Glue table): the first contract column
 * whose header position differs from its contract position, or null when the header lists the contract columns in
 * contract order (trailing contract columns may be left out; extra columns may follow them). For Parquet read by
 * name: the first contract column the file holds only under another name (`NumberOfEmployees`), or null.
 */
export function firstColumnOutOfPlace(
  contractColumns: readonly string[],
  layout: RawFileSpec,
): LayoutMismatch | null {
  if (layout.format === 'parquet') {
    for (const column of contractColumns) {
      const phys = layout.columns[column] ?? [];
      if (phys.length > 0 && !phys.some((p) => normalizeColumnName(p) === column))
        return { column, position: null, found: phys[0] };
    }
    return null;
  }
  const holder = new Map<string, string>();
  for (const [name, phys] of Object.entries(layout.columns)) {
    for (const p of phys) if (!holder.has(p)) holder.set(p, name);
  }
  const n = Math.min(layout.width, contractColumns.length);
  for (let i = 0; i < n; i++) {
    const column = contractColumns[i];
    if (holder.get(`c${i}`) === column) continue;
    return { column, position: i + 1, found: layout.header?.[i] ?? holder.get(`c${i}`) ?? null };
  }
  return null;
}
