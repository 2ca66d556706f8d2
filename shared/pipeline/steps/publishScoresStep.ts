import { readCsvRows, writeCsvRows } from '../../io/csvTable.ts';
import type { Row, ScoreRecord } from '../../ports/index.ts';
import { codeVersion } from '../codeVersion.ts';
import type { StepFn } from '../types.ts';
import { ACCOUNT_SCORES_KEY, DATA_QUALITY_KEY, FEATURES_KEY, MANIFEST_KEY } from './keys.ts';

/** Merges the per-account part tables by account_id, features first; a column already present is not replaced. */
export function mergeParts(parts: readonly Row[][]): { rows: Row[]; columns: string[] } {
  const [base, ...rest] = parts;
  const columns = base.length ? Object.keys(base[0]) : [];
  const byId = new Map<string, Row>(base.map((r) => [String(r.account_id), { ...r }]));
  for (const part of rest) {
    const newCols = part.length ? Object.keys(part[0]).filter((c) => !columns.includes(c)) : [];
    columns.push(...newCols);
    for (const r of part) {
      const target = byId.get(String(r.account_id));
      if (!target) continue;
      for (const c of newCols) target[c] = r[c];
    }
  }
  return { rows: [...byId.values()], columns };
}

/** The input files recorded in the data-quality report (key, size, sha256), for the manifest. */
function inputFiles(report: unknown): unknown[] {
  const tables = (report as { tables?: Record<string, { files?: unknown[] }> })?.tables ?? {};
  return Object.values(tables).flatMap((t) => t.files ?? []);
}

/**
 * Step publish-scores: merges every part into account_scores.csv (+ Parquet copy), stores the run in the score
 * store, and writes manifest.json (inputs with size and hash, config, code version, row counts, step timings).
 */
export const publishScoresStep: StepFn = async (state, ctx) => {
  const started = Date.now();
  const keys = (await ctx.run.list('parts/')).map((o) => o.key).filter((k) => k.endsWith('.csv'));
  const ordered = [FEATURES_KEY, ...keys.filter((k) => k !== FEATURES_KEY).sort()];
  const parts = await Promise.all(ordered.map((k) => readCsvRows(ctx.run, k)));
  const { rows, columns } = mergeParts(parts);
  await writeCsvRows(ctx.run, ACCOUNT_SCORES_KEY, rows, columns);
  await ctx.ports.query.csvToParquet(
    ctx.run.locate(ACCOUNT_SCORES_KEY),
    ctx.run.locate(ACCOUNT_SCORES_KEY.replace(/\.csv$/, '.parquet')),
  );
  const records: ScoreRecord[] = rows.map((r) => ({ accountId: String(r.account_id), asOf: state.asOf, values: r }));
  await ctx.ports.scores.putRun(state.asOf, records);
  const dataQuality = JSON.parse(Buffer.from(await ctx.run.get(DATA_QUALITY_KEY)).toString('utf8'));
  const manifest = {
    asOf: state.asOf,
    runId: state.runId,
    codeVersion: codeVersion(),
    createdAt: new Date().toISOString(),
    inputs: inputFiles(dataQuality),
    config: ctx.config,
    rowCounts: { accounts: rows.length, parts: Object.fromEntries(ordered.map((k, i) => [k, parts[i].length])) },
    steps: { ...state.steps, 'publish-scores': { elapsedMs: Date.now() - started } },
    outputs: (await ctx.run.list('')).map((o) => o.key).concat(MANIFEST_KEY).sort(),
  };
  await ctx.run.put(MANIFEST_KEY, JSON.stringify(manifest, null, 2), 'application/json');
  return { accountScoresKey: ACCOUNT_SCORES_KEY, manifestKey: MANIFEST_KEY, accounts: rows.length };
};
