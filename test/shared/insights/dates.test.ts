import { describe, expect, it } from 'vitest';
import { CvsError } from '../../../shared/errors.ts';
import { daysBetween } from '../../../shared/insights/dates.ts';

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
