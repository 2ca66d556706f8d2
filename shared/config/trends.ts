import { z } from 'zod';

/**
 * Value trends (issue 5): the point-in-time trend value score, its history, the 3- and 6-month forecasts and the
 * Up / Flat / Down categories. Scores and deltas are on the 0-1 scale of the trend value score.
 */

const weight = z.number().min(0).max(1);

/** The `trends` section of the scoring config. */
export const trendsConfig = z
  .object({
    /** Forecast horizons in days: "3 months" and "6 months". */
    horizon3mDays: z.number().int().positive().default(90),
    horizon6mDays: z.number().int().positive().default(180),
    /** A predicted or actual delta at or above this is Up (0-1 score units). */
    upThreshold: z.number().gt(0).lt(1).default(0.05),
    /** A delta at or below minus this is Down; between the two it is Flat. */
    downThreshold: z.number().gt(0).lt(1).default(0.05),
    /** Trailing windows of the point-in-time features, in days (short = one month, long = three months). */
    shortWindowDays: z.number().int().positive().default(30),
    longWindowDays: z.number().int().positive().default(90),
    /** Spacing of the history dates the daily step builds when the score store has none near a date. */
    historyEveryDays: z.number().int().positive().default(7),
    /** First history date: this many days after the first active day in the daily metrics. */
    warmupDays: z.number().int().min(0).default(28),
    /** A stored run counts for a history date when it lies within this many days of it. */
    dateToleranceDays: z.number().int().min(0).default(3),
    /** The model is used only with at least this many origin dates whose outcome is known ... */
    minTrainOrigins: z.number().int().positive().default(4),
    /** ... and at least this many (account, origin) training pairs. */
    minTrainPairs: z.number().int().positive().default(200),
    /** ... and, when true, only if the rolling-origin backtest could evaluate it at least once for that horizon. */
    requireBacktest: z.boolean().default(true),
    /** Ridge penalty on the standardized coefficients, per training row (the regression of the delta). */
    ridgeAlpha: z.number().min(0).default(1),
    /**
     * The category classifier: two random forests (P(Up), P(Down), one-vs-rest) on the same features, fitted on the
     * realised category of the training pairs. Fixed a priori, never chosen by the backtest.
     */
    classifier: z
      .object({
        nEstimators: z.number().int().positive().default(60),
        maxDepth: z.number().int().positive().default(10),
        /** Least bootstrap-weighted training pairs in a leaf: smooths the probabilities. */
        minSamplesLeaf: z.number().int().positive().default(20),
        seed: z.number().int().default(1),
        /** At most this many training pairs (a seeded uniform sample of them beyond): bounds the fit time. */
        maxTrainPairs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
    /**
     * Choice of the category method per horizon and origin by an inner validation on the training pairs known then:
     * the latest `validationShare` of their origin dates (at least one) are held out, the classifier is fitted on
     * the earlier ones, and its direction hit rate on the held-out pairs is compared with "last change continues"
     * and "all Flat" on the same pairs; the best is used (ties: classifier, then last change). With fewer than
     * `minValidationPairs` held-out pairs, or fewer than minTrainPairs earlier pairs, the classifier is kept.
     * Fixed a priori, never chosen by the backtest.
     */
    selection: z
      .object({
        enabled: z.boolean().default(true),
        validationShare: z.number().gt(0).lt(1).default(0.25),
        minValidationPairs: z.number().int().positive().default(100),
        /**
         * Predict each held-out pair with a classifier fitted on the other account group's earlier pairs (two folds):
         * an account's weekly pairs share most of their outcome window, so fitting on the same account leaks.
         */
        groupByAccount: z.boolean().default(true),
        /** At most this many earlier pairs (a seeded sample) fit an inner classifier: it only ranks the methods. */
        innerMaxPairs: z.number().int().positive().default(5_000),
      })
      .prefault({}),
    /**
     * The rolling-origin backtest refits the model when the last fit is at least this many days old (an origin in
     * between reuses the earlier fit, which saw even less): bounds the backtest's cost on long histories.
     */
    backtestRefitDays: z.number().int().positive().default(7),
    /** Dimensions of the trend value score (percentile aggregate, re-weighted over the present ones). */
    weights: z
      .object({
        usage: weight.default(0.2),
        intensity: weight.default(0.2),
        frequency: weight.default(0.2),
        breadth: weight.default(0.2),
        freshness: weight.default(0.2),
      })
      .prefault({}),
    /**
     * Seed 000's blend, the fallback: 3m = value x now + health x health/100 + momentum x (monthly change of the
     * trend value score); 6m = 3m + damping x (3m - now). Clipped to [0, 1].
     */
    heuristic: z
      .object({
        value: weight.default(0.6),
        health: weight.default(0.4),
        momentum: z.number().min(0).max(5).default(0.5),
        damping: weight.default(0.5),
      })
      .prefault({}),
    /** How many rising and declining accounts the run summary lists. */
    topN: z.number().int().positive().default(10),
  })
  .prefault({});

/** The validated trends configuration with every default filled in. */
export type TrendsConfig = z.infer<typeof trendsConfig>;

/** The trends section of a config (defaults when the config has none yet). */
export function trendsOf(config: unknown): TrendsConfig {
  return trendsConfig.parse((config as { trends?: unknown } | null | undefined)?.trends ?? {});
}
