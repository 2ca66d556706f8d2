import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ScoreRecord, ScoreStore } from '../../ports/index.ts';

/** The local score store: one JSON-lines file per run date under a folder; a re-run replaces its file. */
export class FileScoreStore implements ScoreStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  async putRun(asOf: string, records: readonly ScoreRecord[]): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const tmp = join(this.root, `.${asOf}.${process.pid}.tmp`);
    await writeFile(
      tmp,
      records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''),
    );
    await rename(tmp, join(this.root, `${asOf}.jsonl`));
  }

  async listRuns(): Promise<string[]> {
    try {
      return (await readdir(this.root))
        .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
        .map((f) => f.slice(0, 10))
        .sort();
    } catch {
      return [];
    }
  }

  async getRun(asOf: string): Promise<ScoreRecord[]> {
    let text: string;
    try {
      text = await readFile(join(this.root, `${asOf}.jsonl`), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ScoreRecord);
  }
}
