/**
 * One step of the daily pipeline in a process of its own, as one Lambda invocation runs it (`npm run bench --
 * --isolated`, isolated.ts). Reads a request file (JSON: input, out, memory limit, run state, step, snapshot folder),
 * runs the step through `runLocalStep` and writes a result file: the new run state and the step's own figures.
 *
 * The step's DuckDB is new. What earlier steps created in theirs is declared again before the step: views that read
 * the scratch folder of the process that made them (validate-inputs' clean views) from the Parquet copies in
 * the snapshot folder, the other views from their SQL. After the step, the views it created or replaced are copied the
 * same way; that copy is timed apart from the step (on AWS the validated views are Athena tables already).
 *
 * Figures: wall and CPU time of the step, peak RSS (the kernel's high-water mark, reset just before the step), RSS
 * when the step starts (Node, the loaded code and an open DuckDB), and the peak of the JS side (V8 heap plus external
 * buffers, sampled every 20 ms): on AWS a Lambda step holds the JS side, the SQL is Athena's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDbEngine } from '../../shared/adapters/local/duckdbEngine.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { runLocalStep } from '../../shared/pipeline/runLocal.ts';
import type { RunState } from '../../shared/pipeline/types.ts';
import type { Ports } from '../../shared/ports/index.ts';
import { sqlString } from '../../shared/sql/literals.ts';

/** What isolated.ts asks of one child. */
export interface StepRequest {
  readonly input: string;
  readonly out: string;
  readonly memoryLimit?: string;
  readonly state: RunState;
  readonly step: string;
  /** Folder of the Parquet copies and `views.json` (what earlier steps declared). */
  readonly snapshot: string;
}

/** A view declared again in the next process: from its Parquet copy, or by its SQL. */
export interface SnapshotView {
  readonly name: string;
  readonly parquet?: string;
  readonly sql?: string;
}

/** What one child reports. */
export interface StepResult {
  readonly state: RunState;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly startRssMb: number;
  readonly peakJsMb: number;
  /** Seconds spent copying the views the step created to Parquet (not part of the step's figures). */
  readonly snapshotSeconds: number;
}

const MB = 1024 * 1024;

/** The kernel's high-water mark of this process's RSS, in KiB (maxRSS where /proc is not there). */
function hwmKb(): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/** Resets the high-water mark to the current RSS (Linux 4.0+); silently not done elsewhere. */
function resetHwm(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the figure is the process's peak so far
  }
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The views of the snapshot so far. */
function readViews(snapshot: string): SnapshotView[] {
  const file = join(snapshot, 'views.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SnapshotView[]) : [];
}

/** Declares the snapshot's views in a new DuckDB: Parquet copies first, then the views defined by SQL, in order. */
async function declareViews(engine: DuckDbEngine, views: readonly SnapshotView[]): Promise<void> {
  for (const v of views.filter((v) => v.parquet))
    await engine.execute(
      `CREATE OR REPLACE VIEW ${v.name} AS SELECT * FROM read_parquet(${sqlString(v.parquet ?? '')})`,
    );
  for (const v of views.filter((v) => v.sql)) await engine.execute(v.sql ?? '');
}

/**
 * Copies the views this process created or replaced: a view that reads a table or a file of this process's DuckDB
 * (both die with it: validate-inputs' clean views read Parquet files of its scratch folder) to Parquet, any other
 * view by its SQL. Returns the snapshot's views after the step.
 */
async function snapshotViews(
  engine: DuckDbEngine,
  snapshot: string,
  before: readonly SnapshotView[],
): Promise<SnapshotView[]> {
  const tables = (
    await engine.query('SELECT table_name FROM duckdb_tables() WHERE NOT internal')
  ).map((r) => String(r.table_name));
  const views = await engine.query(
    'SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_oid',
  );
  const known = new Map(before.map((v) => [v.name, v]));
  for (const r of views) {
    const name = String(r.view_name);
    const sql = String(r.sql);
    if (sql.includes(snapshot)) continue; // declared from the snapshot, unchanged
    const old = known.get(name);
    const replaced = `CREATE OR REPLACE VIEW${sql.replace(/^CREATE VIEW/i, '')}`;
    if (old?.sql === replaced) continue;
    known.delete(name);
    const dies =
      sql.includes(engine.scratchDir) ||
      tables.some((t) => new RegExp(`\\b${t}\\b`, 'i').test(sql));
    if (dies) {
      const parquet = join(snapshot, `${name}.parquet`);
      await engine.exportTo(`SELECT * FROM ${name}`, parquet, 'parquet');
      known.set(name, { name, parquet });
    } else {
      known.set(name, { name, sql: replaced });
    }
  }
  return [...known.values()];
}

/** Runs the request of `requestFile` and writes its result to `resultFile`. */
export async function runStepChild(requestFile: string, resultFile: string): Promise<void> {
  const req = JSON.parse(readFileSync(requestFile, 'utf8')) as StepRequest;
  const config = parseConfig(req.memoryLimit ? { engine: { memoryLimit: req.memoryLimit } } : {});
  const views = readViews(req.snapshot);
  let t0 = 0;
  let c0 = 0;
  let startRss = 0;
  let peakJs = 0;
  let figures = { wall: 0, cpu: 0, hwmKb: 0 };
  let snapshotSeconds = 0;
  const sampleJs = (): void => {
    const m = process.memoryUsage();
    peakJs = Math.max(peakJs, m.heapTotal + m.external);
  };
  const sampler = setInterval(sampleJs, 20);
  sampler.unref();
  const state = await runLocalStep({
    input: req.input,
    out: req.out,
    config,
    state: req.state,
    step: req.step,
    log: (m) => process.stderr.write(`${m}\n`),
    before: async (ports: Ports) => {
      await declareViews(ports.query as DuckDbEngine, views);
      global.gc?.();
      resetHwm();
      startRss = process.memoryUsage().rss;
      peakJs = 0;
      sampleJs();
      c0 = cpuSeconds();
      t0 = performance.now();
    },
    after: async (ports: Ports) => {
      sampleJs();
      figures = { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, hwmKb: hwmKb() };
      const s0 = performance.now();
      const after = await snapshotViews(ports.query as DuckDbEngine, req.snapshot, views);
      writeFileSync(join(req.snapshot, 'views.json'), JSON.stringify(after, null, 1));
      snapshotSeconds = (performance.now() - s0) / 1000;
    },
  });
  clearInterval(sampler);
  const result: StepResult = {
    state,
    wallSeconds: figures.wall,
    cpuSeconds: figures.cpu,
    peakRssMb: figures.hwmKb / 1024,
    startRssMb: startRss / MB,
    peakJsMb: peakJs / MB,
    snapshotSeconds,
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

if (process.argv[1]?.endsWith('stepChild.ts')) {
  const [requestFile, resultFile] = process.argv.slice(2);
  if (!requestFile || !resultFile) throw new Error('usage: stepChild.ts REQUEST.json RESULT.json');
  await runStepChild(requestFile, resultFile);
}
