import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../shared/classifier/dataset.ts';
import { stackedScores } from '../../../shared/classifier/scoreHighValue.ts';
import {
  clippedLogit,
  fitStacker,
  fitStacking,
  percentileRanks,
  STACKING,
  stackedProbability,
  valueIndexPercentiles,
} from '../../../shared/classifier/stacking.ts';
import { crossFitForests } from '../../../shared/classifier/trainModels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
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

describe('Function: fitStacking (cross-fitting)', () => {
  const config = classifierOf({
    classifier: { forest: { nEstimators: 10 }, crossFit: { folds: 5 } },
  });
  const { features, scores } = syntheticRun(200, 7);
  const dataset = buildDataset(features, scores, config);
  const vi = valueIndexPercentiles(features, scores);

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
