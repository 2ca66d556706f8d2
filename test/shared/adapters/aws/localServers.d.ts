/** Minimal types of the two local AWS-compatible servers used by the adapter tests (they ship none). */

declare module 'dynalite' {
  import type { Server } from 'node:http';
  /** An in-memory DynamoDB-compatible HTTP server. */
  export default function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }): Server;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  /** An S3-compatible HTTP server storing objects in a folder. */
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string });
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
