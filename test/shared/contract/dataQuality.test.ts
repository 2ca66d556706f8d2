import { describe, expect, it } from 'vitest';
import {
  absentTableNote,
  countCategories,
  tableKey,
} from '../../../shared/contract/dataQuality.ts';
import { pendoAccount, sfContact, sfTask } from '../../../shared/contract/tables.ts';

describe('Function: countCategories', () => {
  it('counts each row once per category, sorted by name', () => {
    // Act
    const counts = countCategories([
      { categories: 'out of range', n: 3 },
      { categories: 'not a bigint;out of range', n: 2 },
      { categories: 'not a bigint;not a bigint', n: 1 },
    ]);

    // Assess
    expect(counts).toEqual({ 'not a bigint': 3, 'out of range': 5 });
    expect(Object.keys(counts)).toEqual(['not a bigint', 'out of range']);
  });
});

describe('Function: tableKey', () => {
  it('joins source and table name', () => {
    // Act & Assess
    expect(tableKey(pendoAccount)).toBe('pendo/pendo__account');
    expect(tableKey(sfContact)).toBe('salesforce/contact');
  });
});

describe('Function: absentTableNote', () => {
  it('says what an absent task table changes', () => {
    // Act & Assess
    expect(absentTableNote(sfTask)).toBe(
      'salesforce/task absent: total_activities_30d uses events only',
    );
  });
});
