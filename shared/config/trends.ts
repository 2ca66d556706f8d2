import { z } from 'zod';

/**
 * Value trends (issue 10 §3): where each account's own usage is heading over 3 and 6 months. The measured quantity
 * is the account's active visitor-days over a trailing window (`windowWeeks` weeks, 91 days by default); its change
 * is a log ratio corrected at each date for the population's median change. Every parameter here was fixed before
 * any evaluation against known-answer worlds (docs/trends.md) and none is tuned on the backtest.
 */

const weight = z.number().min(0).max(1);

/** The `trends` section of the scoring config. */
export const trendsConfig = z
  .object({
    /** Trailing window of the measured usage, in weeks (13 weeks = 91 days); the 3-month horizon is one window. */
    windowWeeks: z.number().int().min(2).max(52).default(13),
    /** A (corrected) change whose ratio exceeds 1 + upRatio is Up (0.10: above +10 %). */
    upRatio: z.number().gt(0).lt(10).default(0.1),
    /** A (corrected) change whose ratio is below 1 - downRatio is Down; between the two it is Flat. */
    downRatio: z.number().gt(0).lt(1).default(0.1),
    /**
     * Regressed persistence, the default method: the last window's corrected change times a factor b (3 months)
     * or b + b^2 (6 months), b = the least-squares slope of an account's corrected change on its previous window's
     * corrected change, over the pairs known at the forecast date, clipped to [0, 1]. With fewer than
     * `minPairs` such pairs, b = `fallback`. `estimator`: `naive` = the plain least-squares slope;
     * `noise-corrected` = the same slope with the measurement noise of the window the two changes share added back
     * to their covariance (docs/trends.md, "Second method, pre-registered"); `crm-instrument` = factors phi x share
     * (3 months) and (phi + phi^2) x share (6 months) from the covariances of usage with CRM activity, a second
     * measure of the value change, falling back to `noise-corrected` where they show no shared change
     * (docs/trends.md, "Fifth method, pre-registered"); `crm-calibrated` = the same persistence phi times the
     * expected value change given the account's corrected usage change, read off the mean CRM-activity change of
     * the sampled accounts with a similar usage change (docs/trends.md, "Sixth method, pre-registered"), falling
     * back to `noise-corrected` like `crm-instrument`. Default `noise-corrected`: `crm-instrument` failed its
     * adoption rule at 10,000 accounts per world (below all-Flat in `growth` at 6 months, by 0.005), and
     * `crm-calibrated` failed its own (far below persistence on the default sample, whose activity changes are
     * skewed so that the curve's middle bins sit near +0.10; and in a second draw below all-Flat in `growth` and
     * below persistence in `thin-crm` at 6 months); both are documented, not-default options.
     */
    shrinkage: z
      .object({
        estimator: z
          .enum(['naive', 'noise-corrected', 'crm-instrument', 'crm-calibrated'])
          .default('noise-corrected'),
        /**
         * Which accounts' pairs estimate b (and beta and tau2 of `reliability`): `sample` = the seeded sample of
         * `model.sampleAccounts` accounts (2,000); `all-accounts` (default with the per-account reliability, see
         * docs/trends.md, "Ninth method, pre-registered") = every account with three full windows at the origins
         * known at the forecast date, summed by the query engine (a row per origin, so memory does not grow with
         * accounts). `all-accounts` makes the estimates independent of the sample's seed (on one export b moved from
         * 0.067 to 0.164 with the seed alone); for the pooled b alone it was not adopted: pre-registered and evaluated
         * on five draws, its calls were below the sampled b's by up to 0.02 at 6 months in the worlds with lasting
         * trends, where the sample's b happened to be larger (docs/trends.md, "Seventh method, pre-registered").
         */
        pairs: z.enum(['sample', 'all-accounts']).default('all-accounts'),
        /**
         * How much of an account's observed change is trusted (docs/trends.md, "Ninth method, pre-registered").
         * `pooled`: every account's corrected change times the same b. `per-account`: times beta x tau2 / (tau2 +
         * the account's own measurement noise), beta the persistence of the usage level's change and tau2 its
         * variance, both from the pairs of `pairs` with the noise of their windows removed, the noise of a change
         * the week-to-week noise of its two windows (a change of a few visitor-days is mostly noise, one of
         * thousands is not). Needs the `noise-corrected` estimator, the `mean-threshold` call and the `regressed`
         * or `lasting` 6-month factor. Default `per-account`: on three fresh draws it was never below all-Flat nor
         * below `pooled` (by more than 0.0002), and strictly above all-Flat at 3 months where value trends last; at 6
         * months it stays below persistence there (by 0.020-0.053, `pooled` by 0.047-0.071).
         */
        reliability: z.enum(['pooled', 'per-account']).default('per-account'),
        minPairs: z.number().int().positive().default(30),
        fallback: z.number().min(0).max(1).default(0.5),
        /**
         * `crm-instrument` (docs/trends.md, "Fifth method, pre-registered"): CRM activity of the linked Salesforce
         * account as a second measure of the value change. Usable with at least `minPairs` accounts x origins with
         * three windows of both and a covariance of the two measures' earlier changes above `guardSe` standard
         * errors; otherwise the noise-corrected b stands.
         */
        instrument: z
          .object({
            minPairs: z.number().int().positive().default(200),
            guardSe: z.number().min(0).default(2),
            /**
             * `crm-calibrated` (docs/trends.md, "Sixth method, pre-registered"): equal-count bins of the corrected
             * usage change whose mean activity changes (made monotone) give the expected value change of an account.
             */
            bins: z.number().int().min(1).max(100).default(10),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * How regressed persistence turns the corrected change into a call (docs/trends.md, "Fourth method,
     * pre-registered"). `mean-threshold`: the expected change, b (3 months) or b + b^2 (6 months) times the
     * corrected change, thresholded like the target (the second method). `most-probable`: the most probable of Up,
     * Flat and Down under the persistent-component predictive N(k b x, k^2 b (1 - b) var(x)) (k = 1 window at
     * 3 months, 2 at 6; var(x) the variance of the previous corrected change over the shrinkage pairs), Up / Down
     * only when strictly more probable than both others and the expected change has their sign. With b the
     * fallback both are `mean-threshold`. Default `mean-threshold`: `most-probable` failed its pre-registered
     * adoption rule at 10,000 accounts per world (below persistence in `trends` and `thin-crm`, below all-Flat in
     * `growth` at 6 months) and is a documented, not-default option.
     */
    regressedCall: z.enum(['mean-threshold', 'most-probable']).default('mean-threshold'),
    /**
     * The 6-month factor of regressed persistence (docs/trends.md, "Eighth method, pre-registered"). `regressed`:
     * b + b^2 (the change decays by b per window). `variogram`: 2 x the share of an observed window change that
     * lasts, K^2 c / g(K), c the h^2 coefficient of the mean squared change of the trailing window's log level
     * between dates h weeks apart (lags K to 3K weeks of the sampled accounts, fitted with a noise term that levels
     * off) and g(K) that mean at lag K; used with `mean-threshold` and the `naive` or `noise-corrected` estimator,
     * with at least `minLags` lags, otherwise b + b^2. The 3-month factor stays b. `variogram` failed its
     * pre-registered rule (at least persistence at 6 months where value trends last on one draw, 0.027-0.063 below
     * it on the other, where the fit put the variogram's rise into the noise term). `lasting` (docs/trends.md,
     * "Tenth method, pre-registered"): 2 b (2 beta times the account's reliability with
     * `shrinkage.reliability: per-account`) instead of b + b^2: the next window's expected change lasts through the
     * second window instead of decaying by b again. Default `lasting`: it passed its pre-registered rule on two
     * new draws (never below all-Flat, no row below `regressed`, above it where value trends last).
     */
    sixMonth: z
      .object({
        factor: z.enum(['regressed', 'variogram', 'lasting']).default('lasting'),
        minLags: z.number().int().min(3).default(8),
      })
      .prefault({}),
    /**
     * The method gate: another method (plain persistence, all Flat, or the learned model when
     * `model.eligible`) replaces regressed persistence only when, over at least `minOrigins` backtest origins where every compared method has its full
     * inputs and whose outcome is known, the lower bound of the paired bootstrap (`reps` resamples of origins)
     * `level` interval of its hit-rate difference against every other method is above zero.
     */
    gate: z
      .object({
        minOrigins: z.number().int().positive().default(8),
        reps: z.number().int().positive().default(2000),
        level: z.number().gt(0).lt(1).default(0.95),
        seed: z.number().int().default(1),
      })
      .prefault({}),
    /**
     * The learned model (a challenger of persistence): two random forests (P(Up), P(Down)) on point-in-time
     * features of a seeded sample of accounts, fitted on the corrected realised category. `enabled`: fitted and
     * compared in the backtest (reported in trend_backtest.json). `eligible`: the gate may ship it when it beats
     * every other method; false by default (docs/trends.md, "Third decision, pre-registered: the learned model is
     * not eligible"): its in-history outcome is observed usage, whose noise it learns to reverse, and on the
     * known-answer worlds the model the gate shipped was below all-Flat against the truth. Not eligible, the
     * shipped method is chosen within the persistence family only.
     */
    model: z
      .object({
        enabled: z.boolean().default(true),
        eligible: z.boolean().default(false),
        /** Accounts drawn (seeded hash of the id) for the backtest and the training pairs. */
        sampleAccounts: z.number().int().positive().default(2000),
        sampleSeed: z.number().int().default(1),
        /** The model is fitted at an origin only with at least this many training origins of known outcome. */
        minTrainOrigins: z.number().int().positive().default(4),
        /** The backtest refits the model every this many weeks (an origin in between reuses the older fit). */
        refitEveryWeeks: z.number().int().positive().default(4),
        nEstimators: z.number().int().positive().default(60),
        maxDepth: z.number().int().positive().default(8),
        minSamplesLeaf: z.number().int().positive().default(20),
        seed: z.number().int().default(1),
        /** At most this many training pairs (a seeded uniform sample beyond). */
        maxTrainPairs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
    /** Trailing windows of the trend value score (a descriptive 0-1 score of today's usage), in days. */
    shortWindowDays: z.number().int().positive().default(30),
    longWindowDays: z.number().int().positive().default(90),
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
    /** How many rising and declining accounts the run summary lists. */
    topN: z.number().int().positive().default(10),
  })
  .superRefine((t, ctx) => {
    if (t.shrinkage.reliability !== 'per-account') return;
    const conflicts = [
      t.shrinkage.estimator !== 'noise-corrected' &&
        `shrinkage.estimator is ${t.shrinkage.estimator}`,
      t.regressedCall !== 'mean-threshold' && `regressedCall is ${t.regressedCall}`,
      t.sixMonth.factor === 'variogram' && `sixMonth.factor is ${t.sixMonth.factor}`,
    ].filter((c): c is string => typeof c === 'string');
    if (conflicts.length)
      ctx.addIssue({
        code: 'custom',
        path: ['shrinkage', 'reliability'],
        message: `shrinkage.reliability per-account needs the noise-corrected estimator, the mean-threshold call and the regressed or lasting 6-month factor, but ${conflicts.join(', ')}: set shrinkage.reliability to pooled`,
      });
  })
  .prefault({});

/** The validated trends configuration with every default filled in. */
export type TrendsConfig = z.infer<typeof trendsConfig>;

/** The trends section of a config (defaults when the config has none yet). */
export function trendsOf(config: unknown): TrendsConfig {
  return trendsConfig.parse((config as { trends?: unknown } | null | undefined)?.trends ?? {});
}
