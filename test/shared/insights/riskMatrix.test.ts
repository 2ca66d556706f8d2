import { describe, expect, it } from 'vitest';
import { highRiskSegmentRates, riskMatrix } from '../../../shared/insights/riskMatrix.ts';
import { account, defaults } from './fixtures.ts';

/** n accounts of one cell, the first k of them high-risk (health 30), the rest health 70. */
const cell = (
  industry: string | null,
  size: 'Small Business' | 'Mid-Market' | 'Large',
  n: number,
  k: number,
) =>
  Array.from({ length: n }, (_, i) =>
    account({
      account_id: `${industry}-${size}-${i}`,
      industry,
      account_size_segment: size,
      crm_health_score: i < k ? 30 : 70,
    }),
  );

describe('Function: riskMatrix', () => {
  it('counts accounts, high-risk accounts, rate and Wilson interval per industry x size', () => {
    // Prepare: Technology Mid-Market 3 of 10 high-risk -> 0.3, [0.1078, 0.6032]; Manufacturing SB 3 of 3
    const rows = [
      ...cell('Technology', 'Mid-Market', 10, 3),
      ...cell('Manufacturing', 'Small Business', 3, 3),
    ];
    // Act
    const matrix = riskMatrix(rows, defaults());
    // Assess
    expect(matrix).toHaveLength(2);
    const [manufacturing, technology] = matrix;
    expect(manufacturing).toMatchObject({
      industry: 'Manufacturing',
      account_size_segment: 'Small Business',
      accounts: 3,
      high_risk_accounts: 3,
      high_risk_rate: 1,
      thin: true,
    });
    expect(manufacturing.rate_ci_low).toBeCloseTo(0.4385, 4); // 3/3: (1 + z²/6 - z·sqrt(z²/36)) / (1 + z²/3)
    expect(technology).toMatchObject({
      accounts: 10,
      high_risk_accounts: 3,
      high_risk_rate: 0.3,
      thin: false,
    });
    expect(technology.rate_ci_low).toBeCloseTo(0.1078, 4);
    expect(technology.rate_ci_high).toBeCloseTo(0.6032, 4);
  });

  it('labels NULL industry Unknown and skips accounts without a health score', () => {
    // Prepare
    const rows = [
      account({
        account_id: 'a',
        industry: null,
        account_size_segment: 'Large',
        crm_health_score: 40,
      }),
      account({
        account_id: 'b',
        industry: '  ',
        account_size_segment: 'Large',
        crm_health_score: 90,
      }),
      account({
        account_id: 'c',
        industry: null,
        account_size_segment: 'Large',
        crm_health_score: null,
      }),
    ];
    // Act
    const matrix = riskMatrix(rows, defaults());
    // Assess
    expect(matrix).toEqual([
      expect.objectContaining({
        industry: 'Unknown',
        account_size_segment: 'Large',
        accounts: 2,
        high_risk_accounts: 1,
      }),
    ]);
  });

  it('marks thin cells by the configured minimum count', () => {
    // Prepare: 4 accounts; minimum 4 -> not thin, minimum 5 -> thin
    const rows = cell('Retail', 'Large', 4, 1);
    const config = defaults();
    // Act
    const at4 = riskMatrix(rows, { riskMatrix: { ...config.riskMatrix, minCellCount: 4 } });
    const at5 = riskMatrix(rows, { riskMatrix: { ...config.riskMatrix, minCellCount: 5 } });
    // Assess
    expect(at4[0].thin).toBe(false);
    expect(at5[0].thin).toBe(true);
  });
});

describe('Function: highRiskSegmentRates', () => {
  it('sorts by rate descending, then by account count descending', () => {
    // Prepare: rates 0.5 (n 4), 0.5 (n 10), 1.0 (n 2), 0.2 (n 5)
    const rows = [
      ...cell('A', 'Large', 4, 2),
      ...cell('B', 'Large', 10, 5),
      ...cell('C', 'Large', 2, 2),
      ...cell('D', 'Large', 5, 1),
    ];
    // Act
    const sorted = highRiskSegmentRates(riskMatrix(rows, defaults()));
    // Assess
    expect(sorted.map((c) => c.industry)).toEqual(['C', 'B', 'A', 'D']);
  });
});
