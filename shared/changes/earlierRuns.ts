import type { Row, ScoreStore } from '../ports/index.ts';
import { addDays } from '../sql/accountFeatures.ts';
import type { Comparisons, EarlierRun } from './accountChanges.ts';

/** A stored daily run's rows (backfilled trend points left out), or null when it holds none. */
async function loadRun(store: ScoreStore, asOf: string): Promise<EarlierRun | null> {
  const records = (await store.getRun(asOf)).filter((r) => r.values.backfilled !== true);
  if (records.length === 0) return null;
  return { asOf, byAccount: new Map(records.map((r) => [r.accountId, r.values as Row])) };
}

/** Days from a to b (b - a) for YYYY-MM-DD dates. */
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * The earlier runs an account is compared with: the newest stored daily run before asOf, and for each look-back N
 * the stored run closest to asOf - N days (at most `slackDays` away; the earlier one on a tie). At most 1 + N runs
 * are read, whatever the history length.
 */
export async function earlierRuns(
  store: ScoreStore,
  asOf: string,
  lookbackDays: readonly number[],
  slackDays: number,
): Promise<Comparisons> {
  const dates = (await store.listRuns()).filter((d) => d < asOf);
  const cache = new Map<string, Promise<EarlierRun | null>>();
  const load = (d: string) => {
    let p = cache.get(d);
    if (!p) {
      p = loadRun(store, d);
      cache.set(d, p);
    }
    return p;
  };
  let previous: EarlierRun | null = null;
  for (const d of [...dates].reverse()) {
    previous = await load(d);
    if (previous) break;
  }
  const lookback: Comparisons['lookback'][number][] = [];
  for (const n of lookbackDays) {
    const target = addDays(asOf, -n);
    const near = dates
      .map((d) => ({ d, off: Math.abs(daysBetween(target, d)) }))
      .filter((x) => x.off <= slackDays)
      .sort((a, b) => a.off - b.off || (a.d < b.d ? -1 : 1));
    let run: EarlierRun | null = null;
    for (const { d } of near) {
      run = await load(d);
      if (run) break;
    }
    lookback.push({ label: `${n}d`, run });
  }
  return { previous, lookback };
}
