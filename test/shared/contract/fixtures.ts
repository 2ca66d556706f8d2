import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { validateInputs } from '../../../shared/contract/validate.ts';

/** Tiny valid CSV files for every non-optional Pendo table (required columns only), by key. */
export function pendoBase(): Record<string, string> {
  return {
    'pendo/pendo__account/part-1.csv': [
      'source_relation,account_id,agent_salesforceaccountid,count_associated_visitors,min_nps_rating,max_nps_rating,avg_nps_rating,count_active_visitors,count_active_days,count_active_months,sum_minutes,sum_events,average_daily_minutes,average_daily_events,first_event_on,last_event_on',
      'db.pendo,A1,001A,2,7,9,8.0,10,5,1,50,100,10.0,20.0,2024-01-01,2024-01-05',
      'db.pendo,A2,,1,,,,3,3,1,30,60,10.0,20.0,2024-01-02,2024-01-04',
    ].join('\n'),
    'pendo/pendo__visitor/part-1.csv': [
      'source_relation,visitor_id,account_id',
      'db.pendo,v1,A1',
      'db.pendo,v2,A2',
    ].join('\n'),
    'pendo/pendo__feature/part-1.csv': [
      'source_relation,feature_id,is_core_event',
      'db.pendo,F1,true',
      'db.pendo,F2,f',
    ].join('\n'),
    'pendo/pendo__visitor_feature/part-1.csv': [
      'source_relation,visitor_id,feature_id,product_area_id,sum_clicks,count_click_events',
      'db.pendo,v1,F1,PA1,5,2',
      'db.pendo,v2,F2,PA1,3,1',
    ].join('\n'),
  };
}

/** A fresh temp folder holding the given files (key -> content); returns its path. */
export async function writeInput(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cvs-contract-'));
  for (const [key, body] of Object.entries(files)) {
    const path = join(dir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
  return dir;
}

/** A fresh empty temp folder. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cvs-run-'));
}

/** SHA-256 of every file under a folder, by relative path (to prove a folder unchanged); a link by its target. */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isSymbolicLink()) out[relative(root, full)] = `link -> ${await readlink(full)}`;
      else
        out[relative(root, full)] = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
    }
  };
  await walk(root);
  return out;
}

/** Removes temp folders. */
export async function cleanup(dirs: readonly string[]): Promise<void> {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}

/** Options of one harness validation. */
export interface HarnessOptions {
  readonly asOf?: string;
  readonly linkColumn?: string;
  /** An engine the test already opened (e.g. to write a Parquet input); closed with the harness. */
  readonly engine?: DuckDbEngine;
}

/**
 * Runs validateInputs with DuckDB on temp folders; `close()` (in afterEach) releases every engine it opened and
 * removes every folder it made or was given to `track`.
 */
export function validationHarness() {
  const engines: DuckDbEngine[] = [];
  const dirs: string[] = [];
  const validateDir = async (inputDir: string, opts: HarnessOptions = {}) => {
    const runDir = await tempDir();
    dirs.push(runDir);
    const engine = opts.engine ?? (await DuckDbEngine.open({ threads: 2 }));
    if (!engines.includes(engine)) engines.push(engine);
    const report = await validateInputs({
      input: new FolderStore(inputDir),
      engine,
      run: new FolderStore(runDir),
      asOf: opts.asOf ?? '2024-02-01',
      linkColumn: opts.linkColumn ?? 'agent_salesforceaccountid',
    });
    return { report, runDir, inputDir, engine };
  };
  return {
    /** Validates an existing input folder into a fresh run folder. */
    validateDir,
    /** Writes the files to a fresh input folder and validates it. */
    async validate(files: Record<string, string | Uint8Array>, opts: HarnessOptions = {}) {
      const inputDir = await writeInput(files);
      dirs.push(inputDir);
      return validateDir(inputDir, opts);
    },
    /** Opens an engine that the harness closes. */
    async openEngine(threads = 2): Promise<DuckDbEngine> {
      const engine = await DuckDbEngine.open({ threads });
      engines.push(engine);
      return engine;
    },
    /** Removes a folder at close. */
    track(dir: string): void {
      dirs.push(dir);
    },
    async close(): Promise<void> {
      for (const e of engines.splice(0)) await e.close();
      await cleanup(dirs.splice(0));
    },
  };
}
