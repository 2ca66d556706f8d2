import { describe, expect, it } from 'vitest';
import {
  highValueRatios,
  riskReason,
  segmentProfile,
  topAtRisk,
  topHighValue,
  trendCounts,
  trendMethodsText,
} from '../../../shared/report/accountSections.ts';

describe('Function: highValueRatios', () => {
  it('divides the high-value mean by the others mean on each seed-001 dimension', () => {
    // Prepare: 2 high-value and 2 other accounts
    const rows = [
      {
        high_value_quintile: true,
        sum_minutes: 100,
        count_active_days: 20,
        count_associated_visitors: 9,
        avg_nps_rating: 9,
      },
      {
        high_value_quintile: true,
        sum_minutes: 300,
        count_active_days: 40,
        count_associated_visitors: 3,
        avg_nps_rating: 7,
      },
      {
        high_value_quintile: false,
        sum_minutes: 10,
        count_active_days: 10,
        count_associated_visitors: 1,
        avg_nps_rating: 5,
      },
      {
        high_value_quintile: false,
        sum_minutes: 30,
        count_active_days: 30,
        count_associated_visitors: 2,
        avg_nps_rating: null,
      },
    ];
    // Act
    const ratios = highValueRatios(rows);
    // Assess: minutes 200/20 = 10; days 30/20 = 1.5; visitors 6/1.5 = 4; NPS 8/5 = 1.6 (NULL ignored)
    expect(ratios.map((r) => r.dimension)).toEqual([
      'sum_minutes',
      'count_active_days',
      'count_associated_visitors',
      'avg_nps_rating',
    ]);
    expect(ratios[0].ratio).toBeCloseTo(10, 10);
    expect(ratios[1].ratio).toBeCloseTo(1.5, 10);
    expect(ratios[2].ratio).toBeCloseTo(4, 10);
    expect(ratios[3].ratio).toBeCloseTo(1.6, 10);
    expect(ratios[3].nOthers).toBe(1);
  });

  it('gives a NULL ratio when no account is on one side', () => {
    // Prepare
    const rows = [
      { high_value_quintile: true, sum_minutes: 5 },
      { high_value_quintile: null, sum_minutes: 1 },
    ];
    // Act
    const ratios = highValueRatios(rows);
    // Assess
    expect(ratios[0]).toMatchObject({ highValueMean: 5, othersMean: null, ratio: null });
  });
});

describe('Function: segmentProfile', () => {
  it('gives each segment mean relative to the mean of all segmented accounts', () => {
    // Prepare: segment A minutes 10 and 30 (mean 20), B 60; all three: 100 / 3
    const rows = [
      { value_segment: 'A', sum_minutes: 10 },
      { value_segment: 'A', sum_minutes: 30 },
      { value_segment: 'B', sum_minutes: 60 },
      { value_segment: null, sum_minutes: 1000 },
    ];
    // Act
    const cells = segmentProfile(rows, 'value_segment', ['sum_minutes']);
    // Assess
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({ segment: 'A', accounts: 2, segmentMean: 20 });
    expect(cells[0].index).toBeCloseTo(0.6, 10);
    expect(cells[1].index).toBeCloseTo(1.8, 10);
  });

  it('returns no cell when the column is absent', () => {
    // Act & Assess
    expect(segmentProfile([{ sum_minutes: 1 }], 'cluster')).toEqual([]);
  });
});

describe('Function: trendCounts', () => {
  it('counts Up, Flat and Down per horizon', () => {
    // Prepare
    const rows = [
      { trend_3m: 'Up', trend_6m: 'Down' },
      { trend_3m: 'Up', trend_6m: 'Flat' },
      { trend_3m: 'Down', trend_6m: null },
    ];
    // Act
    const counts = trendCounts(rows);
    // Assess
    expect(counts.map((c) => c.accounts)).toEqual([2, 0, 1, 0, 1, 1]);
  });
});

describe('Function: topHighValue', () => {
  it('ranks by value index when p_high_value is the value-index fallback', () => {
    // Prepare
    const rows = [
      { account_id: 'a', value_index: 0.2, p_high_value: 0.9, hv_source: 'value-index-fallback' },
      { account_id: 'b', value_index: 0.8, p_high_value: 0.1, hv_source: 'value-index-fallback' },
    ];
    // Act & Assess
    expect(topHighValue(rows).map((r) => r.account_id)).toEqual(['b', 'a']);
  });

  it('ranks by the model probability when the run has one', () => {
    // Prepare
    const rows = [
      { account_id: 'a', value_index: 0.2, p_high_value: 0.9, hv_source: 'model' },
      { account_id: 'b', value_index: 0.8, p_high_value: 0.1, hv_source: 'model' },
    ];
    // Act & Assess
    expect(topHighValue(rows, 1).map((r) => r.account_id)).toEqual(['a']);
  });
});

