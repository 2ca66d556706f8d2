import { describe, expect, it } from 'vitest';
import { mergeParts } from '../../../../shared/pipeline/steps/parts.ts';

describe('Function: mergeParts', () => {
  it('joins parts by account_id, keeps the first part order and never replaces an earlier column', () => {
    // Prepare
    const features = [
      { account_id: 'a', sum_minutes: 10 },
      { account_id: 'b', sum_minutes: 20 },
    ];
    const scores = [
      { account_id: 'b', value_index: 0.9, sum_minutes: 999 },
      { account_id: 'a', value_index: 0.1, sum_minutes: 999 },
      { account_id: 'z', value_index: 0.5, sum_minutes: 999 },
    ];
    const trends = [{ account_id: 'a', trend_3m: 'Up' }];
    // Act
    const { rows, columns } = mergeParts([features, scores, trends]);
    // Assess
    expect(columns).toEqual(['account_id', 'sum_minutes', 'value_index', 'trend_3m']);
    expect(rows).toEqual([
      { account_id: 'a', sum_minutes: 10, value_index: 0.1, trend_3m: 'Up' },
      { account_id: 'b', sum_minutes: 20, value_index: 0.9 },
    ]);
  });
});
