import { z } from 'zod';

/**
 * Customer-success settings (issue 13): champions (seed 002 at visitor level), what changed since earlier runs, and
 * how value tiers are cut. Every field is optional; the defaults are what the docs describe.
 */

/** Champions: the top visitors of each account by seed 002's weighted score, and when one counts as silent. */
export const championsConfig = z
  .object({
    /** Champions kept per account (ranked by the visitor's weighted score). */
    perAccount: z.number().int().min(1).max(10).default(3),
    /** A champion with no product activity for more than this many days fires `champion-silent`. */
    silentDays: z.number().int().positive().default(14),
  })
  .prefault({});

/** What changed: the earlier runs each account is compared with. */
export const changesConfig = z
  .object({
    /** Besides the previous run, compare with the stored run closest to this many days back (within the slack). */
    lookbackDays: z.array(z.number().int().positive()).default([7, 30]),
    /** How far a stored run may be from the wanted date and still be used (days). */
    slackDays: z.number().int().min(0).default(3),
    /** Accounts listed per direction in the report's movers section. */
    moversShown: z.number().int().positive().default(10),
  })
  .prefault({});

/**
 * Value tiers: cut on the value index at shares of the accounts with product data (default: top 25% High value, the
 * same accounts as high_value_index; bottom 25% Low value; the rest Medium value).
 */
export const valueTiersConfig = z
  .object({
    highShare: z.number().gt(0).lt(1).default(0.25),
    lowShare: z.number().gt(0).lt(1).default(0.25),
  })
  .prefault({})
  .refine((t) => t.highShare + t.lowShare < 1, {
    message: 'highShare + lowShare must be below 1',
  });
