import { describe, expect, it } from 'vitest';
import { CRM_NUMERIC_FEATURES, PRODUCT_FEATURES } from '../../../shared/features/columns.ts';
import { toAccountFeatures } from '../../../shared/features/readFeatures.ts';

/** A feature-SQL row with every numeric column NULL, as the query returns it for an account without data. */
const nullRow = () =>
  Object.fromEntries([...PRODUCT_FEATURES, ...CRM_NUMERIC_FEATURES].map((c) => [c, null]));

describe('Function: toAccountFeatures', () => {
  it('keeps numbers, keeps NULL as null (never 0) and reads ids and flags as the feature SQL returns them', () => {
    // Prepare: one product account with CRM, one Salesforce-only account with every number NULL
    const full = {
      ...nullRow(),
      account_id: 1001,
      salesforce_account_id: '001A',
      account_name: 'Acme',
      industry: 'Retail',
      account_size_segment: 'Large',
      first_event_on: '2024-01-05',
      last_event_on: '2024-10-30',
      has_crm: true,
      has_product: true,
      sum_minutes: 120.5,
      won_amount_window: 5000,
    };
    const empty = { ...nullRow(), account_id: 'sf-only', has_crm: true, has_product: false };

    // Act
    const [a, b] = toAccountFeatures([full, empty]);

    // Assess
    expect(a.account_id).toBe('1001');
    expect(a.sum_minutes).toBe(120.5);
    expect(a.won_amount_window).toBe(5000);
    expect(a.account_size_segment).toBe('Large');
    expect([a.has_crm, a.has_product]).toEqual([true, true]);
    expect(b.has_product).toBe(false);
    expect(b.account_name).toBeNull();
    expect(b.won_amount_window).toBeNull();
    for (const c of [...PRODUCT_FEATURES, ...CRM_NUMERIC_FEATURES]) expect(b[c]).toBeNull();
  });

  it('names the column and the CSV row (header = row 1) of a value that is not a number', () => {
    // Act & Assess: the second data row is CSV row 3
    expect(() =>
      toAccountFeatures([
        { ...nullRow(), account_id: 'a', sum_minutes: 1 },
        { ...nullRow(), account_id: 'b', sum_minutes: 'n/a' },
      ]),
    ).toThrow("account features: column sum_minutes, row 3: expected a number, got 'n/a'");
  });
});
