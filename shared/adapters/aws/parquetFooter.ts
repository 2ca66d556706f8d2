/**
 * The top-level column names of a Parquet file from its footer (`<FileMetaData> <4-byte LE length> PAR1`), decoded
 * with the Thrift compact protocol. Only the schema is read; everything else is skipped.
 */

/** Bytes fetched from the end of the file first; a larger footer costs one more ranged read. */
export const FOOTER_PROBE_BYTES = 64 * 1024;

const MAGIC = 'PAR1';

/**
 * The metadata length from a file's last 8 bytes (or any tail of at least 8 bytes); throws when the tail does not
 * end with `PAR1`.
 */
export function footerLength(tail: Uint8Array): number {
  if (tail.length < 8) throw new Error('not a Parquet file (shorter than 8 bytes)');
  const end = tail.length;
  const magic = String.fromCharCode(...tail.subarray(end - 4));
  if (magic !== MAGIC) throw new Error('not a Parquet file (no PAR1 at the end)');
  return new DataView(tail.buffer, tail.byteOffset + end - 8, 4).getUint32(0, true);
}

/** A Thrift compact-protocol reader over one buffer. */
class CompactReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('Parquet footer ends early');
    return this.buf[this.pos++];
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  zigzag(): number {
    const v = this.varint();
    return Number((v >> 1n) ^ -(v & 1n));
  }

  binary(): Uint8Array {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('Parquet footer ends early');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a field header; `type` 0 is the end of the struct. */
  field(lastId: number): { id: number; type: number } {
    const b = this.byte();
    const type = b & 0x0f;
    if (type === 0) return { id: 0, type };
    const delta = b >> 4;
    return { id: delta === 0 ? this.zigzag() : lastId + delta, type };
  }

  /** Element type and size of a list or set. */
  listHeader(): { type: number; size: number } {
    const b = this.byte();
    const short = b >> 4;
    return { type: b & 0x0f, size: short === 15 ? Number(this.varint()) : short };
  }

  /** Skips one value of a compact type. */
  skip(type: number): void {
    switch (type) {
      case 1:
      case 2:
        return; // booleans live in the field header
      case 3:
        this.pos++;
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.pos += 8;
        return;
      case 8:
        this.binary();
        return;
      case 9:
      case 10: {
        const { type: elem, size } = this.listHeader();
        for (let i = 0; i < size; i++) {
          if (elem === 1 || elem === 2) this.pos++;
          else this.skip(elem);
        }
        return;
      }
      case 11: {
        const size = Number(this.varint());
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 0x0f);
        }
        return;
      }
      case 12:
        this.skipStruct();
        return;
      default:
        throw new Error(`Parquet footer has an unknown Thrift type ${type}`);
    }
  }

  skipStruct(): void {
    let id = 0;
    for (;;) {
      const f = this.field(id);
      if (f.type === 0) return;
      id = f.id;
      this.skip(f.type);
    }
  }
}

/** One SchemaElement: its name and number of children (0 for a leaf). */
function schemaElement(r: CompactReader): { name: string; children: number } {
  let name = '';
  let children = 0;
  let id = 0;
  for (;;) {
    const f = r.field(id);
    if (f.type === 0) return { name, children };
    id = f.id;
    if (f.id === 4 && f.type === 8) name = new TextDecoder().decode(r.binary());
    else if (f.id === 5 && f.type === 5) children = r.zigzag();
    else r.skip(f.type);
  }
}

/** The top-level column names of a Parquet file, from its FileMetaData bytes (the footer without length and magic). */
export function parquetSchemaNames(metadata: Uint8Array): string[] {
  const r = new CompactReader(metadata);
  let id = 0;
  for (;;) {
    const f = r.field(id);
    if (f.type === 0) throw new Error('Parquet footer has no schema');
    id = f.id;
    if (f.id !== 2 || f.type !== 9) {
      r.skip(f.type);
      continue;
    }
    const { size } = r.listHeader();
    const elements = Array.from({ length: size }, () => schemaElement(r));
    // elements is the schema tree in depth-first order; element 0 is the root.
    const names: string[] = [];
    let i = 1;
    const skipTree = (): void => {
      const { children } = elements[i++];
      for (let c = 0; c < children; c++) skipTree();
    };
    for (let c = 0; c < (elements[0]?.children ?? 0); c++) {
      names.push(elements[i].name);
      skipTree();
    }
    return names;
  }
}
