import { isMissing } from './binning.ts';
import { ModelInputError } from './modelErrors.ts';
import { checkXy } from './randomForest.ts';
import { fitStandardize, type Standardizer, standardize } from './standardize.ts';
import type { BinaryLabels, FeatureMatrix } from './types.ts';

/** Hyper-parameters of the logistic regression. */
export interface LogisticRegressionParams {
  /** Ridge penalty (l2 / 2) · |w|^2 on the standardized coefficients, not the intercept (>= 0). @default 1e-4 */
  l2: number;
  /** Most Newton steps. @default 100 */
  maxIter: number;
  /** Stop when no coefficient moves more than this in a step. @default 1e-8 */
  tol: number;
  /** Apply sign(x) · log1p(|x|) (log1p for x >= 0) before standardizing, for heavy-tailed counts. @default false */
  log1p: boolean;
}

/** A fitted logistic regression (plain JSON): p(y=1) = sigmoid(intercept + coef · z), z the standardized features. */
export interface LogisticRegressionModel {
  kind: 'logistic-regression';
  version: 1;
  params: LogisticRegressionParams;
  /** Feature name per column. */
  featureNames: string[];
  /** Centring and scaling of the (log1p-transformed) features. */
  scaler: Standardizer;
  /** Coefficient per standardized feature (log-odds per standard deviation). */
  coef: number[];
  /** Log-odds when every standardized feature is 0 (at the means). */
  intercept: number;
  /** Newton steps taken. */
  nIter: number;
  /** Whether the steps fell below tol before maxIter. */
  converged: boolean;
}

/** Default logistic regression parameters. */
export const defaultLogisticParams: LogisticRegressionParams = {
  l2: 1e-4,
  maxIter: 100,
  tol: 1e-8,
  log1p: false,
};

function transform(X: FeatureMatrix, log1p: boolean): FeatureMatrix {
  if (!log1p) return X;
  return X.map((row) =>
    Array.from(row, (v) =>
      isMissing(v) ? Number.NaN : Math.sign(v as number) * Math.log1p(Math.abs(v as number)),
    ),
  );
}

const sigmoid = (t: number): number =>
  t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));

/** Solves A x = b for a symmetric positive definite A (k × k, row-major) by Cholesky; returns x. */
function solveSpd(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        if (!(s > 0))
          throw new ModelInputError('logistic regression Hessian is singular; raise l2');
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * z[m];
    z[i] = s / L[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}

/** Penalised negative log-likelihood of weights w (w[0] the intercept) on rows Z. */
function objective(Z: Float64Array[], y: BinaryLabels, w: Float64Array, l2: number): number {
  let loss = 0;
  for (let i = 0; i < Z.length; i++) {
    let t = w[0];
    for (let f = 0; f < Z[i].length; f++) t += w[f + 1] * Z[i][f];
    // log(1 + e^t) - y t, computed stably.
    loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - (y[i] === 1 ? t : 0);
  }
  for (let f = 1; f < w.length; f++) loss += 0.5 * l2 * w[f] * w[f];
  return loss;
}

/**
 * Fits a binary logistic regression with intercept by Newton / IRLS with an L2 ridge, on standardized
 * (optionally log1p) features; missing values are imputed with the training mean. Deterministic.
 */
export function fitLogisticRegression(
  X: FeatureMatrix,
  y: BinaryLabels,
  params: Partial<LogisticRegressionParams> = {},
  featureNames?: string[],
): LogisticRegressionModel {
  const p = checkXy(X, y);
  const all = { ...defaultLogisticParams, ...params };
  if (!(all.l2 >= 0) || !(all.maxIter >= 1) || !(all.tol > 0)) {
    throw new ModelInputError('l2 must be >= 0, maxIter >= 1 and tol > 0');
  }
  const Xt = transform(X, all.log1p);
  const scaler = fitStandardize(Xt);
  const Z = standardize(scaler, Xt);
  const k = p + 1;
  let w = new Float64Array(k);
  let loss = objective(Z, y, w, all.l2);
  let nIter = 0;
  let converged = false;
  while (nIter < all.maxIter && !converged) {
    nIter++;
    const H = new Float64Array(k * k);
    const g = new Float64Array(k);
    const z = new Float64Array(k);
    z[0] = 1;
    for (let i = 0; i < Z.length; i++) {
      z.set(Z[i], 1);
      let t = 0;
      for (let a = 0; a < k; a++) t += w[a] * z[a];
      const pr = sigmoid(t);
      const r = pr - (y[i] === 1 ? 1 : 0);
      const v = pr * (1 - pr);
      for (let a = 0; a < k; a++) {
        g[a] += r * z[a];
        for (let b = 0; b <= a; b++) H[a * k + b] += v * z[a] * z[b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) H[b * k + a] = H[a * k + b];
    for (let a = 1; a < k; a++) {
      g[a] += all.l2 * w[a];
      H[a * k + a] += all.l2;
    }
    H[0] += 1e-12 * Z.length;
    const step = solveSpd(H, g, k);
    // Backtracking keeps every step a descent step (Newton can overshoot on nearly separable data).
    let scale = 1;
    let next = w;
    let nextLoss = loss;
    for (let h = 0; h < 30; h++) {
      next = w.map((wa, a) => wa - scale * step[a]);
      nextLoss = objective(Z, y, next, all.l2);
      if (nextLoss <= loss) break;
      scale /= 2;
    }
    converged = step.every((s) => Math.abs(scale * s) < all.tol) || nextLoss > loss;
    if (nextLoss <= loss) {
      w = next;
      loss = nextLoss;
    }
  }
  return {
    kind: 'logistic-regression',
    version: 1,
    params: all,
    featureNames: featureNames ? [...featureNames] : Array.from({ length: p }, (_, f) => `x${f}`),
    scaler,
    coef: Array.from(w.subarray(1)),
    intercept: w[0],
    nIter,
    converged,
  };
}

/** Probability of class 1 per row of X under a fitted logistic regression, each in (0, 1). */
export function predictProbaLogistic(
  model: LogisticRegressionModel,
  X: FeatureMatrix,
): Float64Array {
  const Z = standardize(model.scaler, transform(X, model.params.log1p));
  return Float64Array.from(Z, (z) => {
    let t = model.intercept;
    for (let f = 0; f < z.length; f++) t += model.coef[f] * z[f];
    return sigmoid(t);
  });
}
