/**
 * Scores rows group by group: the rows of cross-fitting fold k by `score(k, rows)`, the rows without a fold (null: the
 * accounts a version was not trained on) by `score(null, rows)`, each group in one call; returns every row's score in
 * row order. The forest, the stacker's out-of-fold inputs and the rank-mean's logistic regressions share it, so each
 * row meets the model of its own fold.
 */
export function scoreByFold(
  fold: ArrayLike<number | null>,
  score: (k: number | null, rows: number[]) => ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(fold.length);
  const groups = new Map<number | null, number[]>();
  for (let i = 0; i < fold.length; i++) {
    const g = groups.get(fold[i]);
    if (g) g.push(i);
    else groups.set(fold[i], [i]);
  }
  for (const [k, rows] of groups) {
    const q = score(k, rows);
    rows.forEach((i, j) => {
      out[i] = q[j];
    });
  }
  return out;
}
