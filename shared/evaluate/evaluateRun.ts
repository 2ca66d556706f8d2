/**
 * `cvs evaluate`: compares a finished run folder with the truth of a known-answer world. Reads `account_scores.csv`
 * (value_index, baseline_2d_score, p_high_value, trend_3m, trend_6m) and, when present, the persistence calls of
 * `value_trends_all_accounts.csv`; joins them with the truth on account_id (accounts on one side only are counted
 * and listed, never silently dropped) and measures: Spearman of the scores vs the latent value now; accuracy,
 * precision and recall of the top quartile of each score vs true_high_value; 3- and 6-month hit rates of the
 * forecast, of all-Flat and of persistence, with paired bootstrap 95% intervals of forecast - reference, and the
 * confusion matrix of the forecast's calls. Also diagnostics that use the truth (never a method): the accuracy
 * of a forest trained on true_high_value itself with the classifier's features, out of fold, and the hit rates of
 * forests trained on the true directions with the trend and classifier features, out of fold, against all-Flat
 * (truthReference.ts).
 * See docs/evaluation.md.
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { derivedFeature, featureRowBuilder } from '../classifier/dataset.ts';
import { CvsError } from '../errors.ts';
import { RUN_KEYS } from '../pipeline/steps/keys.ts';
import { PIT_PREFIX } from '../trends/trendHistory.ts';
import {
  type Classification,
  type Confusion,
  classification,
  confusion,
  hitRate,
  type PairedDifference,
  pairedBootstrap,
  spearman,
  topQuartileFlags,
} from './metrics.ts';
import { type Direction, readTruthFile, type TruthRow } from './truth.ts';
import { TRUTH_REFERENCE, trendTruthReference, truthReference } from './truthReference.ts';

/** The run folder is missing or ill-formed (bad usage: exit 2). */
export class RunFolderError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'RunFolderError';
  }
}

/** Options of `evaluateRun`. */
export interface EvaluateOptions {
  /** Run folder, e.g. out/runs/2024-10-31. */
  run: string;
  /** Truth CSV written by `cvs generate --truth`. */
  truth: string;
  /** Seed of the bootstrap resampling. @default 1 */
  seed?: number;
  /** Bootstrap resamples. @default 1000 */
  resamples?: number;
  /** Compute the truth-trained reference (a diagnostic; fits 5 forests). @default true */
  truthReference?: boolean;
}

/** Run-folder files the truth-trained reference reads: the classifier's features, and their values. */
export const REFERENCE_FILES = {
  importances: 'feature_importances.csv',
  features: 'parts/features.csv',
} as const;

/** Run-folder file of the forest and stacked probabilities (see shared/classifier/predictHighValue.ts). */
export const STACKING_FILE = 'high_value_stacking.csv';

/**
 * Accuracy of the top quartile of p_forest, p_stacked and p_rank_mean of high_value_stacking.csv, when the run wrote
 * it (p_rank_mean is unavailable when its column is absent or empty: a version trained before the rank-mean combiner).
 */
async function stackingOf(
  runDir: string,
  matched: readonly { truth: TruthRow }[],
): Promise<Evaluation['highValue']['stacking']> {
  const path = join(runDir, STACKING_FILE);
  if (!(await isFile(path)))
    return {
      unavailable: `${STACKING_FILE} is absent (the run's model has no stacker, e.g. a composite-label model)`,
    };
  const byId = new Map<string, { f: number | null; s: number | null; r: number | null }>();
  try {
    for await (const r of csvRecords(path, () => {}))
      byId.set((r.account_id ?? '').trim(), {
        f: toNumber(r.p_forest),
        s: toNumber(r.p_stacked),
        r: toNumber(r.p_rank_mean),
      });
  } catch (err) {
    throw new RunFolderError(`${path} is not a readable CSV: ${(err as Error).message}`);
  }
  const measure = (
    pick: (v: { f: number | null; s: number | null; r: number | null }) => number | null,
  ) => {
    const used: { score: number; truth: boolean }[] = [];
    for (const m of matched) {
      const v = byId.get(m.truth.account_id);
      const score = v === undefined ? null : pick(v);
      if (score !== null) used.push({ score, truth: m.truth.true_high_value === 1 });
    }
    return {
      ...classification(
        topQuartileFlags(used.map((u) => u.score)),
        used.map((u) => u.truth),
      ),
      missing: matched.length - used.length,
    };
  };
  const hasRankMean = [...byId.values()].some((v) => v.r !== null);
  return {
    p_forest: measure((v) => v.f),
    p_stacked: measure((v) => v.s),
    p_rank_mean: hasRankMean
      ? measure((v) => v.r)
      : {
          unavailable: `${STACKING_FILE} has no p_rank_mean (a model version trained before the rank-mean combiner)`,
        },
  };
}

