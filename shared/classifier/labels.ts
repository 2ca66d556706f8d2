import type { ClassifierConfig } from '../config/classifier.ts';
import type { AccountFeatures } from '../features/columns.ts';
import type { Row } from '../ports/index.ts';
import { topShare } from '../scoring/percentile.ts';

/** The label a model was trained on, as written in the registry and the reports ('auto' resolves to one of these). */
export type LabelName = Exclude<ClassifierConfig['label'], 'auto'>;

/** The score column each composite label reads from parts/scores.csv. */
export const LABEL_COLUMNS = {
  composite: 'high_value_index',
  quintile: 'high_value_quintile',
  weighted: 'high_value_weighted',
} as const;

/** One line saying what "high-value" means under a label (the revenue one names its window). */
export function labelDescription(label: LabelName, config: ClassifierConfig): string {
  switch (label) {
    case 'revenue': {
      const share = `top ${Math.round(config.revenueTopShare * 100)}%`;
      const window =
        config.revenueWindowDays > 0
          ? `in the ${config.revenueWindowDays} days up to the run date`
          : 'over all time';
      const among =
        config.revenueWithoutWins === 'unlabelled'
          ? 'among accounts with product and CRM data and revenue won in that window (the others are not labelled)'
          : 'among accounts with product and CRM data';
      return `${share} of revenue won ${window} (closed-won opportunity amount, read as annual contract value) ${among}`;
    }
    case 'composite':
      return 'seed 000: top quartile of the composite value index (usage, intensity, breadth, NPS, freshness)';
    case 'quintile':
      return 'seed 001: top 20% of the quintile scorecard (sum_minutes, active days, visitors, NPS)';
    case 'weighted':
      return 'seed 002: top 20% of the weighted score (adoption, engagement, recency, NPS, duration, frequency)';
  }
}

/** Warning written into every report of a model trained on a composite label. */
export const COMPOSITE_LABEL_WARNING =
  'the label is built from the same usage features the model sees, so its holdout accuracy is optimistic: it ' +
  'measures how well the model reproduces the score, not how well it predicts revenue or retention';

/** Labels of one run: 1 high-value, 0 not, null left out of training (no product data, or no CRM for revenue). */
export interface Labels {
  /** The label actually used (auto and revenue fall back to composite when the CRM data cannot carry it). */
  label: LabelName;
  description: string;
  /** Per account, in the order of the feature rows. */
  y: (0 | 1 | null)[];
  /** Caveats of the label (composite circularity, fallbacks). */
  warnings: string[];
  /** Why this label was chosen (one sentence). */
  choice: string;
}

const flag = (v: Row[string] | undefined): 0 | 1 | null =>
  v === true ? 1 : v === false ? 0 : null;

/**
 * The revenue amount of the label window: `won_amount_window` when the window is set, `total_won_amount` for an
 * all-time window; null when the account cannot carry the label (no product data, no CRM link, no opportunity export).
 */
export function revenueAmount(f: AccountFeatures, config: ClassifierConfig): number | null {
  if (!f.has_product || !f.has_crm) return null;
  const v = config.revenueWindowDays > 0 ? f.won_amount_window : f.total_won_amount;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Revenue labels: among accounts with product and CRM data, the top `revenueTopShare` by revenue won in the window,
 * counting only amounts > 0 (so ties at zero are never flagged by id order); null for the others. With
 * `revenueWithoutWins: unlabelled` an account with nothing won in the window is null too (no revenue evidence), and
 * the top share is taken among the accounts with a win.
 */
export function revenueLabels(
  features: readonly AccountFeatures[],
  config: ClassifierConfig,
): (0 | 1 | null)[] {
  const unlabelled = config.revenueWithoutWins === 'unlabelled';
  const amounts = features.map((f) => {
    const a = revenueAmount(f, config);
    return unlabelled && a !== null && !(a > 0) ? null : a;
  });
  const top = topShare(
    amounts,
    features.map((f) => f.account_id),
    config.revenueTopShare,
  );
  return amounts.map((a, i) => (a === null ? null : top[i] && a > 0 ? 1 : 0));
}

/** Why revenue labels are too few to train on (the minimum-data guard's bars), or null when they suffice. */
function revenueShortfall(y: readonly (0 | 1 | null)[], config: ClassifierConfig): string | null {
  const n = y.filter((v) => v !== null).length;
  const pos = y.filter((v) => v === 1).length;
  if (n === 0) return 'no account has product data, a CRM link and opportunity data';
  if (n < config.minAccounts || pos < config.minPositives || n - pos < config.minPositives)
    return `only ${n} accounts with product data, a CRM link and opportunity data (${pos} high-value by revenue; minimum ${config.minAccounts} accounts and ${config.minPositives} of each class)`;
  return null;
}

/**
 * Labels every account. `auto` uses the revenue label when enough CRM-linked accounts with opportunity data pass the
 * minimum-data guard, else the composite label (saying why); `revenue` falls back to composite, with a warning, only
 * when no account can carry it. Composite labels come from the score-accounts flags (accounts without product data
 * get null). Accounts without a CRM link get null under the revenue label: the model is not trained on them and
 * scores them like any account it has not seen.
 */
export function buildLabels(
  features: readonly AccountFeatures[],
  scores: readonly Row[],
  config: ClassifierConfig,
): Labels {
  const warnings: string[] = [];
  let label: LabelName;
  let choice: string;
  if (config.label === 'auto' || config.label === 'revenue') {
    const y = revenueLabels(features, config);
    const shortfall = revenueShortfall(y, config);
    const usable = config.label === 'auto' ? shortfall === null : !y.every((v) => v === null);
    if (usable) {
      const n = y.filter((v) => v !== null).length;
      const linked = features.filter((f) => f.has_product).length;
      const withWins =
        config.revenueWithoutWins === 'unlabelled' ? ' and revenue won in the window' : '';
      choice = `label revenue (${config.label === 'auto' ? 'auto: CRM data present' : 'configured'}): trained on the ${n} of ${linked} product accounts with a CRM link and opportunity data${withWins}; the others are scored by the model without a label`;
      return {
        label: 'revenue',
        description: labelDescription('revenue', config),
        y,
        warnings,
        choice,
      };
    }
    label = 'composite';
    choice = `label composite: ${config.label === 'auto' ? 'auto' : 'revenue was configured but'} ${shortfall ?? 'the revenue label cannot be built'}`;
    if (config.label === 'revenue') warnings.push(`${choice}: the composite label is used`);
  } else {
    label = config.label;
    choice = `label ${label} (configured)`;
  }
  const column = LABEL_COLUMNS[label as keyof typeof LABEL_COLUMNS];
  const byId = new Map(scores.map((s) => [String(s.account_id), s]));
  const y = features.map((f) => (f.has_product ? flag(byId.get(f.account_id)?.[column]) : null));
  warnings.push(`label ${label}: ${COMPOSITE_LABEL_WARNING}`);
  return { label, description: labelDescription(label, config), y, warnings, choice };
}
