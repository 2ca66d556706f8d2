import { describe, expect, it } from 'vitest';
import { deserializeForest, serializeForest } from '../../../shared/models/forestSerialization.ts';
import { ModelFormatError } from '../../../shared/models/modelErrors.ts';
import { fitRandomForest, predictProba } from '../../../shared/models/randomForest.ts';
import { syntheticAccounts } from './syntheticAccounts.ts';

describe('Function: serializeForest', () => {
  it('writes node arrays as base64 strings, not one object per node', async () => {
    // Prepare: one tree of 3 nodes on 0..19 split at 9.5
    const X = Array.from({ length: 20 }, (_, i) => [i]);
    const y = X.map(([v]) => (v >= 10 ? 1 : 0));
    const model = await fitRandomForest(X, y, { nEstimators: 1, bootstrap: false }, [
      'sum_minutes',
    ]);

    // Act
    const json = JSON.parse(serializeForest(model));

    // Assess: Int16 [0, -1, -1] is 6 bytes -> 8 base64 chars; Float32 values 12 bytes -> 16 chars
    expect(json.kind).toBe('random-forest');
    expect(json.featureNames).toEqual(['sum_minutes']);
    expect(json.trees[0].feature).toBe(
      Buffer.from(Int16Array.from([0, -1, -1]).buffer).toString('base64'),
    );
    expect(json.trees[0].value).toHaveLength(16);
    expect(json.params).not.toHaveProperty('nJobs');
  });
});

describe('Function: deserializeForest', () => {
  it('round-trips to the same bytes and the same predictions', async () => {
    // Prepare
    const { X, y, featureNames } = syntheticAccounts(300, 5);
    const model = await fitRandomForest(X, y, { nEstimators: 8, randomState: 1 }, featureNames);
    const text = serializeForest(model);

    // Act
    const back = deserializeForest(text);

    // Assess
    expect(serializeForest(back)).toBe(text);
    expect(Array.from(predictProba(back, X))).toEqual(Array.from(predictProba(model, X)));
    expect(back.featureNames).toEqual(featureNames);
  });

  it('throws ModelFormatError on text that is not a forest', () => {
    // Act & Assess
    expect(() => deserializeForest('not json')).toThrow(ModelFormatError);
    expect(() => deserializeForest('{"kind":"kmeans","version":1}')).toThrow(ModelFormatError);
  });

  it('throws ModelFormatError when a child index points backwards', async () => {
    // Prepare: make the root's left child the root itself (a cycle)
    const X = Array.from({ length: 10 }, (_, i) => [i]);
    const json = JSON.parse(
      serializeForest(
        await fitRandomForest(
          X,
          X.map(([v]) => (v > 4 ? 1 : 0)),
          { nEstimators: 1, bootstrap: false },
        ),
      ),
    );
    json.trees[0].left = Buffer.from(Int32Array.from([0, -1, -1]).buffer).toString('base64');

    // Act & Assess
    expect(() => deserializeForest(JSON.stringify(json))).toThrow(ModelFormatError);
  });
});
