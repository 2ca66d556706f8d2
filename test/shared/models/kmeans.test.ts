import { describe, expect, it } from 'vitest';
import { fitKMeans, predictCluster } from '../../../shared/models/kmeans.ts';
import { ModelInputError } from '../../../shared/models/modelErrors.ts';
import { createRng } from '../../../shared/models/rng.ts';

// Three blobs of 100 points (sd 0.5) around (0, 0), (10, 0), (0, 10).
const truth = [
  [0, 0],
  [10, 0],
  [0, 10],
];
const rng = createRng(8);
const X = Array.from({ length: 300 }, (_, i) => {
  const [cx, cy] = truth[i % 3];
  return [cx + 0.5 * rng.nextNormal(), cy + 0.5 * rng.nextNormal()];
});

describe('Function: fitKMeans', () => {
  it('recovers three well-separated blobs', () => {
    // Act
    const model = fitKMeans(X, { nClusters: 3, randomState: 1 });

    // Assess: each true centre has a fitted centre within 0.2, and each blob one label
    for (const [cx, cy] of truth) {
      const nearest = Math.min(...model.centers.map(([x, y]) => Math.hypot(x - cx, y - cy)));
      expect(nearest).toBeLessThan(0.2);
    }
    for (let b = 0; b < 3; b++) {
      const labels = new Set(model.labels.filter((_, i) => i % 3 === b));
      expect(labels.size).toBe(1);
    }
  });

  it('reports an inertia equal to the summed squared distances to the assigned centres', () => {
    // Act
    const model = fitKMeans(X, { nClusters: 3, randomState: 2 });

    // Assess
    const direct = X.reduce((s, [x, y], i) => {
      const [cx, cy] = model.centers[model.labels[i]];
      return s + (x - cx) ** 2 + (y - cy) ** 2;
    }, 0);
    expect(model.inertia).toBeCloseTo(direct, 8);
    expect(model.nIter).toBeGreaterThanOrEqual(1);
  });

  it('puts each centre at the mean of its rows (two points per cluster)', () => {
    // Prepare
    const pts = [[0], [2], [100], [102]];

    // Act
    const model = fitKMeans(pts, { nClusters: 2, randomState: 0 });

    // Assess: centres 1 and 101, inertia 4 x 1^2
    expect(model.centers.map(([c]) => c).sort((a, b) => a - b)).toEqual([1, 101]);
    expect(model.inertia).toBe(4);
  });

  it('stops at a fixed point: each centre is the mean of the rows nearest to it', () => {
    // Prepare: 400 uniform points, no cluster structure, so many rows sit near boundaries
    const r = createRng(12);
    const U = Array.from({ length: 400 }, () => [r.next(), r.next(), r.next()]);

    // Act
    const model = fitKMeans(U, { nClusters: 6, nInit: 2, tol: 0, randomState: 4 });

    // Assess: recompute every centre from the returned labels
    model.centers.forEach((center, c) => {
      const rows = U.filter((_, i) => model.labels[i] === c);
      const mean = [0, 1, 2].map((f) => rows.reduce((s, row) => s + row[f], 0) / rows.length);
      expect(center).toEqual(mean.map((m) => expect.closeTo(m, 9)));
    });
  });

  it('gives the same model for the same seed', () => {
    // Act & Assess
    expect(JSON.stringify(fitKMeans(X, { nClusters: 4, randomState: 3 }))).toBe(
      JSON.stringify(fitKMeans(X, { nClusters: 4, randomState: 3 })),
    );
  });

  it('throws when nClusters exceeds the rows or a value is missing', () => {
    // Act & Assess
    expect(() => fitKMeans([[1], [2]], { nClusters: 3 })).toThrow(ModelInputError);
    expect(() => fitKMeans([[1], [null]], { nClusters: 1 })).toThrow(ModelInputError);
  });
});

describe('Function: predictCluster', () => {
  it('assigns each centre to its own cluster and a point to the nearest centre', () => {
    // Prepare
    const model = fitKMeans(X, { nClusters: 3, randomState: 1 });

    // Act
    const labels = predictCluster(model, [...model.centers, [9, 1]]);

    // Assess
    expect(Array.from(labels.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(labels[3]).toBe(predictCluster(model, [[10, 0]])[0]);
  });
});
