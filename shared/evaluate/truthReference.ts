/**
 * The truth-trained reference of `cvs evaluate` (a diagnostic that uses the truth, never a method): a random forest
 * trained ON `true_high_value` itself, with the feature columns the run's high-value classifier used, scored out of
 * fold by k-fold cross-fitting. Flagging the top quartile of its out-of-fold probability and comparing with
 * `true_high_value` says how far a learner on these features could go if it knew the true label: whether the
 * issue's 0.85 is reachable at all from the features the system has. The trend reference (`trendTruthReference`)
 * asks the same of the 3- and 6-month directions: forests trained on `true_direction_3m` / `_6m` themselves, scored
 * out of fold, against all-Flat. See docs/evaluation.md.
 */
import { foldIndices, stratifiedFolds } from '../models/folds.ts';
import { predictProba } from '../models/forestPredict.ts';
import { defaultForestParams, fitRandomForest } from '../models/randomForest.ts';
import { type Classification, classification, topQuartileFlags } from './metrics.ts';
import type { Direction } from './truth.ts';

/** The reference's fixed settings: 5 folds, seed 42, and the project's RandomForest with its default parameters. */
export const TRUTH_REFERENCE = {
  folds: 5,
  seed: 42,
  forest: (() => {
    const { nJobs: _nJobs, randomState: _randomState, ...rest } = defaultForestParams;
    return rest;
  })(),
} as const;

/** What the reference measured. */
export interface TruthReference extends Classification {
  /** The out-of-fold probability of every row, in input order. */
  oof: Float64Array;
  /** The fold of every row (the forest that scored it was fitted without that fold's labels). */
  folds: Int32Array;
}

/** Cross-fitting settings of the references; `onFold` (for tests) sees each fold's training and scored rows. */
export interface CrossFitOptions {
  folds?: number;
  seed?: number;
  onFold?: (fold: number, train: Int32Array, scored: Int32Array) => void;
}

/**
 * Deals the rows into folds stratified on `strata` (seeded) and calls `fitFold` for each fold with rows on both sides:
 * the fold's forests are fitted on `train` and score `scored`. Returns the fold of every row.
 */
async function crossFit(
  strata: Uint8Array,
  options: CrossFitOptions,
  fitFold: (fold: number, train: Int32Array, scored: Int32Array, seed: number) => Promise<void>,
): Promise<Int32Array> {
  const k = options.folds ?? TRUTH_REFERENCE.folds;
  const seed = options.seed ?? TRUTH_REFERENCE.seed;
  const folds = stratifiedFolds(strata, k, seed);
  for (let f = 0; f < k; f++) {
    const { train, test } = foldIndices(folds, f);
    options.onFold?.(f, train, test);
    if (test.length > 0 && train.length > 0) await fitFold(f, train, test, seed);
  }
  return folds;
}

/** The probability of class 1 from a forest fitted on the `train` rows of X and y, for the `scored` rows. */
async function fitAndScore(
  X: readonly Float64Array[],
  y: (i: number) => number,
  train: Int32Array,
  scored: Int32Array,
  randomState: number,
): Promise<Float64Array> {
  const forest = await fitRandomForest(
    Array.from(train, (i) => X[i]),
    Uint8Array.from(train, y),
    { ...TRUTH_REFERENCE.forest, randomState },
  );
  return predictProba(
    forest,
    Array.from(scored, (i) => X[i]),
  );
}

/**
 * Fits one forest per fold on the other folds' rows and their true labels (`randomState` = seed + 1 + fold, every
 * other parameter the RandomForest default), scores each fold's rows with its own forest, flags the top quartile of
 * the out-of-fold probability and compares it with the truth. Needs at least `folds` rows of each class.
 */
export async function truthReference(
  X: readonly Float64Array[],
  y: Uint8Array,
  options: CrossFitOptions = {},
): Promise<TruthReference> {
  const oof = new Float64Array(y.length);
  const folds = await crossFit(y, options, async (f, train, scored, seed) => {
    const p = await fitAndScore(X, (i) => y[i], train, scored, seed + 1 + f);
    scored.forEach((i, j) => {
      oof[i] = p[j];
    });
  });
  const scores = Array.from(oof);
  return {
    ...classification(
      topQuartileFlags(scores),
      Array.from(y, (v) => v === 1),
    ),
    oof,
    folds,
  };
}

/** What the trend reference called, out of fold. */
export interface TrendTruthReference {
  /** The out-of-fold call of every row, in input order. */
  calls: Direction[];
  /** The out-of-fold probabilities of Up and Down of every row. */
  pUp: Float64Array;
  pDown: Float64Array;
  /** The fold of every row (the forests that called it were fitted without that fold's directions). */
  folds: Int32Array;
}

/**
 * The trend reference: per fold, two forests fitted on the other folds' rows, one on "the true direction is Up" and
 * one on "it is Down" (`randomState` = seed + 1 + fold and seed + 101 + fold, every other parameter the RandomForest
 * default, as the high-value reference); each row is called its most probable direction (`mostProbableDirection`).
 * Folds are stratified on "not Flat".
 */
export async function trendTruthReference(
  X: readonly Float64Array[],
  truth: readonly Direction[],
  options: CrossFitOptions = {},
): Promise<TrendTruthReference> {
  const pUp = new Float64Array(truth.length);
  const pDown = new Float64Array(truth.length);
  const strata = Uint8Array.from(truth, (d) => (d === 'Flat' ? 0 : 1));
  const folds = await crossFit(strata, options, async (f, train, scored, seed) => {
    for (const [cls, salt, out] of [
      ['Up', 1, pUp],
      ['Down', 101, pDown],
    ] as const) {
      const p = await fitAndScore(
        X,
        (i) => (truth[i] === cls ? 1 : 0),
        train,
        scored,
        seed + salt + f,
      );
      scored.forEach((i, j) => {
        out[i] = p[j];
      });
    }
  });
  const calls = Array.from(truth, (_, i) => mostProbableDirection(pUp[i], pDown[i]));
  return { calls, pUp, pDown, folds };
}

/**
 * The most probable direction given P(Up) and P(Down), P(Flat) being 1 - P(Up) - P(Down): a tie with Flat goes to
 * Flat, a tie between Up and Down (above Flat) to Down, the conservative call (a wrong Up costs a CSM the most).
 */
export function mostProbableDirection(pUp: number, pDown: number): Direction {
  const flat = 1 - pUp - pDown;
  if (pUp > pDown && pUp > flat) return 'Up';
  if (pDown > flat && pDown >= pUp) return 'Down';
  return 'Flat';
}
