import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../shared/classifier/dataset.ts';
import { stackedScores } from '../../../shared/classifier/scoreHighValue.ts';
import {
  clippedLogit,
  fitCalibration,
  fitRankMean,
  fitStacker,
  fitStacking,
  percentileRanks,
  rankMeanProbabilities,
  rankMeanScores,
  STACKING,
  type StoredRankMean,
  stackedProbability,
  valueIndexPercentiles,
} from '../../../shared/classifier/stacking.ts';
import { crossFitForests } from '../../../shared/classifier/trainModels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import type { LogisticRegressionModel } from '../../../shared/models/index.ts';
import { syntheticRun } from './fixtures.ts';

describe('Function: percentileRanks', () => {
  it('gives the average rank of ties over the non-null count, as pandas rank(pct=True)', () => {
    // 1 is rank 1; the two 2s share ranks 2 and 3 (2.5); 3 is rank 4; of 4 values
    expect(percentileRanks([3, 1, 2, 2, null])).toEqual([1, 0.25, 0.625, 0.625, null]);
  });
});

describe('Function: fitStacker', () => {
  /**
   * Four cells (z, v) whose shares of positives follow an additive logit exactly, b = (0, ln 2, ln 3):
   * (-1, 0): logit -ln 2, p 1/3 -> 1 of 3; (1, 0): logit ln 2, p 2/3 -> 2 of 3;
   * (-1, 1): logit ln 3 - ln 2 = ln 1.5, p 3/5 -> 3 of 5; (1, 1): logit ln 6, p 6/7 -> 6 of 7.
   * The unpenalised maximum-likelihood fit reproduces every cell share, so it is b = (0, ln 2, ln 3).
   */
  const z: number[] = [];
  const v: number[] = [];
  const y: number[] = [];
  const cell = (zc: number, vc: number, positives: number, n: number) => {
    for (let i = 0; i < n; i++) {
      z.push(zc);
      v.push(vc);
      y.push(i < positives ? 1 : 0);
    }
  };
  cell(-1, 0, 1, 3);
  cell(1, 0, 2, 3);
  cell(-1, 1, 3, 5);
  cell(1, 1, 6, 7);

  it('finds the maximum-likelihood coefficients of an exactly additive toy without a penalty', () => {
    const b = fitStacker(z, v, y, 0, 25);
    expect(b[0]).toBeCloseTo(0, 9);
    expect(b[1]).toBeCloseTo(Math.log(2), 9);
    expect(b[2]).toBeCloseTo(Math.log(3), 9);
  });

  it('with the L2 penalty, stops where the penalised gradient is 0 and shrinks the slopes, not the intercept', () => {
    const lambda = 5;
    const b = fitStacker(z, v, y, lambda, STACKING.iterations);
    const p = z.map((zi, i) => 1 / (1 + Math.exp(-(b[0] + b[1] * zi + b[2] * v[i]))));
    const r = p.map((pi, i) => pi - y[i]);
    const sum = (f: (i: number) => number) => r.reduce((s, _, i) => s + f(i), 0);
    expect(sum((i) => r[i])).toBeCloseTo(0, 9);
    expect(sum((i) => r[i] * z[i]) + lambda * b[1]).toBeCloseTo(0, 9);
    expect(sum((i) => r[i] * v[i]) + lambda * b[2]).toBeCloseTo(0, 9);
    expect(b[1]).toBeLessThan(Math.log(2));
    expect(b[1]).toBeGreaterThan(0);
    expect(b[2]).toBeLessThan(Math.log(3));
    expect(b[2]).toBeGreaterThan(0);
  });
});

