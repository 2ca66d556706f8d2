import { isMissing } from './binning.ts';
import { ModelInputError } from './modelErrors.ts';
import type { FeatureMatrix } from './types.ts';

/** Learned per-feature centring and scaling (plain JSON). */
export interface Standardizer {
  kind: 'standardizer';
  version: 1;
  /** Mean of each feature over its non-missing values. */
  mean: number[];
  /** Population standard deviation (ddof 0) of each feature; 1 where it is 0 or undefined. */
  std: number[];
}

/** Learns mean and standard deviation per feature of X, ignoring missing values (as scikit-learn's StandardScaler). */
export function fitStandardize(X: FeatureMatrix): Standardizer {
  if (X.length === 0) throw new ModelInputError('X has no rows');
  const p = X[0].length;
  const mean: number[] = [];
  const std: number[] = [];
  for (let f = 0; f < p; f++) {
    let n = 0;
    let s = 0;
    for (const row of X) {
      const v = row[f];
      if (!isMissing(v)) {
        n++;
        s += v as number;
      }
    }
    const mu = n === 0 ? 0 : s / n;
    let ss = 0;
    for (const row of X) {
      const v = row[f];
      if (!isMissing(v)) ss += ((v as number) - mu) ** 2;
    }
    const sd = n === 0 ? 0 : Math.sqrt(ss / n);
    mean.push(mu);
    std.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
  }
  return { kind: 'standardizer', version: 1, mean, std };
}

/** Z-scores X with a fitted standardizer: (x - mean) / std per feature; missing values become 0 (the mean). */
export function standardize(model: Standardizer, X: FeatureMatrix): Float64Array[] {
  const p = model.mean.length;
  return X.map((row, i) => {
    if (row.length !== p)
      throw new ModelInputError(`row ${i} has ${row.length} features, expected ${p}`);
    const out = new Float64Array(p);
    for (let f = 0; f < p; f++) {
      const v = row[f];
      out[f] = isMissing(v) ? 0 : ((v as number) - model.mean[f]) / model.std[f];
    }
    return out;
  });
}
