/**
 * The measures of `cvs evaluate`, pure functions on arrays: Spearman rank correlation (average ranks for ties),
 * top-quartile flags, accuracy / precision / recall, hit rates, the confusion matrix of direction calls and the
 * seeded paired bootstrap interval of a difference of hit rates.
 */
import { Rng } from '../generate/random.ts';
import type { Direction } from './truth.ts';

/** Ranks 1..n with ties given the average of the ranks they span. */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const ranks = new Array<number>(x.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; null when fewer than 2 pairs or a side is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation: Pearson of the average ranks (ties handled); null when undefined. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Flags the top quartile of scores: every score >= the k-th largest, k = round(n / 4) (so tied scores get the same
 * flag and more than k can be flagged). Nothing is flagged when k is 0.
 */
export function topQuartileFlags(scores: readonly number[]): boolean[] {
  const k = Math.round(scores.length / 4);
  if (k === 0) return scores.map(() => false);
  const cut = [...scores].sort((a, b) => b - a)[k - 1];
  return scores.map((s) => s >= cut);
}

/** The counts and rates of binary flags against the truth. */
export interface Classification {
  n: number;
  flagged: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  accuracy: number | null;
  /** null when nothing is flagged. */
  precision: number | null;
  /** null when nothing is truly positive. */
  recall: number | null;
}

/** Accuracy, precision and recall of `flags` against `truth`. */
export function classification(
  flags: readonly boolean[],
  truth: readonly boolean[],
): Classification {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] && truth[i]) tp++;
    else if (flags[i]) fp++;
    else if (truth[i]) fn++;
    else tn++;
  }
  const n = flags.length;
  return {
    n,
    flagged: tp + fp,
    tp,
    fp,
    fn,
    tn,
    accuracy: n > 0 ? (tp + tn) / n : null,
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
  };
}

/** Share of calls equal to the truth; null without calls. */
export function hitRate(calls: readonly Direction[], truth: readonly Direction[]): number | null {
  if (calls.length === 0) return null;
  let hits = 0;
  for (let i = 0; i < calls.length; i++) if (calls[i] === truth[i]) hits++;
  return hits / calls.length;
}

/** Directions in display order. */
export const DIRECTIONS: readonly Direction[] = ['Up', 'Flat', 'Down'];

/** Confusion matrix: confusion[truth][call] = number of accounts. */
export type Confusion = Record<Direction, Record<Direction, number>>;

/** Counts the calls per true direction. */
export function confusion(calls: readonly Direction[], truth: readonly Direction[]): Confusion {
  const m = {} as Confusion;
  for (const t of DIRECTIONS) m[t] = { Up: 0, Flat: 0, Down: 0 };
  for (let i = 0; i < calls.length; i++) m[truth[i]][calls[i]]++;
  return m;
}

/** A difference of hit rates with its paired bootstrap 95% interval. */
export interface PairedDifference {
  n: number;
  /** Hit rates of the two methods on the paired accounts, and forecast - reference. */
  forecast: number | null;
  reference: number | null;
  difference: number | null;
  lower: number | null;
  upper: number | null;
}

/** The q-quantile (0-1) of sorted values, linear interpolation between order statistics. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Paired bootstrap of hit(forecast) - hit(reference): resamples accounts with replacement `resamples` times (seeded)
 * and returns the 2.5% and 97.5% quantiles of the resampled differences beside the observed one.
 */
export function pairedBootstrap(
  forecastHits: readonly boolean[],
  referenceHits: readonly boolean[],
  seed: number,
  resamples = 1000,
): PairedDifference {
  const n = forecastHits.length;
  if (n === 0 || referenceHits.length !== n)
    return { n, forecast: null, reference: null, difference: null, lower: null, upper: null };
  const d = new Int8Array(n);
  let f = 0;
  let r = 0;
  for (let i = 0; i < n; i++) {
    d[i] = (forecastHits[i] ? 1 : 0) - (referenceHits[i] ? 1 : 0);
    if (forecastHits[i]) f++;
    if (referenceHits[i]) r++;
  }
  const rng = new Rng(seed, 0x0b00);
  const diffs = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(rng.next() * n)];
    diffs[b] = s / n;
  }
  diffs.sort((a, b) => a - b);
  return {
    n,
    forecast: f / n,
    reference: r / n,
    difference: (f - r) / n,
    lower: quantileSorted(diffs, 0.025),
    upper: quantileSorted(diffs, 0.975),
  };
}
