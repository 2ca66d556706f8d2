import { describe, expect, it } from 'vitest';
import {
  addMonths,
  caseSafeId,
  dayText,
  hash32,
  hourText,
  monthKey,
  parseDay,
  salesforceId,
  timestampText,
  weekday,
} from '../../../shared/generate/format.ts';

describe('Function: parseDay', () => {
  it('counts days since 1970-01-01 when the date is valid', () => {
    // Prepare / Act / Assess: 1970-01-02 is day 1; 2024-01-01 is 19723 days later (54 years, 13 leap days)
    expect(parseDay('1970-01-02')).toBe(1);
    expect(parseDay('2024-01-01')).toBe(54 * 365 + 13);
  });

  it('throws when the date does not exist', () => {
    // Act & Assess
    expect(() => parseDay('2024-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDay('31/10/2024')).toThrow(/YYYY-MM-DD/);
  });
});

describe('Function: timestampText', () => {
  it('renders date and time of day when given seconds', () => {
    // Prepare
    const day = parseDay('2024-10-31');
    // Act / Assess: 3661 s = 01:01:01
    expect(timestampText(day, 3_661)).toBe('2024-10-31 01:01:01');
    expect(timestampText(day)).toBe('2024-10-31 00:00:00');
    expect(hourText(day, 9)).toBe('2024-10-31 09:00:00');
    expect(dayText(day)).toBe('2024-10-31');
  });
});

describe('Function: addMonths', () => {
  it('clamps to the last day of a shorter month when stepping back', () => {
    // Prepare
    const day = parseDay('2024-10-31');
    // Act / Assess: 10 months before Oct 31 is Dec 31 of the previous year; 8 months before is Feb 29 (leap year)
    expect(dayText(addMonths(day, -10))).toBe('2023-12-31');
    expect(dayText(addMonths(day, -8))).toBe('2024-02-29');
  });

  it('gives month keys that differ by one for consecutive months', () => {
    // Act / Assess
    expect(monthKey(parseDay('2024-02-01')) - monthKey(parseDay('2024-01-31'))).toBe(1);
    expect(weekday(parseDay('2024-10-31'))).toBe(4); // a Thursday
  });
});

describe('Function: caseSafeId', () => {
  it('appends the checksum of the upper-case positions when given a 15-character id', () => {
    // Prepare: chunks '00150' and '00000' have no capitals (A); 'Gv7qJ' has G (bit 0) and J (bit 4) = 17 = R
    // Act / Assess
    expect(caseSafeId('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(() => caseSafeId('001')).toThrow(/15 characters/);
  });
});

describe('Function: salesforceId', () => {
  it('gives distinct 18-character ids with the prefix and a valid suffix when serials differ', () => {
    // Act
    const ids = Array.from({ length: 1000 }, (_, i) => salesforceId('003', i));
    // Assess
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^003[0-9A-Za-z]{15}$/);
      expect(caseSafeId(id.slice(0, 15))).toBe(id);
    }
  });
});

describe('Function: hash32', () => {
  it('matches the FNV-1a reference values', () => {
    // Act / Assess: FNV-1a 32-bit offset basis for '', and the published value for 'a'
    expect(hash32('')).toBe(2_166_136_261);
    expect(hash32('a')).toBe(0xe40c292c);
  });
});
