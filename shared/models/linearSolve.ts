/**
 * Solves the n x n system A x = b by Gaussian elimination with partial pivoting and back substitution (A and b are
 * not modified). Null when a pivot's magnitude is not above `minPivot` (0 by default: only a singular or non-finite
 * system), so a caller can tell "no solution" from a solution.
 */
export function solveLinear(
  A: readonly (readonly number[])[],
  b: readonly number[],
  minPivot = 0,
): number[] | null {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > minPivot)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let t = M[r][n];
    for (let k = r + 1; k < n; k++) t -= M[r][k] * x[k];
    x[r] = t / M[r][r];
  }
  return x;
}
