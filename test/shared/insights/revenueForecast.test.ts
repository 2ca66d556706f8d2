import { describe, expect, it } from 'vitest';
import { revenueForecast, tierOf } from '../../../shared/insights/revenueForecast.ts';
import { account, defaults } from './fixtures.ts';

describe('Function: revenueForecast', () => {
  it('applies the seed 004 formula to two rows worked by hand', () => {
    // Prepare
    // a: health 60 -> p_win 0.6; pipeline 100,000 x 0.6 = 60,000; upsell 0.5 x 200,000 x (0.05 + 0.15) = 20,000.
    //    Medium band p_win 0.5..0.8: low 50,000 + 100,000 x 0.175 = 67,500; high 80,000 + 100,000 x 0.25 = 105,000.
    // b: health 30 -> p_win 0.3; pipeline NULL -> 0; upsell 0.5 x 40,000 x (0.05 + 0.075) = 2,500.
    //    Low band p_win 0..0.5: low 20,000 x 0.05 = 1,000; high 20,000 x 0.175 = 3,500.
    const rows = [
      account({
        account_id: 'a',
        crm_health_score: 60,
        current_pipeline_amount: 100_000,
        total_won_amount: 200_000,
      }),
      account({
        account_id: 'b',
        crm_health_score: 30,
        current_pipeline_amount: null,
        total_won_amount: 40_000,
      }),
    ];
    // Act
    const { accounts } = revenueForecast(rows, defaults());
    // Assess
    const [a, b] = accounts;
    expect(a.p_win).toBe(0.6);
    expect(a.pipeline_component).toBeCloseTo(60_000, 6);
    expect(a.upsell_component).toBeCloseTo(20_000, 6);
    expect(a.predicted_6m_revenue).toBeCloseTo(80_000, 6);
    expect(a.predicted_6m_revenue_low).toBeCloseTo(67_500, 6);
    expect(a.predicted_6m_revenue_high).toBeCloseTo(105_000, 6);
    expect(a).toMatchObject({
      risk_band: 'Medium',
      missing_inputs: '',
      current_pipeline_amount: 100_000,
    });
    expect(b.pipeline_component).toBe(0);
    expect(b.predicted_6m_revenue).toBeCloseTo(2_500, 6);
    expect(b.predicted_6m_revenue_low).toBeCloseTo(1_000, 6);
    expect(b.predicted_6m_revenue_high).toBeCloseTo(3_500, 6);
    expect(b).toMatchObject({ risk_band: 'Low', missing_inputs: 'current_pipeline_amount' });
  });

  it('tiers by Q25 and Q75 with linear interpolation, boundary values in B', () => {
    // Prepare: health 100 and no won amount -> prediction = pipeline: 0, 10, 20, 100.
    // Q25 at h = 0.75 -> 7.5; Q75 at h = 2.25 -> 20 + 0.25 x 80 = 40. Then 0 C, 10 B, 20 B, 100 A.
    const rows = [0, 10, 20, 100].map((p) =>
      account({
        account_id: `p${p}`,
        crm_health_score: 100,
        current_pipeline_amount: p,
        total_won_amount: null,
      }),
    );
    // Act
    const forecast = revenueForecast(rows, defaults());
    // Assess
    expect(forecast.q25).toBe(7.5);
    expect(forecast.q75).toBe(40);
    expect(forecast.accounts.map((a) => a.contribution_tier)).toEqual(['C', 'B', 'B', 'A']);
    expect(tierOf(7.5, 7.5, 40)).toBe('B');
    expect(tierOf(40, 7.5, 40)).toBe('B');
  });

  it('summarises each tier: accounts, total prediction, average health and thresholds', () => {
    // Prepare: predictions (pipeline x health/100) 10 x 1 = 10, 40 x 0.5 = 20, 75 x 0.4 = 30, 50 x 0.8 = 40, 50 x 1 = 50
    // -> Q25 20, Q75 40: C {10}, B {20, 30, 40}, A {50}
    const rows = [
      [10, 100],
      [40, 50],
      [75, 40],
      [50, 80],
      [50, 100],
    ].map(([pipeline, health], i) =>
      account({
        account_id: `r${i}`,
        crm_health_score: health,
        current_pipeline_amount: pipeline,
        total_won_amount: 0,
      }),
    );
    // Act
    const { tiers } = revenueForecast(rows, defaults());
    // Assess
    expect(tiers.map((t) => [t.tier, t.accounts])).toEqual([
      ['A', 1],
      ['B', 3],
      ['C', 1],
    ]);
    const b = tiers[1];
    expect(b.total_predicted_6m_revenue).toBeCloseTo(90, 9);
    expect(b.average_health).toBeCloseTo((50 + 40 + 80) / 3, 9);
    expect(b).toMatchObject({ q25_threshold: 20, q75_threshold: 40 });
  });

  it('merges the health scorer missing inputs with the revenue ones, without repeats', () => {
    // Prepare: health scorer reported two NULL inputs; won amount is NULL too
    const row = account({
      account_id: 'm',
      crm_health_score: 55,
      current_pipeline_amount: 10,
      total_won_amount: null,
      missing_inputs: 'annual_revenue;total_won_amount',
    });
    // Act
    const [out] = revenueForecast([row], defaults()).accounts;
    // Assess
    expect(out.missing_inputs).toBe('annual_revenue;total_won_amount');
  });

  it('leaves accounts without a health score unpredicted and out of the quantiles', () => {
    // Prepare
    const rows = [
      account({ account_id: 'x', crm_health_score: null, current_pipeline_amount: 1e9 }),
      account({ account_id: 'y', crm_health_score: 100, current_pipeline_amount: 5 }),
    ];
    // Act
    const forecast = revenueForecast(rows, defaults());
    // Assess
    expect(forecast.accounts[0]).toMatchObject({
      predicted_6m_revenue: null,
      contribution_tier: null,
      missing_inputs: 'crm_health_score;total_won_amount',
    });
    expect(forecast.q25).toBe(5);
    expect(forecast.accounts[1].contribution_tier).toBe('B');
  });
});
