/**
 * Rank helpers shared by the scorers. Percentile ranks follow pandas' `rank(pct=True)` (average rank of ties divided
 * by the number of non-null values), so they lie in (0, 1]; NULL stays NULL.
 */

/** Percentile rank of each value among the non-null values, ties averaged; null where the value is null. */
export function percentRank(values: readonly (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (values[i] !== null && Number.isFinite(values[i])) idx.push(i);
  idx.sort((a, b) => (values[a] as number) - (values[b] as number));
  const out: (number | null)[] = values.map(() => null);
  const n = idx.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]] === values[idx[i]]) j++;
    const avgRank = (i + 1 + j + 1) / 2; // 1-based ranks i+1..j+1 share their mean
    for (let k = i; k <= j; k++) out[idx[k]] = avgRank / n;
    i = j + 1;
  }
  return out;
}

/** Quintile score 1-5 from a percentile rank in (0, 1]: (0, 0.2] -> 1, ..., (0.8, 1] -> 5; null stays null. */
export function quintileScore(pct: number | null): number | null {
  if (pct === null) return null;
  return Math.min(5, Math.max(1, Math.ceil(pct * 5 - 1e-9)));
}

/** Min-max scaling to [0, 1]; a constant column scales to 0; null stays null. */
export function minMax(values: readonly (number | null)[]): (number | null)[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return values.map((v) =>
    v === null || !Number.isFinite(v) ? null : span > 0 ? (v - lo) / span : 0,
  );
}

/**
 * Flags the top `share` of scored rows: the round(n x share) highest scores, ties broken by the key ascending so the
 * flag is deterministic; null scores are never flagged.
 */
export function topShare(
  scores: readonly (number | null)[],
  keys: readonly string[],
  share: number,
): boolean[] {
  const idx = scores.flatMap((s, i) => (s === null ? [] : [i]));
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (keys[a] < keys[b] ? -1 : 1));
  const k = Math.round(idx.length * share);
  const out = scores.map(() => false);
  for (let i = 0; i < k; i++) out[idx[i]] = true;
  return out;
}

/** Weighted mean over the parts that are not null, re-weighting the rest; null when no part is present. */
export function weightedMean(
  parts: readonly { value: number | null; weight: number }[],
): number | null {
  let sum = 0;
  let wsum = 0;
  for (const p of parts) {
    if (p.value === null || p.weight === 0) continue;
    sum += p.value * p.weight;
    wsum += p.weight;
  }
  return wsum > 0 ? sum / wsum : null;
}

/** Mean of the non-null values; null when all are null. */
export function meanOf(values: readonly (number | null)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    s += v;
    n++;
  }
  return n ? s / n : null;
}
