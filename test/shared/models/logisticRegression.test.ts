import { describe, expect, it } from 'vitest';
import {
  fitLogisticRegression,
  predictProbaLogistic,
} from '../../../shared/models/logisticRegression.ts';
import { createRng } from '../../../shared/models/rng.ts';

describe('Function: fitLogisticRegression', () => {
  it('reproduces the class rates 1/4 and 3/4 of a binary feature', () => {
    // Prepare: x = 0 has 1 positive of 4, x = 1 has 3 of 4; the MLE is p = 0.25 and 0.75,
    // and on z = (x - 0.5) / 0.5 = -1 / +1 the coefficient is logit(0.75) = ln 3, the intercept 0
    const X = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];

    // Act
    const model = fitLogisticRegression(X, y, { l2: 0 });
    const proba = predictProbaLogistic(model, [[0], [1]]);

    // Assess
    expect(model.converged).toBe(true);
    expect(model.coef[0]).toBeCloseTo(Math.log(3), 8);
    expect(model.intercept).toBeCloseTo(0, 8);
    expect(proba[0]).toBeCloseTo(0.25, 8);
    expect(proba[1]).toBeCloseTo(0.75, 8);
  });

  it('recovers known coefficients on 20,000 synthetic rows', () => {
    // Prepare: logit p = -1 + 2 x1 - 1 x2, x ~ N(0, 1)
    const rng = createRng(5);
    const X = Array.from({ length: 20000 }, () => [rng.nextNormal(), rng.nextNormal()]);
    const y = X.map(([a, b]) => (rng.next() < 1 / (1 + Math.exp(-(-1 + 2 * a - b))) ? 1 : 0));

    // Act
    const model = fitLogisticRegression(X, y);

    // Assess: back to raw units, b_raw = b / std, a_raw = a - sum(b * mean / std)
    const { mean, std } = model.scaler;
    const raw = model.coef.map((c, f) => c / std[f]);
    const intercept =
      model.intercept - model.coef.reduce((s, c, f) => s + (c * mean[f]) / std[f], 0);
    expect(raw[0]).toBeCloseTo(2, 1);
    expect(raw[1]).toBeCloseTo(-1, 1);
    expect(intercept).toBeCloseTo(-1, 1);
  });

  it('with log1p equals a fit on log1p-transformed features', () => {
    // Prepare
    const X = [[0], [3], [10], [40], [100], [400], [1000], [5000]];
    const y = [0, 0, 1, 0, 1, 0, 1, 1];
    const logged = X.map(([v]) => [Math.log1p(v)]);

    // Act
    const a = predictProbaLogistic(fitLogisticRegression(X, y, { log1p: true }), X);
    const b = predictProbaLogistic(fitLogisticRegression(logged, y), logged);

    // Assess
    for (let i = 0; i < X.length; i++) expect(a[i]).toBeCloseTo(b[i], 10);
  });

  it('stays finite on perfectly separable data thanks to the ridge', () => {
    // Prepare
    const X = [[1], [2], [3], [4]];
    const y = [0, 0, 1, 1];

    // Act
    const proba = predictProbaLogistic(fitLogisticRegression(X, y), X);

    // Assess
    expect(proba[0]).toBeLessThan(0.01);
    expect(proba[3]).toBeGreaterThan(0.99);
  });
});
