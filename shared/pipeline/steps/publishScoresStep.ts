import {
  type CsvTable,
  csvTableBytes,
  needsSpreadsheetQuote,
  readCsvTable,
} from '../../io/csvTable.ts';
import type { StepFn } from '../types.ts';
import { ACCOUNT_SCORES_KEY, FEATURES_KEY } from './keys.ts';
import { mergePartTables } from './parts.ts';
import { writeScoreShardsOfTable } from './scoreShards.ts';

/** Name of the publish-scores step, whose output store-scores and commit-scores read. */
export const PUBLISH_SCORES_STEP = 'publish-scores';

/**
 * Step publish-scores: merges every part into account_scores.csv (+ Parquet copy), cuts the score records into
 * shards of `scoreStore.shardSize` accounts with their manifest (written to the store by store-scores, one shard per
 * invocation) and begins the score-store run once: whether it is the latest, and the removal of accounts an earlier
 * run of the same date had and this one has not.
 */
export const publishScoresStep: StepFn = async (state, ctx) => {
  const keys = (await ctx.run.list('parts/')).map((o) => o.key).filter((k) => k.endsWith('.csv'));
  const ordered = [FEATURES_KEY, ...keys.filter((k) => k !== FEATURES_KEY).sort()];
  // Tables of cells, read one after the other: objects per row of 130-odd columns cost several times more.
  const parts: CsvTable[] = [];
  for (const k of ordered) parts.push(await readCsvTable(ctx.run, k));
  const counts = Object.fromEntries(ordered.map((k, i) => [k, parts[i].rows.length]));
  const table = mergePartTables(parts);
  parts.length = 0;
  const idAt = table.columns.indexOf('account_id');
  const accountId = (r: CsvTable['rows'][number]) => String(r[idAt]);
  await ctx.run.put(ACCOUNT_SCORES_KEY, csvTableBytes(table, true), 'text/csv'); // raw, for the Parquet copy
  await ctx.ports.query.csvToParquet(
    ctx.run.locate(ACCOUNT_SCORES_KEY),
    ctx.run.locate(ACCOUNT_SCORES_KEY.replace(/\.csv$/, '.parquet')),
  );
  // the spreadsheet-safe deliverable: its bytes are the raw ones unless a text cell needs the leading quote
  if (needsSpreadsheetQuote(table))
    await ctx.run.put(ACCOUNT_SCORES_KEY, csvTableBytes(table), 'text/csv');
  const shards = await writeScoreShardsOfTable(
    ctx.run,
    table,
    accountId,
    state.asOf,
    ctx.config.scoreStore.shardSize,
  );
  const plan = await ctx.ports.scores.beginRun(state.asOf, table.rows.map(accountId));
  return {
    accountScoresKey: ACCOUNT_SCORES_KEY,
    accounts: table.rows.length,
    parts: counts,
    scoreShards: shards.manifestKey,
    shards: shards.keys.length,
    isLatest: plan.isLatest,
  };
};
