import { createRng } from '../../../shared/models/rng.ts';

/** Synthetic account table: rows, top-25% labels and the feature names. */
export interface SyntheticAccounts {
  X: Float64Array[];
  y: Uint8Array;
  featureNames: string[];
}

/**
 * Generates n synthetic accounts × 25 features (heavy-tailed usage, NPS 0-10 with ~20% missing, recency days,
 * ratios, noise) and labels the top 25% of a noisy latent value as 1. Same seed, same table.
 */
export function syntheticAccounts(n: number, seed = 1): SyntheticAccounts {
  const rng = createRng(seed);
  const names = [
    'sum_minutes',
    'sum_events',
    'count_active_days',
    'count_associated_visitors',
    'count_features_used',
    'avg_nps_rating',
    'days_since_last_visit',
    'account_age_days',
    'minutes_per_visitor',
    'events_per_day',
    'share_power_users',
    'contacts',
    'contacts_with_email',
    'activities_30d',
    'open_pipeline',
    'arr',
    'employees',
    'support_tickets',
  ];
  for (let k = names.length; k < 25; k++) names.push(`noise_${k - names.length + 1}`);
  const X: Float64Array[] = [];
  const latent = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const size = rng.nextNormal();
    const engage = 0.6 * size + 0.8 * rng.nextNormal();
    const r = new Float64Array(25);
    r[0] = Math.exp(5 + engage + 0.5 * rng.nextNormal());
    r[1] = Math.exp(6 + engage + 0.6 * rng.nextNormal());
    r[2] = Math.min(90, Math.round(Math.exp(2.5 + 0.5 * engage + 0.4 * rng.nextNormal())));
    r[3] = Math.round(Math.exp(1.5 + size + 0.4 * rng.nextNormal()));
    r[4] = Math.max(0, Math.round(20 + 8 * engage + 4 * rng.nextNormal()));
    r[5] =
      rng.next() < 0.2
        ? Number.NaN
        : Math.max(0, Math.min(10, Math.round(7 + engage + 1.5 * rng.nextNormal())));
    r[6] = Math.round(-Math.log(1 - rng.next()) * 30 * Math.exp(-0.7 * engage));
    r[7] = Math.round(100 + rng.next() * 2000);
    r[8] = r[0] / Math.max(1, r[3]);
    r[9] = r[1] / Math.max(1, r[2]);
    r[10] = 1 / (1 + Math.exp(-(engage + rng.nextNormal())));
    r[11] = Math.round(Math.exp(2 + 0.8 * size + 0.3 * rng.nextNormal()));
    r[12] = Math.round(r[11] * (0.5 + 0.4 * rng.next()));
    r[13] = Math.max(0, Math.round(5 + 3 * engage + 2 * rng.nextNormal()));
    r[14] = rng.next() < 0.4 ? 0 : Math.exp(9 + size + rng.nextNormal());
    r[15] = Math.exp(10 + 1.2 * size + 0.5 * rng.nextNormal());
    r[16] = Math.round(Math.exp(4 + 1.5 * size + 0.5 * rng.nextNormal()));
    r[17] = Math.max(0, Math.round(3 + size - engage + 2 * rng.nextNormal()));
    for (let f = 18; f < 25; f++) r[f] = rng.nextNormal();
    X.push(r);
    latent[i] = engage + 0.7 * size + 0.5 * rng.nextNormal();
  }
  const sorted = Float64Array.from(latent).sort();
  const cut = sorted[Math.floor(0.75 * n)];
  const y = Uint8Array.from(latent, (v) => (v >= cut ? 1 : 0));
  return { X, y, featureNames: names };
}
