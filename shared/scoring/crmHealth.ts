import type { CvsConfig } from '../config/schema.ts';
import type { AccountFeatures } from '../features/columns.ts';
import { minMax } from './percentile.ts';

/** Health band of seed 004: High 80+, Medium 50-79, Low < 50. */
export type HealthBand = 'High' | 'Medium' | 'Low';

/** One account's CRM health (seed 004) with its four sub-scores (each 0-100). */
export interface CrmHealthScore {
  crm_activity_score: number | null;
  crm_contact_score: number | null;
  crm_business_score: number | null;
  crm_scale_score: number | null;
  crm_health_score: number | null;
  crm_health_band: HealthBand | null;
  high_risk: boolean | null;
  contact_ratio: number | null;
  /** CRM inputs that were NULL and scored 0, `;`-separated (empty when none). */
  missing_inputs: string | null;
}

/** The band of a health score under the configured cut-offs. */
export function healthBand(score: number, config: CvsConfig): HealthBand {
  const { highBand, riskBelow } = config.crmHealth;
  return score >= highBand ? 'High' : score >= riskBelow ? 'Medium' : 'Low';
}

/**
 * Seed 004 CRM health, 0-100: activity 40% (0.5 x min-max of activities_30d + 0.5 x inverted min-max of
 * days_since_last_activity), contact quality 30% (contacts_with_email / total_contacts clipped to [0, 1]), business
 * value 20% (mean of min-max annual_revenue and total_won_amount), scale 10% (0.6 x segment map + 0.4 x min-max
 * employees). Min-max runs over the accounts scored in this run (those with a CRM row); a NULL input scores its term
 * 0 and is listed in `missing_inputs`. High-risk = health below 50.
 */
export function crmHealth(rows: readonly AccountFeatures[], config: CvsConfig): CrmHealthScore[] {
  const { weights, segmentScale } = config.crmHealth;
  const crm = rows.map((r) => r.has_crm);
  const col = (c: keyof AccountFeatures) =>
    minMax(rows.map((r, i) => (crm[i] ? (r[c] as number | null) : null)));
  const act30 = col('total_activities_30d');
  const daysSince = col('days_since_last_activity');
  const revenue = col('annual_revenue');
  const won = col('total_won_amount');
  const employees = col('number_of_employees');
  return rows.map((r, i) => {
    if (!crm[i]) {
      return {
        crm_activity_score: null,
        crm_contact_score: null,
        crm_business_score: null,
        crm_scale_score: null,
        crm_health_score: null,
        crm_health_band: null,
        high_risk: null,
        contact_ratio: null,
        missing_inputs: null,
      };
    }
    const missing: string[] = [];
    const term = (v: number | null, name: string): number => {
      if (v === null) {
        missing.push(name);
        return 0;
      }
      return v;
    };
    const activity =
      100 *
      (0.5 * term(act30[i], 'total_activities_30d') +
        0.5 * (daysSince[i] === null ? term(null, 'days_since_last_activity') : 1 - daysSince[i]!));
    let ratio: number | null = null;
    if (r.total_contacts === null || r.contacts_with_email === null) {
      if (r.total_contacts === null) missing.push('total_contacts');
      if (r.contacts_with_email === null) missing.push('contacts_with_email');
    } else if (r.total_contacts > 0) {
      ratio = Math.min(1, Math.max(0, r.contacts_with_email / r.total_contacts));
    }
    const contact = 100 * (ratio ?? 0);
    const business =
      100 * (0.5 * term(revenue[i], 'annual_revenue') + 0.5 * term(won[i], 'total_won_amount'));
    const segment = r.account_size_segment ?? 'Unknown';
    if (segment === 'Unknown') missing.push('account_size_segment');
    const scale =
      100 * (0.6 * segmentScale[segment] + 0.4 * term(employees[i], 'number_of_employees'));
    const raw =
      weights.activity * activity +
      weights.contact * contact +
      weights.business * business +
      weights.scale * scale;
    const health = Math.min(100, Math.max(0, raw));
    return {
      crm_activity_score: activity,
      crm_contact_score: contact,
      crm_business_score: business,
      crm_scale_score: scale,
      crm_health_score: health,
      crm_health_band: healthBand(health, config),
      high_risk: health < config.crmHealth.riskBelow,
      contact_ratio: ratio,
      missing_inputs: [...new Set(missing)].join(';'),
    };
  });
}
