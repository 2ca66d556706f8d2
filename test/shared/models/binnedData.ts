import type { BinnedData, TreeGrowth } from '../../../shared/models/histTree.ts';
import { createRng } from '../../../shared/models/rng.ts';

/** n rows of p features with `nb` value bins each (missing code nb on about 1 in 10 cells), label from two features. */
export function randomData(n: number, p: number, nb: number, seed: number): BinnedData {
  const rng = createRng(seed);
  const bins = new Uint8Array(n * p);
  for (let k = 0; k < n * p; k++) bins[k] = rng.next() < 0.1 ? nb : rng.nextInt(nb);
  const y = Uint8Array.from({ length: n }, (_, i) =>
    bins[i] + bins[n + i] + rng.nextInt(nb) > (3 * nb) / 2 ? 1 : 0,
  );
  return { bins, nBins: new Int32Array(p).fill(nb), y, nRows: n };
}

/** One feature whose row i is in bin i (so each row has its own bin), with labels y and, when given, targets. */
export function oneFeatureRows(y: readonly number[], target?: readonly number[]): BinnedData {
  return {
    bins: Uint8Array.from(y, (_, i) => i),
    nBins: Int32Array.from([y.length]),
    y: Uint8Array.from(y),
    ...(target ? { target: Float64Array.from(target) } : {}),
    nRows: y.length,
  };
}

/** The tree tests' growth settings: depth 12, 1 row a leaf, 2 features a split, bootstrap. */
export const growth: TreeGrowth = {
  maxDepth: 12,
  minSamplesLeaf: 1,
  minSamplesSplit: 2,
  maxFeatures: 2,
  bootstrap: true,
};
