import { binRows, packForest, predictProba, step } from './forestPredict.ts';
import {
  type PermutationImportance,
  type PermutationImportanceOptions,
  permutationImportance,
  permutationOptions,
  permuteColumns,
} from './metrics.ts';
import type { RandomForestModel } from './randomForest.ts';
import type { BinaryLabels, FeatureMatrix } from './types.ts';

/** A leaf's packed word (threshold 255, feature 0, missing right): no internal node has it. */
const LEAF = 255;

/**
 * Most (tree, row) pairs recorded. A pair takes about 120 bytes with 24 features (its path's first node of each of
 * about 8 features: row, node and steps, 12 bytes each; two leaf values), so about 120 MB at this cap; 100 trees on
 * the 5,000 rows permutation importance uses by default are 500,000 pairs.
 */
export const MAX_RECORDED_PATHS = 1_000_000;

/**
 * Permutation importance of a forest: the same figures, bit for bit, as
 * `permutationImportance((m) => predictProba(model, m), X, y, options)` (same shuffles, same probabilities, same
 * metric), computed faster. Every row's leaf in every tree and the features its path splits on are recorded once;
 * when a feature is shuffled, a tree is walked again for a row only when that row's path in it splits on the feature
 * (any other path reaches the same leaf), and the leaf values are summed in tree order as predictProba does. A forest
 * of more than 32 features, or of more than `maxPaths` trees times rows (memory), is handed to the general
 * permutationImportance.
 */
export function forestPermutationImportance(
  model: RandomForestModel,
  X: FeatureMatrix,
  y: BinaryLabels,
  options: Partial<PermutationImportanceOptions> = {},
  maxPaths: number = MAX_RECORDED_PATHS,
): PermutationImportance {
  const { nRepeats, randomState, metric } = permutationOptions(options);
  const p = model.binEdges.length;
  if (p > 32 || model.trees.length * X.length > maxPaths) {
    return permutationImportance((m) => predictProba(model, m), X, y, options);
  }
  const n = X.length;
  const { nodes, values, roots, depths } = packForest(model);
  const K = roots.length;
  const codes = new Uint8Array(n * p);
  binRows(model.binEdges, X, 0, n, codes);
  // base[i * K + k]: the leaf value row i reaches in tree k. The paths that split on feature f in tree k are entries
  // at[f * K + k] .. at[f * K + k + 1] - 1 of `row` (the row), `from` (the first node of its path splitting on f:
  // the path is the same down to it) and `steps` (the steps left from there to the tree's depth).
  const base = new Float64Array(n * K);
  const at = new Int32Array(p * K + 1);
  const seen = new Float64Array(p);
  /** Walks row i down tree k, calling visit(f, node, stepsLeft) at the first node of each feature on the path. */
  const walk = (k: number, i: number, visit: (f: number, node: number, left: number) => void) => {
    const o = i * p;
    const depth = depths[k];
    let node = roots[k];
    const stamp = k * n + i + 1;
    for (let d = 0; d < depth; d++) {
      const w = nodes[2 * node];
      if (w === LEAF) break;
      const f = w >>> 9;
      if (seen[f] !== stamp) {
        seen[f] = stamp;
        visit(f, node, depth - d);
      }
      node = step(nodes, codes, o, node);
    }
    return node;
  };
  const countVisit = (f: number, _node: number, _left: number) => {
    at[f * K + curK + 1]++;
  };
  let curK = 0;
  for (let k = 0; k < K; k++) {
    curK = k;
    for (let i = 0; i < n; i++) base[i * K + k] = values[walk(k, i, countVisit)];
  }
  for (let j = 0; j < p * K; j++) at[j + 1] += at[j];
  const row = new Int32Array(at[p * K]);
  const from = new Int32Array(at[p * K]);
  const steps = new Int32Array(at[p * K]);
  const next = at.slice(0, p * K);
  let curI = 0;
  const listVisit = (f: number, node: number, left: number) => {
    const j = next[f * K + curK]++;
    row[j] = curI;
    from[j] = node;
    steps[j] = left;
  };
  seen.fill(0);
  for (let k = 0; k < K; k++) {
    curK = k;
    for (let i = 0; i < n; i++) {
      curI = i;
      walk(k, i, listVisit);
    }
  }
  const leafValue = new Float64Array(n * K);
  const proba = new Float64Array(n);
  /** The metric with feature f's codes as they are now in `codes` (f = -1: nothing shuffled). */
  const score = (f: number): number => {
    leafValue.set(base);
    if (f >= 0)
      for (let k = 0; k < K; k++) {
        const end = at[f * K + k + 1];
        let j = at[f * K + k];
        // Four paths walk together (independent load chains); a path past its leaf stays there.
        for (; j + 3 < end; j += 4) {
          const o0 = row[j] * p;
          const o1 = row[j + 1] * p;
          const o2 = row[j + 2] * p;
          const o3 = row[j + 3] * p;
          let n0 = from[j];
          let n1 = from[j + 1];
          let n2 = from[j + 2];
          let n3 = from[j + 3];
          const m = Math.max(steps[j], steps[j + 1], steps[j + 2], steps[j + 3]);
          for (let d = 0; d < m; d++) {
            n0 = step(nodes, codes, o0, n0);
            n1 = step(nodes, codes, o1, n1);
            n2 = step(nodes, codes, o2, n2);
            n3 = step(nodes, codes, o3, n3);
          }
          leafValue[row[j] * K + k] = values[n0];
          leafValue[row[j + 1] * K + k] = values[n1];
          leafValue[row[j + 2] * K + k] = values[n2];
          leafValue[row[j + 3] * K + k] = values[n3];
        }
        for (; j < end; j++) {
          const o = row[j] * p;
          let node = from[j];
          for (let d = 0, m = steps[j]; d < m; d++) node = step(nodes, codes, o, node);
          leafValue[row[j] * K + k] = values[node];
        }
      }
    // Summed in tree order from 0, then divided by the number of trees: predictProba's arithmetic exactly.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i * K, end = j + K; j < end; j++) s += leafValue[j];
      proba[i] = s / K;
    }
    return metric(y, proba);
  };
  return permuteColumns({
    n,
    p,
    nRepeats,
    randomState,
    get: (i, f) => codes[i * p + f],
    set: (i, f, v) => {
      codes[i * p + f] = v;
    },
    score,
  });
}
