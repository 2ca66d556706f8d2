import { addDays } from '../../../shared/dates.ts';
import {
  hasFullInputs,
  median,
  rawChange,
  type WindowRow,
} from '../../../shared/trends/ownTrend.ts';
import type { OriginMedians, SampledHistory } from '../../../shared/trends/trendBacktest.ts';

/**
 * A hand-made sampled history for tests: per account, its active visitor-days per week, oldest week first (every
 * account active from the first week on). Window rows and population medians are computed here the way the SQL
 * defines them (window sums over consecutive weeks; medians over accounts with two full windows).
 */
export function worldHistory(
  series: Readonly<Record<string, readonly number[]>>,
  windowWeeks: number,
  asOf = '2024-12-29',
): SampledHistory {
  const K = windowWeeks;
  const W = Object.values(series)[0].length;
  const byWeek = new Map<number, WindowRow[]>();
  for (const [id, arr] of Object.entries(series)) {
    const at = (w: number) => (w >= 0 && w < W ? arr[W - 1 - w] : 0);
    const sum = (from: number, to: number) => {
      let s = 0;
      for (let j = from; j <= to; j++) s += at(j);
      return s;
    };
    const sqDiffs = (from: number, to: number) => {
      let s = 0;
      for (let j = from; j <= to && j + 1 < W; j++) s += (at(j) - at(j + 1)) ** 2;
      return s;
    };
    for (let w = 0; w < W; w++) {
      const row: WindowRow = {
        account_id: id,
        w,
        first_w: W - 1,
        last_w: w,
        v_last: sum(w, w + K - 1),
        v_prev: sum(w + K, w + 2 * K - 1),
        v_prev2: sum(w + 2 * K, w + 3 * K - 1),
        v_fut3: sum(w - K, w - 1),
        v_fut6: sum(w - 2 * K, w - K - 1),
        m_recent: at(w),
        m_rest: sum(w + 1, w + K - 1),
        d_last: 7 * K,
        // Squared week-to-week differences inside the previous window (pairs of weeks inside the data only)
        q_prev: sqDiffs(w + K, w + 2 * K - 2),
        q_last: sqDiffs(w, w + K - 2),
        q_prev2: sqDiffs(w + 2 * K, w + 3 * K - 2),
        a_last: null,
        a_prev: null,
        a_prev2: null,
      };
      const list = byWeek.get(w) ?? [];
      if (list.length === 0) byWeek.set(w, list);
      list.push(row);
    }
  }
  const medians = new Map<number, OriginMedians>();
  for (const [w, rows] of byWeek) {
    const full = rows.filter((r) => hasFullInputs(r, K));
    const out = (get: (r: WindowRow) => number) => median(full.map(get));
    medians.set(w, {
      c: out(rawChange),
      y3: out((r) => Math.log((r.v_fut3 ?? 0) + 1) - Math.log(r.v_last + 1)),
      y6: out((r) => Math.log((r.v_fut6 ?? 0) + 1) - Math.log(r.v_last + 1)),
    });
  }
  return {
    frame: { asOf, firstDay: addDays(asOf, -7 * W + 1), lastDay: asOf, windowWeeks: K },
    byWeek,
    medians,
  };
}

/** A seeded uniform generator in [0, 1) (mulberry32) for the worlds' noise. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A window row at origin week w (three full windows before it) whose usage and CRM-activity log changes are exactly
 * u1, u2, a1, a2 (windows of e^3 - 1, e^(3 + u1) - 1, ... counts, so ln(count + 1) moves by the given amounts).
 */
export function quadRow(id: string, w: number, q: readonly number[]): WindowRow {
  const [u1, u2, a1, a2] = q;
  return {
    account_id: id,
    w,
    first_w: w + 39,
    last_w: w,
    v_prev2: Math.E ** 3 - 1,
    v_prev: Math.E ** (3 + u1) - 1,
    v_last: Math.E ** (3 + u1 + u2) - 1,
    v_fut3: null,
    v_fut6: null,
    m_recent: 1,
    m_rest: 1,
    d_last: 1,
    q_prev: 0,
    a_prev2: Math.E ** 3 - 1,
    a_prev: Math.E ** (3 + a1) - 1,
    a_last: Math.E ** (3 + a1 + a2) - 1,
  };
}
