import { DeleteObjectsCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

/** Deletes every object under a key prefix of a bucket (1000 per request); returns how many were deleted. */
export async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  if (prefix === '') throw new Error('refusing to delete a whole bucket');
  let n = 0;
  for await (const page of paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: prefix },
  )) {
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) continue;
    await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
    );
    n += keys.length;
  }
  return n;
}
