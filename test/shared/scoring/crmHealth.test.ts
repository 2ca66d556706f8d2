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
    // Prepare: C lacks days_since_last_activity (no activity, tables present) and annual_revenue
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
    // no activity on or before the as-of is a true worst recency (0), not a missing input
    expect(c.missing_inputs).toBe('annual_revenue');
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

  describe('when an input table is absent', () => {
    // X, Y, Z: min-max puts Z at 0.5 on every input, so each of Z's terms is 50 (worked by hand below).
    const three = (contacts: {
      total_contacts: number | null;
      contacts_with_email: number | null;
    }) => [
      account({
        account_id: 'X',
        has_crm: true,
        total_activities_30d: 10,
        days_since_last_activity: 0,
        annual_revenue: 100,
        total_won_amount: 100,
        number_of_employees: 100,
        account_size_segment: 'Mid-Market',
        ...contacts,
      }),
      account({
        account_id: 'Y',
        has_crm: true,
        total_activities_30d: 0,
        days_since_last_activity: 20,
        annual_revenue: 0,
        total_won_amount: 0,
        number_of_employees: 0,
        account_size_segment: 'Small Business',
        ...contacts,
      }),
      account({
        account_id: 'Z',
        has_crm: true,
        total_activities_30d: 5,
        days_since_last_activity: 10,
        annual_revenue: 50,
        total_won_amount: 50,
        number_of_employees: 50,
        account_size_segment: 'Mid-Market',
        ...contacts,
      }),
    ];

    it('renormalises the other weights when salesforce/contact was not exported, and calls no one high-risk', () => {
      // Prepare: contact counts NULL = the contact table is absent (the feature SQL gives 0 when it is present)
      const rows = three({ total_contacts: null, contacts_with_email: null });
      // Act
      const z = crmHealth(rows, config)[2];
      // Assess: activity 100 x (0.5 x 0.5 + 0.5 x (1 - 0.5)) = 50; business 100 x (0.5 x 0.5 + 0.5 x 0.5) = 50;
      // scale 100 x (0.6 x 0.5 + 0.4 x 0.5) = 50. Health = (0.4 x 50 + 0.2 x 50 + 0.1 x 50) / 0.7 = 35 / 0.7 = 50.
      // Scoring the contact term 0 instead would give 35: high-risk.
      expect(z.crm_contact_score).toBeNull();
      expect(z.crm_activity_score).toBeCloseTo(50, 10);
      expect(z.crm_business_score).toBeCloseTo(50, 10);
      expect(z.crm_scale_score).toBeCloseTo(50, 10);
      expect(z.crm_health_score).toBeCloseTo(50, 10);
      // renormalised: ranked, but not banded, so the absent table never makes an account high-risk
      expect(z.high_risk).toBeNull();
      expect(z.crm_health_band).toBeNull();
      expect(crmHealth(rows, config).every((h) => h.high_risk === null)).toBe(true);
      expect(z.missing_inputs).toBe('salesforce/contact');
    });

    it('scores a true 0 when the contact table is there but the account has no contact', () => {
      // Prepare: contact table present, no contacts for anyone -> ratio undefined -> contact 0
      const rows = three({ total_contacts: 0, contacts_with_email: 0 });
      // Act
      const z = crmHealth(rows, config)[2];
      // Assess: 0.4 x 50 + 0.3 x 0 + 0.2 x 50 + 0.1 x 50 = 35, high-risk, nothing missing
      expect(z.crm_contact_score).toBe(0);
      expect(z.crm_health_score).toBeCloseTo(35, 10);
      expect(z.high_risk).toBe(true);
      expect(z.missing_inputs).toBe('');
    });

    it('scores business from annual revenue alone when salesforce/opportunity was not exported', () => {
      // Prepare
      const rows = three({ total_contacts: 10, contacts_with_email: 10 }).map((r) => ({
        ...r,
        total_won_amount: null,
      }));
      // Act
      const [x, , z] = crmHealth(rows, config);
      // Assess: X business = 100 x minmax(revenue) = 100; Z = 50; the term keeps its 20% weight:
      // Z = 0.4 x 50 + 0.3 x 100 + 0.2 x 50 + 0.1 x 50 = 65
      expect(x.crm_business_score).toBeCloseTo(100, 10);
      expect(z.crm_business_score).toBeCloseTo(50, 10);
      expect(z.crm_health_score).toBeCloseTo(65, 10);
      expect(z.crm_health_band).toBeNull();
      expect(z.missing_inputs).toBe('salesforce/opportunity');
    });

    it('leaves the health empty when the terms left carry under half of the weight', () => {
      // Prepare: no contact, task or event table -> only business (0.2) and scale (0.1) are left: 0.3 < 0.5
      const rows = three({ total_contacts: null, contacts_with_email: null }).map((r) => ({
        ...r,
        total_activities_30d: null,
        days_since_last_activity: null,
      }));
      // Act
      const z = crmHealth(rows, config)[2];
      // Assess
      expect(z.crm_health_score).toBeNull();
      expect(z.high_risk).toBeNull();
      expect(z.crm_health_band).toBeNull();
      expect(z.missing_inputs).toBe('salesforce/task;salesforce/event;salesforce/contact');
    });
  });
});
