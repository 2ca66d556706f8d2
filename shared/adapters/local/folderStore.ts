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

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile()) {
          const key = relative(this.root, full).split(sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, size: (await stat(full)).size });
        }
      }
    };
    // Start from the deepest existing folder of the prefix, so listing a table does not walk the whole tree.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(join(this.root, base));
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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

  /** A read stream of the object (for hashing large inputs without loading them). */
  stream(key: string): NodeJS.ReadableStream {
    return createReadStream(this.locate(key));
  }
}
