import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { ContractViolationError } from '../errors.ts';
import type { ObjectStore, QueryEngine, RawFileSpec } from '../ports/index.ts';
import {
  canStream,
  type DiscoveredFile,
  type InputCompression,
  type InputFormat,
} from './discover.ts';
import type { ColumnType, TableDef } from './tables.ts';
import { RESERVED_COLUMNS, typeCategory } from './validationSql.ts';

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
 * and no quote is left open; `end` is where the header ends in `text`.
 */
export function parseCsvHeader(
  text: string,
  atEnd = false,
): { names: string[]; complete: boolean; end: number } {
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
      return { names, complete: true, end: i + (s === text ? 0 : 1) };
    } else field += ch;
  }
  names.push(field);
  return { names, complete: atEnd && !quoted, end: text.length };
}

/** Bytes read at most to find a header line. */
const MAX_HEADER_BYTES = 1 << 20;

/** The chunks of an object, decompressed when it is compressed (a stream that stops being read is destroyed). */
function decompressed(
  chunks: AsyncIterable<Uint8Array | Buffer | string>,
  compression: InputCompression | undefined,
): AsyncIterable<Uint8Array> & { destroy?: () => void } {
  if (compression === undefined) return chunks as AsyncIterable<Uint8Array>;
  const unzip =
    compression === 'gzip'
      ? zlib.createGunzip()
      : (
          zlib as unknown as { createZstdDecompress(): NodeJS.ReadWriteStream }
        ).createZstdDecompress();
  const source = Readable.from(chunks);
  source.on('error', (err) => (unzip as unknown as Readable).destroy(err));
  return source.pipe(unzip as unknown as NodeJS.WritableStream) as unknown as Readable;
}

/** Reads only the first bytes of an object, until the header line is complete (at most 1 MiB). */
async function readHeaderText(
  store: ObjectStore,
  key: string,
  compression?: InputCompression,
): Promise<{ text: string; atEnd: boolean }> {
  // Only the header line must be text: bytes after it are the records' business (a bad record is quarantined).
  const decoder = new TextDecoder('utf-8');
  const unreadable = (why: string) =>
    new ContractViolationError(`file ${key} is not readable as CSV (${why})`);
  let text = '';
  let bytes = 0;
  const check = (header: string): void => {
    if (header.includes('\0')) throw unreadable('binary content');
    if (header.includes('\uFFFD')) throw unreadable('not UTF-8 text');
  };
  const take = (chunk: Uint8Array, last: boolean): boolean => {
    text += decoder.decode(chunk, { stream: !last });
    bytes += chunk.length;
    const parsed = parseCsvHeader(text, last);
    check(text.slice(0, parsed.complete ? parsed.end : text.length));
    return parsed.complete;
  };
  const chunks: AsyncIterable<Uint8Array | Buffer | string> = canStream(store)
    ? store.stream(key)
    : (async function* () {
        yield await store.get(key);
      })();
  const stream = decompressed(chunks, compression) as AsyncIterable<Uint8Array> & {
    destroy?: () => void;
  };
  try {
    for await (const chunk of stream) {
      const bytesOf = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      for (let at = 0; at < bytesOf.length; at += MAX_HEADER_BYTES) {
        const part = bytesOf.subarray(at, at + MAX_HEADER_BYTES);
        if (take(part, false) || bytes >= MAX_HEADER_BYTES) return { text, atEnd: false };
      }
    }
  } catch (err) {
    if (err instanceof ContractViolationError) throw err;
    throw unreadable(
      compression
        ? `not ${compression}-compressed: ${(err as Error).message}`
        : (err as Error).message,
    );
  } finally {
    stream.destroy?.();
  }
  take(new Uint8Array(0), true);
  return { text, atEnd: true };
}

/** The header names of a CSV object, as written (not normalized); throws naming the file when unreadable. */
export async function readCsvHeader(
  store: ObjectStore,
  key: string,
  compression?: InputCompression,
): Promise<string[]> {
  const { text, atEnd } = await readHeaderText(store, key, compression);
  const { names, complete } = parseCsvHeader(text, atEnd);
  if (!complete) {
    throw new ContractViolationError(
      `file ${key} is not readable as CSV (no header line in the first 1 MiB)`,
    );
  }
  return names;
}

