import { ModelInputError } from './modelErrors.ts';
import { createRng, shuffleInPlace } from './rng.ts';
import type { BinaryLabels } from './types.ts';

/** Options of stratifiedSplit. */
export interface StratifiedSplitOptions {
  /** Share of each class that goes to the test set, in (0, 1). @default 0.3 */
  testSize: number;
  /** Seed of the shuffle. @default 0 */
  randomState: number;
}

/** Row indices of the two sides of a split, each ascending. */
export interface TrainTestIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Stratified train/test split: within each label value, shuffles the rows (seeded) and sends
 * round(count × testSize) of them to test, so both sides keep the class ratios.
 */
export function stratifiedSplit(
  y: BinaryLabels,
  options: Partial<StratifiedSplitOptions> = {},
): TrainTestIndices {
  const { testSize, randomState } = { testSize: 0.3, randomState: 0, ...options };
  if (!(testSize > 0 && testSize < 1)) throw new ModelInputError('testSize must be in (0, 1)');
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const rows = byClass.get(y[i]);
    if (rows) rows.push(i);
    else byClass.set(y[i], [i]);
  }
  const rng = createRng(randomState);
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(Int32Array.from(byClass.get(label)!), rng);
    const nTest = Math.round(rows.length * testSize);
    for (let k = 0; k < rows.length; k++) (k < nTest ? test : train).push(rows[k]);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
