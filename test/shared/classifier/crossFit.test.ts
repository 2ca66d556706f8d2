import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../shared/classifier/dataset.ts';
import { forestScores } from '../../../shared/classifier/scoreHighValue.ts';
import { crossFitForests, trainModels } from '../../../shared/classifier/trainModels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { createRng, predictProba, rocAuc } from '../../../shared/models/index.ts';
import { syntheticRun } from './fixtures.ts';

const config = classifierOf({
  classifier: { forest: { nEstimators: 15 }, segments: { nInit: 2 }, crossFit: { folds: 5 } },
});

describe('Function: crossFitForests', () => {
  const { features, scores } = syntheticRun(300, 5);
  const dataset = buildDataset(features, scores, config);

  it('fits each fold forest on rows disjoint from the rows it scores, and scores every row exactly once', async () => {
    // Prepare: instrument the folds
    const seen: { fold: number; train: number[]; scored: number[] }[] = [];
    // Act
    const cf = await crossFitForests(dataset, config, (fold, train, scored) =>
      seen.push({ fold, train: Array.from(train), scored: Array.from(scored) }),
    );
    // Assess
    expect(seen.map((s) => s.fold)).toEqual([0, 1, 2, 3, 4]);
    const scoredCount = new Array(dataset.nRows).fill(0);
    for (const s of seen) {
      const train = new Set(s.train);
      expect(s.scored.filter((i) => train.has(i))).toEqual([]);
      expect(s.train.length + s.scored.length).toBe(dataset.nRows);
      for (const i of s.scored) {
        scoredCount[i]++;
        expect(cf.folds[i]).toBe(s.fold);
      }
    }
    expect(scoredCount.every((c) => c === 1)).toBe(true);
    // 75 positives and 225 negatives dealt over 5 folds: 15 positives and 45 negatives per fold
    for (const s of seen) expect(s.scored.filter((i) => dataset.y[i] === 1)).toHaveLength(15);
  });

  it('scores every trained account with the forest of its fold, which never saw its label; others with the full forest', async () => {
    // Prepare
    const trainIds: Set<string>[] = [];
    const cf = await crossFitForests(dataset, config, (_fold, train) =>
      trainIds.push(new Set(Array.from(train, (i) => dataset.accountIds[i]))),
    );
    const models = await trainModels(dataset, config);
    const bundle = {
      forest: models.forest,
      crossFit: {
        accountIds: dataset.accountIds,
        folds: Array.from(cf.folds),
        forests: cf.forests,
      },
    };
    const unseen = syntheticRun(20, 99).features.map((f) => ({
      ...f,
      account_id: `new-${f.account_id}`,
    }));
    // Act
    const inTraining = forestScores(bundle, dataset.rows);
    const outside = forestScores(bundle, unseen);
    // Assess
    expect(inTraining.outOfFold).toBe(dataset.nRows);
    dataset.rows.forEach((r, i) => {
      const fold = inTraining.fold[i] as number;
      expect(fold).toBe(cf.folds[i]);
      expect(trainIds[fold].has(r.account_id)).toBe(false);
    });
    expect(outside).toMatchObject({ outOfFold: 0, full: 20 });
    expect(outside.fold.every((f) => f === null)).toBe(true);
  });

  it('does not reproduce labels that carry no signal: in-sample AUC is high, out-of-fold AUC near 0.5', async () => {
    // Prepare: replace the labels with coin flips independent of the features (about 1 in 4 positive)
    const rng = createRng(11);
    const noise = { ...dataset, y: Uint8Array.from(dataset.y, () => (rng.next() < 0.25 ? 1 : 0)) };
    const deep = classifierOf({
      classifier: { forest: { nEstimators: 30 }, crossFit: { folds: 5 } },
    });
    // Act
    const cf = await crossFitForests(noise, deep);
    const models = await trainModels(noise, deep);
    const inSample = rocAuc(noise.y, predictProba(cf.forests[0], noise.X));
    const oof = forestScores(
      {
        forest: models.forest,
        crossFit: {
          accountIds: noise.accountIds,
          folds: Array.from(cf.folds),
          forests: cf.forests,
        },
      },
      noise.rows,
    );
    // Assess: fold 0's forest memorised the labels it saw (4/5 of the rows), but out-of-fold it knows nothing
    expect(inSample).toBeGreaterThan(0.75);
    expect(Math.abs(rocAuc(noise.y, oof.p) - 0.5)).toBeLessThan(0.1);
  });
});