describe('Function: stackedProbability', () => {
  it('reads the forest probability through a logit clipped at 0.01 and 0.99', () => {
    // b = (0, 1, 0): the stacked probability is the clipped forest probability itself
    expect(stackedProbability([0, 1, 0], 0.3, 0.9)).toBeCloseTo(0.3, 12);
    expect(stackedProbability([0, 1, 0], 1, 0.9)).toBeCloseTo(0.99, 12);
    expect(stackedProbability([0, 1, 0], 0, 0.9)).toBeCloseTo(0.01, 12);
    // b = (ln 3, 0, 0): 3 / (1 + 3) whatever the inputs; b = (0, 0, 2): sigmoid(2 v)
    expect(stackedProbability([Math.log(3), 0, 0], 0.2, 0.5)).toBeCloseTo(0.75, 12);
    expect(stackedProbability([0, 0, 2], 0.2, 0.5)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(clippedLogit(0.5)).toBe(0);
  });
});

/** A 200-account run with a revenue label, cross-fitted on 5 folds (the stacker's and the rank mean's tests). */
function crossFitRun() {
  const config = classifierOf({
    classifier: { forest: { nEstimators: 10 }, crossFit: { folds: 5 } },
  });
  const { features, scores } = syntheticRun(200, 7);
  const dataset = buildDataset(features, scores, config);
  return { config, features, dataset, vi: valueIndexPercentiles(features, scores) };
}

describe('Function: fitStacking (cross-fitting)', () => {
  const { config, features, dataset, vi } = crossFitRun();

  it('fits stacker k only on rows outside fold k, and fold k labels never move stacker k', async () => {
    // Prepare
    const cf = await crossFitForests(dataset, config);
    const fitted: number[][] = [];
    // Act
    const st = fitStacking(dataset.rows, dataset.y, cf.folds, cf.forests, vi, (k, rows) => {
      fitted[k] = rows;
    });
    // flip every label of fold 0 (the forests stay the same)
    const flipped = Uint8Array.from(dataset.y, (v, i) => (cf.folds[i] === 0 ? 1 - v : v));
    const st2 = fitStacking(dataset.rows, flipped, cf.folds, cf.forests, vi);
    // Assess
    for (let k = 0; k < 5; k++) {
      expect(fitted[k].some((i) => cf.folds[i] === k)).toBe(false);
      expect(fitted[k].length).toBe(dataset.nRows - cf.folds.filter((f) => f === k).length);
    }
    expect(st2.folds[0]).toEqual(st.folds[0]);
    for (let k = 1; k < 5; k++) expect(st2.folds[k]).not.toEqual(st.folds[k]);
    expect(st2.full).not.toEqual(st.full);
    expect(st).toMatchObject({ label: 'revenue', lambda: 1, iterations: 25, clip: 0.01 });
  });

  it('scores an account of fold k with stacker k, any other account with the full stacker, none without a value index', () => {
    // Prepare: hand-made coefficients, so each route is visible in the result
    const bundle = {
      stacking: {
        label: 'revenue' as const,
        lambda: 1,
        iterations: 25,
        clip: 0.01,
        folds: [
          [0, 1, 0],
          [Math.log(3), 0, 0],
        ] as [number, number, number][],
        full: [0, 0, 2] as [number, number, number],
      },
    };
    const rows = features.slice(0, 4);
    const percentiles = new Map([
      [rows[0].account_id, 0.9],
      [rows[1].account_id, 0.9],
      [rows[2].account_id, 0.5],
    ]);
    // Act
    const p = stackedScores(
      bundle,
      rows,
      { p: Float64Array.of(0.3, 0.3, 0.3, 0.3), fold: [0, 1, null, 0] },
      percentiles,
    );
    // Assess: fold 0 -> 0.3 itself; fold 1 -> 0.75; full -> sigmoid(2 x 0.5); no value index -> the forest's 0.3
    expect(Array.from(p as Float64Array)).toEqual([
      expect.closeTo(0.3, 12),
      expect.closeTo(0.75, 12),
      expect.closeTo(1 / (1 + Math.exp(-1)), 12),
      0.3,
    ]);
  });
});

describe('Function: fitCalibration', () => {
  it('is the 1-D L2 logistic fit: its penalised gradient is 0, and balanced labels at every s give a flat 0.5', () => {
    // s 0, 1, 2 with 1 of 4, 2 of 4 and 3 of 4 positives: a rising share
    const s = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const y = [1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0];
    const [c0, c1] = fitCalibration(s, y);
    const r = s.map((x, i) => 1 / (1 + Math.exp(-(c0 + c1 * x))) - y[i]);
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    expect(r.reduce((a, ri, i) => a + ri * s[i], 0) + STACKING.lambda * c1).toBeCloseTo(0, 9);
    expect(c1).toBeGreaterThan(0);
    // symmetric about s = 1: the fitted line passes through logit 0 there
    expect(c0 + c1).toBeCloseTo(0, 9);
    // half positive at each s: no slope, intercept 0
    expect(fitCalibration([0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 0]);
  });
});

/** A one-feature logistic regression on `feature` with hand-set weights: p = sigmoid(intercept + coef x). */
function handLogistic(feature: string, coef: number, intercept: number): LogisticRegressionModel {
  return {
    kind: 'logistic-regression',
    version: 1,
    params: { l2: 1, maxIter: 100, tol: 1e-8, log1p: false },
    featureNames: [feature],
    scaler: { kind: 'standardizer', version: 1, mean: [0], std: [1] },
    coef: [coef],
    intercept,
    nIter: 0,
    converged: true,
  };
}

describe('Function: rankMeanScores / rankMeanProbabilities', () => {
  const { features } = syntheticRun(5, 3);
  const rows = features.map((f, i) => ({ ...f, sum_minutes: [3, 1, 4, 2, 5][i] }));
  // fold model: p rises with sum_minutes; full model: p falls with it
  const logistic = {
    folds: [handLogistic('sum_minutes', 1, 0)],
    full: handLogistic('sum_minutes', -1, 0),
  };
  const forest = { p: Float64Array.of(0.9, 0.1, 0.4, 0.3, 0.2), fold: [0, 0, null, 0, 0] };
  // the fifth account has no value index percentile
  const vi = new Map(rows.slice(0, 4).map((r, i) => [r.account_id, [0.25, 0.5, 0.75, 1][i]]));

  it('averages the forest rank, the logistic rank and the value index percentile of the accounts with one', () => {
    // forest p 0.9, 0.1, 0.4, 0.3 -> ranks 4, 1, 3, 2 of 4 -> 1, 0.25, 0.75, 0.5
    // logistic: fold model sigmoid(3), sigmoid(1), full model sigmoid(-4), fold sigmoid(2) -> ranks 4, 2, 1, 3 -> 1, 0.5, 0.25, 0.75
    const s = rankMeanScores(logistic, rows, forest, vi);
    expect(s[0]).toBeCloseTo((1 + 1 + 0.25) / 3, 12);
    expect(s[1]).toBeCloseTo((0.25 + 0.5 + 0.5) / 3, 12);
    expect(s[2]).toBeCloseTo((0.75 + 0.25 + 0.75) / 3, 12);
    expect(s[3]).toBeCloseTo((0.5 + 0.75 + 1) / 3, 12);
    expect(s[4]).toBeNull();
  });

  it('calibrates with the fold calibration or the full one; an account without a value index keeps the forest', () => {
    const rankMean: StoredRankMean = {
      logistic,
      calibration: { folds: [[0, 0]], full: [Math.log(3), 0] },
    };
    const p = rankMeanProbabilities(rankMean, rows, forest, vi);
    expect(Array.from(p)).toEqual([0.5, 0.5, 0.75, 0.5, 0.2].map((x) => expect.closeTo(x, 12)));
  });
});

describe('Function: fitRankMean (cross-fitting)', () => {
  const { config, features, dataset, vi } = crossFitRun();

  it('fits logistic regression k and calibration k only on rows outside fold k; fold k labels never move logistic k', async () => {
    // Prepare: every account scored as daily scoring scores it (fold forests, folds from the cross-fitting)
    const cf = await crossFitForests(dataset, config);
    const foldOf = new Map(dataset.accountIds.map((id, i) => [id, cf.folds[i]]));
    const product = features.filter((f) => f.has_product);
    const fold = product.map((f) => foldOf.get(f.account_id) ?? null);
    const p = Float64Array.from(product, (_, i) => ((i * 37) % 100) / 100);
    const scored = { rows: product, p, fold };
    const seen: { logistic: number[]; calibration: number[] }[] = [];
    // Act
    const rm = fitRankMean(dataset, dataset.y, cf.folds, scored, vi, (k, l, c) => {
      seen[k] = { logistic: l, calibration: c };
    });
    const flipped = Uint8Array.from(dataset.y, (v, i) => (cf.folds[i] === 0 ? 1 - v : v));
    const rm2 = fitRankMean(dataset, flipped, cf.folds, scored, vi);
    // Assess
    expect(rm.logistic.folds).toHaveLength(5);
    for (let k = 0; k < 5; k++) {
      for (const rows of [seen[k].logistic, seen[k].calibration])
        expect(rows.some((i) => cf.folds[i] === k)).toBe(false);
      expect(seen[k].logistic.length).toBe(dataset.nRows - cf.folds.filter((f) => f === k).length);
    }
    // (calibration k's inputs, the other folds' s, come from logistic regressions fitted on fold k among others, so
    // fold k's labels reach its two coefficients through them, never as its training labels; as for the stacker)
    expect(rm2.logistic.folds[0]).toEqual(rm.logistic.folds[0]);
    for (let k = 1; k < 5; k++) expect(rm2.logistic.folds[k]).not.toEqual(rm.logistic.folds[k]);
    expect(rm2.calibration.full).not.toEqual(rm.calibration.full);
    expect(rm.logistic.full.params).toMatchObject({ log1p: true, l2: 1 });
    expect(rm.logistic.full.featureNames).toEqual(dataset.featureNames);
  });

  it('gives every account a finite probability when a feature is missing for every account (an export without NPS)', async () => {
    // Prepare: avg_nps_rating NULL everywhere, in the training matrix and in the scored rows
    const f = dataset.featureNames.indexOf('avg_nps_rating');
    const X = dataset.X.map((r) => Float64Array.from(r, (v, j) => (j === f ? Number.NaN : v)));
    const rows = features.map((r) => ({ ...r, avg_nps_rating: null }));
    const cf = await crossFitForests(dataset, config);
    const foldOf = new Map(dataset.accountIds.map((id, i) => [id, cf.folds[i]]));
    const product = rows.filter((r) => r.has_product);
    const forest = {
      p: Float64Array.from(product, (_, i) => ((i * 37) % 100) / 100),
      fold: product.map((r) => foldOf.get(r.account_id) ?? null),
    };
    // Act
    const rm = fitRankMean(
      { ...dataset, X },
      dataset.y,
      cf.folds,
      { rows: product, ...forest },
      vi,
    );
    const p = rankMeanProbabilities(rm, product, forest, vi);
    // Assess
    expect(f).toBeGreaterThanOrEqual(0);
    expect(Array.from(p).every((x) => Number.isFinite(x) && x > 0 && x < 1)).toBe(true);
    expect(rm.logistic.full.coef[f]).toBe(0);
  });
});
