import { binColumns, fitBinEdges, MAX_BINS } from './binning.ts';
import { growTrees } from './forestPool.ts';
import type { BinnedData, ForestTree, TreeGrowth } from './histTree.ts';
import { ModelInputError } from './modelErrors.ts';
import { deriveSeed } from './rng.ts';
import type { BinaryLabels, FeatureMatrix } from './types.ts';

export { predictProba } from './forestPredict.ts';
export type { ForestTree } from './histTree.ts';

/** Hyper-parameters of the random forest (scikit-learn names in camelCase, same defaults where they exist). */
export interface RandomForestParams {
  /** Number of trees. @default 100 */
  nEstimators: number;
  /** Deepest split level (root at 0). @default 12 */
  maxDepth: number;
  /** Least bootstrap-weighted rows in a leaf (>= 1). @default 1 */
  minSamplesLeaf: number;
  /** Least bootstrap-weighted rows in a node to split it (>= 2). @default 2 */
  minSamplesSplit: number;
  /** Features tried per split: 'sqrt', 'log2', an integer count, a fraction in (0, 1), or null for all. @default 'sqrt' */
  maxFeatures: 'sqrt' | 'log2' | number | null;
  /** Draw n rows with replacement for each tree. @default true */
  bootstrap: boolean;
  /** Most value bins per feature (2..255), quantile-based; missing values get one more bin. @default 255 */
  maxBins: number;
  /** Seed of every random step; tree i uses a generator seeded from (randomState, i). @default 0 */
  randomState: number;
  /** Worker threads training trees; does not change the model. @default 1 */
  nJobs: number;
  /**
   * Split criterion: 'gini' fits the 0/1 labels y (predictProba is then the probability of class 1);
   * 'squared_error' fits the regression target given to fitRandomForest (a leaf holds its mean, and predictProba
   * is the forest's mean prediction of the target; y is still checked, as the rows' labels). @default 'gini'
   */
  criterion: 'gini' | 'squared_error';
}

/** Parameters stored in a fitted model: all but nJobs, which never changes the result. */
export type RandomForestModelParams = Omit<RandomForestParams, 'nJobs'>;

/** A fitted forest: plain data (typed arrays inside; `serializeForest` writes it as compact JSON). */
export interface RandomForestModel {
  kind: 'random-forest';
  version: 1;
  /** The parameters it was fitted with. */
  params: RandomForestModelParams;
  /** Feature name per column (given, or `x0`, `x1`, ...). */
  featureNames: string[];
  /** Class labels; predictProba gives the probability of classes[1]. */
  classes: [0, 1];
  /** Training rows it was fitted on. */
  nSamples: number;
  /** Bin edges per feature, learned in fit: a raw value's bin is the number of edges below it. */
  binEdges: Float64Array[];
  /** The trees, in index order. */
  trees: ForestTree[];
}

/** Whether a fitted forest is a regression forest (its predictProba is a mean target, not a probability). */
export function isRegressionForest(model: Pick<RandomForestModel, 'params'>): boolean {
  return model.params.criterion === 'squared_error';
}

/** Default forest parameters (as scikit-learn's RandomForestClassifier, but maxDepth 12). */
export const defaultForestParams: RandomForestParams = {
  nEstimators: 100,
  maxDepth: 12,
  minSamplesLeaf: 1,
  minSamplesSplit: 2,
  maxFeatures: 'sqrt',
  bootstrap: true,
  maxBins: MAX_BINS,
  randomState: 0,
  nJobs: 1,
  criterion: 'gini',
};

/** Number of features tried per split for `maxFeatures` and p features (1..p). */
export function resolveMaxFeatures(
  maxFeatures: RandomForestParams['maxFeatures'],
  p: number,
): number {
  let k: number;
  if (maxFeatures === null) k = p;
  else if (maxFeatures === 'sqrt') k = Math.floor(Math.sqrt(p));
  else if (maxFeatures === 'log2') k = Math.floor(Math.log2(p));
  else if (Number.isInteger(maxFeatures) && maxFeatures >= 1) k = maxFeatures;
  else if (maxFeatures > 0 && maxFeatures < 1) k = Math.floor(maxFeatures * p);
  else
    throw new ModelInputError(
      `maxFeatures must be 'sqrt', 'log2', null, an integer >= 1 or a fraction in (0, 1)`,
    );
  return Math.max(1, Math.min(p, k));
}