/** How evaluation.json and the table label the truth-trained reference. */
export const TRUTH_REFERENCE_NOTE =
  "diagnostic that uses the truth, not a method: a random forest trained on true_high_value itself with the features of the run's classifier, scored out of fold (5-fold cross-fitting, seed 42, RandomForest defaults); what a learner on these features could reach if it knew the true label";

/** The truth-trained reference as evaluation.json records it. */
export type TruthReferenceResult =
  | (Counted &
      Classification & {
        note: string;
        features: string[];
        folds: number;
        seed: number;
        forest: typeof TRUTH_REFERENCE.forest;
      })
  | { unavailable: string };

/** How evaluation.json and the table label the trend truth-trained reference. */
export const TREND_REFERENCE_NOTE =
  "diagnostic that uses the truth, not a method: two random forests per fold trained on 'the true direction is Up' and 'is Down' themselves, with the run's trend features (usage_change, pit_*) and its classifier's features, scored out of fold (5-fold cross-fitting stratified on not-Flat, seed 42, RandomForest defaults), calling the most probable direction (ties Flat); how far a learner on these features could go against all-Flat if it knew the true direction";

/** account_scores.csv columns the trend reference reads: the trend step's change and point-in-time features. */
export function isTrendReferenceColumn(column: string): boolean {
  return column === 'usage_change' || column.startsWith(PIT_PREFIX);
}

/** The trend truth-trained reference of one horizon as evaluation.json records it. */
export type TrendReferenceResult =
  | (Counted & {
      note: string;
      features: string[];
      folds: number;
      seed: number;
      hitRate: number | null;
      /** Paired bootstrap of reference - all-Flat on the reference's accounts (`forecast` is the reference). */
      vsAllFlat: PairedDifference;
      callMix: Record<Direction, number>;
      /** confusion[truth][call] of the reference. */
      confusion: Confusion;
    })
  | { unavailable: string };

/** The scores that are ranked against the truth, as named in account_scores.csv. */
export const SCORES = ['value_index', 'baseline_2d_score', 'p_high_value'] as const;
type ScoreName = (typeof SCORES)[number];

/** A measure on the accounts where the method has a value; `missing` matched accounts had none. */
interface Counted {
  n: number;
  missing: number;
}

/** What `evaluateRun` measured (written as evaluation.json). */
export interface Evaluation {
  run: string;
  truth: string;
  world: string;
  seed: number;
  resamples: number;
  accounts: {
    truth: number;
    run: number;
    matched: number;
    truthOnly: number;
    runOnly: number;
    /** Up to 10 ids of each, for a look. */
    truthOnlyExamples: string[];
    runOnlyExamples: string[];
  };
  spearman: Record<ScoreName, (Counted & { rho: number | null }) | { unavailable: string }>;
  highValue: {
    trueShare: number;
    methods: Record<ScoreName, (Counted & Classification) | { unavailable: string }>;
    /** The truth-trained reference (a diagnostic that uses the truth; see TRUTH_REFERENCE_NOTE). */
    truthReference: TruthReferenceResult;
    /**
     * The run's forest, stacked and rank-mean probabilities (high_value_stacking.csv, written when the champion has a
     * stacker; docs/scoring.md "Stacking, pre-registered" and "Three scores ranked and averaged with equal weights,
     * pre-registered"), each flagged and measured like the scores above.
     */
    stacking:
      | (Record<'p_forest' | 'p_stacked', Counted & Classification> & {
          p_rank_mean: (Counted & Classification) | { unavailable: string };
        })
      | { unavailable: string };
  };
  trends: Record<'3m' | '6m', HorizonEvaluation>;
}

