import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { CvsError } from '../../errors.ts';
import type { ScoreRecord, ScoreRunPlan, ScoreStore } from '../../ports/index.ts';
import { isLatestRun, putRunAsOneShard } from '../scoreRun.ts';

/**
 * The local score store: one JSON-lines file per run date under a folder; a re-run replaces its file. A run written
 * in shards collects them in `.<as-of>.shards/` and becomes `<as-of>.jsonl` at endRun (shards in name order).
 */
export class FileScoreStore implements ScoreStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  async putRun(asOf: string, records: readonly ScoreRecord[]): Promise<void> {
    await putRunAsOneShard(this, asOf, records);
  }

  /** Empties the run's shard folder (left by a failed run); the file itself is replaced whole at endRun. */
  async beginRun(asOf: string, _accountIds: readonly string[] = []): Promise<ScoreRunPlan> {
    const runs = await this.listRuns();
    await rm(this.shardDir(asOf), { recursive: true, force: true });
    await mkdir(this.shardDir(asOf), { recursive: true });
    return { isLatest: isLatestRun(runs, asOf) };
  }

  async putShard(
    asOf: string,
    shard: string,
    records: readonly ScoreRecord[],
    _plan: ScoreRunPlan,
  ): Promise<void> {
    const dir = this.shardDir(asOf);
    await mkdir(dir, { recursive: true });
    const name = shard.replace(/[^A-Za-z0-9._-]/g, '_');
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
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
    await rename(tmp, join(dir, `${name}.jsonl`));
  }

  /** Joins the shards in name order into `<as-of>.jsonl`; throws when they do not hold `accounts` records. */
  async endRun(asOf: string, _plan: ScoreRunPlan, accounts: number): Promise<void> {
    const dir = this.shardDir(asOf);
    const shards = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    const tmp = join(this.root, `.${asOf}.${process.pid}.tmp`);
    const out = createWriteStream(tmp);
    let lines = 0;
    for (const f of shards) {
      for await (const chunk of createReadStream(join(dir, f))) {
        const buf = chunk as Buffer;
        for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) lines++;
        if (!out.write(buf)) await new Promise<void>((ok) => out.once('drain', () => ok()));
      }
    }
    out.end();
    await finished(out);
    if (lines !== accounts) {
      await rm(tmp, { force: true });
      throw new CvsError(
        `score store: the shards of ${asOf} hold ${lines} records, the run has ${accounts}`,
      );
    }
    await rename(tmp, join(this.root, `${asOf}.jsonl`));
    await rm(dir, { recursive: true, force: true });
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

  /** Where the shards of a run being written are collected. */
  private shardDir(asOf: string): string {
    return join(this.root, `.${asOf}.shards`);
  }
}
