import { findSplit } from './findSplit.ts';
import { growRegressionTree } from './regressionTree.ts';
import { createRng } from './rng.ts';
import {
  bootstrapWeights,
  emptyTree,
  firstNodes,
  histogramOffsets,
  setSplit,
} from './treeParts.ts';

/** One fitted tree as flat arrays indexed by node id (root 0); leaves have feature -1 and children -1. */
export interface ForestTree {
  /** Split feature per node, -1 for a leaf. */
  feature: Int16Array;
  /** Split bin per node: bin codes <= threshold go left. */
  threshold: Uint8Array;
  /** 1 when missing values go left at this node, else 0. */
  missingLeft: Uint8Array;
  /** Left child id, -1 for a leaf. */
  left: Int32Array;
  /** Right child id, -1 for a leaf. */
  right: Int32Array;
  /**
   * Class-1 share of the (bootstrap-weighted) training rows in the node, in [0, 1]; for a regression tree their
   * weighted mean target.
   */
  value: Float32Array;
}

/** Pre-binned training data shared by all trees of a forest. */
export interface BinnedData {
  /** Bin codes, column-major: feature f of row i at `f * nRows + i`; the missing code of f is `nBins[f]`. */
  bins: Uint8Array;
  /** Number of value bins per feature (edges + 1); the missing bin has code nBins[f]. */
  nBins: Int32Array;
  /** Label per row, 0 or 1. */
  y: Uint8Array;
  /**
   * Regression target per row (finite), for a forest fitted with criterion `squared_error`: the trees then split on
   * it (growRegressionTree) and their leaves hold its mean; absent for a classification forest.
   */
  target?: Float64Array;
  /** Number of rows. */
  nRows: number;
}

/** Resolved growth settings of one tree. */
export interface TreeGrowth {
  /** Deepest level a split may create (root at depth 0). */
  maxDepth: number;
  /** Least (bootstrap-weighted) rows in a leaf. */
  minSamplesLeaf: number;
  /** Least (bootstrap-weighted) rows in a node for it to be split. */
  minSamplesSplit: number;
  /** Non-constant features inspected per split (1..p). */
  maxFeatures: number;
  /** Draw n rows with replacement per tree (else every row once). */
  bootstrap: boolean;
}

interface Pending {
  id: number;
  start: number;
  end: number;
  depth: number;
  w0: number;
  w1: number;
}

/**
 * Grows one histogram-based CART tree (Gini) on `data` with its own generator seeded by `seed`: bootstrap
 * counts become row weights, a fresh random feature order per split, and a node's class histogram built only for
 * the features the split search inspects (about maxFeatures of them, not all). Missing values may go either way:
 * the side is learned; when a node saw none they follow the heavier child. With `data.target` the tree is a
 * regression tree instead (growRegressionTree).
 */
export function growTree(data: BinnedData, growth: TreeGrowth, seed: number): ForestTree {
  if (data.target) return growRegressionTree(data, growth, seed);
  const { bins, nBins, y, nRows: n } = data;
  const p = nBins.length;
  const rng = createRng(seed);
  const { w, m } = bootstrapWeights(n, growth.bootstrap, rng);
  // The rows with weight, in row order; a node owns idx[start .. end). wy[i] is (weight << 1) | label of idx[i].
  const idx = new Int32Array(m);
  const wy = new Int32Array(m);
  const tmp = new Int32Array(m);
  const tmpWy = new Int32Array(m);
  let root0 = 0;
  let root1 = 0;
  for (let i = 0, k = 0; i < n; i++) {
    if (w[i] === 0) continue;
    idx[k] = i;
    wy[k++] = (w[i] << 1) | y[i];
    if (y[i] === 1) root1 += w[i];
    else root0 += w[i];
  }
  // Histogram layout (histogramOffsets): [w0, w1] per bin code of each feature.
  const offs = histogramOffsets(nBins);
  const h = new Int32Array(offs[p]);
  let nodeStart = 0;
  let nodeEnd = 0;
  const h2 = new Int32Array(offs[p]);
  /**
   * The current node's histogram of feature f, into its slots of h. A node of many rows per slot counts even and odd
   * positions into h and h2 and adds them up (integer counts, the same sums), so a run of rows in one bin does not
   * make each increment wait for the previous one.
   */
  const fill = (f: number): void => {
    const off = offs[f];
    const end = offs[f + 1];
    h.fill(0, off, end);
    const base = f * n;
    if (nodeEnd - nodeStart < 4 * (end - off)) {
      for (let i = nodeStart; i < nodeEnd; i++) {
        const v = wy[i];
        h[off + (bins[base + idx[i]] << 1) + (v & 1)] += v >> 1;
      }
      return;
    }
    h2.fill(0, off, end);
    let i = nodeStart;
    for (; i + 1 < nodeEnd; i += 2) {
      const v = wy[i];
      const u = wy[i + 1];
      h[off + (bins[base + idx[i]] << 1) + (v & 1)] += v >> 1;
      h2[off + (bins[base + idx[i + 1]] << 1) + (u & 1)] += u >> 1;
    }
    if (i < nodeEnd) {
      const v = wy[i];
      h[off + (bins[base + idx[i]] << 1) + (v & 1)] += v >> 1;
    }
    for (let k = off; k < end; k++) h[k] += h2[k];
  };

  const tree = emptyTree(growth, m);
  const value = tree.value;
  let count = 1;
  const splittable = (w0: number, w1: number, depth: number): boolean =>
    depth < growth.maxDepth &&
    w0 > 0 &&
    w1 > 0 &&
    w0 + w1 >= growth.minSamplesSplit &&
    w0 + w1 >= 2 * growth.minSamplesLeaf;

  const order = new Int32Array(p);
  for (let f = 0; f < p; f++) order[f] = f;
  const ctx = { nBins, offs, order, rng, growth, fill };
  const stack: Pending[] = [{ id: 0, start: 0, end: m, depth: 0, w0: root0, w1: root1 }];

  while (stack.length > 0) {
    const node = stack.pop()!;
    value[node.id] = node.w1 / (node.w0 + node.w1);
    if (!splittable(node.w0, node.w1, node.depth)) continue;
    nodeStart = node.start;
    nodeEnd = node.end;
    const split = findSplit(h, node.w0, node.w1, ctx);
    if (!split) continue;
    // Stable partition of the node's rows: left rows keep their order at the front, right rows follow.
    const { feature: f, threshold: t } = split;
    const base = f * n;
    const miss = nBins[f];
    const ml = split.missingLeft;
    let nl = node.start;
    let nr = 0;
    for (let i = node.start; i < node.end; i++) {
      const r = idx[i];
      const b = bins[base + r];
      if (b <= t || (ml && b === miss)) {
        wy[nl] = wy[i];
        idx[nl++] = r;
      } else {
        tmpWy[nr] = wy[i];
        tmp[nr++] = r;
      }
    }
    idx.set(tmp.subarray(0, nr), nl);
    wy.set(tmpWy.subarray(0, nr), nl);
    const lId = count++;
    const rId = count++;
    setSplit(tree, node.id, f, t, ml, lId);
    const d = node.depth + 1;
    const L = { id: lId, start: node.start, end: nl, depth: d, w0: split.l0, w1: split.l1 };
    const R = {
      id: rId,
      start: nl,
      end: node.end,
      depth: d,
      w0: node.w0 - split.l0,
      w1: node.w1 - split.l1,
    };
    stack.push(R, L);
  }
  return firstNodes(tree, count);
}
