import { describe, expect, it } from 'vitest';
import {
  buildDataset,
  featureMatrix,
  modelFeatureNames,
  PRIOR_REVENUE_FEATURE,
} from '../../../shared/classifier/dataset.ts';
import { classifierOf } from '../../../shared/config/classifier.ts';
import { CRM_NUMERIC_FEATURES, PRODUCT_FEATURES } from '../../../shared/features/columns.ts';
import { account } from '../../helpers/accounts.ts';
import { syntheticRun } from './fixtures.ts';

describe('Function: buildDataset', () => {
  it('keeps labelled accounts sorted by id, NULL as NaN, and hashes the same data the same whatever the row order', () => {
    // Prepare
    const { features, scores } = syntheticRun(40, 3);
    const reversed = [...features].reverse();
    // Act
    const a = buildDataset(features, scores, classifierOf({}));
    const b = buildDataset(reversed, scores, classifierOf({}));
    // Assess
    expect(a.nRows).toBe(40);
    expect(a.nPositives).toBe(10);
    expect(a.accountIds[0]).toBe('acct-00000');
    expect(a.featureNames).toEqual([...PRODUCT_FEATURES]);
    const nps = a.featureNames.indexOf('avg_nps_rating');
    expect(Number.isNaN(a.X[0][nps])).toBe(true); // account 0 has no NPS answer
    expect(b.dataHash).toBe(a.dataHash);
    expect(b.accountIds).toEqual(a.accountIds);
  });

  it('changes the hash when one value changes', () => {
    // Prepare
    const { features, scores } = syntheticRun(20, 3);
    const changed = features.map((f, i) =>
      i === 5 ? { ...f, sum_minutes: (f.sum_minutes ?? 0) + 1 } : f,
    );
    // Act & Assess
    expect(buildDataset(changed, scores, classifierOf({})).dataHash).not.toBe(
      buildDataset(features, scores, classifierOf({})).dataHash,
    );
  });
});

describe('Function: modelFeatureNames', () => {
  it('adds the CRM features when an account has CRM data and drops total_won_amount for the revenue label', () => {
    // Prepare
    const rows = [account({ account_id: 'a', has_crm: true })];
    // Act
    const composite = modelFeatureNames(rows, 'composite');
    const revenue = modelFeatureNames(rows, 'revenue');
    // Assess
    expect(composite).toHaveLength(PRODUCT_FEATURES.length + CRM_NUMERIC_FEATURES.length);
    expect(revenue).not.toContain('total_won_amount');
    expect(revenue).toHaveLength(composite.length - 1);
  });
});

describe('Feature: revenue won before the label window (won_amount_before_window)', () => {
  /** 240 CRM accounts with product data: won revenue in and before the label window. */
  const crmRun = () => {
    const { features, scores } = syntheticRun(240, 5);
    const rows = features.map((f, i) => ({
      ...f,
      has_crm: true,
      total_won_amount: 1000 * (i % 13) + 500 * (i % 7),
      won_amount_window: 500 * (i % 7),
    }));
    return { rows, scores };
  };

  it('is total_won_amount minus the window amount, floored at 0, and missing when either is NULL', () => {
    // Prepare: 50,000 won in all, 30,000 of it in the window -> 20,000 before; a rounding underflow -> 0
    const rows = [
      account({ account_id: 'a', total_won_amount: 50_000, won_amount_window: 30_000 }),
      account({ account_id: 'b', total_won_amount: 30_000, won_amount_window: 30_000.000001 }),
      account({ account_id: 'c', total_won_amount: null, won_amount_window: 30_000 }),
      account({ account_id: 'd', total_won_amount: 50_000, won_amount_window: null }),
      account({ account_id: 'e', total_won_amount: 50_000 }),
    ];
    // Act
    const X = featureMatrix(rows, [PRIOR_REVENUE_FEATURE, 'total_won_amount']);
    // Assess
    expect(X.map((x) => x[0])).toEqual([20_000, 0, Number.NaN, Number.NaN, Number.NaN]);
    expect(X[0][1]).toBe(50_000);
  });

  it('never carries the label window: accounts that differ only in window revenue get the same value', () => {
    // Prepare: same revenue before the window (10,000), window revenue 0 vs 90,000
    const rows = [
      account({ account_id: 'low', total_won_amount: 10_000, won_amount_window: 0 }),
      account({ account_id: 'high', total_won_amount: 100_000, won_amount_window: 90_000 }),
    ];
    // Act
    const X = featureMatrix(rows, [PRIOR_REVENUE_FEATURE]);
    // Assess
    expect(X[0][0]).toBe(10_000);
    expect(X[1][0]).toBe(10_000);
  });

  it('is a feature of the revenue label only, after the CRM features, when switched on (off by default) and the window is set', () => {
    // Prepare
    const { rows, scores } = crmRun();
    const on = classifierOf({ classifier: { label: 'revenue', priorRevenueFeature: true } });
    // Act
    const revenue = buildDataset(rows, scores, on);
    const off = buildDataset(rows, scores, classifierOf({ classifier: { label: 'revenue' } }));
    const allTime = buildDataset(
      rows,
      scores,
      classifierOf({
        classifier: { label: 'revenue', revenueWindowDays: 0, priorRevenueFeature: true },
      }),
    );
    const composite = buildDataset(
      rows,
      scores,
      classifierOf({ classifier: { label: 'composite', priorRevenueFeature: true } }),
    );
    // Assess
    expect(revenue.label).toBe('revenue');
    expect(revenue.featureNames.at(-1)).toBe(PRIOR_REVENUE_FEATURE);
    expect(revenue.featureNames).not.toContain('total_won_amount');
    expect(off.featureNames).not.toContain(PRIOR_REVENUE_FEATURE);
    expect(off.featureNames).toHaveLength(revenue.featureNames.length - 1);
    expect(allTime.featureNames).not.toContain(PRIOR_REVENUE_FEATURE);
    expect(composite.featureNames).not.toContain(PRIOR_REVENUE_FEATURE);
    expect(composite.featureNames).toContain('total_won_amount');
    // row acct-00003: total 1000*3 + 500*3 = 4,500, window 1,500 -> 3,000 before the window
    const row = revenue.accountIds.indexOf('acct-00003');
    expect(revenue.X[row][revenue.featureNames.indexOf(PRIOR_REVENUE_FEATURE)]).toBe(3000);
    expect(revenue.dataHash).not.toBe(off.dataHash);
  });

  it('is not added without CRM data', () => {
    // Prepare
    const { features } = syntheticRun(10, 2);
    // Act & Assess
    expect(modelFeatureNames(features, 'revenue', true)).toEqual([...PRODUCT_FEATURES]);
  });
});
