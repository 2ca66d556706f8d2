import type { AccountFeatures } from '../features/columns.ts';
import type { HealthBand } from '../scoring/crmHealth.ts';

/** CRM health band of seed 004 (High 80+, Medium 50-79, Low < 50), as the CRM health scorer sets it. */
export type { HealthBand };

/** 3-month value trend of seed 000. */
export type TrendLabel = 'Up' | 'Flat' | 'Down';

/** Value segment of seed 003 (k-means, named). */
export type ValueSegment = 'High value' | 'Medium value' | 'Low value';

/** One account's features plus the scores the pipeline adds before the insights step. */
export type ScoredAccount = AccountFeatures & {
  /** Seed 004 CRM health, 0-100; NULL when the account has no CRM row. */
  crm_health_score: number | null;
  /** Band of crm_health_score: High 80+, Medium 50-79, Low < 50. */
  crm_health_band: HealthBand | null;
  /** True when crm_health_score < 50. */
  high_risk: boolean | null;
  /** contacts_with_email / total_contacts, clipped to [0, 1]. */
  contact_ratio: number | null;
  /** Seed 000 3-month trend. */
  trend_3m?: TrendLabel | null;
  /** Seed 003 value segment. */
  value_segment?: ValueSegment | null;
  /** Classifier probability of being high-value, 0-1. */
  p_high_value?: number | null;
  /** Inputs the CRM health scorer found NULL, `;`-separated (merged into the prediction's missing_inputs). */
  missing_inputs?: string | null;
  /** What moved the account most since the previous run (shared/changes); NULL on the first run. */
  why_changed?: string | null;
  /** True when one of the account's champions has gone silent (shared/champions). */
  champion_silent?: boolean;
  /** Which champions are silent and for how long. */
  champion_silent_reason?: string | null;
};

/**
 * Whether the account's risk is decided: it has a health score, and a high-risk flag unless the row predates the
 * flag (a health without a flag is a renormalised one, computed while an input table was absent: not banded).
 */
export function riskDecided(row: ScoredAccount): boolean {
  if (row.crm_health_score === null) return false;
  if (row.high_risk !== null && row.high_risk !== undefined) return true;
  return !(row.missing_inputs ?? '').includes('/');
}

/** Whether an account counts as high-risk: its flag, else health below 50 (seed 004); undecided risk is never. */
export function isHighRisk(row: ScoredAccount): boolean {
  if (!riskDecided(row) || row.crm_health_score === null) return false;
  return row.high_risk ?? row.crm_health_score < 50;
}

/** The industry label used for grouping: NULL or blank -> 'Unknown'. */
export function industryLabel(row: ScoredAccount): string {
  const industry = row.industry?.trim();
  return industry ? industry : 'Unknown';
}

/** The size label used for grouping: NULL -> 'Unknown'. */
export function sizeLabel(row: ScoredAccount): string {
  return row.account_size_segment ?? 'Unknown';
}
