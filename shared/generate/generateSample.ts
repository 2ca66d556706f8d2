/**
 * `cvs generate`: writes a deterministic, realistic sample of the exports CVS reads (dbt_pendo tables and raw
 * Salesforce tables) in the input layout `OUT/<source>/<table>/part-0000.csv`, plus `_generator.json` and the
 * test-only ground truth `_truth/accounts.csv`. The sample is written to a temporary sibling folder and renamed
 * into place, so a half-written sample is never left; a non-empty folder that is not a previous sample is refused.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type ColumnDef, type SourceName, type TableDef, tableDef } from '../contract/tables.ts';
import { CvsError } from '../errors.ts';
import { dailyMetricsRows } from './dailyMetricsRows.ts';
import { emptyFeatureStats, pendoFeatureRows, visitorFeatureRows } from './featureRows.ts';
import { dayText, parseDay } from './format.ts';
import { pendoAccountRows } from './pendoAccountRows.ts';
import { fillVisitorMetrics, pendoVisitorRows } from './pendoVisitorRows.ts';
import {
  salesforceAccountRows,
  salesforceContactRows,
  salesforceOpportunityRows,
  sfAccountDeleted,
} from './salesforceAccountRows.ts';
import { salesforceEventRows, salesforceTaskRows } from './salesforceActivityRows.ts';
import { buildWorld, type SampleWorld } from './sampleWorld.ts';
import { type SampleRow, writeCsvTable } from './writeCsvTable.ts';

/** Options of `generateSample`. */
export interface GenerateOptions {
  /** Folder to create (or replace, when it holds a previous sample). */
  outDir: string;
  /** Number of Pendo accounts, >= 1. @default 1000 */
  accounts?: number;
  /** Seed of every random draw; same options, byte-identical files. @default 42 */
  seed?: number;
  /** Last day of the data, YYYY-MM-DD. @default '2024-10-31' */
  asOf?: string;
  /** Months of daily metrics ending at asOf, 1-60. @default 10 */
  months?: number;
  /** Called with a short progress message per table written. */
  onProgress?: (msg: string) => void;
}

/** What `generateSample` wrote: the folder, account and visitor counts, rows per `<source>/<table>`. */
export interface GenerateSummary {
  outDir: string;
  accounts: number;
  visitors: number;
  rows: Record<string, number>;
  truthFile: string;
}

/** The output folder exists, is not empty and holds no `_generator.json`: it is not ours to overwrite. */
export class OutputFolderNotEmptyError extends CvsError {
  override readonly exitCode = 2;
  constructor(dir: string) {
    super(
      `refusing to write the sample into ${dir}: the folder is not empty and is not a previous sample (no _generator.json)`,
    );
    this.name = 'OutputFolderNotEmptyError';
  }
}

/** Name of the marker file that makes a folder a generated sample. */
export const GENERATOR_MARKER = '_generator.json';

const TRUTH_COLUMNS: ColumnDef[] = [
  { name: 'account_id', type: 'varchar' },
  { name: 'archetype', type: 'varchar' },
  { name: 'latent_value', type: 'double' },
  { name: 'growth_factor', type: 'double' },
  { name: 'first_event_on', type: 'date' },
  { name: 'dormant_from', type: 'date' },
  { name: 'never_active', type: 'boolean' },
  { name: 'visitor_count', type: 'bigint' },
  { name: 'crm_link', type: 'varchar' },
  { name: 'salesforce_account_id', type: 'varchar' },
  { name: 'has_crm', type: 'boolean' },
];
const TRUTH_TABLE: TableDef = {
  source: 'pendo',
  name: '_truth/accounts',
  grain: 'one row per Pendo account',
  key: ['account_id'],
  columns: TRUTH_COLUMNS,
};

function* truthRows(world: SampleWorld): Generator<SampleRow> {
  const sfById = new Map(world.sf.map((a) => [a.id, a]));
  for (const acc of world.accounts) {
    if (!acc.inPendo) continue;
    const sf = acc.linkId ? sfById.get(acc.linkId) : undefined;
    yield {
      account_id: acc.id,
      archetype: acc.archetype,
      latent_value: acc.value,
      growth_factor: acc.growth,
      first_event_on: acc.startDay >= 0 ? dayText(acc.startDay) : null,
      dormant_from: acc.dormantFrom >= 0 ? dayText(acc.dormantFrom) : null,
      never_active: acc.startDay < 0,
      visitor_count: acc.visitorCount,
      crm_link: acc.crmLink,
      salesforce_account_id: acc.linkId,
      has_crm: sf !== undefined && !sfAccountDeleted(world, sf),
    };
  }
}

