import { describe, expect, it } from 'vitest';
import type { CsvTable } from '../../../../shared/io/csvTable.ts';
import { mergeParts, mergePartTables } from '../../../../shared/pipeline/steps/parts.ts';

describe('Function: mergeParts', () => {
  it('joins parts by account_id, keeps the first part order and never replaces an earlier column', () => {
    // Prepare
    const features = [
      { account_id: 'a', sum_minutes: 10 },
      { account_id: 'b', sum_minutes: 20 },
    ];
    const scores = [
      { account_id: 'b', value_index: 0.9, sum_minutes: 999 },
      { account_id: 'a', value_index: 0.1, sum_minutes: 999 },
      { account_id: 'z', value_index: 0.5, sum_minutes: 999 },
    ];
    const trends = [{ account_id: 'a', trend_3m: 'Up' }];
    // Act
    const { rows, columns } = mergeParts([features, scores, trends]);
    // Assess
    expect(columns).toEqual(['account_id', 'sum_minutes', 'value_index', 'trend_3m']);
    expect(rows).toEqual([
      { account_id: 'a', sum_minutes: 10, value_index: 0.1, trend_3m: 'Up' },
      { account_id: 'b', sum_minutes: 20, value_index: 0.9 },
    ]);
  });
});

describe('Function: mergePartTables', () => {
  it('merges tables of cells as mergeParts merges rows: same columns, values, order and missing cells', () => {
    // Prepare: the parts above as tables, plus an empty part and a repeated account in the features
    const features: CsvTable = {
      columns: ['account_id', 'sum_minutes'],
      rows: [
        ['a', 10],
        ['b', 20],
        ['a', 11],
      ],
    };
    const scores: CsvTable = {
      columns: ['sum_minutes', 'account_id', 'value_index'],
      rows: [
        [999, 'b', 0.9],
        [999, 'a', 0.1],
        [999, 'z', 0.5],
      ],
    };
    const empty: CsvTable = { columns: ['account_id', 'nothing'], rows: [] };
    const trends: CsvTable = { columns: ['account_id', 'trend_3m'], rows: [['a', 'Up']] };
    // Act
    const merged = mergePartTables([features, scores, empty, trends]);
    // Assess: 'a' keeps its last feature row at its first place; 'b' has no trend cell
    expect(merged.columns).toEqual(['account_id', 'sum_minutes', 'value_index', 'trend_3m']);
    expect(merged.rows.map((r) => merged.columns.map((_, i) => r[i]))).toEqual([
      ['a', 11, 0.1, 'Up'],
      ['b', 20, 0.9, undefined],
    ]);
    // and mergeParts agrees on the same input as objects
    const asRows = (t: CsvTable) =>
      t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null])));
    const legacy = mergeParts([
      asRows({
        columns: ['account_id', 'sum_minutes'],
        rows: [
          ['a', 10],
          ['b', 20],
          ['a', 11],
        ],
      }),
      asRows(scores),
      asRows(empty),
      asRows(trends),
    ]);
    expect(legacy.columns).toEqual(merged.columns);
    expect(legacy.rows).toEqual([
      { account_id: 'a', sum_minutes: 11, value_index: 0.1, trend_3m: 'Up' },
      { account_id: 'b', sum_minutes: 20, value_index: 0.9 },
    ]);
  });
});