/**
 * One horizon's hit rates, comparisons and confusion matrix. Every hit rate, both paired differences and the
 * confusion matrix are measured on the same accounts (`compared`): the matched accounts that every available
 * method called (the forecast when `trend_<h>` exists, persistence when the run wrote it; all-Flat calls every
 * account). So each difference is exactly the difference of the hit rates printed beside it.
 */
export interface HorizonEvaluation {
  /** True directions of every matched account. */
  truthMix: Record<Direction, number>;
  /**
   * The accounts the figures below cover: `n` compared, `excluded` matched accounts left out because a method
   * made no call for them; how many had no forecast / no persistence call (null: the method is unavailable).
   */
  compared: {
    n: number;
    excluded: number;
    withoutForecast: number | null;
    withoutPersistence: number | null;
  };
  /** On the compared accounts (`n`); `missing` = matched accounts the method made no call for. */
  hitRates: Record<
    'forecast' | 'allFlat' | 'persistence',
    (Counted & { hitRate: number | null }) | { unavailable: string }
  >;
  /** Paired bootstrap of forecast - reference on the compared accounts. */
  vsAllFlat: PairedDifference | { unavailable: string };
  vsPersistence: PairedDifference | { unavailable: string };
  /**
   * Paired bootstrap of persistence - all-Flat on the compared accounts (which reference is the harder one); its
   * `forecast` field is persistence's hit rate.
   */
  persistenceVsAllFlat: PairedDifference | { unavailable: string };
  /** confusion[truth][call] of the forecast on the compared accounts. */
  confusion: Confusion | null;
  callMix: Record<Direction, number> | null;
  /**
   * The trend truth-trained reference (a diagnostic that uses the truth; see TREND_REFERENCE_NOTE), on its own
   * accounts (the matched accounts with product data), compared with all-Flat there.
   */
  truthReference: TrendReferenceResult;
}

interface RunRow {
  scores: Record<ScoreName, number | null>;
  /** The account's trend features: the columns of account_scores.csv that isTrendReferenceColumn picks, in order. */
  trendFeatures: Float64Array;
  trend3m: Direction | null;
  trend6m: Direction | null;
  persistence3m: Direction | null;
  persistence6m: Direction | null;
}

const toNumber = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === '') return null;
  const x = Number(s);
  return Number.isFinite(x) ? x : null;
};
const toDirection = (s: string | undefined): Direction | null =>
  s === 'Up' || s === 'Flat' || s === 'Down' ? s : null;

/** Streams a CSV file's records as objects keyed by header; calls `onHeader` once with the header. */
async function* csvRecords(
  path: string,
  onHeader: (header: string[]) => void,
): AsyncGenerator<Record<string, string>> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: (header: string[]) => {
        onHeader(header);
        return header;
      },
      relax_column_count: true,
    }),
  );
  for await (const rec of parser) yield rec as Record<string, string>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Reads the columns evaluate needs from the run folder; throws RunFolderError when it is not a run folder. */
