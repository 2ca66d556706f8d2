import { describe, expect, it } from 'vitest';
import { scoreByFold } from '../../../shared/classifier/byFold.ts';

describe('Function: scoreByFold', () => {
  it('scores each fold (and the rows without one) in one call and puts every score back in row order', () => {
    // Prepare: fold k scores a row as 10 k + its position; the rows without a fold as -1
    const calls: [number | null, number[]][] = [];
    // Act
    const out = scoreByFold([1, null, 0, 1, null], (k, rows) => {
      calls.push([k, rows]);
      return rows.map((i) => (k === null ? -1 : 10 * k + i));
    });
    // Assess
    expect(Array.from(out)).toEqual([10, -1, 2, 13, -1]);
    expect(calls).toEqual([
      [1, [0, 3]],
      [null, [1, 4]],
      [0, [2]],
    ]);
  });
});
