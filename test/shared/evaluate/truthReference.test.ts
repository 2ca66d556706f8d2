import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateRun, formatEvaluation } from '../../../shared/evaluate/index.ts';
import { truthReference } from '../../../shared/evaluate/truthReference.ts';
import { foldRecorder } from './foldRecorder.ts';

/**
 * The truth-trained reference (a diagnostic): a forest trained on true_high_value, scored out of fold, top quartile
 * flagged. 40 hand-made rows, the first 10 truly high-value (the base rate is 10 / 40 = 0.25); 5 stratified folds
 * give every fold 2 positives and 6 others.
 */
const N = 40;
const y = Uint8Array.from({ length: N }, (_, i) => (i < 10 ? 1 : 0));

describe('Function: truthReference', () => {
  it('reaches accuracy 1 when a feature equals the true label', async () => {
    // Arrange: feature = label; every fold forest sees both classes and splits on it perfectly
    const X = Array.from(y, (v) => Float64Array.of(v));
    // Act
    const r = await truthReference(X, y);
    // Assess: the 10 positives score above every other row, so the top quartile (round(40 / 4) = 10) is exactly them
    expect(r).toMatchObject({ n: 40, flagged: 10, tp: 10, fp: 0, fn: 0, tn: 30, accuracy: 1 });
  });

  it('flags whole folds at the base rate when the feature carries nothing', async () => {
    // Arrange: one constant feature, so a fold forest cannot split: it gives every row of its fold the same
    // probability (its bootstrap share of positives), and the folds' probabilities differ only through the seeds
    const X = Array.from(y, () => Float64Array.of(7));
    // Act
    const r = await truthReference(X, y);
    // Assess: the 10th highest probability lies in the second-highest fold, so the two highest folds (16 rows, 2
    // positives each) are flagged: tp 4, fp 12, fn 6, tn 18, accuracy (4 + 18) / 40 = 0.55, precision 4 / 16 =
    // the base rate 0.25
    expect(r).toMatchObject({ n: 40, flagged: 16, tp: 4, fp: 12, fn: 6, tn: 18 });
    expect(r.accuracy).toBeCloseTo(0.55, 12);
    expect(r.precision).toBeCloseTo(0.25, 12);
    const perFold = new Map<number, Set<number>>();
    r.folds.forEach((f, i) => {
      perFold.set(f, (perFold.get(f) ?? new Set()).add(r.oof[i]));
    });
    for (const values of perFold.values()) expect(values.size).toBe(1);
  });

  it('never scores a row with a forest fitted on its label', async () => {
    // Arrange
    const X = Array.from({ length: N }, (_, i) => Float64Array.of(i % 7, y[i]));
    const { by: scoredBy, onFold } = foldRecorder(N);
    // Act
    const r = await truthReference(X, y, { onFold });
    // Assess: every row scored exactly once, by the forest of its own fold, 8 rows (2 positives) a fold
    expect(scoredBy).toEqual(Array.from(r.folds));
    for (let f = 0; f < 5; f++) {
      const rows = scoredBy.flatMap((g, i) => (g === f ? [i] : []));
      expect(rows.length).toBe(8);
      expect(rows.filter((i) => y[i] === 1).length).toBe(2);
    }
  });
});

