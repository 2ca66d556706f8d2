import { CvsError } from '../errors.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const cache = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC); throws CvsError naming the bad value. */
export function dayNumber(date: string): number {
  const known = cache.get(date);
  if (known !== undefined) return known;
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new CvsError(`invalid date '${date}' (expected YYYY-MM-DD)`);
  }
  const day = ms / 86_400_000;
  // Runs share a handful of dates across many accounts: remember the parsed ones (bounded).
  if (cache.size >= 10_000) cache.clear();
  cache.set(date, day);
  return day;
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