/**
 * Column names written more than once in a header (compared trimmed and lower-cased; blank names aside), one message
 * each naming table, file, column and the 1-based field positions.
 */
export function headerProblems(table: TableDef, names: readonly string[], file: string): string[] {
  const at = new Map<string, number[]>();
  names.forEach((n, i) => {
    const norm = normalizeColumnName(n);
    if (norm !== '') at.set(norm, [...(at.get(norm) ?? []), i + 1]);
  });
  return [...at.entries()]
    .filter(([, pos]) => pos.length > 1)
    .map(
      ([name, pos]) =>
        `${table.source}/${table.name}: file ${file} row 1 (header): column "${name}" appears ${pos.length} times ` +
        `(fields ${pos.slice(0, -1).join(', ')} and ${pos.at(-1)}); a column must be named once`,
    );
}

/**
 * Maps a file's header names to the table: exact lower-cased name first, then the name with underscores removed
 * (Salesforce API names, `NumberOfEmployees` -> `number_of_employees`). Throws ContractViolationError naming table,
 * file, column and `row 1 (header)` when a required column is missing or a column is named twice (every such problem
 * of the file, one per line). Returns indexes into `names`.
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
  const problems = headerProblems(table, names, file);
  const missing = table.columns.filter((c) => c.required && byColumn[c.name].length === 0);
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c.name}"`).join(', ');
    problems.unshift(
      `${table.source}/${table.name}: file ${file} row 1 (header): required column${missing.length > 1 ? 's' : ''} ` +
        `${list} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  }
  if (problems.length > 0) throw new ContractViolationError(problems.join('\n'));
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
  let types: string[] | null = null;
  if (file.format === 'csv') {
    names = await readCsvHeader(input, file.key, file.compression);
    physical = (i) => `c${i}`;
  } else {
    try {
      const location = input.locate(file.key);
      if (engine.parquetSchema) {
        const schema = await engine.parquetSchema(location);
        names = schema.map((c) => c.name);
        types = schema.map((c) => c.type);
      } else names = await engine.parquetColumns(location);
    } catch (err) {
      throw new ContractViolationError(
        `file ${file.key} is not readable as Parquet (${(err as Error).message.split('\n')[0]})`,
        { cause: err },
      );
    }
    physical = (i) => names[i];
  }
  const { byColumn, unknown } = mapColumns(table, names, file.key);
  if (types !== null) {
    const wrong = table.columns.flatMap((c) =>
      (byColumn[c.name] ?? []).flatMap((i) => {
        const why = parquetTypeMismatch(c.type, types[i]);
        return why === null
          ? []
          : [
              `${table.source}/${table.name}: file ${file.key}: column "${names[i]}" is ${types[i]} in the ` +
                `Parquet file; the contract wants ${typeCategory(c.type).replace(/^not /, '')} (${why})`,
            ];
      }),
    );
    if (wrong.length > 0) throw new ContractViolationError(wrong.join('\n'));
  }
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

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;
const TEXT = /^(VARCHAR|JSON|UUID)$/;
const TEMPORAL = /^(DATE|TIMESTAMP.*)$/;

/**
 * Why a Parquet column of an engine type (DuckDB type names) cannot hold values of a contract type, or null when it
 * can (then every value is still checked row by row): text holds anything; numbers hold numbers (and booleans as
 * 0/1); dates and timestamps hold dates and timestamps; nested types (lists, structs, maps) hold nothing scalar.
 */
export function parquetTypeMismatch(want: ColumnType, type: string): string | null {
  const t = type.toUpperCase();
  if (/[[\]]|^(STRUCT|MAP|UNION)\b/.test(t)) return 'a nested type holds no single value';
  if (TEXT.test(t)) return null;
  const ok: Record<ColumnType, (x: string) => boolean> = {
    varchar: () => true,
    bigint: (x) => NUMERIC.test(x),
    integer: (x) => NUMERIC.test(x),
    double: (x) => NUMERIC.test(x),
    boolean: (x) => x === 'BOOLEAN' || NUMERIC.test(x),
    date: (x) => TEMPORAL.test(x),
    timestamp: (x) => TEMPORAL.test(x),
  };
  return ok[want](t) ? null : 'no value of that type is valid here';
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
