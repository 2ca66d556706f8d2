import { Readable } from 'node:stream';

/** A mocked S3 GetObject body: a stream that also has the SDK's transform helpers. */
export const s3Body = (text: string) =>
  Object.assign(Readable.from([Buffer.from(text)]), {
    transformToString: async () => text,
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
  }) as never;
