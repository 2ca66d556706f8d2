import { describe, expect, it } from 'vitest';
import { highRiskTraits } from '../../../shared/insights/highRiskTraits.ts';
import { account } from './fixtures.ts';

describe('Function: highRiskTraits', () => {
  it('compares medians of high-risk accounts with all scored accounts', () => {
    // Prepare: high-risk = health 30, 40. days_since_last_activity: HR [20, 30] -> 25 (n 2);
    // all [20, 30, 5, NULL] -> median of 5, 20, 30 = 20 (n 3); relative (25 - 20) / 20 = 0.25.
    // total_contacts: HR [4, 6] -> 5; all [4, 6, 12, 20] -> 9; relative (5 - 9) / 9 = -0.4444.
    // The unscored account (health NULL) is left out of "all".
    const rows = [
      account({
        account_id: 'a',
        crm_health_score: 30,
        days_since_last_activity: 20,
        total_contacts: 4,
      }),
      account({
        account_id: 'b',
        crm_health_score: 40,
        days_since_last_activity: 30,
        total_contacts: 6,
      }),
      account({
        account_id: 'c',
        crm_health_score: 70,
        days_since_last_activity: 5,
        total_contacts: 12,
      }),
      account({
        account_id: 'd',
        crm_health_score: 90,
        days_since_last_activity: null,
        total_contacts: 20,
      }),
      account({
        account_id: 'e',
        crm_health_score: null,
        days_since_last_activity: 999,
        total_contacts: 999,
      }),
    ];
    // Act
    const traits = highRiskTraits(rows);
    // Assess
    expect(traits).toHaveLength(9);
    expect(traits.find((t) => t.feature === 'days_since_last_activity')).toEqual({
      feature: 'days_since_last_activity',
      median_high_risk: 25,
      median_all: 20,
      relative_difference: 0.25,
      n_high_risk: 2,
      n_all: 3,
    });
    const contacts = traits.find((t) => t.feature === 'total_contacts');
    expect(contacts?.median_high_risk).toBe(5);
    expect(contacts?.median_all).toBe(9);
    expect(contacts?.relative_difference).toBeCloseTo(-0.4444, 4);
  });

  it('gives a NULL relative difference when the median of all is 0 or no value exists', () => {
    // Prepare: pipeline 0 everywhere; annual_revenue NULL everywhere
    const rows = [
      account({ account_id: 'a', crm_health_score: 30, current_pipeline_amount: 0 }),
      account({ account_id: 'b', crm_health_score: 70, current_pipeline_amount: 0 }),
    ];
    // Act
    const traits = highRiskTraits(rows);
    // Assess
    const pipeline = traits.find((t) => t.feature === 'current_pipeline_amount');
    const revenue = traits.find((t) => t.feature === 'annual_revenue');
    expect(pipeline).toMatchObject({ median_all: 0, relative_difference: null, n_all: 2 });
    expect(revenue).toMatchObject({
      median_high_risk: null,
      median_all: null,
      relative_difference: null,
      n_all: 0,
    });
  });
});
