import type { ClassifierConfig } from '../config/classifier.ts';
import type { AccountFeatures } from '../features/columns.ts';
import type { Row } from '../ports/index.ts';
import { topShare } from '../scoring/percentile.ts';

/** The label a model was trained on, as written in the registry and the reports. */
export type LabelName = ClassifierConfig['label'];

/** The score column each composite label reads from parts/scores.csv. */
export const LABEL_COLUMNS = {
  composite: 'high_value_index',
  quintile: 'high_value_quintile',
  weighted: 'high_value_weighted',
} as const;

/** One line per label saying what "high-value" means under it. */
export const LABEL_DESCRIPTIONS: Record<LabelName, string> = {
  composite:
    'seed 000: top quartile of the composite value index (usage, intensity, breadth, NPS, freshness)',
  quintile: 'seed 001: top 20% of the quintile scorecard (sum_minutes, active days, visitors, NPS)',
  weighted:
    'seed 002: top 20% of the weighted score (adoption, engagement, recency, NPS, duration, frequency)',
  revenue: 'top share of total_won_amount (won opportunities) among accounts with CRM data',
};

/** Warning written into every report of a model trained on a composite label. */
export const COMPOSITE_LABEL_WARNING =
  'the label is built from the same usage features the model sees, so its holdout accuracy is optimistic: it ' +
  'measures how well the model reproduces the score, not how well it predicts revenue or retention';

/** Labels of one run: 1 high-value, 0 not, null left out of training (no product data, or no CRM for revenue). */
export interface Labels {
  /** The label actually used (revenue falls back to composite when no account has CRM data). */
  label: LabelName;
  description: string;
  /** Per account, in the order of the feature rows. */
  y: (0 | 1 | null)[];
  warnings: string[];
}

const flag = (v: Row[string] | undefined): 0 | 1 | null =>
  v === true ? 1 : v === false ? 0 : null;

/**
 * Labels every account for the configured label. Composite labels come from the score-accounts flags (accounts
 * without product data get null). Revenue: among accounts with product and CRM data, the top `revenueTopShare` by
 * total_won_amount, counting only amounts > 0 (so ties at zero are never flagged by id order).
 */
export function buildLabels(
  features: readonly AccountFeatures[],
  scores: readonly Row[],
  config: ClassifierConfig,
): Labels {
  const warnings: string[] = [];
  let label: LabelName = config.label;
  if (label === 'revenue' && !features.some((f) => f.has_product && f.has_crm)) {
    warnings.push(
      'label revenue was configured but no account has both product and CRM data: the composite label is used',
    );
    label = 'composite';
  }
  let y: (0 | 1 | null)[];
  if (label === 'revenue') {
    const eligible = features.map((f) => f.has_product && f.has_crm);
    const amounts = features.map((f, i) => (eligible[i] ? (f.total_won_amount ?? 0) : null));
    const top = topShare(
      amounts,
      features.map((f) => f.account_id),
      config.revenueTopShare,
    );
    y = features.map((_, i) =>
      eligible[i] ? (top[i] && (amounts[i] as number) > 0 ? 1 : 0) : null,
    );
  } else {
    const column = LABEL_COLUMNS[label];
    const byId = new Map(scores.map((s) => [String(s.account_id), s]));
    y = features.map((f) => (f.has_product ? flag(byId.get(f.account_id)?.[column]) : null));
    warnings.push(`label ${label}: ${COMPOSITE_LABEL_WARNING}`);
  }
  return { label, description: LABEL_DESCRIPTIONS[label], y, warnings };
}
