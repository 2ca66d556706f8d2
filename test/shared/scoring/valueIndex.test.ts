import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { scorecards } from '../../../shared/scoring/scorecards.ts';
import { rankWithFloor, valueIndex } from '../../../shared/scoring/valueIndex.ts';
import { account } from '../../helpers/accounts.ts';

const config = parseConfig({});

const rows = [
  account({
    account_id: 'A',
    has_product: true,
    sum_minutes: 100,
    sum_events: 200,
    average_daily_minutes: 10,
    average_daily_events: 20,
    n_features_used: 5,
    n_product_areas_used: 2,
    total_feature_clicks: 50,
    avg_nps_rating: 9,
    days_since_last_event: 1,
    count_active_days: 10,
    count_associated_visitors: 3,
  }),
  account({
    account_id: 'B',
    has_product: true,
    sum_minutes: 200,
    sum_events: 100,
    average_daily_minutes: 20,
    average_daily_events: 10,
    n_features_used: 10,
    n_product_areas_used: 4,
    total_feature_clicks: 100,
    avg_nps_rating: null,
    days_since_last_event: 10,
    count_active_days: 20,
    count_associated_visitors: 2,
  }),
  account({
    account_id: 'C',
    has_product: true,
    sum_minutes: 300,
    sum_events: 300,
    average_daily_minutes: 30,
    average_daily_events: 30,
    n_features_used: 15,
    n_product_areas_used: 6,
    total_feature_clicks: 150,
    avg_nps_rating: 5,
    days_since_last_event: 30,
    count_active_days: 30,
    count_associated_visitors: 1,
  }),
  account({ account_id: 'D', has_crm: true }),
];

describe('Function: valueIndex', () => {
  it('averages percentile dimensions and re-weights a missing NPS', () => {
    // Act
    const [a, b, c, d] = valueIndex(rows, config);
    // Assess: A = (0.5 + 0.5 + 1/3 + 1 + 1) / 5; B has no NPS: (0.5 + 0.5 + 2/3 + 2/3) / 4
    expect(a.value_usage).toBeCloseTo(0.5, 12);
    expect(a.value_nps).toBeCloseTo(1, 12);
    expect(c.value_nps).toBeCloseTo(0.5, 12);
    expect(a.value_freshness).toBeCloseTo(1, 12);
    expect(a.value_index).toBeCloseTo(10 / 3 / 5, 12);
    expect(b.value_nps).toBeNull();
    expect(b.value_index).toBeCloseTo(7 / 3 / 4, 12);
    expect(c.value_index).toBeCloseTo(23 / 6 / 5, 12);
    // top quartile of 3 scored accounts = round(0.75) = 1 account: C
    expect([a, b, c].map((s) => s.high_value_index)).toEqual([false, false, true]);
    expect(d.value_index).toBeNull();
    expect(d.high_value_index).toBeNull();
    expect(a.value_commercial).toBeNull();
  });

  it('adds the commercial dimension (weight 0.2 by default) for accounts with opportunity data, none with weight 0', () => {
    // Prepare: A won 300, B won 100 in the window, both with no pipeline; C has no CRM (dimension re-weighted out).
    // Won ranks: A 1, B 0.5; pipeline ties at 0: both 0.75 -> commercial A 0.875, B 0.625.
    const crm = rows.map((r) =>
      r.account_id === 'A'
        ? { ...r, has_crm: true, won_amount_window: 300, current_pipeline_amount: 0 }
        : r.account_id === 'B'
          ? { ...r, has_crm: true, won_amount_window: 100, current_pipeline_amount: 0 }
          : r,
    );
    const withCommercial = parseConfig({});
    const without = parseConfig({ valueIndex: { weights: { commercial: 0 } } });
    // Act
    const [a, b, c] = valueIndex(crm, withCommercial);
    // Assess: A = (10/3 + 0.875) / 6; B (no NPS) = (7/3 + 0.625) / 5; C unchanged
    expect(a.value_commercial).toBeCloseTo(0.875, 12);
    expect(b.value_commercial).toBeCloseTo(0.625, 12);
    expect(c.value_commercial).toBeNull();
    expect(a.value_index).toBeCloseTo((10 / 3 + 0.875) / 6, 12);
    expect(b.value_index).toBeCloseTo((7 / 3 + 0.625) / 5, 12);
    expect(c.value_index).toBeCloseTo(23 / 6 / 5, 12);
    expect(valueIndex(crm, without)[0].value_commercial).toBeNull();
    expect(valueIndex(crm, without)[0].value_index).toBeCloseTo(10 / 3 / 5, 12);
  });

  it('reads revenue won in the label window by default, or to date with commercialRevenue to-date', () => {
    // Prepare: A won 300 in the window and 300 to date; B won 100 in the window but 900 to date (earlier deals);
    // no pipeline (ties at 0: 0.75 each). To date: A 0.5, B 1 -> commercial A 0.625, B 0.875; window: A 0.875, B 0.625.
    const crm = rows.map((r) =>
      r.account_id === 'A'
        ? {
            ...r,
            has_crm: true,
            won_amount_window: 300,
            total_won_amount: 300,
            current_pipeline_amount: 0,
          }
        : r.account_id === 'B'
          ? {
              ...r,
              has_crm: true,
              won_amount_window: 100,
              total_won_amount: 900,
              current_pipeline_amount: 0,
            }
          : r,
    );
    // Act
    const [a, b] = valueIndex(crm, parseConfig({ valueIndex: { commercialRevenue: 'to-date' } }));
    const [aw, bw] = valueIndex(crm, parseConfig({}));
    // Assess
    expect(a.value_commercial).toBeCloseTo(0.625, 12);
    expect(b.value_commercial).toBeCloseTo(0.875, 12);
    expect(aw.value_commercial).toBeCloseTo(0.875, 12);
    expect(bw.value_commercial).toBeCloseTo(0.625, 12);
    expect(b.value_index).toBeCloseTo((7 / 3 + 0.875) / 5, 12);
  });
});

describe('Function: rankWithFloor', () => {
  it('ranks a never-active account 0 and the others among all', () => {
    expect(rankWithFloor([Number.NEGATIVE_INFINITY, -5, -1, null])).toEqual([0, 2 / 3, 1, null]);
  });
});

describe('Function: scorecards', () => {
  it('sums quintile scores, re-scales a missing NPS, and flags the top 20%', () => {
    // Act
    const [a, b, c] = scorecards(rows, config);
    // Assess: minutes 2/4/5, active days 2/4/5, visitors 5/4/2, NPS A 5, C 3 (B missing)
    expect(a.quintile_total).toBe(14);
    expect(b.quintile_total).toBeCloseTo(16, 12); // (4 + 4 + 4) x 4 / 3
    expect(c.quintile_total).toBe(15);
    expect([a, b, c].map((s) => s.high_value_quintile)).toEqual([false, true, false]);
    // baseline = mean percentile of minutes and active days: 1/3, 2/3, 1
    expect(a.baseline_2d_score).toBeCloseTo(1 / 3, 12);
    expect(c.baseline_2d_score).toBeCloseTo(1, 12);
    expect([a, b, c].map((s) => s.high_value_baseline_2d)).toEqual([false, false, true]);
  });
});
