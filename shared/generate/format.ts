/**
 * Value formats of the sample files: days as integers since 1970-01-01 (UTC), rendered as `YYYY-MM-DD` dates and
 * `YYYY-MM-DD HH:MM:SS` timestamps; Salesforce 18-character ids; 32-bit id hashes.
 */

const MS_PER_DAY = 86_400_000;
const dayCache = new Map<number, string>();
const monthCache = new Map<number, number>();

/** The day number (days since 1970-01-01 UTC) of a `YYYY-MM-DD` date; throws on a malformed date. */
export function parseDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`not a YYYY-MM-DD date: '${date}'`);
  }
  return ms / MS_PER_DAY;
}

/** The `YYYY-MM-DD` text of a day number (cached: the same few hundred days are rendered millions of times). */
export function dayText(day: number): string {
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    dayCache.set(day, s);
  }
  return s;
}

/** A `YYYY-MM-DD HH:MM:SS` timestamp from a day number and a second of the day (0-86399). */
export function timestampText(day: number, secondOfDay = 0): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${dayText(day)} ${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
}

/** A `YYYY-MM-DD HH:00:00` timestamp truncated to the hour (0-23), as Pendo's hour buckets are. */
export function hourText(day: number, hour: number): string {
  return `${dayText(day)} ${pad2(hour)}:00:00`;
}

/** The calendar month of a day number as `year * 12 + month0`, for counting distinct months. */
export function monthKey(day: number): number {
  let k = monthCache.get(day);
  if (k === undefined) {
    const d = new Date(day * MS_PER_DAY);
    k = d.getUTCFullYear() * 12 + d.getUTCMonth();
    monthCache.set(day, k);
  }
  return k;
}

/** The day number `months` calendar months after (negative: before) a day, clamped to the month's last day. */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / MS_PER_DAY;
}

/** The calendar year and quarter (1-4) of a day number. */
export function yearQuarter(day: number): { year: number; quarter: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), quarter: Math.floor(d.getUTCMonth() / 3) + 1 };
}

/** The day of the week of a day number, 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (day + 4) % 7;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const SPACE = 62 ** 8;

/**
 * A valid 18-character Salesforce id: the 3-character key prefix (`001` account, `003` contact, ...), a fixed pod
 * part, 8 base-62 characters from the serial number (scrambled by an odd multiplier, so ids do not look sequential)
 * and the 3-character case-safe checksum suffix Salesforce computes from the upper-case letters.
 */
export function salesforceId(prefix: string, serial: number): string {
  let n = (serial * 7_919 + 104_729) % SPACE;
  let body = '';
  for (let i = 0; i < 8; i++) {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  }
  return caseSafeId(`${prefix}5g00${body}`);
}

/** The 18-character case-safe form of a 15-character Salesforce id (a 3-letter suffix encoding upper-case spots). */
export function caseSafeId(id15: string): string {
  if (id15.length !== 15) throw new Error(`a Salesforce id has 15 characters, got '${id15}'`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return id15 + suffix;
}

/** The 32-bit FNV-1a hash of a string, an unsigned integer up to 4,294,967,295 (like Pendo's id_hash). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
