/**
 * Bench of the known-answer evaluation (`npm run bench -- evaluate`): for every world (and the default sample),
 * generates 1,000 accounts (seed 42 unless --seed) with their truth, runs `cvs run` in a child process and `cvs evaluate`, and
 * returns one row per world. A benchmark, not a test: nothing is asserted.
 *   --history-days N   generate N days of history ending at the as-of (default: the generator's 10 months)
 *   --worlds a,b       only these worlds (names of `cvs generate --world`, or `default`)
 *   --eval-accounts N  N accounts per world instead of 1,000
 *   --seed S           generate the worlds with seed S instead of 42 (another draw of every world: its latent values
 *                      and its exports)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { issue10Bars, type WorldTraits } from '../../shared/evaluate/bars.ts';
import {
  type Evaluation,
  evaluateRun,
  interval,
  writeEvaluation,
} from '../../shared/evaluate/index.ts';
import { generateSample, WORLD_NAMES, WORLDS } from '../../shared/generate/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AS_OF = '2024-10-31';

/** One world's figures. */
export interface EvaluationBenchRow {
  world: string;
  seconds: number;
  evaluation: Evaluation;
}

const f3 = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : x.toFixed(3);

function rate(e: Evaluation, h: '3m' | '6m', k: 'forecast' | 'allFlat' | 'persistence'): string {
  const v = e.trends[h].hitRates[k];
  return 'unavailable' in v ? 'n/a' : f3(v.hitRate);
}

/** forecast minus the better of all-Flat and persistence (the one with the higher hit rate), with its interval. */
function versusBest(e: Evaluation, h: '3m' | '6m'): string {
  const t = e.trends[h];
  const candidates = [
    ['Flat', t.vsAllFlat],
    ['pers', t.vsPersistence],
  ] as const;
  let best: (typeof candidates)[number] | null = null;
  for (const c of candidates) {
    if ('unavailable' in c[1] || c[1].reference === null) continue;
    if (
      best === null ||
      'unavailable' in best[1] ||
      (c[1].reference ?? 0) > (best[1].reference ?? 0)
    )
      best = c;
  }
  if (best === null || 'unavailable' in best[1]) return 'n/a';
  return `${interval(best[1])} vs ${best[0]}`;
}

function spearmanOf(e: Evaluation, s: 'value_index' | 'baseline_2d_score'): string {
  const v = e.spearman[s];
  return 'unavailable' in v ? 'n/a' : f3(v.rho);
}

function accuracyOf(
  e: Evaluation,
  s: 'p_high_value' | 'baseline_2d_score' | 'value_index',
): string {
  const v = e.highValue.methods[s];
  return 'unavailable' in v ? 'n/a' : f3(v.accuracy);
}

/** Accuracy of the truth-trained reference (a diagnostic that uses the truth, not a method). */
function referenceOf(e: Evaluation): string {
  const v = e.highValue.truthReference;
  return 'unavailable' in v ? 'n/a' : f3(v.accuracy);
}

/**
 * The trend truth-trained reference (a diagnostic that uses the truth, not a method) of a horizon: its hit rate
 * minus all-Flat's on its accounts, with the paired bootstrap 95% interval.
 */
function trendReferenceOf(e: Evaluation, h: '3m' | '6m'): string {
  const v = e.trends[h].truthReference;
  return v === undefined || 'unavailable' in v ? 'n/a' : interval(v.vsAllFlat);
}

/**
 * Accuracy of the stacked and the rank-mean probabilities (high_value_stacking.csv), n/a when the run's model has no
 * stacker (or, for the rank-mean, was trained before it existed).
 */
function stackedOf(e: Evaluation): string {
  const v = e.highValue.stacking;
  if ('unavailable' in v) return 'n/a';
  const r = v.p_rank_mean;
  return `${f3(v.p_stacked.accuracy)}/${'unavailable' in r ? 'n/a' : f3(r.accuracy)}`;
}

/** The printed table: one row per world. */
export function evaluationTable(rows: readonly EvaluationBenchRow[]): Record<string, string>[] {
  return rows.map(({ world, evaluation: e }) => ({
    world,
    'rho VI': spearmanOf(e, 'value_index'),
    'rho 2-D': spearmanOf(e, 'baseline_2d_score'),
    'HV acc model/2-D/VI': `${accuracyOf(e, 'p_high_value')}/${accuracyOf(e, 'baseline_2d_score')}/${accuracyOf(e, 'value_index')}`,
    'HV acc stacked/rank-mean': stackedOf(e),
    'HV acc truth-trained ref (diagnostic)': referenceOf(e),
    '3m fc/Flat/pers': `${rate(e, '3m', 'forecast')}/${rate(e, '3m', 'allFlat')}/${rate(e, '3m', 'persistence')}`,
    '3m fc - best ref [95%]': versusBest(e, '3m'),
    '6m fc/Flat/pers': `${rate(e, '6m', 'forecast')}/${rate(e, '6m', 'allFlat')}/${rate(e, '6m', 'persistence')}`,
    '6m fc - best ref [95%]': versusBest(e, '6m'),
    'trend truth-trained ref - Flat 3m (diagnostic)': trendReferenceOf(e, '3m'),
    'trend truth-trained ref - Flat 6m (diagnostic)': trendReferenceOf(e, '6m'),
  }));
}

