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
  /**
   * What the health did not see, `;`-separated (empty when none): a field name (`annual_revenue`) is a value empty
   * for this account and scored 0; a table name (`salesforce/contact`) is a table that was not exported, whose term
   * was left out with the other weights renormalised.
   */
  missing_inputs: string | null;
}

/** The Salesforce tables a CRM health term reads besides `salesforce/account`, as named in `missing_inputs`. */
export const CRM_TERM_TABLES = {
  activity: ['salesforce/task', 'salesforce/event'],
  contact: ['salesforce/contact'],
  business: ['salesforce/opportunity'],
} as const;

/** True when a `missing_inputs` entry names an absent table (`source/table`), not an empty field. */
export function isAbsentTable(entry: string): boolean {
  return entry.includes('/');
}

/** The band of a health score under the configured cut-offs. */
export function healthBand(score: number, config: CvsConfig): HealthBand {
  const { highBand, riskBelow } = config.crmHealth;
  return score >= highBand ? 'High' : score >= riskBelow ? 'Medium' : 'Low';
}

const UNSCORED: CrmHealthScore = {
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

/**
 * Seed 004 CRM health, 0-100: activity 40% (0.5 x min-max of activities_30d + 0.5 x inverted min-max of
 * days_since_last_activity), contact quality 30% (contacts_with_email / total_contacts clipped to [0, 1]), business
 * value 20% (mean of min-max annual_revenue and total_won_amount), scale 10% (0.6 x segment map + 0.4 x min-max
 * employees). Min-max runs over the accounts scored in this run (those with a CRM row). High-risk = health below 50.
 *
 * Absent table versus no rows: the feature SQL sets a CRM count to NULL only when its table was not exported, and to
 * 0 when the table is there but the account has no rows. A term whose table is absent is left empty (NULL) and the
 * other terms' weights are scaled up to the full weight (renormalised), named in `missing_inputs`; when the terms
 * left carry less than `crmHealth.minWeightPresent` of the weight, the health is left empty. A renormalised health has
 * no band and no high-risk flag (NULL): the cut-offs are calibrated on all four terms. No activity on or before
 * the as-of (days_since_last_activity NULL while activities_30d is known) is a true worst recency, scored 0. An
 * account-level field left empty in a present table (annual_revenue, number_of_employees) scores 0 and is named.
 */
export function crmHealth(rows: readonly AccountFeatures[], config: CvsConfig): CrmHealthScore[] {
  const { weights, segmentScale, minWeightPresent } = config.crmHealth;
  const crm = rows.map((r) => r.has_crm);
  const col = (c: keyof AccountFeatures) =>
    minMax(rows.map((r, i) => (crm[i] ? (r[c] as number | null) : null)));
  const act30 = col('total_activities_30d');
  const daysSince = col('days_since_last_activity');
  const revenue = col('annual_revenue');
  const won = col('total_won_amount');
  const employees = col('number_of_employees');
  const totalWeight = weights.activity + weights.contact + weights.business + weights.scale;
  return rows.map((r, i) => {
    if (!crm[i]) return { ...UNSCORED };
    const missing: string[] = [];
    const field = (v: number | null, name: string): number => {
      if (v === null) {
        missing.push(name);
        return 0;
      }
      return v;
    };
    let activity: number | null = null;
    if (r.total_activities_30d === null) missing.push(...CRM_TERM_TABLES.activity);
    else {
      const recency = daysSince[i] === null ? 0 : 1 - daysSince[i]!;
      activity = 100 * (0.5 * (act30[i] ?? 0) + 0.5 * recency);
    }
    let ratio: number | null = null;
    let contact: number | null = null;
    if (r.total_contacts === null || r.contacts_with_email === null) {
      missing.push(...CRM_TERM_TABLES.contact);
    } else {
      if (r.total_contacts > 0)
        ratio = Math.min(1, Math.max(0, r.contacts_with_email / r.total_contacts));
      contact = 100 * (ratio ?? 0);
    }
    const revenuePart = field(revenue[i], 'annual_revenue');
    let business: number;
    if (r.total_won_amount === null) {
      missing.push(...CRM_TERM_TABLES.business);
      business = 100 * revenuePart;
    } else business = 100 * (0.5 * revenuePart + 0.5 * (won[i] ?? 0));
    const segment = r.account_size_segment ?? 'Unknown';
    if (segment === 'Unknown') missing.push('account_size_segment');
    const scale =
      100 * (0.6 * segmentScale[segment] + 0.4 * field(employees[i], 'number_of_employees'));
    const terms: [number | null, number][] = [
      [activity, weights.activity],
      [contact, weights.contact],
      [business, weights.business],
      [scale, weights.scale],
    ];
    const present = terms.filter((t): t is [number, number] => t[0] !== null);
    const weight = present.reduce((s, [, w]) => s + w, 0);
    const enough = weight > 0 && weight >= minWeightPresent * totalWeight - 1e-12;
    const raw = (present.reduce((s, [v, w]) => s + v * w, 0) * totalWeight) / weight;
    // Rounded to 12 decimals so floating-point noise (35 / 0.7 = 49.99999999999999) cannot cross a band edge.
    const health = enough ? Math.min(100, Math.max(0, Math.round(raw * 1e12) / 1e12)) : null;
    // The band cut-offs (50 / 80) are calibrated on all four terms: a renormalised score ranks accounts within the
    // run but is not banded, so a missing table never decides that an account is high-risk.
    const banded = health !== null && !missing.some(isAbsentTable);
    return {
      crm_activity_score: activity,
      crm_contact_score: contact,
      crm_business_score: business,
      crm_scale_score: scale,
      crm_health_score: health,
      crm_health_band: banded ? healthBand(health, config) : null,
      high_risk: banded ? health < config.crmHealth.riskBelow : null,
      contact_ratio: ratio,
      missing_inputs: [...new Set(missing)].join(';'),
    };
  });
}
