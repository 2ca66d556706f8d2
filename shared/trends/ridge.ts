import { fitStandardize, type Standardizer, standardize } from '../models/standardize.ts';
import type { FeatureMatrix } from '../models/types.ts';

/** A fitted ridge regression (plain JSON): z-scored features, coefficients and intercept. */
export interface RidgeModel {
  kind: 'ridge';
  version: 1;
  /** Penalty per training row on the standardized coefficients. */
  alpha: number;
  standardizer: Standardizer;
  coef: number[];
  intercept: number;
}

/** Solves A x = b for a small dense symmetric system (Gaussian elimination, partial pivoting); A and b are copied. */
export function solveLinear(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / piv;
      if (f !== 0) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = Math.abs(m[r][r]) < 1e-12 ? 0 : s / m[r][r];
  }
  return x;
}

/**
 * Fits y ~ intercept + z(X) · coef minimising squared error + alpha x n x |coef|^2 (z = z-scored X; a missing value
 * is imputed with the feature mean). Same data, same model.
 */
export function fitRidge(X: FeatureMatrix, y: ArrayLike<number>, alpha = 0.01): RidgeModel {
  const standardizer = fitStandardize(X);
  const Z = standardize(standardizer, X);
  const n = Z.length;
  const p = standardizer.mean.length;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const z = Z[i];
    const r = y[i] - ybar;
    for (let j = 0; j < p; j++) {
      b[j] += z[j] * r;
      for (let k = j; k < p; k++) A[j][k] += z[j] * z[k];
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) A[j][k] = A[k][j];
    A[j][j] += alpha * n;
  }
  return {
    kind: 'ridge',
    version: 1,
    alpha,
    standardizer,
    coef: solveLinear(A, b),
    intercept: ybar,
  };
}

/** Predictions of a fitted ridge model for rows X. */
export function predictRidge(model: RidgeModel, X: FeatureMatrix): number[] {
  return standardize(model.standardizer, X).map((z) => {
    let s = model.intercept;
    for (let j = 0; j < z.length; j++) s += z[j] * model.coef[j];
    return s;
  });
}
