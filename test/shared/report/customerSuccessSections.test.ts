import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/ports/index.ts';
import { largestMove, movers, moversHtml } from '../../../shared/report/customerSuccessSections.ts';
import type { ReportInputs } from '../../../shared/report/reportInputs.ts';

const inputs = (accounts: Row[]) =>
  ({ accounts, steps: {}, manifest: null }) as unknown as ReportInputs;

describe('Function: movers', () => {
  it('ranks by the score that moved most in points, falls and rises apart', () => {
    // Prepare: value index moves count x 100, health moves as they are
    const rows: Row[] = [
      { account_id: 'A', delta_value_index: -0.05, delta_crm_health: -2 }, // -5 points
      { account_id: 'B', delta_value_index: 0.01, delta_crm_health: -12 }, // -12
      { account_id: 'C', delta_p_high_value: 0.3 }, // +30
      { account_id: 'D', delta_product_health: 4 }, // +4
      { account_id: 'E', delta_crm_health: null }, // not compared
    ];

    // Act
    const { falls, rises } = movers(rows);

    // Assess
    expect(largestMove(rows[1])).toBe(-12);
    expect(falls.map((r) => r.account_id)).toEqual(['B', 'A']);
    expect(rises.map((r) => r.account_id)).toEqual(['C', 'D']);
  });

  it('says first run instead of showing zeros when no earlier run was stored', () => {
    const html = moversHtml(inputs([{ account_id: 'A', changed_since: null }]));
    expect(html).toContain('data-missing="movers"');
    expect(html).toContain('First run');
  });
});
