/**
 * `cvs generate`: writes a deterministic, realistic sample of the exports CVS reads (dbt_pendo tables and raw
 * Salesforce tables) in the input layout `OUT/<source>/<table>/part-0000.csv`, plus `_generator.json` and the
 * test-only ground truth `_truth/accounts.csv`. The sample is written to a temporary sibling folder and renamed
 * into place, so a half-written sample is never left; a non-empty folder that is not a previous sample is refused.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type ColumnDef, type SourceName, type TableDef, tableDef } from '../contract/tables.ts';
import { CvsError } from '../errors.ts';
import { truthRows as buildTruthRows, type TruthRow, writeTruthFile } from '../evaluate/truth.ts';
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
import { trendFactor } from './worldFactors.ts';
import { latentValueAt, VALUE_SCALE, type WorldSpec, worldSpec } from './worlds.ts';
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
  /** Months of daily metrics ending at asOf, 1-60 (not with `historyDays`). @default 10 */
  months?: number;
  /**
   * Days of daily metrics ending at asOf (asOf included), 1-1830, instead of `months`; e.g. 730 for a two-year
   * history. Absent: `months` months (10 by default: 2024-01-01..2024-10-31, 305 days, for the default asOf).
   */
  historyDays?: number;
  /** A known-answer world (worlds.ts, docs/evaluation.md); absent: the default sample, unchanged. */
  world?: string;
  /** Where to write the truth CSV (must lie outside `outDir`); absent: no truth file. */
  truthFile?: string;
  /** Called with a short progress message per table written. */
  onProgress?: (msg: string) => void;
}

/** What `generateSample` wrote: the folder, account and visitor counts, rows per `<source>/<table>`. */
export interface GenerateSummary {
  outDir: string;
  accounts: number;
  visitors: number;
  rows: Record<string, number>;
  /** The test-only `_truth/accounts.csv` inside the sample (default world only), or null. */
  truthFile: string | null;
  /** The `--truth` file written, or null. */
  truthOut: string | null;
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

/** The truth file would lie inside the sample folder, where the run reads its inputs (bad usage, exit 2). */
export class TruthInsideInputError extends CvsError {
  override readonly exitCode = 2;
  constructor(truth: string, dir: string) {
    super(
      `refusing to write the truth file ${truth} inside the sample folder ${dir}: the truth must stay outside the run's input (e.g. --truth ./truth.csv next to --out)`,
    );
    this.name = 'TruthInsideInputError';
  }
}

/** The longest history `historyDays` accepts (about the 60 months `months` accepts). */
export const MAX_HISTORY_DAYS = 1830;

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

/**
 * The truth of every Pendo account: in a world its latent value now and at +91 / +182 days; in the default sample
 * its static value times its activity multiplier (the archetype's trend continued past the as-of; 0 once dormant).
 */
export function sampleTruth(world: SampleWorld): TruthRow[] {
  const asOf = world.opts.asOfDay;
  const at = (acc: SampleWorld['accounts'][number], day: number): number =>
    world.span && acc.latent
      ? latentValueAt(acc.latent, world.span, day)
      : VALUE_SCALE * acc.value * trendFactor(world, acc, day);
  return buildTruthRows(
    world.spec?.name ?? 'default',
    world.accounts
      .filter((a) => a.inPendo)
      .map((a) => ({ id: a.id, now: at(a, asOf), m3: at(a, asOf + 91), m6: at(a, asOf + 182) })),
  );
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
  historyDays: number | undefined;
  world: WorldSpec | undefined;
} {
  const accounts = opts.accounts ?? 1000;
  const seed = opts.seed ?? 42;
  const asOf = opts.asOf ?? '2024-10-31';
  const months = opts.months ?? 10;
  const historyDays = opts.historyDays;
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new CvsError(`accounts must be an integer >= 1, got ${accounts}`);
  if (!Number.isInteger(seed)) throw new CvsError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(months) || months < 1 || months > 60)
    throw new CvsError(`months must be an integer 1-60, got ${months}`);
  if (historyDays !== undefined) {
    if (opts.months !== undefined)
      throw new CvsError('give the history length either in months or in days, not both');
    if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > MAX_HISTORY_DAYS)
      throw new CvsError(
        `history days must be an integer 1-${MAX_HISTORY_DAYS}, got ${historyDays}`,
      );
  }
  parseDay(asOf);
  const world = opts.world === undefined ? undefined : worldSpec(opts.world);
  return { accounts, seed, asOf, months, historyDays, world };
}

/** Generates the sample into `opts.outDir` (see the module comment) and returns what was written. */
export async function generateSample(opts: GenerateOptions): Promise<GenerateSummary> {
  const o = checkOptions(opts);
  const outDir = resolve(opts.outDir);
  const truthOut = opts.truthFile === undefined ? null : resolve(opts.truthFile);
  if (truthOut !== null) {
    const rel = relative(outDir, truthOut);
    const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
    if (!outside) throw new TruthInsideInputError(truthOut, outDir);
  }
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
      historyDays: o.historyDays,
      world: o.world,
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
    // The default sample keeps its test-only truth inside; a world's truth goes only to --truth, outside the input.
    const truthFile = o.world ? null : join(outDir, '_truth', 'accounts.csv');
    if (!o.world)
      await writeCsvTable(join(tmp, '_truth', 'accounts.csv'), TRUTH_TABLE, truthRows(world));
    // The marker records the history as given: months (as before) or, with historyDays, the days instead.
    const { world: spec, historyDays, months, ...rest } = o;
    const plain = historyDays === undefined ? { ...rest, months } : { ...rest, historyDays };
    const marker = {
      generator: 'cvs generate',
      version: 1,
      options: spec ? { ...plain, world: spec.name } : plain,
      visitors: world.visitors.length,
      rows,
    };
    await writeFile(join(tmp, GENERATOR_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // Swap in the new sample: the previous one (or the empty folder) moves aside first, then goes.
    const old = `${tmp}.old`;
    if (existed) await rename(outDir, old);
    await rename(tmp, outDir);
    if (existed) await rm(old, { recursive: true, force: true });
    if (truthOut !== null) {
      await writeTruthFile(truthOut, sampleTruth(world));
      progress(`truth: ${truthOut}`);
    }
    return {
      outDir,
      accounts: o.accounts,
      visitors: world.visitors.length,
      rows,
      truthFile,
      truthOut,
    };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
