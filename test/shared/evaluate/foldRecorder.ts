import { expect } from 'vitest';

/**
 * An `onFold` hook for the truth-trained references' cross-fitting that checks, fold by fold, that no row is
 * predicted by a model fitted on it, that no row is predicted twice and that each fold's rows are all n; `by[i]` is
 * the fold that predicted row i (-1 until one does).
 */
export function foldRecorder(n: number): {
  by: number[];
  onFold: (fold: number, train: ArrayLike<number>, predicted: ArrayLike<number>) => void;
} {
  const by = new Array<number>(n).fill(-1);
  return {
    by,
    onFold: (fold, train, predicted) => {
      const trained = new Set(Array.from(train));
      for (const i of Array.from(predicted)) {
        expect(trained.has(i)).toBe(false);
        expect(by[i]).toBe(-1);
        by[i] = fold;
      }
      expect(train.length + predicted.length).toBe(n);
    },
  };
}
