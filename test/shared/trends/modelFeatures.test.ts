import { describe, expect, it } from 'vitest';
import { trendsConfig } from '../../../shared/config/trends.ts';
import {
  type Lookbacks,
  lookbacksAt,
  MODEL_FEATURES,
  modelFeatures,
  perObservedDay,
} from '../../../shared/trends/modelFeatures.ts';
import { makeHistory } from '../../../shared/trends/trendHistory.ts';
import type { PitFeatures, PitPoint } from '../../../shared/trends/types.ts';

const config = trendsConfig.parse({});
const zero: PitFeatures = {
  minutes_short: 0,
  events_short: 0,
  active_days_short: 0,
  minutes_long: 0,
  events_long: 0,
  active_days_long: 0,
  visitor_days_long: 0,
  features_long: 0,
  minutes_m2: 0,
  minutes_m3: 0,
  days_since_last_active: 0,
  tenure_days: 0,
};
const point = (score: number, f: Partial<PitFeatures>): PitPoint => ({
  accountId: 'a',
  score,
  features: { ...zero, ...f },
});
const byName = (x: number[]) => Object.fromEntries(MODEL_FEATURES.map((n, i) => [n, x[i]]));

describe('Function: perObservedDay', () => {
  it('divides by the days of the window the account was observed in', () => {
    // Act & Assess: tenure 29 -> 30 observed days; tenure 200 -> the full 90; tenure 0 -> 1 day
    expect(perObservedDay(300, 90, 29)).toBe(10);
    expect(perObservedDay(900, 90, 200)).toBe(10);
    expect(perObservedDay(7, 90, 0)).toBe(7);
  });
});

describe('Function: modelFeatures', () => {
  // 45 days observed: the last 30 days and 15 days before them
  const now = point(0.5, {
    tenure_days: 44,
    minutes_short: 300,
    minutes_long: 450,
    events_short: 60,
    events_long: 120,
    active_days_short: 15,
    active_days_long: 30,
    visitor_days_long: 90,
    days_since_last_active: 0,
  });
  // One month earlier: 15 days observed
  const before = point(0.4, {
    tenure_days: 14,
    minutes_long: 150,
    visitor_days_long: 15,
    days_since_last_active: 3,
  });

  it('compares usage per observed day, so a young account is not read as growing', () => {
    // Prepare
    const back: Lookbacks = {
      short: new Map([['a', before]]),
      mid: null,
      long: new Map([['a', before]]),
      longDays: 30,
    };
    // Act
    const f = byName(modelFeatures(now, back, config));
    // Assess
    expect(f.score).toBe(0.5);
    expect(f.change_short).toBeCloseTo(0.1, 10);
    expect(f.change_rate).toBeCloseTo(0.3, 10); // +0.1 in 30 days, per 90 days
    expect(f.minutes_recent_vs_prev).toBeCloseTo(0, 10); // 300 / 30 = 10 a day, 150 / 15 = 10 a day
    expect(f.events_recent_vs_prev).toBeCloseTo(Math.log(3) - Math.log(5), 10); // 2 vs 4 a day
    expect(f.activity_change).toBeCloseTo(-0.5, 10); // 15 / 30 active vs 15 / 15
    expect(f.minutes_slope).toBeNaN(); // needs 90 days observed
    expect(f.usage_change_short).toBeCloseTo(0, 10); // 450 / 45 vs 150 / 15 minutes a day
    expect(f.usage_change_mid).toBeNaN(); // no point two months back
    expect(f.breadth_change_short).toBeCloseTo(Math.log(3) - Math.log(2), 10); // 2 vs 1 visitor-day a day
    expect(f.log_days_since_active).toBe(0);
    expect(f.recency_change).toBeCloseTo(-Math.log(4), 10);
    expect(f.log_tenure).toBeCloseTo(Math.log(45), 10);
    expect(f.log_minutes_per_day).toBeCloseTo(Math.log(11), 10);
    expect(f.active_share_short).toBe(0.5);
  });

  it('leaves the last-month ratios unknown when less than a third of a month precedes it', () => {
    // Prepare: 36 days observed -> 6 days before the last month
    const young = point(0.5, { ...now.features, tenure_days: 35 });
    const none: Lookbacks = { short: null, mid: null, long: null, longDays: 0 };
    // Act
    const f = byName(modelFeatures(young, none, config));
    // Assess
    expect(f.minutes_recent_vs_prev).toBeNaN();
    expect(f.events_recent_vs_prev).toBeNaN();
    expect(f.activity_change).toBeNaN();
    expect(f.change_short).toBeNaN();
    expect(f.change_rate).toBeNaN();
  });
});

describe('Function: lookbacksAt', () => {
  it('finds the points one and two months back and the earliest within three months', () => {
    // Prepare
    const at = (d: string) => new Map([[d, point(0, {})]]);
    const h = makeHistory(
      new Map(['2024-01-01', '2024-01-29', '2024-03-01', '2024-03-31'].map((d) => [d, at(d)])),
    );
    // Act
    const back = lookbacksAt(h, '2024-03-31', config);
    // Assess: Mar 1 is 30 days back, Jan 29 62 (60 +- 3), Jan 1 90 days back
    expect([...(back.short?.keys() ?? [])]).toEqual(['2024-03-01']);
    expect([...(back.mid?.keys() ?? [])]).toEqual(['2024-01-29']);
    expect([...(back.long?.keys() ?? [])]).toEqual(['2024-01-01']);
    expect(back.longDays).toBe(90);
  });
});
