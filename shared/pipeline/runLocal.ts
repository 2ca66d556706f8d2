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
import type { PipelineDecl, RunState, StepContext, StepDecl, StepFn } from './types.ts';

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
        state = await runStep(step, state, fn, ctx);
        log(`      done in ${((state.steps[step.name]?.elapsedMs as number) / 1000).toFixed(1)} s`);
      }
      const finalDir = await moveStagedRun(opts.out, runId, folder);
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

/**
 * Runs one declared step and records its output: a `perShard` step runs every shard one after another, unless the
 * state names one shard (`state.shard`), which then runs alone.
 */
async function runStep(
  step: StepDecl,
  state: RunState,
  fn: StepFn,
  ctx: StepContext,
): Promise<RunState> {
  const started = Date.now();
  const output =
    step.perShard && state.shard === undefined
      ? await runPerShard(step, state, fn, ctx)
      : await fn(state, ctx);
  const elapsedMs = Date.now() - started;
  return { ...state, steps: { ...state.steps, [step.name]: { ...output, elapsedMs } } };
}

/**
 * Moves a staged run (`OUT/staging/<run id>/`) to `OUT/runs/<folder>/`, replacing an earlier run of that folder
 * (renamed aside first, deleted after); returns the final folder.
 */
export async function moveStagedRun(out: string, runId: string, folder: string): Promise<string> {
  const runsDir = join(out, 'runs');
  const finalDir = join(runsDir, folder);
  const oldDir = join(runsDir, `.old-${folder}-${runId}`);
  if (existsSync(finalDir)) await rename(finalDir, oldDir);
  await mkdir(runsDir, { recursive: true });
  await rename(join(out, ...stagingPrefix(runId).split('/')), finalDir);
  await rm(oldDir, { recursive: true, force: true });
  await rmdir(join(out, 'staging')).catch(() => {}); // only when no other run is staged
  return finalDir;
}

/** Options of `runLocalStep`. */
export interface LocalStepOptions {
  readonly input: string;
  readonly out: string;
  readonly config: CvsConfig;
  /** The run state so far (`runId` names the staging folder `OUT/staging/<run id>/` the step writes into). */
  readonly state: RunState;
  /** A step of the pipeline; with `state.shard` set, a `perShard` step runs that one shard only. */
  readonly step: string;
  /** @default the daily pipeline */
  readonly pipeline?: PipelineDecl;
  readonly log?: (message: string) => void;
  /** Called with the ports before the step (e.g. to declare tables an earlier process left). */
  readonly before?: (ports: Ports) => Promise<void>;
  /** Called with the ports after the step, before they are closed. */
  readonly after?: (ports: Ports) => Promise<void>;
}

/**
 * Runs one step of a pipeline on fresh local ports, as one Lambda invocation does in AWS: the step writes into the
 * staged run folder of `state.runId` and the state with its output is returned (a skipped step records why). The
 * caller moves the staged run into place (`moveStagedRun`) once every step has run. The DuckDB of these ports is new:
 * what earlier steps created in theirs must be declared again by `before`.
 */
export async function runLocalStep(opts: LocalStepOptions): Promise<RunState> {
  const pipeline = opts.pipeline ?? dailyPipeline;
  const step = pipeline.steps.find((s) => s.name === opts.step);
  const fn = STEP_IMPLEMENTATIONS[opts.step];
  if (!step || !fn)
    throw new CvsError(`step ${opts.step} is not a step of the ${pipeline.name} pipeline`);
  const skipped = skipReason(step, opts.state);
  if (skipped) return { ...opts.state, steps: { ...opts.state.steps, [step.name]: { skipped } } };
  const ports = await openLocalPorts(opts.input, opts.out, opts.config);
  try {
    await opts.before?.(ports);
    const run = new FolderStore(join(opts.out, ...stagingPrefix(opts.state.runId).split('/')));
    const ctx: StepContext = { ports, config: opts.config, run, log: opts.log ?? (() => {}) };
    const state = await runStep(step, opts.state, fn, ctx);
    await opts.after?.(ports);
    return state;
  } finally {
    await ports.query.close();
  }
}
