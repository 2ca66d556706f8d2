import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CvsError } from '../../shared/errors.ts';
import type { RunFolderStore } from '../../shared/pipeline/runFolder.ts';
import type { ObjectInfo } from '../../shared/ports/index.ts';

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/** The results bucket (under an optional key prefix) as a RunFolderStore: list, server-side copy, batch delete. */
export class S3RunFolderStore implements RunFolderStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly prefix = '',
  ) {}

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const pages = paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: this.prefix + prefix },
    );
    for await (const page of pages)
      for (const o of page.Contents ?? [])
        if (o.Key && !o.Key.endsWith('/'))
          out.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + toKey,
        CopySource: encodeURI(`${this.bucket}/${this.prefix}${fromKey}`),
      }),
    );
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const res = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((k) => ({ Key: this.prefix + k })), Quiet: true },
        }),
      );
      if (res.Errors?.length)
        throw new CvsError(
          `could not delete ${res.Errors.length} object(s) of s3://${this.bucket}/, first ${res.Errors[0].Key}: ${res.Errors[0].Code}`,
        );
    }
  }
}
