import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

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

/** SHA-256 of every file under a folder, by relative path (to prove a folder unchanged). */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
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
