import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CvsError } from '../errors.ts';

/** The lock file of an output folder: one local run at a time writes runs, the score store, the outbox. */
export const RUN_LOCK_FILE = '.cvs-run.lock';

/** A lock older than this is stale whoever holds it (a run that hung or a machine that went away). */
export const DEFAULT_STALE_AFTER_HOURS = 12;

/** What the lock file holds. */
export interface RunLockInfo {
  pid: number;
  host: string;
  /** ISO time the holder started. */
  startedAt: string;
  /** What holds it, e.g. `cvs run` (the pipeline name). */
  command: string;
  /** Random id of this holder, so a release never removes someone else's lock. */
  token: string;
}

/** Another process holds the output folder's run lock (exit code 3: busy, try again later). */
export class RunLockedError extends CvsError {
  override readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'RunLockedError';
  }
}

/** Options of acquireRunLock. */
export interface RunLockOptions {
  /** @default DEFAULT_STALE_AFTER_HOURS */
  readonly staleAfterHours?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default os.hostname() */
  readonly host?: string;
}

/** True when a process with this pid runs on this machine (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** An unreadable lock file younger than this may still be being written by its holder. */
const UNREADABLE_GRACE_MS = 60_000;

/**
 * Why a lock is stale, or null when it holds: its process is gone (same host), it is older than the stale limit, or
 * the file has been unreadable for over a minute (a holder that died while writing it).
 */
export function staleReason(
  info: RunLockInfo | null,
  host: string,
  nowMs: number,
  staleAfterHours: number,
  fileAgeMs = Number.POSITIVE_INFINITY,
): string | null {
  if (info === null) return fileAgeMs > UNREADABLE_GRACE_MS ? 'the lock file is unreadable' : null;
  if (info.host === host && !alive(info.pid)) return `process ${info.pid} is no longer running`;
  const ageHours = (nowMs - Date.parse(info.startedAt)) / 3_600_000;
  if (!(ageHours <= staleAfterHours))
    return `it is older than ${staleAfterHours} hours (started ${info.startedAt})`;
  return null;
}

async function readLock(path: string): Promise<RunLockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as RunLockInfo;
    return typeof info.pid === 'number' && typeof info.startedAt === 'string' ? info : null;
  } catch {
    return null;
  }
}

/**
 * Takes the run lock of an output folder (`OUT/.cvs-run.lock`, created exclusively, holding pid, host, start time
 * and command). A stale lock (its process gone on this host, or older than `staleAfterHours`) is replaced, with a
 * note to `log`; a live one refuses with RunLockedError naming its holder. Returns the release function, which
 * removes the lock only while it is still this holder's.
 */
export async function acquireRunLock(
  out: string,
  command: string,
  log: (message: string) => void = () => {},
  opts: RunLockOptions = {},
): Promise<() => Promise<void>> {
  const path = join(out, RUN_LOCK_FILE);
  const host = opts.host ?? hostname();
  const now = opts.now ?? Date.now;
  const staleAfter = opts.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
  const info: RunLockInfo = {
    pid: process.pid,
    host,
    startedAt: new Date(now()).toISOString(),
    command,
    token: randomUUID(),
  };
  await mkdir(out, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(info)}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await readLock(path);
    const fileAge = await stat(path).then(
      (st) => now() - st.mtimeMs,
      () => 0,
    );
    const stale = staleReason(held, host, now(), staleAfter, fileAge);
    if (stale === null || attempt > 0) {
      const who = held
        ? `${held.command} (pid ${held.pid} on ${held.host}, started ${held.startedAt})`
        : 'another process';
      throw new RunLockedError(
        `output folder ${out} is in use by ${who}: one run per output folder at a time, so no alert is sent twice. Wait for it to finish, or if it is gone remove ${path}`,
      );
    }
    log(`replacing a stale run lock ${path}: ${stale}`);
    await rm(path, { force: true });
  }
  return async () => {
    const current = await readLock(path);
    if (current?.token === info.token) await rm(path, { force: true });
  };
}

/** Runs `fn` holding the output folder's run lock; the lock is released however `fn` ends. */
export async function withRunLock<T>(
  out: string,
  command: string,
  log: ((message: string) => void) | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const release = await acquireRunLock(out, command, log);
  try {
    return await fn();
  } finally {
    await release();
  }
}
