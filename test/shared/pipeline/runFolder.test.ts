import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discardStagedRun,
  FolderRunFolderStore,
  publishStagedRun,
  stagingPrefix,
} from '../../../shared/pipeline/runFolder.ts';

let root: string;
const write = (key: string, text: string) => {
  const path = join(root, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
const read = (key: string) => readFileSync(join(root, ...key.split('/')), 'utf8');
const has = (key: string) => existsSync(join(root, ...key.split('/')));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cvs-runfolder-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('Function: publishStagedRun', () => {
  it('replaces the run folder with the staged run: stale files and the old manifest are gone, staging too', async () => {
    // Prepare: an earlier run with a quarantine file and a promotion file this run does not write
    write('runs/2024-10-31/manifest.json', 'old');
    write('runs/2024-10-31/quarantine/pendo__account.csv', 'bad rows');
    write('runs/2024-10-31/model/promoted.json', 'p');
    write('runs/2024-10-31/account_scores.csv', 'old scores');
    write('staging/e2/account_scores.csv', 'new scores');
    write('staging/e2/manifest.json', 'new');
    const store = new FolderRunFolderStore(root);

    // Act
    const done = await publishStagedRun(store, 'staging/e2/', 'runs/2024-10-31/', 'manifest.json');

    // Assess
    expect(done).toEqual({ published: 2, removed: 2 });
    expect((await store.list('runs/')).map((o) => o.key)).toEqual([
      'runs/2024-10-31/account_scores.csv',
      'runs/2024-10-31/manifest.json',
    ]);
    expect(read('runs/2024-10-31/account_scores.csv')).toBe('new scores');
    expect(read('runs/2024-10-31/manifest.json')).toBe('new');
    expect(has('staging')).toBe(false);
  });

  it('leaves no manifest when it stops half-way, and a second attempt finishes the publish', async () => {
    // Prepare: the second copy fails once
    write('runs/2024-10-31/manifest.json', 'old');
    write('staging/e3/a.csv', 'a');
    write('staging/e3/b.csv', 'b');
    write('staging/e3/manifest.json', 'new');
    const folder = new FolderRunFolderStore(root);
    let copies = 0;
    const flaky = {
      list: (p: string) => folder.list(p),
      remove: (k: readonly string[]) => folder.remove(k),
      copy: async (from: string, to: string) => {
        if (++copies === 2) throw new Error('S3 503');
        await folder.copy(from, to);
      },
    };

    // Act
    await expect(
      publishStagedRun(flaky, 'staging/e3/', 'runs/2024-10-31/', 'manifest.json'),
    ).rejects.toThrow('S3 503');
    const halfway = has('runs/2024-10-31/manifest.json');
    await publishStagedRun(flaky, 'staging/e3/', 'runs/2024-10-31/', 'manifest.json');

    // Assess
    expect(halfway).toBe(false);
    expect(read('runs/2024-10-31/b.csv')).toBe('b');
    expect(read('runs/2024-10-31/manifest.json')).toBe('new');
  });

  it('refuses to publish a staged run without a manifest', async () => {
    // Prepare
    write('staging/e4/a.csv', 'a');

    // Act & Assess
    await expect(
      publishStagedRun(new FolderRunFolderStore(root), 'staging/e4/', 'runs/x/', 'manifest.json'),
    ).rejects.toThrow('staging/e4/manifest.json does not exist');
  });
});

describe('Function: discardStagedRun', () => {
  it('deletes only the staged run it is given', async () => {
    // Prepare
    write('staging/e5/parts/features.csv', 'f');
    write('staging/e6/x.csv', 'x');

    // Act
    const n = await discardStagedRun(new FolderRunFolderStore(root), stagingPrefix('e5'));

    // Assess
    expect(n).toBe(1);
    expect(has('staging/e5')).toBe(false);
    expect(has('staging/e6/x.csv')).toBe(true);
  });
});
