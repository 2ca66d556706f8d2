import type { TriggerHistoryEntry } from './evaluateTriggers.ts';

const same = (x: number, y: number) =>
  Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));

/** What one account's history needs to keep, as earlier runs are folded in newest first. */
interface Kept {
  /** The oldest run so far, unbroken back from asOf, whose pipeline equals the current one. */
  pipelineSame: TriggerHistoryEntry | null;
  /** The newest earlier run whose pipeline differs from the current one; older runs no longer matter to it. */
  pipelineChanged: TriggerHistoryEntry | null;
  /** The newest earlier run with a days_since_last_event. */
  recency: TriggerHistoryEntry | null;
  /** The newest earlier run with an avg_nps_rating. */
  nps: TriggerHistoryEntry | null;
}

/**
 * The trigger history of every account, kept small while earlier runs are read one at a time, newest first: memory
 * grows with accounts, never with accounts x runs. `evaluateTriggers` reads, of an account's earlier runs, only the
 * newest with a days_since_last_event, the newest with an avg_nps_rating, and the pipeline back to its first change
 * (of which the oldest run still equal to today's value and the changed run decide the outcome and its wording). Each
 * account keeps those four entries at most, so `evaluateTriggers` on `history(id)` gives what it gives on the whole
 * history.
 */
export class TriggerHistoryReducer {
  private readonly kept = new Map<string, Kept>();
  private lastAsOf: string | null = null;

  /** `currentPipeline(id)`: the account's current_pipeline_amount in this run (null when it has none). */
  constructor(private readonly currentPipeline: (accountId: string) => number | null) {}

  /** Folds in one earlier run; runs must come newest first, each date once. */
  addRun(asOf: string, entries: Iterable<{ accountId: string; entry: TriggerHistoryEntry }>): void {
    if (this.lastAsOf !== null && asOf >= this.lastAsOf)
      throw new RangeError(`runs must be added newest first: ${asOf} after ${this.lastAsOf}`);
    this.lastAsOf = asOf;
    for (const { accountId, entry } of entries) {
      let k = this.kept.get(accountId);
      if (!k) {
        k = { pipelineSame: null, pipelineChanged: null, recency: null, nps: null };
        this.kept.set(accountId, k);
      }
      if (k.recency === null && entry.days_since_last_event !== null) k.recency = entry;
      if (k.nps === null && entry.avg_nps_rating !== null) k.nps = entry;
      const amount = entry.current_pipeline_amount;
      if (k.pipelineChanged === null && amount !== null) {
        const current = this.currentPipeline(accountId);
        if (current !== null && same(amount, current)) k.pipelineSame = entry;
        else k.pipelineChanged = entry;
      }
    }
  }

  /** The account's kept entries, one per run date, each with only the fields kept from that run. */
  history(accountId: string): TriggerHistoryEntry[] {
    const k = this.kept.get(accountId);
    if (!k) return [];
    const byDate = new Map<string, TriggerHistoryEntry>();
    const at = (e: TriggerHistoryEntry) => {
      let out = byDate.get(e.asOf);
      if (!out) {
        out = {
          asOf: e.asOf,
          current_pipeline_amount: null,
          days_since_last_event: null,
          avg_nps_rating: null,
        };
        byDate.set(e.asOf, out);
      }
      return out;
    };
    for (const e of [k.pipelineSame, k.pipelineChanged])
      if (e) at(e).current_pipeline_amount = e.current_pipeline_amount;
    if (k.recency) at(k.recency).days_since_last_event = k.recency.days_since_last_event;
    if (k.nps) at(k.nps).avg_nps_rating = k.nps.avg_nps_rating;
    return [...byDate.values()];
  }
}
