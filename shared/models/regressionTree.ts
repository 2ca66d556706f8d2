import type { BinnedData, ForestTree, TreeGrowth } from './histTree.ts';
import { createRng } from './rng.ts';
import {
  bootstrapWeights,
  drawFeature,
  emptyTree,
  firstNodes,
  histogramOffsets,
  setSplit,
} from './treeParts.ts';

/** The best squared-error split of a node: feature, bin threshold, missing side, the left child's weight and sum. */
interface RegressionSplit {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  /** Bootstrap-weighted rows going left. */
  lw: number;
  /** Their weighted sum of targets. */
  ls: number;
}

interface Pending {
  id: number;
  start: number;
  end: number;
  depth: number;
  /** Weighted rows, weighted sum of targets, weighted sum of squared targets. */
  w: number;
  s: number;
  s2: number;
}

/** A node whose weighted target variance is at most this is not split: its targets are all equal, up to rounding. */
const PURE = 1e-12;

/**
 * Grows one histogram-based regression tree (squared error) on `data.target` with its own generator seeded by
 * `seed`, the regression twin of `growTree`: the same bootstrap draw, the same random feature order per split, the
 * same bins, depth and leaf-size rules and the same missing-value handling, but a bin's histogram holds the weighted
 * row count and the weighted sum of targets, a split maximises sL^2 / wL + sR^2 / wR (the drop of the weighted sum of
 * squared errors), and a node's value is the weighted mean target. For 0/1 targets this is the Gini split of
 * growTree (both maximise the same sum), so a classification tree is the special case.
 */
export function growRegressionTree(data: BinnedData, growth: TreeGrowth, seed: number): ForestTree {
  const { bins, nBins, nRows: n } = data;
  const target = data.target;
  if (!target) throw new Error('growRegressionTree needs data.target');
  const p = nBins.length;
  const rng = createRng(seed);
  const { w, m } = bootstrapWeights(n, growth.bootstrap, rng);
  // The rows with weight, in row order; a node owns idx[start .. end). ww[i] and wt[i] are the weight and the weighted
  // target of idx[i], moved with it, so a histogram reads them in order.
  const idx = new Int32Array(m);
  const ww = new Int32Array(m);
  const wt = new Float64Array(m);
  const tmp = new Int32Array(m);
  const tmpW = new Int32Array(m);
  const tmpT = new Float64Array(m);
  let rootW = 0;
  let rootS = 0;
  let rootS2 = 0;
  for (let i = 0, k = 0; i < n; i++) {
    if (w[i] === 0) continue;
    idx[k] = i;
    ww[k] = w[i];
    wt[k++] = w[i] * target[i];
    rootW += w[i];
    rootS += w[i] * target[i];
    rootS2 += w[i] * target[i] * target[i];
  }
  // Histogram layout (histogramOffsets): [w, w*y] per bin code of each feature.
  const offs = histogramOffsets(nBins);
  const h = new Float64Array(offs[p]);
  let nodeStart = 0;
  let nodeEnd = 0;
  const fill = (f: number): void => {
    const off = offs[f];
    h.fill(0, off, offs[f + 1]);
    const base = f * n;
    for (let i = nodeStart; i < nodeEnd; i++) {
      const slot = off + (bins[base + idx[i]] << 1);
      h[slot] += ww[i];
      h[slot + 1] += wt[i];
    }
  };

  const tree = emptyTree(growth, m);
  const value = tree.value;
  let count = 1;
  const minLeaf = growth.minSamplesLeaf;
  const orderBuf = new Int32Array(p);
  for (let f = 0; f < p; f++) orderBuf[f] = f;

  /**
   * The best split of a node of weight W and target sum S, inspecting features in a fresh random order until
   * `maxFeatures` non-constant ones were seen (as growTree's findSplit). For each bin, missing values go right (also
   * the "missing vs not" split at the last bin) or, when the node has any, left.
   */
  const findSplit = (W: number, S: number): RegressionSplit | null => {
    let best = Number.NEGATIVE_INFINITY;
    let out: RegressionSplit | null = null;
    /** Keeps a split of aw rows (target sum as) to the left when it beats the best so far. */
    const consider = (f: number, b: number, aw: number, as: number, ml: boolean): void => {
      const rw = W - aw;
      if (aw < minLeaf || rw < minLeaf) return;
      const g = (as * as) / aw + ((S - as) * (S - as)) / rw;
      if (g > best) {
        best = g;
        out = { feature: f, threshold: b, missingLeft: ml, lw: aw, ls: as };
      }
    };
    let seen = 0;
    for (let k = 0; k < p && seen < growth.maxFeatures; k++) {
      const f = drawFeature(orderBuf, k, rng);
      fill(f);
      const off = offs[f];
      const nb = nBins[f];
      const mw = h[off + 2 * nb];
      const ms = h[off + 2 * nb + 1];
      let nonEmpty = mw > 0 ? 1 : 0;
      for (let b = 0; b < nb && nonEmpty < 2; b++) if (h[off + 2 * b] > 0) nonEmpty++;
      if (nonEmpty < 2) continue;
      seen++;
      const hasMissing = mw > 0;
      let lw = 0;
      let ls = 0;
      for (let b = 0; b < nb; b++) {
        const cw = h[off + 2 * b];
        if (cw === 0) continue;
        lw += cw;
        ls += h[off + 2 * b + 1];
        consider(f, b, lw, ls, !hasMissing && lw >= W - lw);
        if (hasMissing && lw !== W - mw) consider(f, b, lw + mw, ls + ms, true);
      }
    }
    return out;
  };

  const splittable = (node: Pending): boolean =>
    node.depth < growth.maxDepth &&
    node.w >= growth.minSamplesSplit &&
    node.w >= 2 * minLeaf &&
    node.s2 / node.w - (node.s / node.w) ** 2 > PURE;
  const stack: Pending[] = [{ id: 0, start: 0, end: m, depth: 0, w: rootW, s: rootS, s2: rootS2 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    value[node.id] = node.s / node.w;
    if (!splittable(node)) continue;
    nodeStart = node.start;
    nodeEnd = node.end;
    const split = findSplit(node.w, node.s);
    if (!split) continue;
    const { feature: f, threshold: t } = split;
    const base = f * n;
    const miss = nBins[f];
    const ml = split.missingLeft;
    let nl = node.start;
    let nr = 0;
    let ls2 = 0;
    for (let i = node.start; i < node.end; i++) {
      const r = idx[i];
      const b = bins[base + r];
      if (b <= t || (ml && b === miss)) {
        ls2 += wt[i] * target[r];
        ww[nl] = ww[i];
        wt[nl] = wt[i];
        idx[nl++] = r;
      } else {
        tmpW[nr] = ww[i];
        tmpT[nr] = wt[i];
        tmp[nr++] = r;
      }
    }
    idx.set(tmp.subarray(0, nr), nl);
    ww.set(tmpW.subarray(0, nr), nl);
    wt.set(tmpT.subarray(0, nr), nl);
    const lId = count++;
    const rId = count++;
    setSplit(tree, node.id, f, t, ml, lId);
    const d = node.depth + 1;
    stack.push(
      {
        id: rId,
        start: nl,
        end: node.end,
        depth: d,
        w: node.w - split.lw,
        s: node.s - split.ls,
        s2: node.s2 - ls2,
      },
      { id: lId, start: node.start, end: nl, depth: d, w: split.lw, s: split.ls, s2: ls2 },
    );
  }
  return firstNodes(tree, count);
}
