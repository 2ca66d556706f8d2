import { readCsvRows, toCsvBytes, writeCsvRows } from '../../io/csvTable.ts';
import type { ScoreRecord } from '../../ports/index.ts';
import type { StepFn } from '../types.ts';
import { ACCOUNT_SCORES_KEY, FEATURES_KEY } from './keys.ts';
import { mergeParts } from './parts.ts';

/** Step publish-scores: merges every part into account_scores.csv (+ Parquet copy) and stores the run's scores. */
export const publishScoresStep: StepFn = async (state, ctx) => {
  const keys = (await ctx.run.list('parts/')).map((o) => o.key).filter((k) => k.endsWith('.csv'));
  const ordered = [FEATURES_KEY, ...keys.filter((k) => k !== FEATURES_KEY).sort()];
  const parts = await Promise.all(ordered.map((k) => readCsvRows(ctx.run, k)));
  const { rows, columns } = mergeParts(parts);
  await ctx.run.put(ACCOUNT_SCORES_KEY, toCsvBytes(rows, columns, true), 'text/csv'); // raw, for the Parquet copy
  await ctx.ports.query.csvToParquet(
    ctx.run.locate(ACCOUNT_SCORES_KEY),
    ctx.run.locate(ACCOUNT_SCORES_KEY.replace(/\.csv$/, '.parquet')),
  );
  await writeCsvRows(ctx.run, ACCOUNT_SCORES_KEY, rows, columns); // the spreadsheet-safe deliverable
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
