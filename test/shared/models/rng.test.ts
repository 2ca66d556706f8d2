import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, shuffleInPlace } from '../../../shared/models/rng.ts';

describe('Function: createRng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    // Act
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    const sb = Array.from({ length: 5 }, () => b.next());
    const sc = Array.from({ length: 5 }, () => c.next());

    // Assess
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('draws uniform floats in [0, 1) and integers in [0, n) with a mean near the middle', () => {
    // Prepare
    const rng = createRng(1);

    // Act
    const xs = Array.from({ length: 20000 }, () => rng.next());
    const ints = Array.from({ length: 20000 }, () => rng.nextInt(10));
    const normals = Array.from({ length: 20000 }, () => rng.nextNormal());

    // Assess: the sd of a mean of 20,000 uniforms is 0.002
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(normals.reduce((s, x) => s + x * x, 0) / normals.length).toBeCloseTo(1, 1);
  });
});

describe('Function: deriveSeed', () => {
  it('gives different seeds per index and the same for the same pair', () => {
    // Act & Assess
    expect(deriveSeed(7, 0)).toBe(deriveSeed(7, 0));
    expect(new Set([0, 1, 2, 3].map((i) => deriveSeed(7, i))).size).toBe(4);
  });
});

describe('Function: shuffleInPlace', () => {
  it('permutes the values without losing any', () => {
    // Act
    const a = shuffleInPlace(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), createRng(3));

    // Assess
    expect(Array.from(a).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