/** Checks X (n × p, n >= 1, rows of equal length) and 0/1 labels y; returns p. */
export function checkXy(X: FeatureMatrix, y: BinaryLabels): number {
  if (X.length === 0) throw new ModelInputError('X has no rows');
  if (y.length !== X.length)
    throw new ModelInputError(`X has ${X.length} rows but y has ${y.length} labels`);
  const p = X[0].length;
  if (p === 0) throw new ModelInputError('X has no features');
  for (let i = 0; i < X.length; i++) {
    if (X[i].length !== p)
      throw new ModelInputError(`row ${i} has ${X[i].length} features, expected ${p}`);
    if (y[i] !== 0 && y[i] !== 1)
      throw new ModelInputError(`label ${i} is ${y[i]}, expected 0 or 1`);
  }
  return p;
}

function checkParams(params: RandomForestParams, p: number): void {
  const intAtLeast = (name: keyof RandomForestParams, min: number): void => {
    const v = params[name];
    if (!Number.isInteger(v) || (v as number) < min)
      throw new ModelInputError(`${name} must be an integer >= ${min}`);
  };
  intAtLeast('nEstimators', 1);
  intAtLeast('maxDepth', 0);
  intAtLeast('minSamplesLeaf', 1);
  intAtLeast('minSamplesSplit', 2);
  intAtLeast('nJobs', 1);
  intAtLeast('randomState', Number.MIN_SAFE_INTEGER);
  if (!Number.isInteger(params.maxBins) || params.maxBins < 2 || params.maxBins > MAX_BINS) {
    throw new ModelInputError(`maxBins must be an integer in 2..${MAX_BINS}`);
  }
  if (p > 32767) throw new ModelInputError('at most 32767 features are supported');
  if (params.criterion !== 'gini' && params.criterion !== 'squared_error')
    throw new ModelInputError(`criterion must be 'gini' or 'squared_error'`);
}

/** Checks the regression target of a 'squared_error' forest: one finite value per row; none for 'gini'. */
function checkTarget(
  criterion: RandomForestParams['criterion'],
  n: number,
  target?: ArrayLike<number>,
): void {
  if (criterion === 'gini') {
    if (target) throw new ModelInputError(`a regression target needs criterion 'squared_error'`);
    return;
  }
  if (!target) throw new ModelInputError(`criterion 'squared_error' needs a regression target`);
  if (target.length !== n)
    throw new ModelInputError(`X has ${n} rows but the target has ${target.length} values`);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(target[i]))
      throw new ModelInputError(`target ${i} is ${target[i]}, expected a finite number`);
}

/**
 * Fits a random forest of histogram-based Gini CART trees on rows X (n × p) and 0/1 labels y, or, with criterion
 * 'squared_error', of regression trees on `target` (one finite value per row); same data and params give a
 * byte-identical model whatever nJobs is. Keeps no reference to X, y or the target.
 */
export async function fitRandomForest(
  X: FeatureMatrix,
  y: BinaryLabels,
  params?: Partial<RandomForestParams>,
  featureNames?: string[],
  target?: ArrayLike<number>,
): Promise<RandomForestModel> {
  const p = checkXy(X, y);
  const all: RandomForestParams = { ...defaultForestParams, ...params };
  checkParams(all, p);
  checkTarget(all.criterion, X.length, target);
  const names = featureNames ?? Array.from({ length: p }, (_, f) => `x${f}`);
  if (names.length !== p)
    throw new ModelInputError(`${names.length} feature names for ${p} features`);
  const binEdges = fitBinEdges(X, all.maxBins);
  const data: BinnedData = {
    bins: binColumns(X, binEdges, all.nJobs > 1),
    nBins: Int32Array.from(binEdges, (e) => e.length + 1),
    y: Uint8Array.from(y as ArrayLike<number>),
    nRows: X.length,
    ...(target ? { target: Float64Array.from(target) } : {}),
  };
  const growth: TreeGrowth = {
    maxDepth: all.maxDepth,
    minSamplesLeaf: all.minSamplesLeaf,
    minSamplesSplit: all.minSamplesSplit,
    maxFeatures: resolveMaxFeatures(all.maxFeatures, p),
    bootstrap: all.bootstrap,
  };
  const seeds = Array.from({ length: all.nEstimators }, (_, i) => deriveSeed(all.randomState, i));
  const trees = await growTrees(data, growth, seeds, all.nJobs);
  const { nJobs: _nJobs, ...stored } = all;
  return {
    kind: 'random-forest',
    version: 1,
    params: stored,
    featureNames: [...names],
    classes: [0, 1],
    nSamples: X.length,
    binEdges,
    trees,
  };
}