async function readRun(runDir: string): Promise<{
  rows: Map<string, RunRow>;
  columns: Set<string>;
  persistence: string | null;
  trendColumns: string[];
}> {
  try {
    if (!(await stat(runDir)).isDirectory())
      throw new RunFolderError(`run folder ${runDir} is not a folder`);
  } catch (err) {
    if (err instanceof RunFolderError) throw err;
    throw new RunFolderError(`run folder ${runDir} does not exist`);
  }
  const scoresPath = join(runDir, RUN_KEYS.accountScores);
  if (!(await isFile(scoresPath)))
    throw new RunFolderError(
      `run folder ${runDir} has no account_scores.csv (is it a finished cvs run, e.g. out/runs/2024-10-31?)`,
    );
  const columns = new Set<string>();
  const rows = new Map<string, RunRow>();
  let trendColumns: string[] = [];
  let line = 1;
  try {
    for await (const r of csvRecords(scoresPath, (h) => {
      for (const c of h) columns.add(c);
      trendColumns = h.filter(isTrendReferenceColumn);
      if (!columns.has('account_id'))
        throw new RunFolderError(`${scoresPath}: no account_id column`);
    })) {
      line++;
      const id = (r.account_id ?? '').trim();
      if (id === '') throw new RunFolderError(`${scoresPath}, row ${line}: empty account_id`);
      if (rows.has(id))
        throw new RunFolderError(`${scoresPath}, row ${line}: duplicate account_id '${id}'`);
      rows.set(id, {
        scores: {
          value_index: toNumber(r.value_index),
          baseline_2d_score: toNumber(r.baseline_2d_score),
          p_high_value: toNumber(r.p_high_value),
        },
        trendFeatures: Float64Array.from(trendColumns, (c) => toNumber(r[c]) ?? Number.NaN),
        trend3m: toDirection(r.trend_3m),
        trend6m: toDirection(r.trend_6m),
        persistence3m: null,
        persistence6m: null,
      });
    }
  } catch (err) {
    if (err instanceof RunFolderError) throw err;
    throw new RunFolderError(`${scoresPath} is not a readable CSV: ${(err as Error).message}`);
  }
  if (line === 1 && columns.size === 0) throw new RunFolderError(`${scoresPath} is empty`);
  const trendsPath = join(runDir, RUN_KEYS.valueTrends);
  let persistence: string | null = null;
  if (await isFile(trendsPath)) {
    let has = false;
    try {
      for await (const r of csvRecords(trendsPath, (h) => {
        has = h.includes('persistence_3m') || h.includes('persistence_6m');
      })) {
        if (!has) break;
        const row = rows.get((r.account_id ?? '').trim());
        if (!row) continue;
        row.persistence3m = toDirection(r.persistence_3m);
        row.persistence6m = toDirection(r.persistence_6m);
      }
    } catch (err) {
      throw new RunFolderError(`${trendsPath} is not a readable CSV: ${(err as Error).message}`);
    }
    if (has) persistence = trendsPath;
  }
  return { rows, columns, persistence, trendColumns };
}

/** The classifier's feature names and every product account's values of them, read from the run folder. */
interface ClassifierFeatureTable {
  features: string[];
  rows: Map<string, Float64Array>;
}

/**
 * The classifier's features of the run: the feature names are those of the run's feature_importances.csv (the
 * classifier's features, as the run wrote them), in the column order of parts/features.csv; the values of every
 * account with product data come from parts/features.csv (empty or non-numeric = missing, as the classifier reads
 * them). Unavailable, with the reason, when the run has no classifier features (e.g. no model was trained).
 */
async function classifierFeatureTable(
  runDir: string,
): Promise<ClassifierFeatureTable | { unavailable: string }> {
  const importancesPath = join(runDir, REFERENCE_FILES.importances);
  const featuresPath = join(runDir, REFERENCE_FILES.features);
  if (!(await isFile(importancesPath)))
    return {
      unavailable: `${REFERENCE_FILES.importances} is absent (no classifier model scored this run)`,
    };
  if (!(await isFile(featuresPath)))
    return { unavailable: `${REFERENCE_FILES.features} is absent` };
  const wanted = new Set<string>();
  try {
    for await (const r of csvRecords(importancesPath, () => {})) {
      const f = (r.feature ?? '').trim();
      if (f !== '') wanted.add(f);
    }
  } catch (err) {
    throw new RunFolderError(`${importancesPath} is not a readable CSV: ${(err as Error).message}`);
  }
  if (wanted.size === 0) return { unavailable: `${importancesPath} lists no feature` };
  // A derived feature (e.g. won_amount_before_window) is computed from its input columns, as the classifier does.
  const absentFrom = (header: readonly string[]) =>
    [...wanted].flatMap((f) => {
      const d = derivedFeature(f);
      if (!d) return header.includes(f) ? [] : [f];
      const lacking = d.inputs.filter((c) => !header.includes(c));
      return lacking.length ? [`${lacking.join(', ')} (for ${f})`] : [];
    });
  const read: {
    absent: string[];
    features: string[];
    build: ((get: (column: string) => number | null) => Float64Array) | null;
  } = { absent: absentFrom([]), features: [], build: null };
  const rows = new Map<string, Float64Array>();
  try {
    for await (const r of csvRecords(featuresPath, (h) => {
      read.absent = absentFrom(h);
      read.features = [
        ...h.filter((c) => wanted.has(c)),
        ...[...wanted].filter((f) => derivedFeature(f) !== undefined),
      ];
      read.build = featureRowBuilder(read.features);
    })) {
      const build = read.build;
      if (read.absent.length || !build) break;
      const id = (r.account_id ?? '').trim();
      if (id !== '' && (r.has_product ?? 'true').trim().toLowerCase() !== 'false')
        rows.set(
          id,
          build((c) => toNumber(r[c])),
        );
    }
  } catch (err) {
    throw new RunFolderError(`${featuresPath} is not a readable CSV: ${(err as Error).message}`);
  }
  if (read.absent.length)
    return { unavailable: `${featuresPath} has no column ${read.absent.join(', ')}` };
  return { features: read.features, rows };
}

