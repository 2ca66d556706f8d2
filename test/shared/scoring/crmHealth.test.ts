import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { crmHealth } from '../../../shared/scoring/crmHealth.ts';
import { account } from '../../helpers/accounts.ts';

const config = parseConfig({});

describe('Function: crmHealth', () => {
  it('scores two accounts exactly as seed 004 when worked by hand', () => {
    // Prepare: with two rows every min-max input is 0 or 1
    const a = account({
      account_id: 'A',
      has_crm: true,
      total_activities_30d: 10,
      days_since_last_activity: 5,
      total_contacts: 20,
      contacts_with_email: 15,
      annual_revenue: 1_000_000,
      total_won_amount: 500_000,
      number_of_employees: 200,
      account_size_segment: 'Mid-Market',
    });
    const b = account({
      account_id: 'B',
      has_crm: true,
      total_activities_30d: 2,
      days_since_last_activity: 45,
      total_contacts: 10,
      contacts_with_email: 10,
      annual_revenue: 3_000_000,
      total_won_amount: 0,
      number_of_employees: 6000,
      account_size_segment: 'Enterprise',
    });
    // Act
    const [ha, hb] = crmHealth([a, b], config);
    // Assess: A = 0.4x100 + 0.3x75 + 0.2x50 + 0.1x(100x(0.6x0.5 + 0.4x0)) = 40 + 22.5 + 10 + 3 = 75.5
    expect(ha.crm_activity_score).toBeCloseTo(100, 10);
    expect(ha.crm_contact_score).toBeCloseTo(75, 10);
    expect(ha.crm_business_score).toBeCloseTo(50, 10);
    expect(ha.crm_scale_score).toBeCloseTo(30, 10);
    expect(ha.crm_health_score).toBeCloseTo(75.5, 10);
    expect(ha.crm_health_band).toBe('Medium');
    // B = 0.4x0 + 0.3x100 + 0.2x50 + 0.1x100 = 50: on the band edge, Medium, not high-risk
    expect(hb.crm_health_score).toBeCloseTo(50, 10);
    expect(hb.crm_health_band).toBe('Medium');
    expect(hb.high_risk).toBe(false);
    expect(ha.missing_inputs).toBe('');
  });

  it('scores a NULL input 0 and lists it in missing_inputs', () => {
    // Prepare: C lacks days_since_last_activity and annual_revenue
    const rows = [
      account({
        account_id: 'C',
        has_crm: true,
        total_activities_30d: 4,
        total_contacts: 0,
        contacts_with_email: 0,
        total_won_amount: 100,
        number_of_employees: 50,
        account_size_segment: 'Small Business',
      }),
      account({
        account_id: 'D',
        has_crm: true,
        total_activities_30d: 0,
        days_since_last_activity: 3,
        total_contacts: 4,
        contacts_with_email: 2,
        annual_revenue: 10,
        total_won_amount: 0,
        number_of_employees: 150,
        account_size_segment: 'Mid-Market',
      }),
    ];
    // Act
    const [c, d] = crmHealth(rows, config);
    // Assess: C activity = 100 x (0.5 x 1 + 0) = 50; contact 0 (no contacts); business 100 x (0 + 0.5 x 1) = 50;
    // scale = 100 x (0.6 x 0.25 + 0.4 x 0) = 15 -> 0.4x50 + 0 + 0.2x50 + 0.1x15 = 31.5, high-risk
    expect(c.crm_health_score).toBeCloseTo(31.5, 10);
    expect(c.high_risk).toBe(true);
    expect(c.crm_health_band).toBe('Low');
    expect(c.missing_inputs).toBe('days_since_last_activity;annual_revenue');
    expect(c.contact_ratio).toBeNull();
    // D: activity 100 x (0 + 0.5 x 1) = 50 (only row with days -> min-max 0 -> inverted 1); contact 50;
    // business 100 x (0.5 x 0 + 0.5 x 0) = 0; scale 100 x (0.6 x 0.5 + 0.4 x 1) = 70 -> 20 + 15 + 0 + 7 = 42
    expect(d.crm_health_score).toBeCloseTo(42, 10);
    expect(d.contact_ratio).toBeCloseTo(0.5, 12);
  });

  it('leaves accounts without a CRM row unscored', () => {
    const [s] = crmHealth([account({ account_id: 'P', has_product: true })], config);
    expect(s.crm_health_score).toBeNull();
    expect(s.high_risk).toBeNull();
  });
});
