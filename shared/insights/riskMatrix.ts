import type { InsightsConfig } from '../config/insights.ts';
import { wilsonInterval } from './stats.ts';
import { industryLabel, isHighRisk, riskDecided, type ScoredAccount, sizeLabel } from './types.ts';

/** One industry x size cell: a row of risk_matrix_counts.csv and of high_risk_segment_rates.csv. */
export interface RiskMatrixRow {
  industry: string;
  account_size_segment: string;
  /** Accounts with a CRM health score in the cell. */
  accounts: number;
  /** Of those, accounts with health < 50. */
  high_risk_accounts: number;
  /** high_risk_accounts / accounts, 0-1. */
  high_risk_rate: number;
  /** Wilson score interval of the rate (confidence from config, 95% by default), 0-1. */
  rate_ci_low: number;
  rate_ci_high: number;
  /** True when accounts < the configured minimum (default 10): read the rate with care. */
  thin: boolean;
}

/** Display order of the size segments, smallest first. */
export const SIZE_ORDER: readonly string[] = [
  'Small Business',
  'Mid-Market',
  'Large',
  'Enterprise',
  'Unknown',
];

/** Locale-independent text order, so the CSV is the same on every machine. */
const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

const sizeRank = (size: string) => {
  const i = SIZE_ORDER.indexOf(size);
  return i < 0 ? SIZE_ORDER.length : i;
};

/** The cell key of an industry x size pair, as used by riskMatrix lookups. */
export function cellKey(industry: string, size: string): string {
  return `${industry}\u0000${size}`;
}

/**
 * Seed 004 risk warning matrix: per industry x size, scored accounts, high-risk accounts and rate with a Wilson
 * interval; only accounts whose risk is decided count (a health score, banded: not one renormalised for an absent
 * input table). Rows sorted by industry, then size (smallest first).
 */
export function riskMatrix(
  rows: readonly ScoredAccount[],
  config: Pick<InsightsConfig, 'riskMatrix'>,
): RiskMatrixRow[] {
  const cells = new Map<string, { industry: string; size: string; n: number; k: number }>();
  for (const row of rows) {
    if (!riskDecided(row)) continue;
    const industry = industryLabel(row);
    const size = sizeLabel(row);
    const key = cellKey(industry, size);
    let cell = cells.get(key);
    if (!cell) {
      cell = { industry, size, n: 0, k: 0 };
      cells.set(key, cell);
    }
    cell.n += 1;
    if (isHighRisk(row)) cell.k += 1;
  }
  const { minCellCount, confidenceLevel } = config.riskMatrix;
  const out = [...cells.values()].map(({ industry, size, n, k }): RiskMatrixRow => {
    const ci = wilsonInterval(k, n, confidenceLevel);
    return {
      industry,
      account_size_segment: size,
      accounts: n,
      high_risk_accounts: k,
      high_risk_rate: k / n,
      rate_ci_low: ci.low ?? 0,
      rate_ci_high: ci.high ?? 1,
      thin: n < minCellCount,
    };
  });
  return out.sort(
    (x, y) =>
      byText(x.industry, y.industry) ||
      sizeRank(x.account_size_segment) - sizeRank(y.account_size_segment) ||
      byText(x.account_size_segment, y.account_size_segment),
  );
}

/** The cells of high_risk_segment_rates.csv: sorted by rate descending, then account count descending. */
export function highRiskSegmentRates(matrix: readonly RiskMatrixRow[]): RiskMatrixRow[] {
  return [...matrix].sort(
    (x, y) =>
      y.high_risk_rate - x.high_risk_rate ||
      y.accounts - x.accounts ||
      byText(x.industry, y.industry) ||
      sizeRank(x.account_size_segment) - sizeRank(y.account_size_segment),
  );
}