/** The truth-trained reference on the matched accounts with product data, with the classifier's features. */
async function referenceOf(
  table: ClassifierFeatureTable | { unavailable: string },
  matched: readonly { truth: TruthRow }[],
): Promise<TruthReferenceResult> {
  if ('unavailable' in table) return table;
  const used = matched.filter((m) => table.rows.has(m.truth.account_id));
  const y = Uint8Array.from(used, (m) => m.truth.true_high_value);
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives < TRUTH_REFERENCE.folds || used.length - positives < TRUTH_REFERENCE.folds)
    return {
      unavailable: `too few accounts with product data for ${TRUTH_REFERENCE.folds}-fold cross-fitting (${positives} truly high-value, ${used.length - positives} others)`,
    };
  const X = used.map((m) => table.rows.get(m.truth.account_id) as Float64Array);
  const { oof: _oof, folds: _folds, ...measured } = await truthReference(X, y);
  return {
    note: TRUTH_REFERENCE_NOTE,
    features: table.features,
    folds: TRUTH_REFERENCE.folds,
    seed: TRUTH_REFERENCE.seed,
    forest: TRUTH_REFERENCE.forest,
    ...measured,
    missing: matched.length - used.length,
  };
}

/** The same reason for both horizons. */
const unavailable = (reason: string): Record<'3m' | '6m', { unavailable: string }> => ({
  '3m': { unavailable: reason },
  '6m': { unavailable: reason },
});

/** Why a reference is absent when evaluateRun is told not to compute them. */
const NOT_COMPUTED = 'not computed (truthReference: false)';

/**
 * The trend truth-trained reference of both horizons on the matched accounts with product data: the run's trend
 * features (usage_change and the point-in-time pit_* columns of account_scores.csv) followed by the classifier's
 * features when the run has them; each horizon's out-of-fold calls are compared with all-Flat on the same accounts
 * (paired bootstrap). Unavailable, with the reason, without trend features or with fewer accounts than folds.
 */
async function trendReferenceOf(
  table: ClassifierFeatureTable | { unavailable: string },
  trendColumns: readonly string[],
  matched: readonly { truth: TruthRow; run: RunRow }[],
  seed: number,
  resamples: number,
): Promise<Record<'3m' | '6m', TrendReferenceResult>> {
  if (trendColumns.length === 0)
    return unavailable(
      `account_scores.csv has no trend feature column (usage_change, ${PIT_PREFIX}*)`,
    );
  const classifier = 'unavailable' in table ? null : table;
  const used = classifier
    ? matched.filter((m) => classifier.rows.has(m.truth.account_id))
    : matched.filter((m) => m.run.trendFeatures.some((v) => !Number.isNaN(v)));
  if (used.length < TRUTH_REFERENCE.folds)
    return unavailable(
      `too few accounts with product data for ${TRUTH_REFERENCE.folds}-fold cross-fitting (${used.length})`,
    );
  const features = [...trendColumns, ...(classifier?.features ?? [])];
  const X = used.map((m) => {
    const c = classifier?.rows.get(m.truth.account_id);
    if (!c) return m.run.trendFeatures;
    const row = new Float64Array(features.length);
    row.set(m.run.trendFeatures);
    row.set(c, trendColumns.length);
    return row;
  });
  const out = {} as Record<'3m' | '6m', TrendReferenceResult>;
  for (const h of ['3m', '6m'] as const) {
    const truth = used.map((m) =>
      h === '3m' ? m.truth.true_direction_3m : m.truth.true_direction_6m,
    );
    const { calls } = await trendTruthReference(X, truth);
    const vsAllFlat = pairedBootstrap(
      calls.map((c, i) => c === truth[i]),
      truth.map((t) => t === 'Flat'),
      seed * 31 + (h === '3m' ? 7 : 8),
      resamples,
    );
    out[h] = {
      note: TREND_REFERENCE_NOTE,
      features,
      folds: TRUTH_REFERENCE.folds,
      seed: TRUTH_REFERENCE.seed,
      n: used.length,
      missing: matched.length - used.length,
      hitRate: vsAllFlat.forecast,
      vsAllFlat,
      callMix: mix(calls),
      confusion: confusion(calls, truth),
    };
  }
  return out;
}

