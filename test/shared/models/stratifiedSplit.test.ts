import { describe, expect, it } from 'vitest';
import { ModelInputError } from '../../../shared/models/modelErrors.ts';
import { stratifiedSplit } from '../../../shared/models/stratifiedSplit.ts';

describe('Function: stratifiedSplit', () => {
  // 100 negatives then 50 positives
  const y = Array.from({ length: 150 }, (_, i) => (i < 100 ? 0 : 1));

  it('keeps the class ratio on both sides when testSize is 0.3', () => {
    // Act
    const { train, test } = stratifiedSplit(y, { testSize: 0.3, randomState: 4 });

    // Assess: 30 of 100 negatives and 15 of 50 positives go to test
    const positives = (idx: Int32Array) => Array.from(idx).filter((i) => y[i] === 1).length;
    expect(test.length).toBe(45);
    expect(positives(test)).toBe(15);
    expect(train.length).toBe(105);
    expect(positives(train)).toBe(35);
  });

  it('covers every row exactly once', () => {
    // Act
    const { train, test } = stratifiedSplit(y, { randomState: 1 });

    // Assess
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('repeats with the same seed and changes with another', () => {
    // Act
    const a = stratifiedSplit(y, { randomState: 9 });
    const b = stratifiedSplit(y, { randomState: 9 });
    const c = stratifiedSplit(y, { randomState: 10 });

    // Assess
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('throws when testSize is outside (0, 1)', () => {
    // Act & Assess
    expect(() => stratifiedSplit(y, { testSize: 1 })).toThrow(ModelInputError);
  });
});
