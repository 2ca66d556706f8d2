import { describe, expect, it } from 'vitest';
import { addDays, checkDate, daysBetween, isRealDate } from '../../shared/dates.ts';
import { CvsError } from '../../shared/errors.ts';

describe('Function: daysBetween', () => {
  it('counts calendar days across a leap day', () => {
    // Act & Assess: 2024-02-28 -> 02-29 -> 03-01
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
  });

  it('throws naming the value when a date is not YYYY-MM-DD', () => {
    // Act & Assess
    expect(() => daysBetween('2024-02-30', '2024-03-01')).toThrow(CvsError);
    expect(() => daysBetween('31/01/2024', '2024-03-01')).toThrow("invalid date '31/01/2024'");
  });
});

describe('Function: isRealDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2024-02-30', false],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-04-31', false],
    ['2024-1-01', false],
    ['31/10/2024', false],
    ['2024-12-31', true],
  ])('%s -> %s', (value, ok) => expect(isRealDate(value)).toBe(ok));
});

describe('Function: addDays', () => {
  it('adds and subtracts whole days across a leap day and a year end', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-10-31', -91)).toBe('2024-08-01');
  });
});

describe('Function: checkDate', () => {
  it('returns a valid date and names the value otherwise', () => {
    expect(checkDate('2024-10-31', 'as-of')).toBe('2024-10-31');
    expect(() => checkDate('2024-02-30', 'as-of')).toThrow(
      "as-of must be a date that exists as YYYY-MM-DD, got '2024-02-30'",
    );
  });
});
