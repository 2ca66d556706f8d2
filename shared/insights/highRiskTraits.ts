import { medianOf } from './stats.ts';
import { isHighRisk, type ScoredAccount } from './types.ts';

/** The CRM inputs compared between high-risk accounts and all scored accounts (seed 004). */
export const TRAIT_FEATURES = [
  'days_since_last_activity',
  'total_activities_30d',
  'total_contacts',
  'contacts_with_email',
  'contact_ratio',
  'annual_revenue',
  'total_won_amount',
  'current_pipeline_amount',
  'number_of_employees',
] as const;

/** One of the compared CRM inputs. */
export type TraitFeature = (typeof TRAIT_FEATURES)[number];

/** One row of high_risk_characteristics_vs_all.csv. */
export interface HighRiskTraitRow {
  feature: TraitFeature;
  /** Median over high-risk accounts (NULLs ignored). */
  median_high_risk: number | null;
  /** Median over all accounts with a health score (NULLs ignored). */
  median_all: number | null;
  /** (median_high_risk - median_all) / median_all; NULL when median_all is 0 or a median is missing. */
  relative_difference: number | null;
  /** Non-NULL values behind median_high_risk. */
  n_high_risk: number;
  /** Non-NULL values behind median_all. */
  n_all: number;
}

/**
 * Seed 004 traits of high-risk accounts: per CRM input, the median of high-risk accounts vs the median of all scored
 * accounts (those with a health score, the population the risk matrix counts) and the relative difference.
 */
export function highRiskTraits(rows: readonly ScoredAccount[]): HighRiskTraitRow[] {
  const scored = rows.filter((r) => r.crm_health_score !== null);
  const risky = scored.filter(isHighRisk);
  return TRAIT_FEATURES.map((feature): HighRiskTraitRow => {
    const hr = medianOf(risky.map((r) => r[feature]));
    const all = medianOf(scored.map((r) => r[feature]));
    const relative =
      hr.median === null || all.median === null || all.median === 0
        ? null
        : (hr.median - all.median) / all.median;
    return {
      feature,
      median_high_risk: hr.median,
      median_all: all.median,
      relative_difference: relative,
      n_high_risk: hr.n,
      n_all: all.n,
    };
  });
}
