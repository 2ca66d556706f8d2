/** Small statistics helpers for the insights: Wilson interval, normal quantile, median, type-7 quantile. */

/** Standard normal quantile (inverse CDF) for p in (0, 1); Acklam's rational approximation, |error| < 1.2e-9. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Wilson score interval [low, high] (proportions 0-1) of k successes in n trials; null bounds when n = 0. */
export function wilsonInterval(
  k: number,
  n: number,
  confidenceLevel = 0.95,
): { low: number | null; high: number | null } {
  if (n <= 0) return { low: null, high: null };
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Median of the finite values (NULLs ignored) and how many values it used; median null when none. */
export function medianOf(values: readonly (number | null | undefined)[]): {
  median: number | null;
  n: number;
} {
  // A typed array sorts numerically in native code: several times faster than a comparator on 1e5+ values.
  const buf = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) buf[n++] = v;
  if (n === 0) return { median: null, n: 0 };
  const xs = buf.subarray(0, n).sort();
  const mid = n >> 1;
  const median = n % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, n };
}

/** The q-quantile (0-1) of values by linear interpolation (numpy's default, Hyndman-Fan type 7); null when empty. */
export function quantileType7(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const xs = Float64Array.from(values).sort();
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
}
