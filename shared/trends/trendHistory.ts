import type { TrendsConfig } from '../config/trends.ts';
import type { Row } from '../ports/index.ts';
import { PIT_COLUMNS } from '../sql/pointInTime.ts';
import { trendValueScores } from './trendValueScore.ts';
import type { PitFeatures, PitPoint, TrendHistory } from './types.ts';

/** Whole days from date a to date b (YYYY-MM-DD, b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The point-in-time features of a row (SQL result or stored record, `prefix` before each name); null if incomplete. */
export function pitFeaturesOf(
  row: Readonly<Record<string, unknown>>,
  prefix = '',
): PitFeatures | null {
  const out: Record<string, number> = {};
  for (const c of PIT_COLUMNS) {
    const v = row[prefix + c];
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) return null;
    out[c] = n;
  }
  return out as PitFeatures;
}

/** Scores one date's accounts (trend value score relative to them) into points keyed by account id. */
export function scoreDate(
  accounts: readonly { accountId: string; features: PitFeatures }[],
  config: TrendsConfig,
): Map<string, PitPoint> {
  const scores = trendValueScores(
    accounts.map((a) => a.features),
    config,
  );
  return new Map(accounts.map((a, i) => [a.accountId, { ...a, score: scores[i] }]));
}

/** Groups point-in-time SQL rows (`as_of`, `account_id`, PIT columns) by date and scores each date. */
export function scoreRowsByDate(
  rows: readonly Row[],
  config: TrendsConfig,
): Map<string, Map<string, PitPoint>> {
  const groups = new Map<string, { accountId: string; features: PitFeatures }[]>();
  for (const r of rows) {
    const features = pitFeaturesOf(r);
    if (!features || r.account_id === null) continue;
    const date = String(r.as_of);
    const list = groups.get(date) ?? [];
    if (list.length === 0) groups.set(date, list);
    list.push({ accountId: String(r.account_id), features });
  }
  return new Map([...groups].map(([d, list]) => [d, scoreDate(list, config)]));
}

/** A history from points per date (dates sorted ascending). */
export function makeHistory(
  byDate: ReadonlyMap<string, ReadonlyMap<string, PitPoint>>,
): TrendHistory {
  return { dates: [...byDate.keys()].sort(), byDate };
}

/** The history date nearest to `target` within `tolerance` days (earlier wins a tie), or null. */
export function nearestDate(
  dates: readonly string[],
  target: string,
  tolerance: number,
): string | null {
  let best: string | null = null;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const d of dates) {
    const gap = Math.abs(daysBetween(target, d));
    if (gap <= tolerance && gap < bestGap) {
      best = d;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * Dates from `from` to `to` (inclusive) every `everyDays` days, counted forward from `from` (anchor 'from') or back
 * from `to` (anchor 'to', so `to` is always included); ascending.
 */
export function dateGrid(
  from: string,
  to: string,
  everyDays: number,
  anchor: 'from' | 'to' = 'from',
): string[] {
  const out: string[] = [];
  const span = daysBetween(from, to);
  for (let k = 0; k * everyDays <= span; k++) {
    const d = new Date(`${anchor === 'from' ? from : to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + (anchor === 'from' ? 1 : -1) * k * everyDays);
    out.push(d.toISOString().slice(0, 10));
  }
  return anchor === 'from' ? out : out.reverse();
}
