import type { PitFeatures } from '../../../shared/trends/types.ts';

/** Point-in-time features of an account with the given tenure (days) and 90-day minutes, the rest fixed. */
export const features = (tenure: number, minutes: number): PitFeatures => ({
  minutes_short: minutes / 3,
  events_short: minutes,
  active_days_short: 10,
  minutes_long: minutes,
  events_long: 3 * minutes,
  active_days_long: 30,
  visitor_days_long: 30,
  features_long: 5,
  minutes_m2: minutes / 3,
  minutes_m3: minutes / 3,
  days_since_last_active: 1,
  tenure_days: tenure,
});
