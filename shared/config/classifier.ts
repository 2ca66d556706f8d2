import { z } from 'zod';

/**
 * The high-value classifier (issue 3): label, split, forest and baseline, evaluation, probability bands, segments,
 * the minimum-data guard and the promotion gate. Defaults follow seed 000 (stratified 70/30 split, random forest vs
 * logistic regression on duration + frequency) with the issue-10 changes: a revenue label when CRM data is present,
 * cross-fitted probabilities, and a gate on AUC intervals instead of an accuracy floor.
 */

const probability = z.number().min(0).max(1);

/** Which high-value definition the classifier learns. */
export const CLASSIFIER_LABELS = ['auto', 'revenue', 'composite', 'quintile', 'weighted'] as const;

/** The `classifier` section of the scoring config. */
export const classifierConfig = z
  .object({
    /**
     * auto (default) = revenue when the run has enough CRM-linked accounts with opportunity data to pass the
     * minimum-data guard, else composite; revenue = top share of revenue won (closed-won opportunity amount, read as
     * annual contract value) in the trailing `revenueWindowDays` among accounts with product and CRM data (falls back
     * to composite, with a warning, when there is none); composite = seed 000's top quartile of the value index
     * (`high_value_index`); quintile = seed 001's top 20% (`high_value_quintile`); weighted = seed 002's top 20%
     * (`high_value_weighted`).
     */
    label: z.enum(CLASSIFIER_LABELS).default('auto'),
    /** Share of CRM accounts (with a won amount > 0) labelled high-value by the revenue label. */
    revenueTopShare: z.number().gt(0).lt(1).default(0.25),
    /**
     * Under the revenue label, an account with product and CRM data but no revenue won in the label window:
     * `unlabelled` = it carries no revenue evidence, so it is left out of training (and of the ranking that sets the
     * top share) and scored by the model like an account without a CRM link; `negative` = it is labelled not
     * high-value (0). Whether a deal closes inside a 12-month window is partly timing: on a generated `trends`
     * export, 24% of the labelled accounts had nothing won in the window and 1% nothing won at all
     * (docs/scoring.md, "Accounts without a win in the window, pre-registered"). Default `negative`: `unlabelled`
     * was pre-registered and evaluated, and lowered high-value accuracy against the truth by about 0.02 (the
     * stacker, fitted on the labelled accounts only, combined the forest and the value index worse for the others).
     */
    revenueWithoutWins: z.enum(['negative', 'unlabelled']).default('negative'),
    /**
     * Window of the revenue label: opportunities won with a close date in the last this many days up to the run
     * date; 0 = every won opportunity (all-time total_won_amount). The value index's commercial dimension reads the
     * same window (`valueIndex.commercialRevenue: window`). 730 (two years) was pre-registered and evaluated once: it
     * raised the value index's Spearman with the true value in every known-answer world and lowered high-value
     * accuracy in every one, by up to 0.019 (docs/scoring.md, "Two years of revenue won for the label,
     * pre-registered").
     */
    revenueWindowDays: z.number().int().min(0).max(3650).default(365),
    /**
     * Under the revenue label, the forest also sees `won_amount_before_window`: revenue won before the label window
     * (total_won_amount minus won_amount_window), an earlier outcome of the account that does not contain its label.
     * Needs `revenueWindowDays` > 0. Off by default: pre-registered and evaluated once, it raised the forest's AUC
     * against the revenue label in every known-answer world and lowered high-value accuracy against the truth in six
     * of seven (docs/scoring.md, "Revenue won before the label window, pre-registered").
     */
    priorRevenueFeature: z.boolean().default(false),
    /**
     * Cross-fitting: the labelled accounts are split into `folds` stratified folds (seeded by randomState); each
     * fold's accounts get p_high_value from a forest fitted on the other folds, so no account is scored by a model
     * that saw its label.
     */
    crossFit: z.object({ folds: z.number().int().min(2).max(20).default(5) }).prefault({}),
    /** Share of each class held out for evaluation (stratified). */
    testSize: z.number().gt(0).lt(1).default(0.3),
    /** Seed of the split, the forest, the permutations and k-means. */
    randomState: z.number().int().default(42),
    forest: z
      .object({
        nEstimators: z.number().int().min(1).max(2000).default(100),
        maxDepth: z.number().int().min(1).max(40).default(12),
        /** Rows a leaf at least, for a label that is a formula of the features (composite, quintile, weighted). */
        minSamplesLeaf: z.number().int().min(1).default(1),
        /**
         * Rows a leaf at least under the revenue label. 1 by default: 20 (a leaf that averages the label's own noise)
         * was pre-registered and evaluated once; it raised the forest's own accuracy against the truth in every
         * known-answer world but p_high_value (stacked with the value index) in only 4 of 7, short of its rule
         * (docs/scoring.md, "Twenty rows a leaf under the revenue label, pre-registered").
         */
        revenueMinSamplesLeaf: z.number().int().min(1).default(1),
        /**
         * What the forest is fitted to under the revenue label: `flag` (default) = classification trees (Gini) on the
         * 0/1 label; `rank` = regression trees (squared error) on each labelled account's percentile rank of revenue won
         * in the label window among the accounts that forest is fitted on, whose output estimates that percentile and
         * which the stacker (needed, see `stacking.enabled`) turns into a probability. `rank` was pre-registered and
         * evaluated once: it lowered high-value accuracy against the truth (docs/scoring.md, "The revenue rank as the
         * forest's target, pre-registered"). Labels built from the features always use `flag`.
         */
        revenueTarget: z.enum(['flag', 'rank']).default('flag'),
        /** Worker threads; never changes the model. */
        nJobs: z.number().int().min(1).max(64).default(1),
      })
      .prefault({}),
    /** Predicted high-value when p >= this. */
    threshold: probability.default(0.5),
    /** Probability bands: >= high High, >= likely Likely, >= possible Possible, else Unlikely. */
    bands: z
      .object({
        high: probability.default(0.8),
        likely: probability.default(0.5),
        possible: probability.default(0.2),
      })
      .prefault({})
      .refine((b) => b.high >= b.likely && b.likely >= b.possible, {
        message: 'bands must satisfy high >= likely >= possible',
      }),
    /** Permutation importance: shuffles per feature, and the most holdout rows it uses. */
    permutation: z
      .object({
        nRepeats: z.number().int().min(1).max(50).default(5),
        maxRows: z.number().int().min(50).default(5000),
      })
      .prefault({}),
    /** K-means segments: restarts per fit. */
    segments: z.object({ nInit: z.number().int().min(1).max(100).default(10) }).prefault({}),
    /** Minimum-data guard: below either, no model is trained and scoring falls back to the value index. */
    minAccounts: z.number().int().min(1).default(200),
    minPositives: z.number().int().min(1).default(30),
    /**
     * Promotion gate on the holdout AUC against the same label: the candidate must not fall below the 2-D baseline
     * nor the champion by more than `aucTolerance` (point estimate) and must not be worse than either with
     * confidence (the upper bound of the DeLong `confidence` interval of the AUC difference below 0 refuses it).
     */
    gate: z
      .object({
        aucTolerance: z.number().min(0).max(1).default(0.005),
        confidence: z.number().gt(0.5).lt(1).default(0.95),
      })
      .prefault({}),
    /**
     * Stacking the value index with the forest (docs/scoring.md, "Stacking, pre-registered"): revenue-label versions
     * store a cross-fitted logistic stacker of the forest's probability and the value index percentile; when
     * `enabled` (the default since the pre-registered decision rule passed on the known-answer evaluation of
     * 2026-12-02), p_high_value is its probability instead of the forest's. Either way the run writes both to
     * high_value_stacking.csv. `combiner` chooses the combined probability: `logistic` the stacker above; `rank-mean`
     * (the default since its pre-registered decision rule passed on two new draws on 2026-12-08) the equal-weight mean
     * of the percentile ranks of the forest, an L2 logistic regression and the value index, calibrated (docs/scoring.md,
     * "Three scores ranked and averaged with equal weights, pre-registered"); versions trained since it exists write
     * both to high_value_stacking.csv (`p_stacked`, `p_rank_mean`); an older champion scores with its stacker.
     */
    stacking: z
      .object({
        enabled: z.boolean().default(true),
        combiner: z.enum(['logistic', 'rank-mean']).default('rank-mean'),
      })
      .prefault({}),
    /** The daily run trains (and gates) a model first when the registry has no champion. */
    trainWhenNoChampion: z.boolean().default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.forest.revenueTarget === 'rank' && !c.stacking.enabled)
      ctx.addIssue({
        code: 'custom',
        path: ['forest', 'revenueTarget'],
        message:
          "revenueTarget 'rank' needs stacking.enabled: the forest then estimates a revenue percentile, not a probability, and the combiner (rank-mean or the logistic stacker) turns it into p_high_value; set forest.revenueTarget: flag to score with the forest alone",
      });
  })
  .prefault({});

/** The validated classifier configuration with every default filled in. */
export type ClassifierConfig = z.infer<typeof classifierConfig>;

/** The classifier section of a config (defaults when the config has none yet). */
export function classifierOf(config: unknown): ClassifierConfig {
  return classifierConfig.parse(
    (config as { classifier?: unknown } | null | undefined)?.classifier ?? {},
  );
}
