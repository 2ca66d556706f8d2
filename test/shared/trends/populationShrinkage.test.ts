import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { trendsConfig } from '../../../shared/config/trends.ts';
import { shrinkagePairSumsSql } from '../../../shared/sql/pointInTime.ts';
import {
  correctedPairSums,
  type RawPairSums,
  shrinkageOfSums,
} from '../../../shared/trends/ownTrend.ts';
import { type SampledHistory, shrinkageAt } from '../../../shared/trends/trendBacktest.ts';
import { rawPairSumsOf } from '../../../shared/trends/trendData.ts';
import { worldHistory } from './trendWorld.ts';

const config = trendsConfig.parse({
  shrinkage: { minPairs: 2, pairs: 'all-accounts', reliability: 'pooled' },
});

/**
 * Origin A, raw pairs (1, 2), (3, 4), medians mx = 1, my = 1 -> corrected (0, 1), (2, 3); origin B, raw (0, 0),
 * (2, -2), medians 0 -> the same. Pooled corrected: x 0, 2, 0, 2; y 1, 3, 0, -2: n 4, Sx 4, Sy 2, Sxy 2, Sxx 8;
 * centred Sxy 2 - 4 x 2 / 4 = 0, Sxx 8 - 16 / 4 = 4. Noise 0.4 over 2 pairs.
 */
const A: RawPairSums = { n: 2, sx: 4, sy: 6, sxy: 14, sxx: 10, sumNoise: 0.4, noisePairs: 2 };
const B: RawPairSums = { n: 2, sx: 2, sy: -2, sxy: -4, sxx: 4, sumNoise: 0, noisePairs: 0 };

describe('Function: correctedPairSums', () => {
  it('takes each origin’s medians off its raw sums and centres the pooled sums', () => {
    // Act
    const c = correctedPairSums([
      { sums: A, mx: 1, my: 1 },
      { sums: B, mx: 0, my: 0 },
    ]);
    // Assess
    const none = { sumNoisePrev2: 0, noisePrev2Pairs: 0 };
    expect(c).toEqual({ n: 4, sxy: 0, sxx: 4, sumNoise: 0.4, noisePairs: 2, ...none });
    expect(correctedPairSums([])).toEqual({
      n: 0,
      sxy: 0,
      sxx: 0,
      sumNoise: 0,
      noisePairs: 0,
      ...none,
    });
  });

  it('gives b from the sums: noise-corrected (0 + 3/4 x 0.4) / 4 = 0.075, naive 0', () => {
    // Act
    const s = shrinkageOfSums(
      correctedPairSums([
        { sums: A, mx: 1, my: 1 },
        { sums: B, mx: 0, my: 0 },
      ]),
      config,
      ' of every account (not a sample)',
    );
    // Assess
    expect(s.b).toBeCloseTo(0.075, 12);
    expect(s.naiveSlope).toBe(0);
    expect(s.meanNoiseVariance).toBeCloseTo(0.2, 12);
    expect(s.changeVariance).toBe(1);
    expect(s.pairs).toBe(4);
    expect(s.reason).toContain('over 4 pairs of every account (not a sample)');
    // with fewer pairs than minPairs, the fallback
    const few = shrinkageOfSums(
      correctedPairSums([{ sums: A, mx: 1, my: 1 }]),
      trendsConfig.parse({}),
    );
    expect(few.b).toBe(0.5);
    expect(few.reason).toContain('2 pairs of consecutive corrected changes (need 30');
  });
});

describe('SQL: shrinkagePairSumsSql (K = 2 weeks)', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
    await engine.execute(
      'CREATE TABLE g (account_id varchar, w integer, first_w integer, v_last bigint, v_prev bigint, v_prev2 bigint, q_prev bigint, q_prev2 bigint)',
    );
    // three full windows need first_w >= w + 5: a and c at w 0, a at w 1; b (first_w 4) never
    await engine.execute(`INSERT INTO g VALUES
      ('a', 0, 6, 3, 1, 0, 2, 1),
      ('b', 0, 4, 9, 9, 9, 1, 1),
      ('c', 0, 7, 1, 1, 1, NULL, NULL),
      ('a', 1, 6, 1, 0, 0, 0, 0)`);
  });
  afterAll(async () => engine.close());

  it('sums every account’s pairs per origin week, with the shared window’s noise where q_prev is known', async () => {
    // Act
    const rows = await engine.query(shrinkagePairSumsSql('g', 2));
    // Assess: w 0: a x = ln 2 - ln 1, y = ln 4 - ln 2 (both ln 2), noise 2 x 2 / (2 x 1 x 2^2) = 0.5; c x = y = 0
    const ln2 = Math.log(2);
    expect(rows).toHaveLength(2);
    const w0 = rawPairSumsOf(rows[0]);
    expect(w0).toMatchObject({ w: 0, n: 2, sumNoise: 0.5, noisePairs: 1 });
    // the earliest window's noise (per-account reliability): a q_prev2 1, v_prev2 0: 2 x 1 / (2 x 1 x 1^2) = 1
    expect(w0).toMatchObject({ sumNoisePrev2: 1, noisePrev2Pairs: 1 });
    expect(w0?.sx).toBeCloseTo(ln2, 12);
    expect(w0?.sy).toBeCloseTo(ln2, 12);
    expect(w0?.sxy).toBeCloseTo(ln2 * ln2, 12);
    expect(w0?.sxx).toBeCloseTo(ln2 * ln2, 12);
    // w 1: a x = 0, y = ln 2, noise 0 (q_prev 0)
    const w1 = rawPairSumsOf(rows[1]);
    expect(w1).toMatchObject({ w: 1, n: 1, sx: 0, sxx: 0, sumNoise: 0, noisePairs: 1 });
    expect(w1).toMatchObject({ sumNoisePrev2: 0, noisePrev2Pairs: 1 });
    expect(w1?.sy).toBeCloseTo(ln2, 12);
  });

  it('gives the same sums whatever order the rows are added in (exact decimal sums)', async () => {
    // Prepare: noise = 2 q / (2 (9 + 1)^2) = 0.1, 0.2, 0.3; as doubles (0.1 + 0.2) + 0.3 = 0.6000000000000001 but
    // (0.3 + 0.2) + 0.1 = 0.6
    const table = (name: string, qs: number[]) =>
      `CREATE TABLE ${name} AS SELECT * FROM (VALUES ${qs
        .map((q, i) => `('a${i}', 0, 9, 9, 9, 9, ${q}, ${q})`)
        .join(', ')}) t(account_id, w, first_w, v_last, v_prev, v_prev2, q_prev, q_prev2)`;
    await engine.execute(table('up', [10, 20, 30]));
    await engine.execute(table('down', [30, 20, 10]));
    // Act
    const up = rawPairSumsOf((await engine.query(shrinkagePairSumsSql('up', 2)))[0]);
    const down = rawPairSumsOf((await engine.query(shrinkagePairSumsSql('down', 2)))[0]);
    // Assess
    expect(up?.sumNoise).toBe(0.6);
    expect(down?.sumNoise).toBe(0.6);
    expect(up?.sumNoisePrev2).toBe(0.6);
    expect(down?.sumNoisePrev2).toBe(0.6);
  });

  it('reads a row given as text (Athena) and refuses a malformed one', () => {
    // Act & Assess
    expect(
      rawPairSumsOf({
        w: '3',
        n: '2',
        sx: '0.5',
        sy: '1',
        sxy: '0.25',
        sxx: '0.5',
        sum_noise: '0',
        noise_pairs: '0',
      }),
    ).toEqual({ w: 3, n: 2, sx: 0.5, sy: 1, sxy: 0.25, sxx: 0.5, sumNoise: 0, noisePairs: 0 });
    expect(rawPairSumsOf({ w: '3', n: null })).toBeNull();
  });
});

