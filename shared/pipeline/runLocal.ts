import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDbEngine } from '../adapters/local/duckdbEngine.ts';
import { FolderStore } from '../adapters/local/folderStore.ts';
import { localPorts } from '../adapters/select.ts';
import type { CvsConfig } from '../config/schema.ts';
import { ContractViolationError, CvsError } from '../errors.ts';
import type { Ports } from '../ports/index.ts';
import { sqlString } from '../sql/literals.ts';
import { checkRequestedAsOf } from './asOfCheck.ts';
import { dailyPipeline } from './declarations.ts';
import { runPerShard } from './perShard.ts';
import { runFolderName, stagingPrefix } from './runFolder.ts';
import { skipReason } from './runIf.ts';
import { withRunLock } from './runLock.ts';
import { STEP_IMPLEMENTATIONS } from './steps/index.ts';
import type { PipelineDecl, RunState, StepContext } from './types.ts';

/** Options of a local pipeline run. */
export interface LocalRunOptions {
  /** Folder with `pendo/<table>/` and `salesforce/<table>/` exports (never written). */
  readonly input: string;
  /** Output folder: `runs/<as-of>/`, `score-store/`, `outbox/`, `models/`. */
  readonly out: string;
  /** Run date; default: the newest event date found in the exports. */
  readonly asOf?: string;
  readonly config: CvsConfig;
  /** @default the daily pipeline */
  readonly pipeline?: PipelineDecl;
  /** Progress lines (step starts and ends). */
  readonly log?: (message: string) => void;
  /** Run even when asOf is far beyond the newest data date (asOfCheck.ts). @default false */
  readonly allowStale?: boolean;
}

/** What a local run returns: where its outputs are and each step's output. */
export interface LocalRunResult {
  readonly asOf: string;
  readonly runDir: string;
  readonly state: RunState;
}

/** The newest date in the given CSV columns of the exports (YYYY-MM-DD), or null when none is readable. */
async function newestDate(
  input: string,
  engine: DuckDbEngine,
  probes: readonly (readonly [string, string])[],
): Promise<string | null> {
  let best: string | null = null;
  for (const [folder, column] of probes) {
    if (!existsSync(join(input, folder))) continue;
    const readers = [
      `read_csv(${sqlString(join(input, folder, '*.csv'))}, header = true, all_varchar = true, union_by_name = true)`,
      `read_parquet(${sqlString(join(input, folder, '*.parquet'))}, union_by_name = true)`,
    ];
    for (const reader of readers) {
      try {
        const rows = await engine.query(
          `SELECT cast(max(try_cast(${column} AS date)) AS varchar) AS d FROM ${reader}`,
        );
        const d = rows[0]?.d;
        if (typeof d === 'string' && (best === null || d > best)) best = d;
      } catch {
        // no file of that format, or unreadable: validation reports unreadable files by name
      }
    }
  }
  return best;
}

/**
 * The run date the exports describe: the newest event date in the Pendo exports (pendo__account.last_event_on, daily
 * metrics date_day); without Pendo, the day the Salesforce account export was synced (`_fivetran_synced`); else today.
 */
export async function inferAsOf(input: string, engine: DuckDbEngine): Promise<string> {
  const pendo = await newestDate(input, engine, [
    ['pendo/pendo__account', 'last_event_on'],
    ['pendo/pendo__account_daily_metrics', 'date_day'],
  ]);
  const synced =
    pendo ?? (await newestDate(input, engine, [['salesforce/account', '_fivetran_synced']]));
  return synced ?? new Date().toISOString().slice(0, 10);
}

/**
 * Local ports of a run (see `localPorts`): the input folder, the output folder, a file-backed DuckDB with the
 * config's memory limit (scratch folder under `out`, removed on close), `out/score-store/` and `out/outbox/`.
 */
export async function openLocalPorts(
  input: string,
  out: string,
  config?: Pick<CvsConfig, 'engine'>,
): Promise<Ports> {
  return localPorts({ input, output: out, memoryLimit: config?.engine?.memoryLimit });
}

/**
 * Runs a declared pipeline in-process with the local adapters. Outputs are written to `OUT/staging/<run id>/` and moved
 * to `OUT/runs/<as-of>/` only when every step succeeded, replacing an earlier run of the same date (nothing it did not
 * write survives); other runs are kept. A failed run's staging folder is deleted.
 */
export async function runLocalPipeline(opts: LocalRunOptions): Promise<LocalRunResult> {
  if (!existsSync(opts.input))
    throw new ContractViolationError(`input folder ${opts.input} does not exist`);
  const command = `${opts.pipeline?.name ?? dailyPipeline.name} pipeline`;
  return withRunLock(opts.out, command, opts.log, () => runLocked(opts));
}

/** runLocalPipeline once the output folder's run lock is held (one run per output folder, runLock.ts). */
async function runLocked(opts: LocalRunOptions): Promise<LocalRunResult> {
  if (!existsSync(opts.input))
    throw new ContractViolationError(`input folder ${opts.input} does not exist`);
  const pipeline = opts.pipeline ?? dailyPipeline;
  const log = opts.log ?? (() => {});
  const ports = await openLocalPorts(opts.input, opts.out, opts.config);
  const runId = randomUUID();
  const runsDir = join(opts.out, 'runs');
  try {
    const engine = ports.query as DuckDbEngine;
    await checkRequestedAsOf(opts.asOf, opts.input, engine, opts.config, opts.allowStale);
    const asOf = opts.asOf ?? (await inferAsOf(opts.input, engine));
    const folder = runFolderName(pipeline.name, asOf);
    const run = new FolderStore(join(opts.out, ...stagingPrefix(runId).split('/')));
    const ctx: StepContext = { ports, config: opts.config, run, log };
    let state: RunState = { asOf, runId, runPrefix: `runs/${folder}/`, steps: {} };
    try {
      for (const [i, step] of pipeline.steps.entries()) {
        const fn = STEP_IMPLEMENTATIONS[step.name];
        if (!fn)
          throw new CvsError(
            `step ${step.name} of the ${pipeline.name} pipeline has no implementation`,
          );
        const skipped = skipReason(step, state);
        if (skipped) {
          state = { ...state, steps: { ...state.steps, [step.name]: { skipped } } };
          log(`[${i + 1}/${pipeline.steps.length}] ${step.name}: skipped, ${skipped}`);
          continue;
        }
        log(`[${i + 1}/${pipeline.steps.length}] ${step.name}: ${step.description}`);
        const started = Date.now();
        const output = step.perShard
          ? await runPerShard(step, state, fn, ctx)
          : await fn(state, ctx);
        const elapsedMs = Date.now() - started;
        state = { ...state, steps: { ...state.steps, [step.name]: { ...output, elapsedMs } } };
        log(`      done in ${(elapsedMs / 1000).toFixed(1)} s`);
      }
      const finalDir = join(runsDir, folder);
      const oldDir = join(runsDir, `.old-${folder}-${runId}`);
      if (existsSync(finalDir)) await rename(finalDir, oldDir);
      await mkdir(runsDir, { recursive: true });
      await rename(run.root, finalDir);
      await rm(oldDir, { recursive: true, force: true });
      await rmdir(join(opts.out, 'staging')).catch(() => {}); // only when no other run is staged
      return { asOf, runDir: finalDir, state };
    } catch (err) {
      await rm(run.root, { recursive: true, force: true });
      await rmdir(join(opts.out, 'staging')).catch(() => {});
      throw err;
    }
  } finally {
    await ports.query.close();
  }
}
