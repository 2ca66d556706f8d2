import { describe, expect, it } from 'vitest';
import { buildLabels } from '../../../shared/classifier/labels.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { account } from '../../helpers/accounts.ts';

/** Accounts a0, a1, ... with product and CRM data, revenue won in the window `won[i]` and all-time `total(won[i], i)`. */
function crmAccounts(won: readonly number[], total: (w: number, i: number) => number) {
  return won.map((w, i) =>
    account({
      account_id: `a${i}`,
      has_product: true,
      has_crm: true,
      won_amount_window: w,
      total_won_amount: total(w, i),
    }),
  );
}

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

  it('flags the top quarter of revenue won in the window among CRM accounts, never a zero amount', () => {
    // Prepare: 8 CRM accounts, round(8 x 0.25) = 2 flagged; only one has a won amount > 0 in the window. a0 has
    // the largest all-time total but nothing won in the window, so it is not flagged.
    const features = crmAccounts([0, 500, 0, 0, 0, 0, 0, 0], (w, i) => (i === 0 ? 9000 : w));
    features.push(account({ account_id: 'nocrm', has_product: true, has_crm: false }));
    // Act
    const got = buildLabels(features, [], classifierOf({ classifier: { label: 'revenue' } }));
    // Assess
    expect(got.label).toBe('revenue');
    expect(got.y).toEqual([0, 1, 0, 0, 0, 0, 0, 0, null]);
    expect(got.warnings).toEqual([]);
    expect(got.description).toContain('in the 365 days up to the run date');
  });

  it('leaves accounts without a win in the window unlabelled with revenueWithoutWins unlabelled (0 by default)', () => {
    // Prepare: 8 CRM accounts, 4 with nothing won in the window. negative (the default): round(8 x 0.25) = 2 flagged
    // (400, 300), the 4 zeros labelled 0; unlabelled: round(4 x 0.25) = 1 flagged (400), the 4 zeros null
    const features = crmAccounts([0, 0, 0, 0, 100, 200, 300, 400], (w) => w + 1000);
    // Act
    const unlabelled = buildLabels(
      features,
      [],
      classifierOf({ classifier: { label: 'revenue', revenueWithoutWins: 'unlabelled' } }),
    );
    const byDefault = buildLabels(features, [], classifierOf({ classifier: { label: 'revenue' } }));
    // Assess
    expect(unlabelled.y).toEqual([null, null, null, null, 0, 0, 0, 1]);
    expect(byDefault.y).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(unlabelled.description).toContain(
      'revenue won in that window (the others are not labelled)',
    );
    expect(unlabelled.choice).toContain('trained on the 4 of 8 product accounts');
    expect(byDefault.description).not.toContain('not labelled');
  });

  it('reads the all-time total_won_amount when the window is 0', () => {
    // Prepare: a0's all-time total is the largest of 4 -> round(4 x 0.25) = 1 flagged
    const features = [9000, 500, 100, 0].map((t, i) =>
      account({
        account_id: `a${i}`,
        has_product: true,
        has_crm: true,
        total_won_amount: t,
        won_amount_window: 0,
      }),
    );
    // Act
    const got = buildLabels(
      features,
      [],
      classifierOf({ classifier: { label: 'revenue', revenueWindowDays: 0 } }),
    );
    // Assess
    expect(got.y).toEqual([1, 0, 0, 0]);
    expect(got.description).toContain('over all time');
  });

  it('auto uses the revenue label when enough CRM accounts pass the minimum-data bars, else composite', () => {
    // Prepare: 8 CRM accounts with window amounts 1..8 -> top 2 (a6, a7) flagged; no CRM for 'x'
    const features = [1, 2, 3, 4, 5, 6, 7, 8].map((w, i) =>
      account({ account_id: `a${i}`, has_product: true, has_crm: true, won_amount_window: w }),
    );
    features.push(account({ account_id: 'x', has_product: true }));
    const scores = features.map((f, i) => ({
      account_id: f.account_id,
      high_value_index: i === 0,
    }));
    // Act
    const enough = buildLabels(
      features,
      scores,
      classifierOf({ classifier: { minAccounts: 8, minPositives: 2 } }),
    );
    const tooFew = buildLabels(
      features,
      scores,
      classifierOf({ classifier: { minAccounts: 9, minPositives: 2 } }),
    );
    // Assess
    expect(enough.label).toBe('revenue');
    expect(enough.y).toEqual([0, 0, 0, 0, 0, 0, 1, 1, null]);
    expect(enough.choice).toContain('8 of 9 product accounts');
    expect(tooFew.label).toBe('composite');
    expect(tooFew.y).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(tooFew.choice).toContain(
      'only 8 accounts with product data, a CRM link and opportunity data',
    );
    expect(tooFew.warnings.join(' ')).toContain('optimistic');
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
    expect(got.warnings[0]).toContain(
      'no account has product data, a CRM link and opportunity data',
    );
  });
});
