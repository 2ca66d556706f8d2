import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectNotFoundError } from '../../errors.ts';
import type { ObjectInfo, ObjectStore } from '../../ports/index.ts';

/** True when an S3 error means the key (or bucket) does not exist. */
export function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Splits an `s3://bucket/key` URI into bucket and key; throws on any other form. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an s3:// location: ${uri}`);
  return { bucket: m[1], key: m[2] };
}

/** An S3 bucket (under an optional key prefix) used as an object store; keys are relative to the prefix. */
export class S3Store implements ObjectStore {
  /** Key prefix inside the bucket, '' or ending with '/'. */
  readonly prefix: string;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    prefix = '',
  ) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  /** A store over a sub-folder of this one (e.g. the run folder `runs/<as-of>/`). */
  scoped(subPrefix: string): S3Store {
    return new S3Store(this.s3, this.bucket, this.prefix + subPrefix);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const pages = paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: this.prefix + prefix },
    );
    for await (const page of pages) {
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue; // folder markers are not objects
        out.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 });
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const res = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
      if (!res.Body) throw new ObjectNotFoundError(key);
      return await res.Body.transformToByteArray();
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw err;
      if (isNotFound(err)) throw new ObjectNotFoundError(key, { cause: err });
      throw err;
    }
  }

  /** The object's bytes in chunks, as S3 sends them (for hashing and reading a header without loading it whole). */
  async *stream(key: string): AsyncGenerator<Uint8Array> {
    let res: GetObjectCommandOutput;
    try {
      res = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key, { cause: err });
      throw err;
    }
    const body = res.Body as
      | (AsyncIterable<Uint8Array> & { destroy?: () => void })
      | { transformToByteArray(): Promise<Uint8Array> }
      | undefined;
    if (!body) throw new ObjectNotFoundError(key);
    if (Symbol.asyncIterator in body) {
      try {
        for await (const chunk of body) yield chunk;
      } finally {
        body.destroy?.();
      }
    } else yield await body.transformToByteArray();
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: body,
        ContentType: contentType ?? guessContentType(key),
      }),
    );
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }
}

/** A content type from the key's extension (csv, json, html, parquet), else octet-stream. */
export function guessContentType(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    csv: 'text/csv',
    json: 'application/json',
    jsonl: 'application/x-ndjson',
    html: 'text/html',
    txt: 'text/plain',
    parquet: 'application/vnd.apache.parquet',
  };
  return types[ext] ?? 'application/octet-stream';
}
