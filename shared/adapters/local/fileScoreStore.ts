import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
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
    // Written in chunks of lines: one string of a million records would pass V8's string length limit.
    const out = createWriteStream(tmp);
    const CHUNK = 2000;
    for (let i = 0; i < records.length; i += CHUNK) {
      let text = '';
      for (const r of records.slice(i, i + CHUNK)) text += `${JSON.stringify(r)}\n`;
      if (!out.write(text)) await new Promise<void>((ok) => out.once('drain', () => ok()));
    }
    out.end();
    await finished(out);
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
