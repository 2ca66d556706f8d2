import { readCsvRows, toCsvBytes, writeCsvRows } from '../../io/csvTable.ts';
import type { ScoreRecord } from '../../ports/index.ts';
import type { StepFn } from '../types.ts';
import { ACCOUNT_SCORES_KEY, FEATURES_KEY } from './keys.ts';
import { mergeParts } from './parts.ts';
import { writeScoreShards } from './scoreShards.ts';

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
  const shards = await writeScoreShards(ctx.run, records, ctx.config.scoreStore.shardSize);
  const plan = await ctx.ports.scores.beginRun(
    state.asOf,
    records.map((r) => r.accountId),
  );
  return {
    accountScoresKey: ACCOUNT_SCORES_KEY,
    accounts: rows.length,
    parts: Object.fromEntries(ordered.map((k, i) => [k, parts[i].length])),
    scoreShards: shards.manifestKey,
    shards: shards.keys.length,
    isLatest: plan.isLatest,
  };
};
