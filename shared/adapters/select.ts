import { join } from 'node:path';
import type { Ports } from '../ports/index.ts';

/**
 * The one place the local adapters are chosen: the local runner (run, train, score, refresh), backfill and the
 * report build their ports here. The Lambdas' ports are `awsPorts` in `./aws/ports.ts` (the only folder of
 * `shared/` that imports an AWS SDK). The local adapters are loaded lazily so a Lambda bundle never pulls in the
 * DuckDB native module.
 */

/** Folders and engine settings of the local adapters. */
export interface LocalPortsOptions {
  /** Folder with one sub-folder per source and table (the exports). */
  readonly input: string;
  /** Folder runs, models and deliverables are written to. */
  readonly output: string;
  /** Score store folder. @default `<output>/score-store` */
  readonly scores?: string;
  /** Outbox folder, one file per message. @default `<output>/outbox` */
  readonly outbox?: string;
  /** DuckDB threads. @default DuckDB's choice */
  readonly threads?: number;
  /** DuckDB memory limit (e.g. `2GB`); beyond it DuckDB spills to disk. @default defaultMemoryLimit() */
  readonly memoryLimit?: string;
  /**
   * Folder DuckDB's scratch folder (database file, spill files) is made in and removed from when the engine
   * closes. @default `output`
   */
  readonly scratchParent?: string;
}

/** Ports over folders, a file-backed DuckDB in a scratch folder, a file score store and an outbox. */
export async function localPorts(o: LocalPortsOptions): Promise<Ports> {
  const [{ FolderStore }, { DuckDbEngine }, { FileScoreStore }, { OutboxNotifier }] =
    await Promise.all([
      import('./local/folderStore.ts'),
      import('./local/duckdbEngine.ts'),
      import('./local/fileScoreStore.ts'),
      import('./local/outboxNotifier.ts'),
    ]);
  return {
    input: new FolderStore(o.input),
    output: new FolderStore(o.output),
    query: await DuckDbEngine.open({
      threads: o.threads,
      memoryLimit: o.memoryLimit,
      scratchParent: o.scratchParent ?? o.output,
    }),
    scores: new FileScoreStore(o.scores ?? join(o.output, 'score-store')),
    notifier: new OutboxNotifier(o.outbox ?? join(o.output, 'outbox')),
  };
}
