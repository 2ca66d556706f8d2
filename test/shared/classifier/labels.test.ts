import { describe, expect, it } from 'vitest';
import { buildLabels } from '../../../shared/classifier/labels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { account } from '../../helpers/accounts.ts';

describe('Function: buildLabels', () => {
  it('reads the composite label from high_value_index and leaves accounts without product data out', () => {
    // Prepare
    const features = [
      account({ account_id: 'a', has_product: true }),
      account({ account_id: 'b', has_product: true }),
      account({ account_id: 'c', has_product: false, has_crm: true }),
    ];
    const scores = [
      { account_id: 'b', high_value_index: false },
      { account_id: 'a', high_value_index: true },
      { account_id: 'c', high_value_index: null },
    ];
    // Act
    const got = buildLabels(features, scores, classifierOf({}));
    // Assess
    expect(got.label).toBe('composite');
    expect(got.y).toEqual([1, 0, null]);
    expect(got.warnings.join(' ')).toContain('optimistic');
  });

  it('reads the seed 001 and 002 top-20% flags for the quintile and weighted labels', () => {
    // Prepare
    const features = [account({ account_id: 'a', has_product: true })];
    const scores = [{ account_id: 'a', high_value_quintile: true, high_value_weighted: false }];
    // Act
    const q = buildLabels(features, scores, classifierOf({ classifier: { label: 'quintile' } }));
    const w = buildLabels(features, scores, classifierOf({ classifier: { label: 'weighted' } }));
    // Assess
    expect(q.y).toEqual([1]);
    expect(w.y).toEqual([0]);
  });

  it('flags the top quarter of won amounts among CRM accounts, never a zero amount', () => {
    // Prepare: 8 CRM accounts, round(8 x 0.25) = 2 flagged; only one has a won amount > 0 besides zeros
    const won = [0, 500, 0, 0, 0, 0, 0, 0];
    const features = won.map((w, i) =>
      account({ account_id: `a${i}`, has_product: true, has_crm: true, total_won_amount: w }),
    );
    features.push(account({ account_id: 'nocrm', has_product: true, has_crm: false }));
    // Act
    const got = buildLabels(features, [], classifierOf({ classifier: { label: 'revenue' } }));
    // Assess
    expect(got.label).toBe('revenue');
    expect(got.y).toEqual([0, 1, 0, 0, 0, 0, 0, 0, null]);
    expect(got.warnings).toEqual([]);
  });

  it('falls back to the composite label, with a warning, when no account has CRM data', () => {
    // Prepare
    const features = [account({ account_id: 'a', has_product: true })];
    // Act
    const got = buildLabels(
      features,
      [{ account_id: 'a', high_value_index: true }],
      classifierOf({ classifier: { label: 'revenue' } }),
    );
    // Assess
    expect(got.label).toBe('composite');
    expect(got.y).toEqual([1]);
    expect(got.warnings[0]).toContain('no account has both product and CRM data');
  });
});
