import { describe, expect, it } from 'vitest';
import { buildDataset, modelFeatureNames } from '../../../shared/classifier/dataset.ts';
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
