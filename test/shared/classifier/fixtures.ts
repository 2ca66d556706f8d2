import type { AccountFeatures } from '../../../shared/features/columns.ts';
import { createRng } from '../../../shared/models/index.ts';
import type { Row } from '../../../shared/ports/index.ts';
import { account } from '../../helpers/accounts.ts';

/**
 * n synthetic product accounts driven by one latent value per account (seeded), and their score rows: the top
 * quarter by latent value is flagged high_value_index, value_index is the latent value's rank share (0-1].
 */
export function syntheticRun(n: number, seed = 1): { features: AccountFeatures[]; scores: Row[] } {
  const rng = createRng(seed);
  const latent = Array.from({ length: n }, () => rng.next());
  const features = latent.map((v, i) => {
    const noise = () => 0.8 + 0.4 * rng.next();
    const days = Math.round(5 + 200 * v * noise());
    return account({
      account_id: `acct-${String(i).padStart(5, '0')}`,
      has_product: true,
      sum_minutes: Math.round(10 + 5000 * v * v * noise()),
      sum_events: Math.round(50 + 20000 * v * v * noise()),
      count_active_days: days,
      count_active_months: Math.min(10, Math.ceil(days / 30)),
      average_daily_minutes: 10 + 20 * v * noise(),
      average_daily_events: 20 + 80 * v * noise(),
      count_associated_visitors: Math.round(1 + 40 * v * noise()),
      count_active_visitors: Math.round(1 + 400 * v * noise()),
      avg_nps_rating: i % 7 === 0 ? null : Math.min(10, 3 + 6 * v * noise()),
      days_since_last_event: Math.round(60 * (1 - v) * noise()),
      n_features_used: Math.round(2 + 30 * v * noise()),
      total_feature_clicks: Math.round(10 + 900 * v * noise()),
    });
  });
  const order = latent.map((_, i) => i).sort((a, b) => latent[b] - latent[a]);
  const top = new Set(order.slice(0, Math.round(n / 4)));
  const rank = new Map(order.map((i, r) => [i, (n - r) / n]));
  const scores = features.map((f, i) => ({
    account_id: f.account_id,
    value_index: rank.get(i) as number,
    high_value_index: top.has(i),
    high_value_quintile: false,
    high_value_weighted: false,
  }));
  return { features, scores };
}
