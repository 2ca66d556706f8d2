import { describe, expect, it } from 'vitest';
import {
  calibrationPoints,
  importanceRows,
  modelComparison,
  modelIdentity,
  modelWarnings,
  noModelReason,
  rocPoints,
} from '../../../shared/report/classifierSections.ts';

// Four test rows: forest ranks both positives first, the baseline ranks one negative first.
const testSet = [
  { account_id: 'a', label: 1, p_forest: 0.9, p_baseline: 0.6 },
  { account_id: 'b', label: 1, p_forest: 0.7, p_baseline: 0.3 },
  { account_id: 'c', label: 0, p_forest: 0.4, p_baseline: 0.8 },
  { account_id: 'd', label: 0, p_forest: 0.1, p_baseline: 0.2 },
];

describe('Function: modelComparison', () => {
  it('takes the metrics model_metrics.json states for both models', () => {
    // Prepare
    const metrics = {
      version: 'v1',
      forest: { accuracy: 0.9, precision: 0.8, recall: 0.7, auc: 0.95 },
      baseline: { accuracy: 0.68, precision: 0.5, recall: 0.4, auc: 0.7 },
    };
    // Act
    const { values, source } = modelComparison(metrics, null);
    // Assess
    expect(source).toBe('model_metrics.json');
    expect(values).toContainEqual({ model: 'Forest', metric: 'auc', value: 0.95 });
    expect(values).toContainEqual({ model: '2-D baseline', metric: 'accuracy', value: 0.68 });
    expect(values).toHaveLength(8);
  });

  it('computes the metrics from the test set at threshold 0.5 when the JSON has none', () => {
    // Act
    const { values, source } = modelComparison({ trained: false }, testSet);
    const v = (model: string, metric: string) =>
      values.find((x) => x.model === model && x.metric === metric)?.value;
    // Assess: forest all right; baseline predicts a and c positive: accuracy 2/4, precision 1/2, recall 1/2, AUC 2/4
    expect(source).toMatch(/hv_predictions_testset/);
    expect(v('Forest', 'accuracy')).toBe(1);
    expect(v('Forest', 'auc')).toBe(1);
    expect(v('2-D baseline', 'accuracy')).toBe(0.5);
    expect(v('2-D baseline', 'precision')).toBe(0.5);
    expect(v('2-D baseline', 'recall')).toBe(0.5);
    expect(v('2-D baseline', 'auc')).toBe(0.5);
  });

  it('returns nothing without metrics or test set', () => {
    // Act & Assess
    expect(modelComparison(null, null).values).toEqual([]);
  });
});

describe('Function: modelComparison with the composite value index', () => {
  it('adds the value index AUC and accuracy from model_metrics.json beside forest and baseline', () => {
    // Prepare
    const metrics = {
      forest: { accuracy: 0.8, auc: 0.85 },
      baseline: { accuracy: 0.7, auc: 0.72 },
      valueIndex: { n: 300, auc: 0.78, accuracy: 0.75 },
    };
    // Act
    const { values } = modelComparison(metrics, null);
    // Assess
    expect(values.filter((v) => v.model === 'Composite value index')).toEqual([
      { model: 'Composite value index', metric: 'accuracy', value: 0.75 },
      { model: 'Composite value index', metric: 'auc', value: 0.78 },
    ]);
  });
});

describe('Function: modelWarnings', () => {
  it('states the label choice and a refusing gate before the warnings', () => {
    // Act
    const notes = modelWarnings({
      labelChoice: 'label revenue (auto: CRM data present)',
      gate: { promote: false, reason: 'refused: worse than the 2-D baseline' },
      warnings: ['w1'],
    });
    // Assess
    expect(notes).toEqual([
      'Label: label revenue (auto: CRM data present).',
      'Promotion gate: refused: worse than the 2-D baseline.',
      'w1',
    ]);
  });
});

describe('Function: rocPoints', () => {
  it('starts every curve at the origin and ends at (1, 1)', () => {
    // Act
    const forest = rocPoints(testSet).filter((p) => p.model === 'Forest');
    // Assess: forest reaches tpr 1 at fpr 0
    expect(forest[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(forest.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(forest.some((p) => p.fpr === 0 && p.tpr === 1)).toBe(true);
  });
});

describe('Function: calibrationPoints', () => {
  it('keeps only the bins that hold accounts', () => {
    // Act
    const forest = calibrationPoints(testSet).filter((p) => p.model === 'Forest');
    // Assess: bins 0.1, 0.4, 0.7, 0.9 each hold one account
    expect(forest.map((p) => p.count)).toEqual([1, 1, 1, 1]);
    expect(forest.map((p) => p.observedRate)).toEqual([0, 0, 1, 1]);
  });
});

describe('Function: importanceRows', () => {
  it('reads the forest columns and sorts by mean, largest first', () => {
    // Prepare
    const rows = [
      { feature: 'x', forest_importance_mean: 0.01, forest_importance_std: 0.002 },
      { feature: 'y', forest_importance_mean: 0.2, forest_importance_std: 0.01 },
    ];
    // Act & Assess
    expect(importanceRows(rows)).toEqual([
      { feature: 'y', mean: 0.2, std: 0.01 },
      { feature: 'x', mean: 0.01, std: 0.002 },
    ]);
  });
});

describe('Function: noModelReason', () => {
  it('says why no model was trained', () => {
    // Act & Assess
    expect(noModelReason({ trained: false, reason: 'not enough data to train' })).toBe(
      'No classifier model in this run: not enough data to train.',
    );
    expect(noModelReason({ version: 'v1' })).toBeNull();
    expect(
      noModelReason({
        version: 'v1',
        gate: { promote: false },
        hv_source: 'value-index-fallback',
        fallback_reason: 'no champion model (v1 not promoted)',
      }),
    ).toBe('No classifier model scored this run: no champion model (v1 not promoted).');
  });
});

describe('Function: modelIdentity', () => {
  it('reads version and label', () => {
    // Act & Assess
    expect(modelIdentity({ version: 'v7', label: 'composite' })).toEqual({
      version: 'v7',
      label: 'composite',
    });
  });
});
