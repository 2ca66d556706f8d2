import { ModelInputError } from './modelErrors.ts';
import { createRng, shuffleInPlace } from './rng.ts';
import type { BinaryLabels } from './types.ts';

/**
 * Stratified k-fold assignment for cross-fitting: within each label value (0 first, then 1) the rows are shuffled
 * with the seed and dealt out in turn, the k-th row of the shuffled class going to fold k mod `folds`, so every
 * fold keeps the class ratio (fold sizes differ by at most one per class). Returns the fold (0 .. folds-1) of
 * every row.
 */
export function stratifiedFolds(y: BinaryLabels, folds: number, randomState: number): Int32Array {
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new ModelInputError(`folds must be an integer >= 2, got ${folds}`);
  const out = new Int32Array(y.length);
  const rng = createRng(randomState);
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) rows.push(i);
    const shuffled = shuffleInPlace(Int32Array.from(rows), rng);
    for (let k = 0; k < shuffled.length; k++) out[shuffled[k]] = k % folds;
  }
  return out;
}

/** Row indices outside and inside fold `fold` (each ascending): a fold model trains on `train`, scores `test`. */
export function foldIndices(
  assignment: ArrayLike<number>,
  fold: number,
): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < assignment.length; i++) (assignment[i] === fold ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
