/**
 * Calendar dates as CVS passes them around: `YYYY-MM-DD` strings naming a UTC day. Every date check and date
 * arithmetic of the project lives here, so a rule (what a valid date is, how days are counted) is one edit.
 */
import { CvsError } from './errors.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const cache = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC), or NaN when it is not a day that exists. */
function parseDay(date: string): number {
  const known = cache.get(date);
  if (known !== undefined) return known;
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return Number.NaN;
  const day = ms / 86_400_000;
  // Runs share a handful of dates across many accounts: remember the parsed ones (bounded).
  if (cache.size >= 10_000) cache.clear();
  cache.set(date, day);
  return day;
}

/** True for a YYYY-MM-DD string naming a day that exists (2024-02-29 yes, 2024-02-30 and 2023-02-29 no). */
export function isRealDate(value: string): boolean {
  return !Number.isNaN(parseDay(value));
}

/** Returns `value` when it is a YYYY-MM-DD day that exists; throws a CvsError naming `what` otherwise. */
export function checkDate(value: string, what = 'date'): string {
  if (!isRealDate(value)) {
    throw new CvsError(`${what} must be a date that exists as YYYY-MM-DD, got '${value}'`);
  }
  return value;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC); throws CvsError naming the bad value. */
export function dayNumber(date: string): number {
  const day = parseDay(date);
  if (Number.isNaN(day)) throw new CvsError(`invalid date '${date}' (expected YYYY-MM-DD)`);
  return day;
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The YYYY-MM-DD date `days` whole days after `date` (before it when negative), UTC. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}
