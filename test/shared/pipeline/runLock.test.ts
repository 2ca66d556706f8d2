import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireRunLock,
  RUN_LOCK_FILE,
  RunLockedError,
  withRunLock,
} from '../../../shared/pipeline/runLock.ts';

const lockOf = (pid: number, startedAt: string, host = hostname()) =>
  JSON.stringify({ pid, host, startedAt, command: 'daily pipeline', token: 'other' });

describe('Function: acquireRunLock', () => {
  const dirs: string[] = [];
  const outDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'cvs-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes pid, host and start time, and removes the lock on release', async () => {
    // Prepare
    const out = outDir();
    // Act
    const release = await acquireRunLock(out, 'daily pipeline');
    const info = JSON.parse(readFileSync(join(out, RUN_LOCK_FILE), 'utf8'));
    await release();
    // Assess
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), command: 'daily pipeline' });
    expect(Number.isNaN(Date.parse(info.startedAt))).toBe(false);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
  });

  it('refuses a second holder while the first runs, naming the holder, with exit code 3', async () => {
    // Prepare: a live process (this one) holds the lock since now
    const out = outDir();
    writeFileSync(join(out, RUN_LOCK_FILE), lockOf(process.pid, new Date().toISOString()));
    // Act
    const err = await acquireRunLock(out, 'daily pipeline').catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as RunLockedError).exitCode).toBe(3);
    expect((err as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(true); // not removed
  });

  it('replaces the lock of a process that is gone on this host', async () => {
    // Prepare: the pid of a child that has exited
    const out = outDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(out, RUN_LOCK_FILE), lockOf(dead, new Date().toISOString()));
    const notes: string[] = [];
    // Act
    const release = await acquireRunLock(out, 'daily pipeline', (m) => notes.push(m));
    // Assess
    expect(notes[0]).toContain(`process ${dead} is no longer running`);
    expect(JSON.parse(readFileSync(join(out, RUN_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('replaces a lock older than the stale limit, even from another host', async () => {
    // Prepare: another host's lock started 13 hours ago (limit 12)
    const out = outDir();
    const now = Date.parse('2024-10-31T12:00:00Z');
    writeFileSync(join(out, RUN_LOCK_FILE), lockOf(1, '2024-10-30T23:00:00.000Z', 'other-host'));
    // Act
    const release = await acquireRunLock(out, 'daily pipeline', undefined, { now: () => now });
    // Assess
    expect(JSON.parse(readFileSync(join(out, RUN_LOCK_FILE), 'utf8')).host).toBe(hostname());
    await release();
  });

  it('keeps a lock of another host that is younger than the stale limit', async () => {
    // Prepare: 11 hours old, on a host whose processes we cannot see
    const out = outDir();
    const now = Date.parse('2024-10-31T12:00:00Z');
    writeFileSync(join(out, RUN_LOCK_FILE), lockOf(1, '2024-10-31T01:00:00.000Z', 'other-host'));
    // Act & Assess
    await expect(
      acquireRunLock(out, 'daily pipeline', undefined, { now: () => now }),
    ).rejects.toThrow(/in use by daily pipeline \(pid 1 on other-host/);
  });

  it('lets exactly one of two concurrent holders in, and releases after a failure', async () => {
    // Prepare
    const out = outDir();
    let inside = 0;
    const job = () =>
      withRunLock(out, 'daily pipeline', undefined, async () => {
        inside++;
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('step failed');
      });
    // Act
    const results = await Promise.allSettled([job(), job()]);
    // Assess: one ran (and failed in its step), the other was refused; the lock is gone
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : null));
    expect(inside).toBe(1);
    expect(reasons.filter((e) => e instanceof RunLockedError)).toHaveLength(1);
    expect(reasons.filter((e) => (e as Error).message === 'step failed')).toHaveLength(1);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
  });
});
