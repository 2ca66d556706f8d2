import type { ObjectInfo, ObjectStore } from '../ports/index.ts';

/**
 * An object store that reads through to a base store and writes only to a scratch store: a dry run can call the
 * pipeline's steps on a real output folder (model registry, alert log) without changing anything in it. Objects in
 * `pinned` are served as given (e.g. the champion pointer of the run being re-scored).
 */
export class OverlayStore implements ObjectStore {
  constructor(
    private readonly base: ObjectStore,
    private readonly scratch: ObjectStore,
    private readonly pinned: ReadonlyMap<string, Uint8Array | string> = new Map(),
  ) {}

  async list(prefix: string): Promise<ObjectInfo[]> {
    const byKey = new Map<string, ObjectInfo>();
    for (const o of await this.base.list(prefix)) byKey.set(o.key, o);
    for (const o of await this.scratch.list(prefix)) byKey.set(o.key, o);
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string): Promise<Uint8Array> {
    const pinned = this.pinned.get(key);
    if (pinned !== undefined) return typeof pinned === 'string' ? Buffer.from(pinned) : pinned;
    return (await this.scratch.exists(key)) ? this.scratch.get(key) : this.base.get(key);
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await this.scratch.put(key, body, contentType);
  }

  async exists(key: string): Promise<boolean> {
    return (
      this.pinned.has(key) || (await this.scratch.exists(key)) || (await this.base.exists(key))
    );
  }

  locate(key: string): string {
    return this.scratch.locate(key);
  }
}
