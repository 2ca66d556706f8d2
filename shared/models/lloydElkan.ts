/** Result of one k-means run from given initial centres. */
export interface KMeansRun {
  /** Final centres, k × p row-major. */
  centers: Float64Array;
  /** Centre updates performed. */
  nIter: number;
}

function dist(A: Float64Array, a: number, B: Float64Array, b: number, p: number): number {
  let s = 0;
  for (let f = 0; f < p; f++) {
    const d = A[a * p + f] - B[b * p + f];
    s += d * d;
  }
  return Math.sqrt(s);
}

/**
 * Lloyd's k-means iterations on rows D (n × p row-major) from centres C (k × p, updated in place), with
 * Elkan's bounds (an upper bound to the own centre, a lower bound to every other centre, the triangle
 * inequality on centre-centre distances) so that rows that cannot change cluster skip distance computations;
 * same fixed point as plain Lloyd. Stops when the centres' total squared shift is <= tol or after maxIter updates.
 */
export function lloydElkan(
  D: Float64Array,
  n: number,
  p: number,
  k: number,
  C: Float64Array,
  maxIter: number,
  tol: number,
): KMeansRun {
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const sums = new Float64Array(k * p);
  const counts = new Float64Array(k);
  // Moves row i's contribution from cluster `from` to cluster `to` (sums stay current between iterations).
  const moveRow = (i: number, from: number, to: number): void => {
    counts[from]--;
    counts[to]++;
    for (let f = 0; f < p; f++) {
      sums[from * p + f] -= D[i * p + f];
      sums[to * p + f] += D[i * p + f];
    }
  };
  const exact = (i: number): void => {
    let best = Number.POSITIVE_INFINITY;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      const d = dist(D, i, C, c, p);
      lower[i * k + c] = d;
      if (d < best) {
        best = d;
        bestC = c;
      }
    }
    if (bestC !== labels[i]) moveRow(i, labels[i], bestC);
    labels[i] = bestC;
    upper[i] = best;
  };
  // Every row starts in cluster 0 with its sum counted there; exact() moves it to its nearest centre.
  counts[0] = n;
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) sums[f] += D[i * p + f];
  for (let i = 0; i < n; i++) exact(i);
  const old = new Float64Array(k * p);
  const move = new Float64Array(k);
  const half = new Float64Array(k);
  const cc = new Float64Array(k * k);
  let nIter = 0;
  while (nIter < maxIter) {
    nIter++;
    // An empty cluster takes the row farthest from its centre (as scikit-learn relocates empty clusters).
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++)
        if (counts[labels[i]] > 1 && (far < 0 || upper[i] > upper[far])) far = i;
      if (far < 0) break;
      moveRow(far, labels[far], c);
      labels[far] = c;
      upper[far] = 0;
      lower.fill(0, far * k, far * k + k);
    }
    old.set(C);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      move[c] = 0;
      if (counts[c] === 0) continue;
      for (let f = 0; f < p; f++) C[c * p + f] = sums[c * p + f] / counts[c];
      move[c] = dist(C, c, old, c, p);
      shift += move[c] * move[c];
    }
    if (shift <= tol) break;
    for (let c = 0; c < k; c++) {
      let m = Number.POSITIVE_INFINITY;
      for (let c2 = 0; c2 < k; c2++) {
        cc[c * k + c2] = c2 === c ? 0 : dist(C, c, C, c2, p) / 2;
        if (c2 !== c) m = Math.min(m, cc[c * k + c2]);
      }
      half[c] = m;
    }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) lower[i * k + c] = Math.max(0, lower[i * k + c] - move[c]);
      const own = labels[i];
      upper[i] += move[own];
      if (upper[i] <= half[own]) continue;
      let a = own;
      let stale = true;
      for (let c = 0; c < k; c++) {
        if (c === a || upper[i] <= lower[i * k + c] || upper[i] <= cc[a * k + c]) continue;
        if (stale) {
          upper[i] = dist(D, i, C, a, p);
          lower[i * k + a] = upper[i];
          stale = false;
          if (upper[i] <= lower[i * k + c] || upper[i] <= cc[a * k + c]) continue;
        }
        const d = dist(D, i, C, c, p);
        lower[i * k + c] = d;
        if (d < upper[i]) {
          a = c;
          upper[i] = d;
        }
      }
      if (a !== own) {
        moveRow(i, own, a);
        labels[i] = a;
      }
    }
  }
  return { centers: C, nIter };
}