describe('Function: evaluateRun (truth-trained reference)', () => {
  let dir: string;
  let run: string;
  let truth: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-evaluate-ref-'));
    run = join(dir, 'runs', '2024-10-31');
    mkdirSync(join(run, 'parts'), { recursive: true });
    const ids = Array.from({ length: N }, (_, i) => `a${String(i).padStart(2, '0')}`);
    truth = join(dir, 'truth.csv');
    writeFileSync(
      truth,
      [
        'account_id,world,latent_value_now,latent_value_3m,latent_value_6m,true_high_value,true_direction_3m,true_direction_6m',
        ...ids.map((id, i) => `${id},hand,${100 - i},${100 - i},${100 - i},${y[i]},Flat,Flat`),
      ].join('\n'),
    );
    // the run's scores (reversed, irrelevant to the reference) and one Salesforce-only prospect
    writeFileSync(
      join(run, 'account_scores.csv'),
      [
        'account_id,value_index,baseline_2d_score,p_high_value',
        ...ids.map((id, i) => `${id},${i},${i},${i}`),
        'sf1,,,',
      ].join('\n'),
    );
    // the classifier used `signal` (= the true label) and `noise`; `unused` is in the feature table only
    writeFileSync(
      join(run, 'feature_importances.csv'),
      'feature,forest_importance_mean\nnoise,0.3\nsignal,0.1\n',
    );
    writeFileSync(
      join(run, 'parts', 'features.csv'),
      [
        'account_id,signal,unused,noise,has_product',
        ...ids.map((id, i) => `${id},${y[i]},${1 - y[i]},${i % 3},true`),
        'sf1,1,0,1,false',
      ].join('\n'),
    );
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains on the truth with the classifier features and scores out of fold', async () => {
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10 });
    // Assess: the reversed p_high_value flags the 10 lowest (all truly 0): accuracy 20 / 40; the reference 1
    expect(e.highValue.methods.p_high_value).toMatchObject({ accuracy: 0.5 });
    const ref = e.highValue.truthReference;
    expect(ref).toMatchObject({
      n: 40,
      missing: 0,
      features: ['signal', 'noise'],
      folds: 5,
      seed: 42,
      accuracy: 1,
      tp: 10,
    });
    expect('note' in ref && ref.note).toMatch(/diagnostic that uses the truth, not a method/);
    expect(formatEvaluation(e)).toMatch(/truth reference\s+1\.000/);
  });

  it('computes a derived classifier feature (won_amount_before_window) from its input columns', async () => {
    // Arrange: the classifier's only feature is the revenue won before the label window; total - window = the true
    // label x 1,000 (+ 500 for account a05, whose total is 500 above its window revenue: it stays 1 of the top 10)
    const ids = Array.from({ length: N }, (_, i) => `a${String(i).padStart(2, '0')}`);
    writeFileSync(
      join(run, 'feature_importances.csv'),
      'feature,forest_importance_mean\nwon_amount_before_window,0.3\n',
    );
    writeFileSync(
      join(run, 'parts', 'features.csv'),
      [
        'account_id,total_won_amount,won_amount_window,has_product',
        ...ids.map((id, i) => `${id},${5000 + 1000 * y[i]},5000,true`),
      ].join('\n'),
    );
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10 });
    // Assess
    expect(e.highValue.truthReference).toMatchObject({
      features: ['won_amount_before_window'],
      n: 40,
      accuracy: 1,
    });
  });

  it('is unavailable, naming the input, when a derived feature cannot be computed', async () => {
    // Arrange
    writeFileSync(
      join(run, 'feature_importances.csv'),
      'feature,forest_importance_mean\nwon_amount_before_window,0.3\nsignal,0.1\n',
    );
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10 });
    // Assess
    expect(e.highValue.truthReference).toEqual({
      unavailable: `${join(run, 'parts', 'features.csv')} has no column total_won_amount, won_amount_window (for won_amount_before_window)`,
    });
  });

  it("measures the run's forest and stacked probabilities when it wrote high_value_stacking.csv", async () => {
    // Arrange: p_forest reversed (its top quartile a30..a39, all truly 0), p_stacked the true label; a00 has none
    const ids = Array.from({ length: N }, (_, i) => `a${String(i).padStart(2, '0')}`);
    writeFileSync(
      join(run, 'high_value_stacking.csv'),
      [
        'account_id,p_forest,p_stacked',
        ...ids.slice(1).map((id, j) => `${id},${(j + 1) / 100},${y[j + 1]}`),
      ].join('\n'),
    );
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10, truthReference: false });
    // Assess: 39 accounts, round(39 / 4) = 10 flagged; the stacked flags are the 9 positives a01..a09 plus every
    // tie at 0 (so all 39): tp 9, fp 30; the forest flags a30..a39: tp 0, fp 10, fn 9, tn 20
    const st = e.highValue.stacking;
    expect(st).toMatchObject({
      p_forest: { n: 39, missing: 1, flagged: 10, tp: 0, fp: 10, fn: 9, tn: 20 },
      p_stacked: { n: 39, missing: 1, flagged: 39, tp: 9, fp: 30, fn: 0, tn: 0 },
    });
    expect(e.highValue.truthReference).toEqual({
      unavailable: 'not computed (truthReference: false)',
    });
    // written before the rank-mean combiner: no p_rank_mean column
    expect(st).toMatchObject({
      p_rank_mean: {
        unavailable:
          'high_value_stacking.csv has no p_rank_mean (a model version trained before the rank-mean combiner)',
      },
    });
  });

  it('measures p_rank_mean when high_value_stacking.csv has it', async () => {
    // Arrange: p_rank_mean ranks a01..a10 on top (the 9 positives and a10), a00 has none
    const ids = Array.from({ length: N }, (_, i) => `a${String(i).padStart(2, '0')}`);
    writeFileSync(
      join(run, 'high_value_stacking.csv'),
      [
        'account_id,p_forest,p_stacked,p_rank_mean',
        ...ids.slice(1).map((id, j) => `${id},0.5,0.5,${(40 - j) / 100}`),
      ].join('\n'),
    );
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10, truthReference: false });
    // Assess: 39 accounts, 10 flagged: a01..a10, of which a01..a09 are truly high-value
    expect(e.highValue.stacking).toMatchObject({
      p_rank_mean: { n: 39, missing: 1, flagged: 10, tp: 9, fp: 1, fn: 0, tn: 29 },
    });
  });

  it('is unavailable, with the reason, when the run wrote no classifier features', async () => {
    // Arrange
    rmSync(join(run, 'feature_importances.csv'));
    // Act
    const e = await evaluateRun({ run, truth, resamples: 10 });
    // Assess
    expect(e.highValue.truthReference).toEqual({
      unavailable: 'feature_importances.csv is absent (no classifier model scored this run)',
    });
  });
});
