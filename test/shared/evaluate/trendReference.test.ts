import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateRun, formatEvaluation } from '../../../shared/evaluate/index.ts';
import type { Direction } from '../../../shared/evaluate/truth.ts';
import {
  mostProbableDirection,
  trendTruthReference,
} from '../../../shared/evaluate/truthReference.ts';
import { foldRecorder } from './foldRecorder.ts';

/**
 * The trend truth-trained reference (a diagnostic): forests taught "Up" and "Down" themselves, out of fold, each row
 * called its most probable direction. 40 hand-made rows: 10 Up, 20 Flat, 10 Down; 5 folds stratified on "not Flat"
 * give every fold 4 Flat rows and 4 others.
 */
const N = 40;
const truth: Direction[] = Array.from({ length: N }, (_, i) =>
  i < 10 ? 'Up' : i < 30 ? 'Flat' : 'Down',
);
const code = (d: Direction) => (d === 'Up' ? 1 : d === 'Down' ? -1 : 0);

describe('Function: mostProbableDirection', () => {
  it('calls the most probable of Up, Down and Flat = 1 - P(Up) - P(Down); ties go to Flat, then to Down', () => {
    // Assess: P(Flat) 0.3 / 0.4 / 0.25 / 0 / 0.2
    expect(mostProbableDirection(0.4, 0.3)).toBe('Up');
    expect(mostProbableDirection(0.3, 0.3)).toBe('Flat');
    expect(mostProbableDirection(0.25, 0.5)).toBe('Down');
    expect(mostProbableDirection(0.5, 0.5)).toBe('Down');
    expect(mostProbableDirection(0.4, 0.4)).toBe('Down');
    // a tie of Up with Flat (0.5, 0, 0.5) goes to Flat
    expect(mostProbableDirection(0.5, 0)).toBe('Flat');
    expect(mostProbableDirection(0, 0.5)).toBe('Flat');
  });
});

describe('Function: trendTruthReference', () => {
  it('calls every row right when a feature is the true direction', async () => {
    // Arrange: feature = +1 / 0 / -1; each fold's Up forest splits 1 off, its Down forest -1
    const X = truth.map((d) => Float64Array.of(code(d)));
    // Act
    const r = await trendTruthReference(X, truth);
    // Assess
    expect(r.calls).toEqual(truth);
  });

  it('calls Flat everywhere when the feature carries nothing and Flat is the commonest direction', async () => {
    // Arrange: a constant feature, so no forest can split: a fold's rows all get its training rows' bootstrap shares
    // of Up and Down (about 8 / 32 each against 16 / 32 Flat)
    const X = truth.map(() => Float64Array.of(7));
    // Act
    const r = await trendTruthReference(X, truth);
    // Assess
    expect(r.calls).toEqual(new Array(N).fill('Flat'));
    const perFold = new Map<number, Set<string>>();
    r.folds.forEach((f, i) => {
      perFold.set(f, (perFold.get(f) ?? new Set()).add(`${r.pUp[i]},${r.pDown[i]}`));
    });
    for (const values of perFold.values()) expect(values.size).toBe(1);
  });

  it('never calls a row with forests fitted on its direction', async () => {
    // Arrange
    const X = truth.map((d, i) => Float64Array.of(i % 7, code(d)));
    const { by: calledBy, onFold } = foldRecorder(N);
    // Act
    const r = await trendTruthReference(X, truth, { onFold });
    // Assess: every row called once, by its own fold's forests; 8 rows a fold, 4 of them not Flat
    expect(calledBy).toEqual(Array.from(r.folds));
    for (let f = 0; f < 5; f++) {
      const rows = calledBy.flatMap((g, i) => (g === f ? [i] : []));
      expect(rows.length).toBe(8);
      expect(rows.filter((i) => truth[i] !== 'Flat').length).toBe(4);
    }
  });
});