const UNAVAILABLE_COLUMN = (c: string) => `account_scores.csv has no ${c} column`;

function mix(values: readonly Direction[]): Record<Direction, number> {
  const m: Record<Direction, number> = { Up: 0, Flat: 0, Down: 0 };
  for (const v of values) m[v]++;
  return m;
}

function evaluateHorizon(
  matched: readonly { truth: TruthRow; run: RunRow }[],
  horizon: '3m' | '6m',
  columns: Set<string>,
  persistenceFile: string | null,
  seed: number,
  resamples: number,
): Omit<HorizonEvaluation, 'truthReference'> {
  const truthOf = (m: { truth: TruthRow }) =>
    horizon === '3m' ? m.truth.true_direction_3m : m.truth.true_direction_6m;
  const forecastOf = (m: { run: RunRow }) => (horizon === '3m' ? m.run.trend3m : m.run.trend6m);
  const persistenceOf = (m: { run: RunRow }) =>
    horizon === '3m' ? m.run.persistence3m : m.run.persistence6m;
  const hasForecast = columns.has(`trend_${horizon}`);
  const hasPersistence = persistenceFile !== null;

  type Call = (m: { truth: TruthRow; run: RunRow }) => Direction | null;
  const allFlat: Call = () => 'Flat';
  // The methods that exist in this run; an account is compared only when each of them called it.
  const available: Call[] = [
    ...(hasForecast ? [forecastOf] : []),
    ...(hasPersistence ? [persistenceOf] : []),
  ];
  const compared = matched.filter((m) => available.every((call) => call(m) !== null));
  const without = (call: Call) => matched.filter((m) => call(m) === null).length;

  const rate = (call: Call) => ({
    n: compared.length,
    missing: without(call),
    hitRate: hitRate(
      compared.map((m) => call(m) as Direction),
      compared.map(truthOf),
    ),
  });
  const compare = (reference: Call, salt: number, method: Call = forecastOf): PairedDifference =>
    pairedBootstrap(
      compared.map((m) => method(m) === truthOf(m)),
      compared.map((m) => reference(m) === truthOf(m)),
      seed * 31 + salt,
      resamples,
    );
  const noPersistence = 'value_trends_all_accounts.csv has no persistence_3m / persistence_6m';
  return {
    truthMix: mix(matched.map(truthOf)),
    compared: {
      n: compared.length,
      excluded: matched.length - compared.length,
      withoutForecast: hasForecast ? without(forecastOf) : null,
      withoutPersistence: hasPersistence ? without(persistenceOf) : null,
    },
    hitRates: {
      forecast: hasForecast
        ? rate(forecastOf)
        : { unavailable: UNAVAILABLE_COLUMN(`trend_${horizon}`) },
      allFlat: rate(allFlat),
      persistence: hasPersistence ? rate(persistenceOf) : { unavailable: noPersistence },
    },
    vsAllFlat: hasForecast
      ? compare(allFlat, horizon === '3m' ? 1 : 2)
      : { unavailable: UNAVAILABLE_COLUMN(`trend_${horizon}`) },
    vsPersistence:
      hasForecast && hasPersistence
        ? compare(persistenceOf, horizon === '3m' ? 3 : 4)
        : { unavailable: hasForecast ? noPersistence : UNAVAILABLE_COLUMN(`trend_${horizon}`) },
    persistenceVsAllFlat: hasPersistence
      ? compare(allFlat, horizon === '3m' ? 5 : 6, persistenceOf)
      : { unavailable: noPersistence },
    confusion: hasForecast
      ? confusion(
          compared.map((m) => forecastOf(m) as Direction),
          compared.map(truthOf),
        )
      : null,
    callMix: hasForecast ? mix(compared.map((m) => forecastOf(m) as Direction)) : null,
  };
}

