import type { ForestTree, TreeGrowth } from './histTree.ts';
import type { Rng } from './rng.ts';

/**
 * Parts both tree growers share (growTree, Gini; growRegressionTree, squared error): the bootstrap weights, the
 * histogram layout, the node arrays and the feature draw of the split search.
 */

/** Bootstrap counts as row weights (n draws with replacement, or 1 each), and how many rows have weight. */
export function bootstrapWeights(
  n: number,
  bootstrap: boolean,
  rng: Rng,
): { w: Int32Array; m: number } {
  const w = new Int32Array(n);
  if (bootstrap) for (let k = 0; k < n; k++) w[rng.nextInt(n)]++;
  else w.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
  return { w, m };
}

/** Histogram offsets: feature f has slots offs[f] .. offs[f] + 2 * (nBins[f] + 1), two per bin code (missing last). */
export function histogramOffsets(nBins: Int32Array): Int32Array {
  const p = nBins.length;
  const offs = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) offs[f + 1] = offs[f] + 2 * (nBins[f] + 1);
  return offs;
}

/** Node arrays for a tree of at most 2^(maxDepth+1) - 1 nodes and at most 2m - 1 (m rows with weight); all leaves. */
export function emptyTree(growth: TreeGrowth, m: number): ForestTree {
  const cap = Math.max(1, Math.min(2 ** Math.min(growth.maxDepth + 1, 30) - 1, 2 * m - 1));
  return {
    feature: new Int16Array(cap).fill(-1),
    threshold: new Uint8Array(cap),
    missingLeft: new Uint8Array(cap),
    left: new Int32Array(cap).fill(-1),
    right: new Int32Array(cap).fill(-1),
    value: new Float32Array(cap),
  };
}

/** Makes node `id` an internal node splitting feature f at bin t; its children get ids `l` and `l + 1`. */
export function setSplit(
  tree: ForestTree,
  id: number,
  f: number,
  t: number,
  missingLeft: boolean,
  l: number,
): void {
  tree.feature[id] = f;
  tree.threshold[id] = t;
  tree.missingLeft[id] = missingLeft ? 1 : 0;
  tree.left[id] = l;
  tree.right[id] = l + 1;
}

/** The first `count` nodes of a tree (copies). */
export function firstNodes(tree: ForestTree, count: number): ForestTree {
  return {
    feature: tree.feature.slice(0, count),
    threshold: tree.threshold.slice(0, count),
    missingLeft: tree.missingLeft.slice(0, count),
    left: tree.left.slice(0, count),
    right: tree.right.slice(0, count),
    value: tree.value.slice(0, count),
  };
}

/**
 * The k-th feature the split search inspects: a uniform draw among order[k..p-1], swapped into place k (the
 * Fisher-Yates step, so each node sees a fresh random order).
 */
export function drawFeature(order: Int32Array, k: number, rng: Rng): number {
  const j = k + rng.nextInt(order.length - k);
  const f = order[j];
  order[j] = order[k];
  order[k] = f;
  return f;
}
