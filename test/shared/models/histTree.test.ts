import { describe, expect, it } from 'vitest';
import { findSplit, type SplitContext } from '../../../shared/models/findSplit.ts';
import { type BinnedData, type ForestTree, growTree } from '../../../shared/models/histTree.ts';
import { createRng, type Rng } from '../../../shared/models/rng.ts';
import { growth, oneFeatureRows, randomData } from './binnedData.ts';

/** A generator whose nextInt always returns 0: findSplit then inspects features in order 0, 1, 2, ... */
const firstAlways: Rng = { next: () => 0, nextInt: () => 0, nextNormal: () => 0 };

/**
 * The tree growTree grew before it built histograms lazily: every node's histogram of every feature built from its
 * rows (no subtraction, no laziness), the same bootstrap, split search, partition and node order. growTree must give
 * the same arrays.
 */
function referenceTree(data: BinnedData, g: typeof growth, seed: number): ForestTree {
  const { bins, nBins, y, nRows: n } = data;
  const p = nBins.length;
  const rng = createRng(seed);
  const w = new Int32Array(n);
  if (g.bootstrap) for (let k = 0; k < n; k++) w[rng.nextInt(n)]++;
  else w.fill(1);
  const offs = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) offs[f + 1] = offs[f] + 2 * (nBins[f] + 1);
  const order = Int32Array.from({ length: p }, (_, f) => f);
  const ctx: SplitContext = { nBins, offs, order, rng, growth: g, fill: () => {} };
  const nodes: { f: number; t: number; ml: number; l: number; r: number; v: number }[] = [];
  const stack: { id: number; rows: number[]; depth: number }[] = [];
  const rows0: number[] = [];
  for (let i = 0; i < n; i++) if (w[i] > 0) rows0.push(i);
  nodes.push({ f: -1, t: 0, ml: 0, l: -1, r: -1, v: 0 });
  stack.push({ id: 0, rows: rows0, depth: 0 });
  while (stack.length) {
    const { id, rows, depth } = stack.pop()!;
    let w0 = 0;
    let w1 = 0;
    for (const r of rows) {
      if (y[r]) w1 += w[r];
      else w0 += w[r];
    }
    nodes[id].v = Math.fround(w1 / (w0 + w1));
    if (depth >= g.maxDepth || w0 === 0 || w1 === 0 || w0 + w1 < 2) continue;
    const h = new Int32Array(offs[p]);
    for (let f = 0; f < p; f++)
      for (const r of rows) h[offs[f] + 2 * bins[f * n + r] + y[r]] += w[r];
    const s = findSplit(h, w0, w1, ctx);
    if (!s) continue;
    const goesLeft = (r: number) => {
      const b = bins[s.feature * n + r];
      return b <= s.threshold || (s.missingLeft && b === nBins[s.feature]);
    };
    const l = nodes.length;
    nodes.push(
      { f: -1, t: 0, ml: 0, l: -1, r: -1, v: 0 },
      { f: -1, t: 0, ml: 0, l: -1, r: -1, v: 0 },
    );
    Object.assign(nodes[id], {
      f: s.feature,
      t: s.threshold,
      ml: s.missingLeft ? 1 : 0,
      l,
      r: l + 1,
    });
    stack.push({ id: l + 1, rows: rows.filter((r) => !goesLeft(r)), depth: depth + 1 });
    stack.push({ id: l, rows: rows.filter(goesLeft), depth: depth + 1 });
  }
  return {
    feature: Int16Array.from(nodes, (x) => x.f),
    threshold: Uint8Array.from(nodes, (x) => x.t),
    missingLeft: Uint8Array.from(nodes, (x) => x.ml),
    left: Int32Array.from(nodes, (x) => x.l),
    right: Int32Array.from(nodes, (x) => x.r),
    value: Float32Array.from(nodes, (x) => x.v),
  };
}

describe('Function: findSplit', () => {
  it('asks fill for the inspected features only, skipping a constant one', () => {
    // Prepare: 4 features of 2 bins, 3 rows of class 0 in bin 0 and 1 row of class 1 in bin 1 for features 1..3;
    // feature 0 is constant (every row in bin 0). With maxFeatures 2 and features in order 0, 1, 2, 3, the search
    // inspects 0 (constant, not counted), 1 and 2, then stops.
    const nBins = new Int32Array([2, 2, 2, 2]);
    const offs = new Int32Array([0, 6, 12, 18, 24]);
    const h = new Int32Array(24);
    const filled: number[] = [];
    const fill = (f: number) => {
      filled.push(f);
      h.set(f === 0 ? [3, 1, 0, 0, 0, 0] : [3, 0, 0, 1, 0, 0], offs[f]);
    };
    const ctx: SplitContext = {
      nBins,
      offs,
      order: Int32Array.from([0, 1, 2, 3]),
      rng: firstAlways,
      growth: { ...growth, maxFeatures: 2 },
      fill,
    };

    // Act
    const split = findSplit(h, 3, 1, ctx);

    // Assess: the first pure split found (feature 1 at bin 0: left 3 of class 0, right 1 of class 1) wins
    expect(filled).toEqual([0, 1, 2]);
    expect(split).toEqual({ feature: 1, threshold: 0, missingLeft: true, l0: 3, l1: 0 });
  });
});

describe('Function: growTree', () => {
  it('splits 4 rows of one feature between bin 1 and bin 2 when the class changes there', () => {
    // Prepare: bins 0, 1, 2, 3 with labels 0, 0, 1, 1, every row once
    const data = oneFeatureRows([0, 0, 1, 1]);

    // Act
    const tree = growTree(data, { ...growth, bootstrap: false, maxFeatures: 1 }, 7);

    // Assess
    expect(Array.from(tree.feature)).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(1);
    expect(Array.from(tree.value)).toEqual([0.5, 0, 1]);
  });

  it('grows the same tree as full per-node histograms on 3,000 rows with missing values', () => {
    // Prepare
    const data = randomData(3000, 9, 40, 5);

    for (const seed of [1, 2, 3]) {
      // Act
      const tree = growTree(data, growth, seed);

      // Assess
      const ref = referenceTree(data, growth, seed);
      expect(tree.feature.length).toBeGreaterThan(100);
      expect(tree).toEqual(ref);
    }
  });
});
