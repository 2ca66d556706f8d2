import { lloydElkan } from './lloydElkan.ts';
import { ModelInputError } from './modelErrors.ts';
import { createRng, type Rng } from './rng.ts';
import type { FeatureMatrix } from './types.ts';

export { fitStandardize, type Standardizer, standardize } from './standardize.ts';

/** Hyper-parameters of k-means (scikit-learn names and defaults). */
export interface KMeansParams {
  /** Number of clusters k (>= 1, <= rows). @default 8 */
  nClusters: number;
  /** Runs from different k-means++ seeds; the lowest inertia wins. @default 10 */
  nInit: number;
  /** Most Lloyd iterations per run. @default 300 */
  maxIter: number;
  /** Converged when the centres' total squared shift is <= tol × mean feature variance. @default 1e-4 */
  tol: number;
  /** Seed of the k-means++ draws. @default 0 */
  randomState: number;
}

/** A fitted k-means (plain JSON). */
export interface KMeansModel {
  kind: 'kmeans';
  version: 1;
  params: KMeansParams;
  /** Cluster centres, k rows × p features. */
  centers: number[][];
  /** Sum of squared distances of the training rows to their nearest centre. */
  inertia: number;
  /** Cluster of each training row (0..k-1). */
  labels: number[];
  /** Lloyd iterations of the winning run. */
  nIter: number;
}

/** Default k-means parameters. */
export const defaultKMeansParams: KMeansParams = {
  nClusters: 8,
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  randomState: 0,
};

function flatten(X: FeatureMatrix, p: number): Float64Array {
  const out = new Float64Array(X.length * p);
  X.forEach((row, i) => {
    if (row.length !== p)
      throw new ModelInputError(`row ${i} has ${row.length} features, expected ${p}`);
    for (let f = 0; f < p; f++) {
      const v = row[f];
      if (v === null || !Number.isFinite(v))
        throw new ModelInputError(`row ${i} feature ${f} is not a finite number`);
      out[i * p + f] = v;
    }
  });
  return out;
}

/** Assigns each row to its nearest centre; fills labels and dist (squared distance); returns the inertia. */
function assign(
  D: Float64Array,
  n: number,
  p: number,
  C: Float64Array,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let f = 0; f < p; f++) {
        const d = D[i * p + f] - C[c * p + f];
        s += d * d;
      }
      if (s < best) {
        best = s;
        bestC = c;
      }
    }
    labels[i] = bestC;
    dist[i] = best;
    inertia += best;
  }
  return inertia;
}

function sqDist(D: Float64Array, i: number, C: Float64Array, c: number, p: number): number {
  let s = 0;
  for (let f = 0; f < p; f++) {
    const d = D[i * p + f] - C[c * p + f];
    s += d * d;
  }
  return s;
}

/** Greedy k-means++ (as scikit-learn: 2 + ln k candidates per centre, the one lowering the potential most). */
function kmeansPlusPlus(D: Float64Array, n: number, p: number, k: number, rng: Rng): Float64Array {
  const C = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.nextInt(n);
  C.set(D.subarray(first * p, first * p + p), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(D, i, C, 0, p);
  const cum = new Float64Array(n);
  const cand = new Float64Array(n);
  const bestD = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let pot = 0;
    for (let i = 0; i < n; i++) cum[i] = pot += closest[i];
    let bestPot = Number.POSITIVE_INFINITY;
    let bestRow = 0;
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * pot;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] <= target) lo = mid + 1;
        else hi = mid;
      }
      let candPot = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let f = 0; f < p; f++) {
          const d = D[i * p + f] - D[lo * p + f];
          s += d * d;
        }
        cand[i] = Math.min(closest[i], s);
        candPot += cand[i];
      }
      if (candPot < bestPot) {
        bestPot = candPot;
        bestRow = lo;
        bestD.set(cand);
      }
    }
    C.set(D.subarray(bestRow * p, bestRow * p + p), c * p);
    closest.set(bestD);
  }
  return C;
}

/** Fits k-means (k-means++ init, Lloyd iterations, best of nInit runs by inertia) on rows X (n × p, finite). */
export function fitKMeans(X: FeatureMatrix, params: Partial<KMeansParams> = {}): KMeansModel {
  const all: KMeansParams = { ...defaultKMeansParams, ...params };
  const n = X.length;
  if (n === 0) throw new ModelInputError('X has no rows');
  const k = all.nClusters;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ModelInputError(`nClusters must be an integer in 1..${n}`);
  if (!(all.nInit >= 1 && all.maxIter >= 1 && all.tol >= 0)) {
    throw new ModelInputError('nInit and maxIter must be >= 1 and tol >= 0');
  }
  const p = X[0].length;
  const D = flatten(X, p);
  let meanVar = 0;
  for (let f = 0; f < p; f++) {
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) s += D[i * p + f];
    const mu = s / n;
    for (let i = 0; i < n; i++) ss += (D[i * p + f] - mu) ** 2;
    meanVar += ss / n / p;
  }
  const rng = createRng(all.randomState);
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  let best: { centers: Float64Array; nIter: number; inertia: number; labels: Int32Array } | null =
    null;
  for (let r = 0; r < all.nInit; r++) {
    const C = kmeansPlusPlus(D, n, p, k, rng);
    const run = lloydElkan(D, n, p, k, C, all.maxIter, all.tol * meanVar);
    // A final exact assignment, so labels and inertia match the returned centres.
    const inertia = assign(D, n, p, C, k, labels, dist);
    if (!best || inertia < best.inertia) best = { ...run, inertia, labels: labels.slice() };
  }
  const win = best!;
  return {
    kind: 'kmeans',
    version: 1,
    params: all,
    centers: Array.from({ length: k }, (_, c) =>
      Array.from(win.centers.subarray(c * p, c * p + p)),
    ),
    inertia: win.inertia,
    labels: Array.from(win.labels),
    nIter: win.nIter,
  };
}

/** Nearest centre (0..k-1) of each row of X under a fitted k-means. */
export function predictCluster(model: KMeansModel, X: FeatureMatrix): Int32Array {
  const k = model.centers.length;
  const p = k > 0 ? model.centers[0].length : 0;
  const C = Float64Array.from(model.centers.flat());
  const labels = new Int32Array(X.length);
  assign(flatten(X, p), X.length, p, C, k, labels, new Float64Array(X.length));
  return labels;
}
