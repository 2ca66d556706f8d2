import type { TreeGrowth } from './histTree.ts';
import type { Rng } from './rng.ts';
import { drawFeature } from './treeParts.ts';

/** The best split of a node: feature, bin threshold, missing side, and the left child's class weights. */
export interface Split {
  /** Feature index. */
  feature: number;
  /** Bin codes <= threshold go left. */
  threshold: number;
  /** Whether missing values go left. */
  missingLeft: boolean;
  /** Weighted class-0 rows going left. */
  l0: number;
  /** Weighted class-1 rows going left. */
  l1: number;
}

/**
 * What findSplit needs besides the histogram: bins per feature, histogram offsets, feature order, generator, and
 * `fill`, which writes the node's histogram of one feature into its slots (findSplit asks only for the features it
 * inspects).
 */
export interface SplitContext {
  nBins: Int32Array;
  offs: Int32Array;
  order: Int32Array;
  rng: Rng;
  growth: TreeGrowth;
  fill: (feature: number) => void;
}

/**
 * Best Gini split of a node from its histogram, inspecting features in a fresh random order until
 * `maxFeatures` non-constant ones were seen (as scikit-learn); a feature's slots of `h` are filled by `ctx.fill`
 * when it is inspected. Maximises sum over children of
 * (c0^2 + c1^2) / n_child, i.e. minimises the weighted Gini impurity. Null when no split is valid.
 */
export function findSplit(h: Int32Array, w0: number, w1: number, ctx: SplitContext): Split | null {
  const { nBins, offs, order, rng, growth, fill } = ctx;
  const p = nBins.length;
  const minLeaf = growth.minSamplesLeaf;
  let best = Number.NEGATIVE_INFINITY;
  let bestF = -1;
  let bestT = 0;
  let bestMl = false;
  let bestL0 = 0;
  let bestL1 = 0;
  let seen = 0;
  for (let k = 0; k < p && seen < growth.maxFeatures; k++) {
    const f = drawFeature(order, k, rng);
    fill(f);
    const off = offs[f];
    const nb = nBins[f];
    const m0 = h[off + 2 * nb];
    const m1 = h[off + 2 * nb + 1];
    const t0 = w0 - m0;
    const t1 = w1 - m1;
    let nonEmpty = m0 + m1 > 0 ? 1 : 0;
    for (let b = 0; b < nb && nonEmpty < 2; b++)
      if (h[off + 2 * b] + h[off + 2 * b + 1] > 0) nonEmpty++;
    if (nonEmpty < 2) continue;
    seen++;
    let l0 = 0;
    let l1 = 0;
    const hasMissing = m0 + m1 > 0;
    for (let b = 0; b < nb; b++) {
      const c0 = h[off + 2 * b];
      const c1 = h[off + 2 * b + 1];
      if (c0 + c1 === 0) continue;
      l0 += c0;
      l1 += c1;
      // Missing values to the right (also the "missing vs not" split at the last bin).
      let a0 = l0;
      let a1 = l1;
      let r0 = w0 - a0;
      let r1 = w1 - a1;
      let nl = a0 + a1;
      let nr = r0 + r1;
      if (nl >= minLeaf && nr >= minLeaf) {
        const s = (a0 * a0 + a1 * a1) / nl + (r0 * r0 + r1 * r1) / nr;
        if (s > best) {
          best = s;
          bestF = f;
          bestT = b;
          bestMl = !hasMissing && nl >= nr;
          bestL0 = a0;
          bestL1 = a1;
        }
      }
      if (!hasMissing || (l0 === t0 && l1 === t1)) continue;
      // Missing values to the left.
      a0 = l0 + m0;
      a1 = l1 + m1;
      r0 = w0 - a0;
      r1 = w1 - a1;
      nl = a0 + a1;
      nr = r0 + r1;
      if (nl >= minLeaf && nr >= minLeaf) {
        const s = (a0 * a0 + a1 * a1) / nl + (r0 * r0 + r1 * r1) / nr;
        if (s > best) {
          best = s;
          bestF = f;
          bestT = b;
          bestMl = true;
          bestL0 = a0;
          bestL1 = a1;
        }
      }
    }
  }
  if (bestF < 0) return null;
  return { feature: bestF, threshold: bestT, missingLeft: bestMl, l0: bestL0, l1: bestL1 };
}
