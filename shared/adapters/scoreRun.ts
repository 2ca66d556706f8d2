import type { ScoreRecord, ScoreStore } from '../ports/index.ts';

/** Whether a run dated `asOf` is the latest, given the stored runs (ascending): no stored run is newer. */
export function isLatestRun(runs: readonly string[], asOf: string): boolean {
  return runs.length === 0 || asOf >= runs[runs.length - 1];
}

/** `ScoreStore.putRun` of every store: the sharded write with a single shard (beginRun, putShard, endRun). */
export async function putRunAsOneShard(
  store: Pick<ScoreStore, 'beginRun' | 'putShard' | 'endRun'>,
  asOf: string,
  records: readonly ScoreRecord[],
): Promise<void> {
  const plan = await store.beginRun(
    asOf,
    records.map((r) => r.accountId),
  );
  await store.putShard(asOf, 'all', records, plan);
  await store.endRun(asOf, plan, records.length);
}
