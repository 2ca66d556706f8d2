import { describe, expect, it } from 'vitest';
import {
  binColumns,
  binValue,
  fitBinEdges,
  fitFeatureEdges,
} from '../../../shared/models/binning.ts';

describe('Function: fitFeatureEdges', () => {
  it('puts edges at midpoints between distinct values when they are few', () => {
    // Act
    const edges = fitFeatureEdges(Float64Array.from([3, 1, 1, 2, 10]));

    // Assess
    expect(Array.from(edges)).toEqual([1.5, 2.5, 6.5]);
  });

  it('caps the bins at maxBins with quantile edges when values are many', () => {
    // Prepare: 0..99 into 4 bins -> edges after 25, 50, 75 values
    const values = Float64Array.from({ length: 100 }, (_, i) => i);

    // Act
    const edges = fitFeatureEdges(values, 4);

    // Assess
    expect(Array.from(edges)).toEqual([24.5, 49.5, 74.5]);
  });
});

describe('Function: binValue', () => {
  it('counts the edges below a value and gives missing the last code', () => {
    // Prepare
    const edges = Float64Array.from([1.5, 2.5, 6.5]);

    // Act & Assess
    expect([0, 1.5, 2, 7, 1e9].map((v) => binValue(edges, v))).toEqual([0, 0, 1, 3, 3]);
    expect(binValue(edges, null)).toBe(4);
    expect(binValue(edges, Number.NaN)).toBe(4);
  });
});

describe('Function: binColumns', () => {
  it('lays bin codes out column by column and ignores missing values when fitting', () => {
    // Prepare
    const X = [
      [1, 5],
      [2, null],
      [3, 7],
    ];

    // Act
    const edges = fitBinEdges(X);
    const codes = binColumns(X, edges);

    // Assess: feature 1 has edge 6 only, missing code 2
    expect(Array.from(edges[1])).toEqual([6]);
    expect(Array.from(codes)).toEqual([0, 1, 2, 0, 2, 1]);
  });
});
