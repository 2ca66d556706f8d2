import { copyFile, mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CvsError } from '../errors.ts';
import type { ObjectInfo } from '../ports/index.ts';

/**
 * Where a job's run outputs go, the same locally and in S3: the daily job's run folder is `runs/<as-of>/`, the other
 * jobs' `runs/<job>-<as-of>/`, so a quarterly retraining never replaces the daily run of the same date. While a run
 * executes, its steps write under `staging/<run id>/` (outside `runs/`, so never listed as a run); when every step
 * succeeded the staged run is published into its run folder, replacing what an earlier run of that folder left.
 */

/** The run folder name (without `runs/` and trailing slash) of a job on a date. */
export function runFolderName(pipeline: string, asOf: string): string {
  return pipeline === 'daily' ? asOf : `${pipeline}-${asOf}`;
}

/** The `States.Format` template of the run prefix for a job (one `{}` for the as-of date). */
export function runPrefixTemplate(pipeline: string): string {
  return `runs/${runFolderName(pipeline, '{}')}/`;
}

/** The prefix every staged run lives under. */
export const STAGING_ROOT = 'staging/';

/** The staging prefix of one run (execution), where its steps write: `staging/<runId>/`. */
export function stagingPrefix(runId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw new CvsError(`run id ${runId} has odd characters`);
  return `${STAGING_ROOT}${runId}/`;
}

/** The `States.Format` template of the staging prefix (one `{}` for the execution name). */
export const STAGING_PREFIX_TEMPLATE = `${STAGING_ROOT}{}/`;

/** What publishing a staged run needs from the output store (S3 in AWS, a folder locally). */
export interface RunFolderStore {
  /** Objects whose key starts with prefix (keys from the store's root). */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Copies one object (replacing the target). */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Deletes the objects (absent ones are ignored). */
  remove(keys: readonly string[]): Promise<void>;
}

/** What a publish did: objects published into the run folder, and stale ones removed from it. */
export interface PublishResult {
  readonly published: number;
  readonly removed: number;
}

/**
 * Publishes a staged run into its run folder, in an order that never shows a mixed folder as finished: the old
 * manifest goes first, then every staged object is copied, then what this run did not write is removed (stale
 * quarantine files, files of a promotion that did not happen this time, the previous manifest), then the manifest,
 * last, and the staging prefix is deleted. A folder with a manifest is a finished run; a publish that stops half-way
 * leaves none, and running it again (a retry) finishes it.
 */
export async function publishStagedRun(
  store: RunFolderStore,
  staging: string,
  runPrefix: string,
  manifestKey: string,
): Promise<PublishResult> {
  const staged = (await store.list(staging)).map((o) => o.key.slice(staging.length));
  if (!staged.includes(manifestKey))
    throw new CvsError(`nothing to publish: ${staging}${manifestKey} does not exist`);
  const existing = (await store.list(runPrefix)).map((o) => o.key.slice(runPrefix.length));
  if (existing.includes(manifestKey)) await store.remove([runPrefix + manifestKey]);
  const body = staged.filter((k) => k !== manifestKey);
  for (const key of body) await store.copy(staging + key, runPrefix + key);
  const keep = new Set(staged);
  const stale = existing.filter((k) => !keep.has(k) && k !== manifestKey);
  await store.remove(stale.map((k) => runPrefix + k));
  await store.copy(staging + manifestKey, runPrefix + manifestKey);
  await store.remove(staged.map((k) => staging + k));
  return { published: staged.length, removed: stale.length };
}

/** Deletes a staged run (a failed execution's outputs); returns how many objects it removed. */
export async function discardStagedRun(store: RunFolderStore, staging: string): Promise<number> {
  const keys = (await store.list(staging)).map((o) => o.key);
  await store.remove(keys);
  return keys.length;
}

/** A folder as a RunFolderStore (the local runtime's output folder). */
export class FolderRunFolderStore implements RunFolderStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // no such folder: nothing under the prefix
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else {
          const key = relative(this.root, full).split(sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, size: (await stat(full)).size });
        }
      }
    };
    await walk(this.path(base));
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await mkdir(dirname(this.path(toKey)), { recursive: true });
    await copyFile(this.path(fromKey), this.path(toKey));
  }

  /** Deletes the files, then their folders that became empty (up to the root). */
  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await rm(this.path(key), { force: true });
      let dir = dirname(this.path(key));
      while (dir.startsWith(this.root + sep)) {
        try {
          await rmdir(dir);
        } catch {
          break; // not empty (or gone): its parents are not empty either
        }
        dir = dirname(dir);
      }
    }
  }
}
