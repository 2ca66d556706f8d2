import { readCsvRows, writeCsvRows } from '../../io/csvTable.ts';
import type { Row, ScoreRecord } from '../../ports/index.ts';
import type { StepFn } from '../types.ts';
import { ACCOUNT_SCORES_KEY, FEATURES_KEY } from './keys.ts';

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

/** Step publish-scores: merges every part into account_scores.csv (+ Parquet copy) and stores the run's scores. */
export const publishScoresStep: StepFn = async (state, ctx) => {
  const keys = (await ctx.run.list('parts/')).map((o) => o.key).filter((k) => k.endsWith('.csv'));
  const ordered = [FEATURES_KEY, ...keys.filter((k) => k !== FEATURES_KEY).sort()];
  const parts = await Promise.all(ordered.map((k) => readCsvRows(ctx.run, k)));
  const { rows, columns } = mergeParts(parts);
  await writeCsvRows(ctx.run, ACCOUNT_SCORES_KEY, rows, columns);
  await ctx.ports.query.csvToParquet(
    ctx.run.locate(ACCOUNT_SCORES_KEY),
    ctx.run.locate(ACCOUNT_SCORES_KEY.replace(/\.csv$/, '.parquet')),
  );
  const records: ScoreRecord[] = rows.map((r) => ({
    accountId: String(r.account_id),
    asOf: state.asOf,
    values: r,
  }));
  await ctx.ports.scores.putRun(state.asOf, records);
  return {
    accountScoresKey: ACCOUNT_SCORES_KEY,
    accounts: rows.length,
    parts: Object.fromEntries(ordered.map((k, i) => [k, parts[i].length])),
  };
};
