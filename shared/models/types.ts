/** Rows of raw feature values (n rows × p features); `null` or NaN marks a missing value. */
export type FeatureMatrix = ReadonlyArray<ArrayLike<number | null>>;

/** Binary labels per row: 0 (negative) or 1 (positive class). */
export type BinaryLabels = ArrayLike<number>;

/** A function scoring rows: one score per row (e.g. the class-1 probability in [0, 1]). */
export type ScoreFunction = (X: FeatureMatrix) => ArrayLike<number>;
