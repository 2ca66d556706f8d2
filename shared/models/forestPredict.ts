import { binValue } from './binning.ts';
import type { ForestTree } from './histTree.ts';
import { ModelInputError } from './modelErrors.ts';
import type { RandomForestModel } from './randomForest.ts';
import type { FeatureMatrix } from './types.ts';

/** Missing values are coded 255 when scoring: above every split threshold (at most 254). */
const MISSING = 255;
/** Rows binned per block: the block's bin codes stay in cache while every tree runs over it. */
const BLOCK = 1024;

/**
 * All trees packed for scoring: two int32 per node. Word 0 is (feature << 9) | (missingLeft << 8) | threshold;
 * word 1 the left child's index (the right child is the next node, as growTree allocates them). A leaf has
 * threshold 255 and itself as child, so it never moves and every row can walk exactly `depth` steps.
 */
export interface PackedForest {
  nodes: Int32Array;
  values: Float64Array;
  roots: Int32Array;
  depths: Int32Array;
}

const packedCache = new WeakMap<RandomForestModel, PackedForest>();

function treeDepth(t: ForestTree): number {
  const depth = new Int32Array(t.feature.length);
  let max = 0;
  for (let i = 0; i < t.feature.length; i++) {
    if (t.feature[i] < 0) continue;
    depth[t.left[i]] = depth[i] + 1;
    depth[t.right[i]] = depth[i] + 1;
    max = Math.max(max, depth[i] + 1);
  }
  return max;
}

/** The model's trees packed for scoring (built once per model object, then cached). */
export function packForest(model: RandomForestModel): PackedForest {
  const cached = packedCache.get(model);
  if (cached) return cached;
  const total = model.trees.reduce((s, t) => s + t.feature.length, 0);
  const nodes = new Int32Array(2 * total);
  const values = new Float64Array(total);
  const roots = new Int32Array(model.trees.length);
  const depths = new Int32Array(model.trees.length);
  let base = 0;
  model.trees.forEach((t, k) => {
    roots[k] = base;
    depths[k] = treeDepth(t);
    for (let i = 0; i < t.feature.length; i++) {
      const g = base + i;
      values[g] = t.value[i];
      if (t.feature[i] < 0) {
        nodes[2 * g] = 255;
        nodes[2 * g + 1] = g;
      } else {
        if (t.right[i] !== t.left[i] + 1)
          throw new ModelInputError('forest tree children are not adjacent');
        nodes[2 * g] = (t.feature[i] << 9) | (t.missingLeft[i] << 8) | t.threshold[i];
        nodes[2 * g + 1] = base + t.left[i];
      }
    }
    base += t.feature.length;
  });
  const packed = { nodes, values, roots, depths };
  packedCache.set(model, packed);
  return packed;
}

/** One branch-free step: right when bin > threshold, unless the value is missing and missing goes left. */
export function step(nodes: Int32Array, codes: Uint8Array, o: number, node: number): number {
  const w = nodes[2 * node];
  const b = codes[o + (w >>> 9)];
  const right = ((w & 255) - b) >>> 31;
  const missLeft = ((254 - b) >>> 31) & (w >>> 8);
  return nodes[2 * node + 1] + (right & ~missLeft);
}

/**
 * Bin codes of rows start .. end - 1 of X into `codes` (row-major, p per row, from 0), missing values as 255: what
 * the packed trees walk on.
 */
export function binRows(
  edges: readonly Float64Array[],
  X: FeatureMatrix,
  start: number,
  end: number,
  codes: Uint8Array,
): void {
  const p = edges.length;
  for (let i = start; i < end; i++) {
    const row = X[i];
    if (row.length !== p)
      throw new ModelInputError(`row ${i} has ${row.length} features, expected ${p}`);
    const o = (i - start) * p;
    for (let f = 0; f < p; f++) {
      const b = binValue(edges[f], row[f]);
      codes[o + f] = b > edges[f].length ? MISSING : b;
    }
  }
}

/** Probability of class 1 per row of X (n × p), the mean of the trees' leaf values, each in [0, 1]. */
export function predictProba(model: RandomForestModel, X: FeatureMatrix): Float64Array {
  const n = X.length;
  const p = model.binEdges.length;
  const { nodes, values, roots, depths } = packForest(model);
  const edges = model.binEdges;
  const out = new Float64Array(n);
  const codes = new Uint8Array(BLOCK * p);
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    binRows(edges, X, start, end, codes);
    for (let k = 0; k < roots.length; k++) {
      const root = roots[k];
      const depth = depths[k];
      let i = start;
      // Four rows walk the tree together: four independent load chains keep the CPU busy.
      for (; i + 3 < end; i += 4) {
        const o0 = (i - start) * p;
        const o1 = o0 + p;
        const o2 = o1 + p;
        const o3 = o2 + p;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        for (let d = 0; d < depth; d++) {
          n0 = step(nodes, codes, o0, n0);
          n1 = step(nodes, codes, o1, n1);
          n2 = step(nodes, codes, o2, n2);
          n3 = step(nodes, codes, o3, n3);
        }
        out[i] += values[n0];
        out[i + 1] += values[n1];
        out[i + 2] += values[n2];
        out[i + 3] += values[n3];
      }
      for (; i < end; i++) {
        const o = (i - start) * p;
        let node = root;
        for (let d = 0; d < depth; d++) node = step(nodes, codes, o, node);
        out[i] += values[node];
      }
    }
  }
  const k = roots.length;
  for (let i = 0; i < n; i++) out[i] /= k;
  return out;
}