/** Evaluates a run folder against a truth file (see the module comment). */
export async function evaluateRun(opts: EvaluateOptions): Promise<Evaluation> {
  const seed = opts.seed ?? 1;
  const resamples = opts.resamples ?? 1000;
  const runDir = resolve(opts.run);
  const truthPath = resolve(opts.truth);
  const truth = await readTruthFile(truthPath);
  const { rows, columns, persistence, trendColumns } = await readRun(runDir);

  const truthIds = new Set(truth.map((t) => t.account_id));
  const matched = truth
    .filter((t) => rows.has(t.account_id))
    .map((t) => ({ truth: t, run: rows.get(t.account_id) as RunRow }));
  const truthOnly = truth.filter((t) => !rows.has(t.account_id)).map((t) => t.account_id);
  const runOnly = [...rows.keys()].filter((id) => !truthIds.has(id));
  const worlds = [...new Set(truth.map((t) => t.world))];

  const spearmanOf = {} as Evaluation['spearman'];
  const hv = {} as Evaluation['highValue']['methods'];
  for (const s of SCORES) {
    if (!columns.has(s)) {
      spearmanOf[s] = { unavailable: UNAVAILABLE_COLUMN(s) };
      hv[s] = { unavailable: UNAVAILABLE_COLUMN(s) };
      continue;
    }
    const used = matched.filter((m) => m.run.scores[s] !== null);
    const score = used.map((m) => m.run.scores[s] as number);
    spearmanOf[s] = {
      n: used.length,
      missing: matched.length - used.length,
      rho: spearman(
        score,
        used.map((m) => m.truth.latent_value_now),
      ),
    };
    hv[s] = {
      ...classification(
        topQuartileFlags(score),
        used.map((m) => m.truth.true_high_value === 1),
      ),
      missing: matched.length - used.length,
    };
  }
  const skip = opts.truthReference === false;
  const table = skip ? { unavailable: NOT_COMPUTED } : await classifierFeatureTable(runDir);
  const trendReference = skip
    ? unavailable(NOT_COMPUTED)
    : await trendReferenceOf(table, trendColumns, matched, seed, resamples);
  return {
    run: runDir,
    truth: truthPath,
    world: worlds.join(','),
    seed,
    resamples,
    accounts: {
      truth: truth.length,
      run: rows.size,
      matched: matched.length,
      truthOnly: truthOnly.length,
      runOnly: runOnly.length,
      truthOnlyExamples: truthOnly.slice(0, 10),
      runOnlyExamples: runOnly.slice(0, 10),
    },
    spearman: spearmanOf,
    highValue: {
      trueShare:
        matched.length > 0
          ? matched.filter((m) => m.truth.true_high_value === 1).length / matched.length
          : 0,
      methods: hv,
      truthReference: await referenceOf(table, matched),
      stacking: await stackingOf(runDir, matched),
    },
    trends: {
      '3m': {
        ...evaluateHorizon(matched, '3m', columns, persistence, seed, resamples),
        truthReference: trendReference['3m'],
      },
      '6m': {
        ...evaluateHorizon(matched, '6m', columns, persistence, seed, resamples),
        truthReference: trendReference['6m'],
      },
    },
  };
}