/** The table as Markdown (ready for docs/evaluation.md). */
export function evaluationMarkdown(rows: readonly EvaluationBenchRow[]): string {
  const table = evaluationTable(rows);
  const keys = Object.keys(table[0] ?? {});
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(keys),
    line(keys.map(() => '---')),
    ...table.map((r) => line(keys.map((k) => r[k]))),
  ].join('\n');
}

/**
 * A world's traits for issue 10's bars: trends when some of its accounts follow a value trend (the default sample's
 * rising and declining archetypes count); usage or revenue carry the value in every world of the bench (in
 * `weak-usage` revenue does).
 */
export function worldTraits(world: string): WorldTraits {
  const spec = WORLDS[world];
  return { trends: spec ? spec.trendUp + spec.trendDown > 0 : true, signal: true };
}

/**
 * Issue 10's bars per world (shared/evaluate/bars.ts): yes / no / - (does not apply or cannot be read); with
 * `check` = referenceBars, the same thresholds read off the truth-trained references instead.
 */
export function barsMarkdown(
  rows: readonly EvaluationBenchRow[],
  check: typeof issue10Bars = issue10Bars,
): string {
  const checks = rows.map((r) => ({
    world: r.world,
    bars: check(r.evaluation, worldTraits(r.world)),
  }));
  const names = checks[0]?.bars.map((b) => b.bar) ?? [];
  const mark = (met: boolean | null) => (met === null ? '-' : met ? 'yes' : 'NO');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(['world', ...names]),
    line(['---', ...names.map(() => '---')]),
    ...checks.map((c) => line([c.world, ...c.bars.map((b) => mark(b.met))])),
  ].join('\n');
}

/** The worlds of the bench: every world and the default sample. */
export const BENCH_WORLDS: readonly string[] = [...WORLD_NAMES, 'default'];

/**
 * Generates, runs and evaluates every world with `accounts` accounts in `workDir/eval/<world>/` (with
 * `historyDays`: `workDir/eval-<N>d/<world>/`, N days of history ending at the as-of instead of 10 months; with
 * another number of accounts than 1,000: `workDir/eval-<A>a/<world>/`; with another seed than 42:
 * `workDir/eval-...-s<S>/<world>/`).
 */
export async function runEvaluationBench(
  workDir: string,
  accounts = 1000,
  worlds: readonly string[] = BENCH_WORLDS,
  historyDays?: number,
  seed = 42,
): Promise<EvaluationBenchRow[]> {
  const unknown = worlds.filter((w) => !BENCH_WORLDS.includes(w));
  if (unknown.length)
    throw new Error(`unknown world(s) ${unknown.join(', ')}; known: ${BENCH_WORLDS.join(', ')}`);
  const rows: EvaluationBenchRow[] = [];
  for (const world of worlds) {
    const t0 = performance.now();
    const folder = [
      'eval',
      ...(historyDays === undefined ? [] : [`${historyDays}d`]),
      ...(accounts === 1000 ? [] : [`${accounts}a`]),
      ...(seed === 42 ? [] : [`s${seed}`]),
    ].join('-');
    const dir = join(workDir, folder, world);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const data = join(dir, 'data');
    const truth = join(dir, 'truth.csv');
    const out = join(dir, 'out');
    await generateSample({
      outDir: data,
      accounts,
      seed,
      asOf: AS_OF,
      historyDays,
      world: world === 'default' ? undefined : world,
      truthFile: truth,
    });
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'shared/cli/main.ts'),
        'run',
        '--input',
        data,
        '--out',
        out,
        '--as-of',
        AS_OF,
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (res.status !== 0) throw new Error(`cvs run failed for world ${world}:\n${res.stderr}`);
    const evaluation = await evaluateRun({
      run: join(out, 'runs', AS_OF),
      truth,
      seed: 1,
    });
    await writeEvaluation(evaluation);
    const seconds = (performance.now() - t0) / 1000;
    console.error(`evaluated world ${world} in ${seconds.toFixed(0)} s`);
    rows.push({ world, seconds, evaluation });
  }
  return rows;
}
