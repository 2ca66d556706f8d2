import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { tierRanges, valueTiers } from '../../../shared/segments/valueTiers.ts';

describe('Function: valueTiers', () => {
  it('cuts the top and bottom quarter of the value index, ties ordered by account id', () => {
    // Prepare: 8 accounts with a value index, one without; B and C tie
    const rows = [
      { account_id: 'A', value_index: 0.9 },
      { account_id: 'C', value_index: 0.8 },
      { account_id: 'B', value_index: 0.8 },
      { account_id: 'D', value_index: 0.5 },
      { account_id: 'E', value_index: 0.4 },
      { account_id: 'F', value_index: 0.3 },
      { account_id: 'G', value_index: 0.2 },
      { account_id: 'H', value_index: 0.1 },
      { account_id: 'X', value_index: null },
    ];

    // Act
    const tiers = valueTiers(rows, parseConfig({}));

    // Assess: round(8 x 0.25) = 2 High (A, then B before C), 2 Low (G, H), 4 Medium
    expect(tiers.map((t) => t.value_tier)).toEqual([
      'High value',
      'Medium value',
      'High value',
      'Medium value',
      'Medium value',
      'Medium value',
      'Low value',
      'Low value',
      null,
    ]);
    expect(tiers.map((t) => t.value_rank)).toEqual([1, 3, 2, 4, 5, 6, 7, 8, null]);
    const ranges = tierRanges(rows.map((r, i) => ({ ...r, value_tier: tiers[i].value_tier })));
    expect(ranges).toEqual([
      { tier: 'High value', accounts: 2, min: 0.8, max: 0.9 },
      { tier: 'Medium value', accounts: 4, min: 0.3, max: 0.8 },
      { tier: 'Low value', accounts: 2, min: 0.1, max: 0.2 },
    ]);
  });

  it('follows the configured shares', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      account_id: `a${i}`,
      value_index: i / 10,
    }));
    const tiers = valueTiers(rows, parseConfig({ valueTiers: { highShare: 0.1, lowShare: 0.5 } }));
    expect(tiers.filter((t) => t.value_tier === 'High value')).toHaveLength(1);
    expect(tiers.filter((t) => t.value_tier === 'Low value')).toHaveLength(5);
  });
});