/** Writes the evaluation as JSON (2-space indent) and returns the path. */
export async function writeEvaluation(e: Evaluation, out?: string): Promise<string> {
  const path = out ? resolve(out) : join(e.run, 'evaluation.json');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(e, null, 2)}\n`);
  return path;
}

const f3 = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : x.toFixed(3);
/** A paired difference as the table prints it: `+0.012 [0.004, 0.020]`, or n/a. */
export const interval = (d: PairedDifference | { unavailable: string }): string =>
  'unavailable' in d
    ? 'n/a'
    : `${d.difference !== null && d.difference >= 0 ? '+' : ''}${f3(d.difference)} [${f3(d.lower)}, ${f3(d.upper)}]`;

/** The printed table of an evaluation. */
export function formatEvaluation(e: Evaluation): string {
  const a = e.accounts;
  const out: string[] = [];
  out.push(`evaluation of ${e.run}`);
  out.push(`  truth: ${e.truth} (world ${e.world})`);
  out.push(
    `  accounts: ${a.matched} matched; ${a.truthOnly} in the truth only (not scored), ${a.runOnly} in the run only (not in the truth)`,
  );
  const sp = (s: ScoreName) => {
    const v = e.spearman[s];
    return 'unavailable' in v ? 'n/a' : `${f3(v.rho)} (n=${v.n})`;
  };
  out.push('');
  out.push('  Spearman vs latent value now');
  out.push(
    `    value_index ${sp('value_index')}   baseline_2d_score ${sp('baseline_2d_score')}   p_high_value ${sp('p_high_value')}`,
  );
  out.push('');
  out.push(
    `  high value (top quartile of each score vs true_high_value; true share ${f3(e.highValue.trueShare)})`,
  );
  out.push('    score               accuracy  precision  recall  flagged      n');
  const hvRow = (name: string, m: Classification | { unavailable: string }) => {
    if ('unavailable' in m) out.push(`    ${name.padEnd(18)}  ${m.unavailable}`);
    else
      out.push(
        `    ${name.padEnd(18)}  ${f3(m.accuracy).padStart(8)}  ${f3(m.precision).padStart(9)}  ${f3(m.recall).padStart(6)}  ${String(m.flagged).padStart(7)}  ${String(m.n).padStart(5)}`,
      );
  };
  for (const s of ['p_high_value', 'baseline_2d_score', 'value_index'] as const)
    hvRow(s, e.highValue.methods[s]);
  const st = e.highValue.stacking;
  if ('unavailable' in st) out.push(`    p_stacked           ${st.unavailable}`);
  else {
    hvRow('p_forest', st.p_forest);
    hvRow('p_stacked', st.p_stacked);
    hvRow('p_rank_mean', st.p_rank_mean);
  }
  const ref = e.highValue.truthReference;
  out.push(
    '    truth-trained reference (a diagnostic that uses the truth, not a method: a forest trained on true_high_value',
  );
  out.push(
    "    with the classifier's features, out of fold; how far these features could go if the true label were known)",
  );
  hvRow('truth reference', ref);
  for (const h of ['3m', '6m'] as const) {
    const t = e.trends[h];
    const hr = (k: 'forecast' | 'allFlat' | 'persistence') => {
      const v = t.hitRates[k];
      if ('unavailable' in v) return 'n/a';
      return v.missing > 0 ? `${f3(v.hitRate)} (${v.missing} without a call)` : f3(v.hitRate);
    };
    const cmp = t.compared;
    const reasons = [
      ...(cmp.withoutForecast ? [`${cmp.withoutForecast} without a forecast`] : []),
      ...(cmp.withoutPersistence ? [`${cmp.withoutPersistence} without a persistence call`] : []),
    ];
    out.push('');
    out.push(
      `  ${h} direction (truth of the ${a.matched} matched accounts: Up ${t.truthMix.Up} / Flat ${t.truthMix.Flat} / Down ${t.truthMix.Down})`,
    );
    out.push(
      `    compared on ${cmp.n} of ${a.matched} matched accounts${cmp.excluded > 0 ? ` (${cmp.excluded} left out: ${reasons.join(', ')})` : ''}`,
    );
    out.push(
      `    hit rate (n=${cmp.n}): forecast ${hr('forecast')}   all-Flat ${hr('allFlat')}   persistence ${hr('persistence')}`,
    );
    out.push(
      `    forecast - all-Flat ${interval(t.vsAllFlat)}   forecast - persistence ${interval(t.vsPersistence)}   persistence - all-Flat ${interval(t.persistenceVsAllFlat)}   (paired bootstrap 95%)`,
    );
    const tr = t.truthReference;
    if ('unavailable' in tr) out.push(`    truth-trained reference: ${tr.unavailable}`);
    else
      out.push(
        `    truth-trained reference (a diagnostic that uses the truth, not a method; n=${tr.n}): hit rate ${f3(tr.hitRate)}   reference - all-Flat ${interval(tr.vsAllFlat)}   calls Up ${tr.callMix.Up} / Flat ${tr.callMix.Flat} / Down ${tr.callMix.Down}`,
      );
    if (t.confusion) {
      out.push('    confusion (rows truth, columns forecast):   Up  Flat  Down');
      for (const d of ['Up', 'Flat', 'Down'] as const) {
        const c = t.confusion[d];
        out.push(
          `      ${d.padEnd(40)}${String(c.Up).padStart(5)}${String(c.Flat).padStart(6)}${String(c.Down).padStart(6)}`,
        );
      }
    }
  }
  return out.join('\n');
}
