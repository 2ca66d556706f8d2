import { describe, expect, it } from 'vitest';
import { solveLinear } from '../../../shared/models/linearSolve.ts';

describe('Function: solveLinear', () => {
  it('solves a 3 x 3 system that needs a row swap: x = (1, 2, 3)', () => {
    // Arrange: the first pivot is 0, so the rows must be swapped
    const A = [
      [0, 1, 1],
      [2, 1, 0],
      [1, 0, 3],
    ];
    const b = [5, 4, 10];
    // Act
    const x = solveLinear(A, b);
    // Assess
    expect(x?.[0]).toBeCloseTo(1, 12);
    expect(x?.[1]).toBeCloseTo(2, 12);
    expect(x?.[2]).toBeCloseTo(3, 12);
    expect(A[0]).toEqual([0, 1, 1]);
  });

  it('is null for a singular system, and for a pivot not above minPivot', () => {
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
    expect(
      solveLinear(
        [
          [1e-13, 0],
          [0, 1],
        ],
        [1, 1],
        1e-12,
      ),
    ).toBeNull();
    expect(solveLinear([[4]], [2])).toEqual([0.5]);
  });
});
