import { insightsConfig } from '../../../shared/config/insights.ts';
import { CRM_NUMERIC_FEATURES, PRODUCT_FEATURES } from '../../../shared/features/columns.ts';
import type { ScoredAccount } from '../../../shared/insights/types.ts';

/** The insights config with every default (the seeds' values). */
export const defaults = () => insightsConfig.parse({});

/** A scored account with every feature NULL except the given overrides; health sets band and high_risk. */
export function account(overrides: Partial<ScoredAccount> & { account_id: string }): ScoredAccount {
  const nulls = Object.fromEntries(
    [...PRODUCT_FEATURES, ...CRM_NUMERIC_FEATURES].map((c) => [c, null]),
  );
  const health = overrides.crm_health_score ?? null;
  return {
    ...(nulls as Record<
      (typeof PRODUCT_FEATURES)[number] | (typeof CRM_NUMERIC_FEATURES)[number],
      null
    >),
    salesforce_account_id: null,
    account_name: null,
    industry: null,
    account_size_segment: null,
    first_event_on: null,
    last_event_on: null,
    has_crm: health !== null,
    has_product: true,
    crm_health_score: health,
    crm_health_band:
      health === null ? null : health >= 80 ? 'High' : health >= 50 ? 'Medium' : 'Low',
    high_risk: health === null ? null : health < 50,
    contact_ratio: null,
    ...overrides,
  };
}