describe('Function: topAtRisk', () => {
  it('keeps high-risk accounts ranked by revenue at risk', () => {
    // Prepare: at risk (100 + 0) x 0.6 = 60 vs (50 + 50) x 0.9 = 90
    const rows = [
      {
        account_id: 'a',
        high_risk: true,
        crm_health_score: 40,
        current_pipeline_amount: 100,
        total_won_amount: null,
      },
      {
        account_id: 'b',
        high_risk: true,
        crm_health_score: 10,
        current_pipeline_amount: 50,
        total_won_amount: 50,
      },
      {
        account_id: 'c',
        high_risk: false,
        crm_health_score: 90,
        current_pipeline_amount: 1e6,
        total_won_amount: 0,
      },
    ];
    // Act & Assess
    expect(topAtRisk(rows).map((r) => r.account_id)).toEqual(['b', 'a']);
  });
});

describe('Function: riskReason', () => {
  it('uses the trigger reasons when the run has them', () => {
    // Act & Assess
    expect(
      riskReason({ trigger_reasons: 'no CRM activity for 23 days', crm_health_score: 30 }),
    ).toBe('no CRM activity for 23 days');
  });

  it('falls back to the health score and band', () => {
    // Act & Assess
    expect(riskReason({ crm_health_score: 31.6, crm_health_band: 'Low' })).toBe(
      'CRM health 32 (Low, below 50)',
    );
  });
});

describe('Function: trendMethodsText', () => {
  it('names the shipped method of each horizon, its factor and why, from trend_backtest.json', () => {
    // Prepare
    const backtest = {
      methods: {
        '3m': {
          method: 'persistence-regressed',
          factor: 0.06705,
          reason: '5 backtest origins (need 8): regressed persistence stands',
          basis: null,
        },
        '6m': {
          method: 'flat',
          factor: 0,
          reason: 'all Flat beat the others',
          basis: 'from the last 91-day change',
        },
      },
    };
    // Act
    const text = trendMethodsText(backtest);
    // Assess
    expect(text).toBe(
      '3 months: regressed persistence, expected change 0.067 x the last 91-day change (5 backtest origins (need 8): regressed persistence stands). ' +
        '6 months: all Flat (all Flat beat the others; from the last 91-day change).',
    );
  });

  it('says that the expected change is a factor times the CRM-activity curve with the crm-calibrated estimator', () => {
    // Prepare: no factor on the change (null), the curve's factors per horizon in shrinkage
    const backtest = {
      shrinkage: {
        estimator: 'crm-calibrated',
        factors: { '3m': 0.9, '6m': 1.71 },
        calibration: { edges: [0], values: [-0.1, 0.1], counts: [5, 5] },
      },
      methods: {
        '3m': { method: 'persistence-regressed', factor: null, reason: 'r3', basis: null },
        '6m': { method: 'persistence-regressed', factor: null, reason: 'r6', basis: 'b6' },
      },
    };
    // Act
    const text = trendMethodsText(backtest);
    // Assess
    expect(text).toBe(
      '3 months: regressed persistence, expected change 0.900 x the value change that CRM activity shows for accounts with a similar last 91-day change (r3). ' +
        '6 months: regressed persistence, expected change 1.710 x the value change that CRM activity shows for accounts with a similar last 91-day change (r6; b6).',
    );
    // without the curve (crm-instrument) the factors are on the change itself and come from methods
    expect(
      trendMethodsText({ ...backtest, shrinkage: { factors: { '3m': 0.9, '6m': 1.71 } } }),
    ).toBe('3 months: regressed persistence (r3). 6 months: regressed persistence (r6; b6).');
  });

  it('gives the factor of an account without measurement noise under the per-account reliability', () => {
    // Prepare: beta 0.4: 3 months 0.4, 6 months 0.4 + 0.16 = 0.56
    const backtest = {
      shrinkage: { reliability: { usable: true, beta: 0.4, tau2: 0.02 } },
      methods: {
        '3m': { method: 'persistence-regressed', factor: null, reason: 'r3', basis: null },
        '6m': { method: 'flat', factor: 0, reason: 'r6', basis: 'b6' },
      },
    };
    // Act & Assess
    expect(trendMethodsText(backtest)).toBe(
      "3 months: regressed persistence, expected change up to 0.400 x the last 91-day change, less the more of that change is measurement noise (the account's own reliability) (r3). " +
        '6 months: all Flat (r6; b6).',
    );
    // the factors the run stored (sixMonth.factor lasting: 0.4 and 0.8) are the ones named
    expect(
      trendMethodsText({
        shrinkage: {
          reliability: { usable: true, beta: 0.4, tau2: 0.02, factors: { '3m': 0.4, '6m': 0.8 } },
        },
        methods: {
          '6m': { method: 'persistence-regressed', factor: null, reason: 'r6', basis: null },
        },
      }),
    ).toBe(
      "6 months: regressed persistence, expected change up to 0.800 x the last 91-day change, less the more of that change is measurement noise (the account's own reliability) (r6).",
    );
    // an estimate that is not usable names no factor
    expect(
      trendMethodsText({
        ...backtest,
        shrinkage: { reliability: { usable: false, beta: null } },
      }),
    ).toBe('3 months: regressed persistence (r3). 6 months: all Flat (r6; b6).');
  });

  it('says nothing for a run without trend methods', () => {
    // Act & Assess
    expect(trendMethodsText(null)).toBe('');
    expect(trendMethodsText({ horizons: {} })).toBe('');
  });
});
