import { describe, expect, it } from 'vitest';
import {
  accuracy,
  brierScore,
  confusionMatrix,
  f1,
  permutationImportance,
  precision,
  recall,
  reliabilityTable,
  rocAuc,
  rocCurve,
} from '../../../shared/models/metrics.ts';
import type { FeatureMatrix } from '../../../shared/models/types.ts';

// Six rows used by several tests: predicted positive (score >= 0.5) are rows 1, 2, 4, 5.
const y6 = [0, 0, 1, 1, 1, 0];
const p6 = [0.2, 0.7, 0.9, 0.4, 0.5, 0.5];

describe('Function: rocAuc', () => {
  it('returns 0.75 when one of four positive-negative pairs is misordered', () => {
    // Prepare: pairs (pos 0.35 vs neg 0.1) ok, (0.35 vs 0.4) wrong, (0.8 vs both) ok: 3 of 4
    const scores = [0.1, 0.4, 0.35, 0.8];
    const labels = [0, 0, 1, 1];

    // Act
    const auc = rocAuc(labels, scores);

    // Assess
    expect(auc).toBeCloseTo(0.75, 12);
  });

  it('counts tied positive-negative pairs as one half', () => {
    // Prepare: pos {0.6, 0.6, 0.9}, neg {0.2, 0.6}: 0.6s score 1 + 0.5 each, 0.9 scores 2 -> 5 of 6
    const scores = [0.2, 0.6, 0.6, 0.6, 0.9];
    const labels = [0, 0, 1, 1, 1];

    // Act
    const auc = rocAuc(labels, scores);

    // Assess
    expect(auc).toBeCloseTo(5 / 6, 12);
  });

  it('returns 0.5 when every score is the same', () => {
    // Act
    const auc = rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]);

    // Assess
    expect(auc).toBe(0.5);
  });

  it('returns NaN when one class is absent', () => {
    // Act & Assess
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNaN();
  });
});

describe('Function: rocCurve', () => {
  it('gives one point per distinct score from (0, 0) to (1, 1)', () => {
    // Prepare: by descending score 0.8 (pos), 0.4 (neg), 0.35 (pos), 0.1 (neg)
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];

    // Act
    const curve = rocCurve(labels, scores);

    // Assess
    expect(Array.from(curve.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(curve.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(curve.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
  });
});

describe('Function: confusionMatrix', () => {
  it('counts [[tn, fp], [fn, tp]] at threshold 0.5 with 0.5 predicted positive', () => {
    // Act
    const m = confusionMatrix(y6, p6);

    // Assess: tn row 0; fp rows 1, 5; fn row 3; tp rows 2, 4
    expect(m).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});

describe('Function: accuracy, precision, recall, f1', () => {
  it('derive from the confusion matrix [[1, 2], [1, 2]]', () => {
    // Act & Assess
    expect(accuracy(y6, p6)).toBeCloseTo(3 / 6, 12);
    expect(precision(y6, p6)).toBeCloseTo(2 / 4, 12);
    expect(recall(y6, p6)).toBeCloseTo(2 / 3, 12);
    expect(f1(y6, p6)).toBeCloseTo(4 / 7, 12);
  });

  it('return 0 for precision and f1 when nothing is predicted positive', () => {
    // Act & Assess
    expect(precision([1, 0], [0.1, 0.2])).toBe(0);
    expect(f1([1, 0], [0.1, 0.2])).toBe(0);
  });

  it('reach accuracy 1 when the predictions are the labels', () => {
    // Act & Assess
    expect(accuracy([0, 1, 1, 0], [0, 1, 1, 0])).toBe(1);
  });
});

describe('Function: brierScore', () => {
  it('averages the squared errors of six rows', () => {
    // Prepare: squared errors 0.04, 0.09 -> (0.7)^2 = 0.49, 0.01, 0.36, 0.25, 0.25 sum 1.4
    // Act
    const b = brierScore(y6, p6);

    // Assess
    expect(b).toBeCloseTo(1.4 / 6, 12);
  });
});

describe('Function: reliabilityTable', () => {
  it('puts probabilities in 10 equal-width bins with 1.0 in the last', () => {
    // Prepare
    const proba = [0.05, 0.15, 0.12, 0.95, 1.0];
    const labels = [0, 0, 1, 1, 1];

    // Act
    const table = reliabilityTable(labels, proba);

    // Assess
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({ lower: 0, upper: 0.1, count: 1, observedRate: 0 });
    expect(table[0].meanPredicted).toBeCloseTo(0.05, 12);
    expect(table[1]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(table[1].meanPredicted).toBeCloseTo(0.135, 12);
    expect(table[9]).toMatchObject({ count: 2, observedRate: 1 });
    expect(table[9].meanPredicted).toBeCloseTo(0.975, 12);
    expect(table[5].count).toBe(0);
    expect(table[5].meanPredicted).toBeNaN();
  });
});

describe('Function: permutationImportance', () => {
  it('gives 0 to a feature the model ignores and a positive drop to the one it uses', () => {
    // Prepare: the score is feature 0, which separates the classes; feature 1 is constant
    const X: FeatureMatrix = Array.from({ length: 20 }, (_, i) => [i, 7]);
    const y = X.map((_, i) => (i >= 10 ? 1 : 0));
    const predict = (rows: FeatureMatrix) => rows.map((r) => r[0] as number);

    // Act
    const imp = permutationImportance(predict, X, y, { nRepeats: 4, randomState: 2 });

    // Assess
    expect(imp.baseline).toBe(1);
    expect(imp.mean[1]).toBe(0);
    expect(imp.std[1]).toBe(0);
    expect(imp.mean[0]).toBeGreaterThan(0.2);
    expect(X[3]).toEqual([3, 7]);
  });

  it('gives the same result for the same seed', () => {
    // Prepare
    const X: FeatureMatrix = Array.from({ length: 30 }, (_, i) => [i % 7, i]);
    const y = X.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const predict = (rows: FeatureMatrix) =>
      rows.map((r) => ((r[0] as number) + (r[1] as number)) / 40);

    // Act
    const a = permutationImportance(predict, X, y, { randomState: 5 });
    const b = permutationImportance(predict, X, y, { randomState: 5 });

    // Assess
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
  });
});
