import type { BinnedData, ForestTree, TreeGrowth } from './histTree.ts';
import { createRng } from './rng.ts';

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

/** A node's weighted target variance below this (or fewer than two distinct targets) is not split. */
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
  const w = new Int32Array(n);
  if (growth.bootstrap) for (let k = 0; k < n; k++) w[rng.nextInt(n)]++;
  else w.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
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
  // Histogram layout as growTree's: for feature f, slots offs[f] .. offs[f] + 2 * (nBins[f] + 1), [w, w*y] per bin.
  const offs = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) offs[f + 1] = offs[f] + 2 * (nBins[f] + 1);
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

  const cap = Math.max(1, Math.min(2 ** Math.min(growth.maxDepth + 1, 30) - 1, 2 * m - 1));
  const feature = new Int16Array(cap).fill(-1);
  const threshold = new Uint8Array(cap);
  const missingLeft = new Uint8Array(cap);
  const left = new Int32Array(cap).fill(-1);
  const right = new Int32Array(cap).fill(-1);
  const value = new Float32Array(cap);
  let count = 1;
  const minLeaf = growth.minSamplesLeaf;
  const orderBuf = new Int32Array(p);
  for (let f = 0; f < p; f++) orderBuf[f] = f;

  const findSplit = (W: number, S: number): RegressionSplit | null => {
    let best = Number.NEGATIVE_INFINITY;
    let bestF = -1;
    let bestT = 0;
    let bestMl = false;
    let bestLw = 0;
    let bestLs = 0;
    let seen = 0;
    const order = orderBuf;
    for (let k = 0; k < p && seen < growth.maxFeatures; k++) {
      const j = k + rng.nextInt(p - k);
      const f = order[j];
      order[j] = order[k];
      order[k] = f;
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
      const tw = W - mw;
      let lw = 0;
      let ls = 0;
      for (let b = 0; b < nb; b++) {
        const cw = h[off + 2 * b];
        if (cw === 0) continue;
        lw += cw;
        ls += h[off + 2 * b + 1];
        // Missing values to the right (also the "missing vs not" split at the last bin).
        let aw = lw;
        let as = ls;
        let rw = W - aw;
        if (aw >= minLeaf && rw >= minLeaf) {
          const g = (as * as) / aw + ((S - as) * (S - as)) / rw;
          if (g > best) {
            best = g;
            bestF = f;
            bestT = b;
            bestMl = !hasMissing && aw >= rw;
            bestLw = aw;
            bestLs = as;
          }
        }
        if (!hasMissing || lw === tw) continue;
        // Missing values to the left.
        aw = lw + mw;
        as = ls + ms;
        rw = W - aw;
        if (aw >= minLeaf && rw >= minLeaf) {
          const g = (as * as) / aw + ((S - as) * (S - as)) / rw;
          if (g > best) {
            best = g;
            bestF = f;
            bestT = b;
            bestMl = true;
            bestLw = aw;
            bestLs = as;
          }
        }
      }
    }
    if (bestF < 0) return null;
    return { feature: bestF, threshold: bestT, missingLeft: bestMl, lw: bestLw, ls: bestLs };
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
    feature[node.id] = f;
    threshold[node.id] = t;
    missingLeft[node.id] = ml ? 1 : 0;
    left[node.id] = lId;
    right[node.id] = rId;
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
  return {
    feature: feature.slice(0, count),
    threshold: threshold.slice(0, count),
    missingLeft: missingLeft.slice(0, count),
    left: left.slice(0, count),
    right: right.slice(0, count),
    value: value.slice(0, count),
  };
}