describe('Function: evaluateRun (trend truth-trained reference)', () => {
  let dir: string;
  let run: string;
  let truthFile: string;
  const ids = Array.from({ length: N }, (_, i) => `a${String(i).padStart(2, '0')}`);

  /** account_scores.csv with the given trend feature columns (`usage_change` = the 3-month direction's code). */
  const writeScores = (trendColumns: boolean) =>
    writeFileSync(
      join(run, 'account_scores.csv'),
      [
        `account_id,value_index,baseline_2d_score,p_high_value,trend_3m,trend_6m${trendColumns ? ',usage_change,pit_tenure_days' : ''}`,
        ...ids.map(
          (id, i) =>
            `${id},${i},${i},${i},Flat,Flat${trendColumns ? `,${code(truth[i])},${100 + i}` : ''}`,
        ),
        `sf1,,,,,${trendColumns ? ',,' : ''}`,
      ].join('\n'),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-evaluate-trendref-'));
    run = join(dir, 'runs', '2024-10-31');
    mkdirSync(join(run, 'parts'), { recursive: true });
    truthFile = join(dir, 'truth.csv');
    // 3 months: 10 Up, 20 Flat, 10 Down; 6 months: every account Flat
    writeFileSync(
      truthFile,
      [
        'account_id,world,latent_value_now,latent_value_3m,latent_value_6m,true_high_value,true_direction_3m,true_direction_6m',
        ...ids.map(
          (id, i) =>
            `${id},hand,${100 - i},${100 - i},${100 - i},${i < 10 ? 1 : 0},${truth[i]},Flat`,
        ),
      ].join('\n'),
    );
    writeScores(true);
    writeFileSync(
      join(run, 'feature_importances.csv'),
      'feature,forest_importance_mean\nnoise,0.3\n',
    );
    writeFileSync(
      join(run, 'parts', 'features.csv'),
      [
        'account_id,noise,has_product',
        ...ids.map((id, i) => `${id},${i % 3},true`),
        'sf1,1,false',
      ].join('\n'),
    );
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("trains on the true directions with the run's trend and classifier features, against all-Flat", async () => {
    // Act
    const e = await evaluateRun({ run, truth: truthFile, resamples: 50 });
    // Assess: at 3 months the reference calls all 40 right, all-Flat 20 (hit rates 1 and 0.5); every resample of
    // the paired difference is the 20 accounts all-Flat misses: +0.5 ... at 6 months both are all Flat
    const r3 = e.trends['3m'].truthReference;
    expect(r3).toMatchObject({
      n: 40,
      missing: 0,
      features: ['usage_change', 'pit_tenure_days', 'noise'],
      folds: 5,
      seed: 42,
      hitRate: 1,
      callMix: { Up: 10, Flat: 20, Down: 10 },
      vsAllFlat: { forecast: 1, reference: 0.5, difference: 0.5 },
    });
    const r6 = e.trends['6m'].truthReference;
    expect(r6).toMatchObject({
      hitRate: 1,
      callMix: { Up: 0, Flat: 40, Down: 0 },
      vsAllFlat: { difference: 0, lower: 0, upper: 0 },
    });
    expect(formatEvaluation(e)).toMatch(
      /truth-trained reference \(a diagnostic that uses the truth, not a method; n=40\): hit rate 1\.000 {3}reference - all-Flat \+0\.500/,
    );
  });

  it('uses the trend features alone when the run has no classifier features', async () => {
    // Arrange
    rmSync(join(run, 'feature_importances.csv'));
    // Act
    const e = await evaluateRun({ run, truth: truthFile, resamples: 10 });
    // Assess
    expect(e.trends['3m'].truthReference).toMatchObject({
      n: 40,
      features: ['usage_change', 'pit_tenure_days'],
      hitRate: 1,
    });
  });

  it('is unavailable, naming the columns, without trend features, and not computed when switched off', async () => {
    // Arrange
    writeScores(false);
    // Act
    const e = await evaluateRun({ run, truth: truthFile, resamples: 10 });
    const off = await evaluateRun({ run, truth: truthFile, resamples: 10, truthReference: false });
    // Assess
    expect(e.trends['6m'].truthReference).toEqual({
      unavailable: 'account_scores.csv has no trend feature column (usage_change, pit_*)',
    });
    expect(off.trends['3m'].truthReference).toEqual({
      unavailable: 'not computed (truthReference: false)',
    });
    expect(formatEvaluation(e)).toMatch(
      /truth-trained reference: account_scores.csv has no trend feature column/,
    );
  });
});