/** Throws unless `dir` is absent, empty, or a previous sample (marker present and ours). */
async function assertReplaceable(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (entries.length === 0) return true;
  try {
    const marker = JSON.parse(await readFile(join(dir, GENERATOR_MARKER), 'utf8')) as {
      generator?: unknown;
    };
    if (marker.generator === 'cvs generate') return true;
  } catch {
    // no readable marker: fall through to the refusal
  }
  throw new OutputFolderNotEmptyError(dir);
}

function checkOptions(opts: GenerateOptions): {
  accounts: number;
  seed: number;
  asOf: string;
  months: number;
} {
  const accounts = opts.accounts ?? 1000;
  const seed = opts.seed ?? 42;
  const asOf = opts.asOf ?? '2024-10-31';
  const months = opts.months ?? 10;
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new CvsError(`accounts must be an integer >= 1, got ${accounts}`);
  if (!Number.isInteger(seed)) throw new CvsError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(months) || months < 1 || months > 60)
    throw new CvsError(`months must be an integer 1-60, got ${months}`);
  parseDay(asOf);
  return { accounts, seed, asOf, months };
}

/** Generates the sample into `opts.outDir` (see the module comment) and returns what was written. */
export async function generateSample(opts: GenerateOptions): Promise<GenerateSummary> {
  const o = checkOptions(opts);
  const outDir = resolve(opts.outDir);
  const progress = opts.onProgress ?? (() => {});
  const existed = await assertReplaceable(outDir);
  const tmp = join(dirname(outDir), `.${basename(outDir)}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  const rows: Record<string, number> = {};
  try {
    const world = buildWorld({
      accounts: o.accounts,
      seed: o.seed,
      asOfDay: parseDay(o.asOf),
      months: o.months,
    });
    progress(
      `world: ${o.accounts} accounts, ${world.visitors.length} visitors, ${world.sf.length} Salesforce accounts`,
    );
    const write = async (
      source: SourceName,
      name: string,
      data: Iterable<SampleRow>,
    ): Promise<void> => {
      const n = await writeCsvTable(
        join(tmp, source, name, 'part-0000.csv'),
        tableDef(source, name),
        data,
      );
      rows[`${source}/${name}`] = n;
      progress(`${source}/${name}: ${n} rows`);
    };
    // Order matters: each pass fills what a later table reports (roll-ups, visitor usage, feature stats).
    await write('pendo', 'pendo__account_daily_metrics', dailyMetricsRows(world));
    fillVisitorMetrics(world);
    await write('pendo', 'pendo__visitor', pendoVisitorRows(world));
    const stats = emptyFeatureStats(world.catalogue.features.length);
    await write('pendo', 'pendo__visitor_feature', visitorFeatureRows(world, stats));
    await write('pendo', 'pendo__feature', pendoFeatureRows(world, stats));
    await write('pendo', 'pendo__account', pendoAccountRows(world));
    const lastActivity = new Int32Array(world.sf.length).fill(-1);
    await write('salesforce', 'contact', salesforceContactRows(world));
    await write('salesforce', 'opportunity', salesforceOpportunityRows(world));
    await write('salesforce', 'task', salesforceTaskRows(world, lastActivity));
    await write('salesforce', 'event', salesforceEventRows(world, lastActivity));
    await write('salesforce', 'account', salesforceAccountRows(world, lastActivity));
    const truthFile = join(outDir, '_truth', 'accounts.csv');
    await writeCsvTable(join(tmp, '_truth', 'accounts.csv'), TRUTH_TABLE, truthRows(world));
    const marker = {
      generator: 'cvs generate',
      version: 1,
      options: o,
      visitors: world.visitors.length,
      rows,
    };
    await writeFile(join(tmp, GENERATOR_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // Swap in the new sample: the previous one (or the empty folder) moves aside first, then goes.
    const old = `${tmp}.old`;
    if (existed) await rename(outDir, old);
    await rename(tmp, outDir);
    if (existed) await rm(old, { recursive: true, force: true });
    return { outDir, accounts: o.accounts, visitors: world.visitors.length, rows, truthFile };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
