import type { CvsConfig } from '../config/schema.ts';

/** Value tier names, highest first (the names of seed 003's value segments). */
export const VALUE_TIER_NAMES = ['High value', 'Medium value', 'Low value'] as const;

/** A value tier name. */
export type ValueTier = (typeof VALUE_TIER_NAMES)[number];

/** One account's tier and its rank by value index (1 = highest; no ties: equal scores rank by account id). */
export interface ValueTierRow {
  account_id: string;
  value_tier: ValueTier | null;
  value_rank: number | null;
}

/**
 * Tiers cut on the value index: the round(n x highShare) accounts with the highest index are High value, the
 * round(n x lowShare) lowest Low value, the rest Medium value (n = accounts with a value index; equal scores ordered
 * by account id so the cut is deterministic). With the defaults (25% / 25%) High value is exactly high_value_index.
 * Accounts without a value index get no tier.
 */
export function valueTiers(
  rows: readonly { account_id: string; value_index: number | null }[],
  config: Pick<CvsConfig, 'valueTiers'>,
): ValueTierRow[] {
  const { highShare, lowShare } = config.valueTiers;
  const idx = rows.flatMap((r, i) =>
    r.value_index !== null && Number.isFinite(r.value_index) ? [i] : [],
  );
  idx.sort(
    (a, b) =>
      (rows[b].value_index as number) - (rows[a].value_index as number) ||
      (rows[a].account_id < rows[b].account_id ? -1 : 1),
  );
  const n = idx.length;
  const high = Math.round(n * highShare);
  const low = Math.round(n * lowShare);
  const out: ValueTierRow[] = rows.map((r) => ({
    account_id: r.account_id,
    value_tier: null,
    value_rank: null,
  }));
  idx.forEach((i, rank) => {
    out[i].value_rank = rank + 1;
    out[i].value_tier = rank < high ? 'High value' : rank >= n - low ? 'Low value' : 'Medium value';
  });
  return out;
}

/** The value-index range of each tier, for the report's "how the tiers were made". */
export function tierRanges(
  rows: readonly { value_tier: string | null; value_index: number | null }[],
): { tier: string; accounts: number; min: number; max: number }[] {
  return VALUE_TIER_NAMES.flatMap((tier) => {
    let accounts = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const r of rows) {
      if (r.value_tier !== tier || r.value_index === null) continue;
      accounts++;
      min = Math.min(min, r.value_index);
      max = Math.max(max, r.value_index);
    }
    return accounts ? [{ tier, accounts, min, max }] : [];
  });
}
