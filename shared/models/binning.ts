import type { FeatureMatrix } from './types.ts';

/** Most value bins a feature can have; the missing bin comes on top (codes fit a Uint8). */
export const MAX_BINS = 255;

/** True when a raw value counts as missing (null, undefined or NaN). */
export function isMissing(v: number | null | undefined): boolean {
  return v === null || v === undefined || Number.isNaN(v);
}

/**
 * Learns bin edges for one feature from its values: midpoints between distinct values when there are at most
 * `maxBins` of them, else midpoints at `maxBins` quantiles (deduplicated). Edges are strictly increasing.
 */
export function fitFeatureEdges(values: Float64Array, maxBins: number = MAX_BINS): Float64Array {
  const s = Float64Array.from(values).sort();
  const m = s.length;
  const edges: number[] = [];
  let distinct = m > 0 ? 1 : 0;
  for (let i = 1; i < m && distinct <= maxBins; i++) if (s[i] !== s[i - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let i = 1; i < m; i++) if (s[i] !== s[i - 1]) edges.push(s[i - 1] + (s[i] - s[i - 1]) / 2);
  } else {
    for (let k = 1; k < maxBins; k++) {
      const i = Math.min(m - 1, Math.max(1, Math.floor((k * m) / maxBins)));
      const e = s[i - 1] + (s[i] - s[i - 1]) / 2;
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
  }
  return Float64Array.from(edges);
}

/** Learns the bin edges of every feature of X (missing values ignored); index = feature. */
export function fitBinEdges(X: FeatureMatrix, maxBins: number = MAX_BINS): Float64Array[] {
  const p = X.length > 0 ? X[0].length : 0;
  const out: Float64Array[] = [];
  const buf = new Float64Array(X.length);
  for (let f = 0; f < p; f++) {
    let m = 0;
    for (let i = 0; i < X.length; i++) {
      const v = X[i][f];
      if (!isMissing(v)) buf[m++] = v as number;
    }
    out.push(fitFeatureEdges(buf.subarray(0, m), maxBins));
  }
  return out;
}

/**
 * Bin code of raw value `v` for a feature with `edges`: the number of edges strictly below `v` (0..edges.length),
 * or the missing bin `edges.length + 1` when `v` is missing.
 */
export function binValue(edges: Float64Array, v: number | null | undefined): number {
  if (v === null || v === undefined || Number.isNaN(v)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins X column by column into one flat array: feature f of row i sits at `f * n + i`. `shared` puts it in a
 * SharedArrayBuffer so worker threads read it without a copy.
 */
export function binColumns(X: FeatureMatrix, edges: Float64Array[], shared = false): Uint8Array {
  const n = X.length;
  const p = edges.length;
  const out = shared ? new Uint8Array(new SharedArrayBuffer(n * p)) : new Uint8Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    for (let f = 0; f < p; f++) out[f * n + i] = binValue(edges[f], row[f]);
  }
  return out;
}