describe('Function: shrinkageAt (shrinkage.pairs)', () => {
  // A sampled history whose own rows give some b; the population sums below give another.
  const sampled = worldHistory(
    {
      a: [1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 8],
      b: [4, 4, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1],
      c: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    },
    2,
  );
  const hist: SampledHistory = {
    ...sampled,
    pairSums: new Map([
      [0, A],
      [1, B],
    ]),
    medians: new Map([
      [0, { c: 1, y3: null, y6: null }],
      [1, { c: 0, y3: null, y6: null }],
      [2, { c: 1, y3: null, y6: null }],
      [3, { c: 0, y3: null, y6: null }],
    ]),
  };

  it('estimates b from every account’s sums with all-accounts, and from the sample with sample', () => {
    // Act: at w0 = 0 origins 0 (medians: my = median at 0 = 1, mx = median at 0 + K = 2: 1) and 1 (0 and 0)
    const all = shrinkageAt(hist, 0, config);
    const sample = shrinkageAt(
      hist,
      0,
      trendsConfig.parse({ shrinkage: { minPairs: 2, pairs: 'sample', reliability: 'pooled' } }),
    );
    // Assess: the worked example above
    expect(all.b).toBeCloseTo(0.075, 12);
    expect(all.pairs).toBe(4);
    expect(sample.reason).not.toContain('every account');
    expect(sample.pairs).not.toBe(4);
  });

  it('estimates the per-account reliability from the same sums, with both windows’ noise of every pair', () => {
    // Prepare: A and B with the earliest window's noise: 0.2 over A's 2 pairs, 0 over B's; B's shared noise known
    const both: SampledHistory = {
      ...hist,
      pairSums: new Map([
        [0, { ...A, sumNoisePrev2: 0.2, noisePrev2Pairs: 2 }],
        [1, { ...B, noisePairs: 2, sumNoisePrev2: 0, noisePrev2Pairs: 2 }],
      ]),
    };
    const perAccount = trendsConfig.parse({
      shrinkage: { minPairs: 2, pairs: 'all-accounts', reliability: 'per-account' },
    });
    // Act
    const s = shrinkageAt(both, 0, perAccount);
    const lacking = shrinkageAt(hist, 0, perAccount);
    // Assess: n 4, Sxy 0, Sxx 4 (the worked example); beta = (0 + 3/4 x 0.4) / (4 - 3/4 x 0.6) = 0.3 / 3.55,
    // tau2 = 3.55 / 4
    expect(s.reliability?.usable).toBe(true);
    expect(s.reliability?.beta).toBeCloseTo(0.3 / 3.55, 12);
    expect(s.reliability?.tau2).toBeCloseTo(0.8875, 12);
    expect(s.reliability?.meanChangeNoise).toBeCloseTo(0.15, 12);
    expect(s.reliability?.reason).toContain('over 4 pairs of every account (not a sample)');
    expect(s.b).toBeCloseTo(0.075, 12);
    // without the earliest window's noise (sums of an older query) it is not usable: the pooled b stands
    expect(lacking.reliability).toMatchObject({ usable: false, beta: null });
    expect(lacking.reliability?.reason).toContain('known for 0 of the 4 pairs');
    expect(lacking.reason).toContain('the pooled b stands');
  });

  it('uses only the origins known at the forecast origin', () => {
    // Act: at w0 = 1 only origin 1 (B): x 0, 2; y 0, -2 -> slope -1, no noise: b clipped to 0
    const s = shrinkageAt(hist, 1, config);
    // Assess
    expect(s.pairs).toBe(2);
    expect(s.slope).toBeCloseTo(-1, 12);
    expect(s.b).toBe(0);
  });
});
