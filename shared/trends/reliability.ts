import type { TrendsConfig } from '../config/trends.ts';
import {
  type CentredPairSums,
  centredSums,
  knownNoiseVariance,
  persistenceFactorOf,
  type Shrinkage,
  type ShrinkagePair,
  type WindowRow,
} from './ownTrend.ts';
import type { Horizon } from './types.ts';

/**
 * Per-account reliability of the observed change (docs/trends.md, "Ninth method, pre-registered";
 * `trends.shrinkage.reliability: per-account`).
 *
 * The pooled factor b shrinks every account's observed 91-day change by the same share, although how much of an
 * observed change is counting noise depends on the account: a window of 30 visitor-days moves by tens of percent by
 * chance, one of 3,000 barely. Write the observed corrected change of account i as x_i = s_i + e_i: s_i the change
 * of its usage level (variance tau2 over the accounts), e_i the measurement noise of its two windows, of variance
 * sigma2_i = noise(last window) + noise(previous window), each windowNoiseVariance of the window's own week-to-week
 * differences. If the next window's change of the usage level is beta s_i plus something unrelated to x_i, then
 * E[next change | x_i] = beta lambda_i x_i with lambda_i = tau2 / (tau2 + sigma2_i) (the reliability of the
 * account's change; jointly normal s and e). From the shrinkage pairs (previous change x = L2 - L1, change
 * y = L3 - L2 of three consecutive windows' log levels):
 *   cov(y, x) = beta tau2 - noise(L2)          (the shared window enters both with opposite signs)
 *   var(x)    = tau2 + noise(L1) + noise(L2)
 * so beta = (Sxy + (n - 1)/n sum noise(L2)) / (Sxx - (n - 1)/n sum (noise(L1) + noise(L2))) and
 * tau2 = (Sxx - (n - 1)/n sum (noise(L1) + noise(L2))) / n, over the pairs with both windows' noise known (the same
 * centring correction as the noise-corrected slope). The expected change of an account over a horizon is then
 * regressedFactor(beta, h) x lambda_i x its corrected change: beta (3 months) or beta + beta^2 (6 months), as for
 * b. When every account has the same noise, lambda_i = tau2 / var(x) and beta lambda_i is the noise-corrected b:
 * the method differs from the pooled one only through the spread of the accounts' noise.
 */

/** The per-account reliability estimate and why it is (not) usable. */
export interface Reliability {
  readonly usable: boolean;
  /** beta clipped to [0, 1] (null when not usable). */
  readonly beta: number | null;
  /** The unclipped estimate of beta (null when not estimable). */
  readonly slope: number | null;
  /** The variance of the change of the usage level over the pairs, tau2 (null when not usable). */
  readonly tau2: number | null;
  /** The mean measurement-noise variance of a change over the pairs, noise(L1) + noise(L2) (null without pairs). */
  readonly meanChangeNoise: number | null;
  /** The pairs the estimate is over (every one needs both windows' noise). */
  readonly pairs: number;
  /**
   * The factor of beta per horizon before the account's reliability, set by withReliability when usable:
   * regressedFactor (beta, beta + beta^2) or, with `sixMonth.factor: lasting`, lastingFactor (beta, 2 beta).
   */
  readonly factors?: Readonly<Record<Horizon, number>>;
  readonly reason: string;
}

/**
 * The measurement-noise variance of an account's observed change at its origin: noise of the last window plus that
 * of the previous one (windowNoiseVariance of each); null when either window's week-to-week sum is unknown.
 */
export function changeNoiseVariance(r: WindowRow, windowWeeks: number): number | null {
  const last = knownNoiseVariance(r.q_last, r.v_last, windowWeeks);
  const prev = knownNoiseVariance(r.q_prev, r.v_prev, windowWeeks);
  return last === null || prev === null ? null : last + prev;
}

/** beta and tau2 from the pairs with both windows' noise (see the module comment); `minPairs` as for b. */
export function reliabilityOf(pairs: readonly ShrinkagePair[], minPairs: number): Reliability {
  const known = pairs.filter(
    (p): p is ShrinkagePair & { noise: number; noisePrev2: number } =>
      typeof p.noise === 'number' && typeof p.noisePrev2 === 'number',
  );
  const n = known.length;
  const sums = n >= 2 ? centredSums(known) : { n, sxy: 0, sxx: 0 };
  return reliabilityOfSums(
    {
      ...sums,
      sumNoise: known.reduce((a, p) => a + p.noise, 0),
      noisePairs: n,
      sumNoisePrev2: known.reduce((a, p) => a + p.noisePrev2, 0),
      noisePrev2Pairs: n,
    },
    minPairs,
  );
}

/**
 * beta and tau2 from the centred sums of the pairs (n, Sxy, Sxx) and the sums of their two noises: every pair must
 * have both (otherwise not usable, and the reason says how many lack one). `source` says whose pairs, in the reason.
 */
export function reliabilityOfSums(
  sums: CentredPairSums,
  minPairs: number,
  source = '',
): Reliability {
  const { n, sxy, sxx } = sums;
  const both = Math.min(sums.noisePairs, sums.noisePrev2Pairs ?? 0);
  const noiseTotal = sums.sumNoise + (sums.sumNoisePrev2 ?? 0);
  const meanChangeNoise = n > 0 && both === n ? noiseTotal / n : null;
  const none = (reason: string): Reliability => ({
    usable: false,
    beta: null,
    slope: null,
    tau2: null,
    meanChangeNoise,
    pairs: n,
    reason,
  });
  if (n < minPairs || n < 2) return none(`${n} pairs${source} (need ${minPairs})`);
  if (both < n)
    return none(`the noise of both windows is known for ${both} of the ${n} pairs${source}`);
  const k = (n - 1) / n;
  const num = sxy + k * sums.sumNoise;
  const den = sxx - k * noiseTotal;
  if (!(den > 0))
    return none(
      `the measured noise of the changes (mean ${(meanChangeNoise as number).toFixed(4)}) is as large as their variance (${(sxx / n).toFixed(4)}) over ${n} pairs${source}: no change of the usage level is left to scale`,
    );
  const slope = num / den;
  const beta = Math.min(1, Math.max(0, slope));
  const tau2 = den / n;
  return {
    usable: true,
    beta,
    slope,
    tau2,
    meanChangeNoise,
    pairs: n,
    reason: `persistence of the usage level's change beta = ${slope.toFixed(3)}, clipped to [0, 1]: ${beta.toFixed(3)}; variance of that change ${tau2.toFixed(4)} against a mean noise of the observed change ${(meanChangeNoise as number).toFixed(4)}, over ${n} pairs${source}`,
  };
}

/**
 * The shrinkage with a per-account reliability estimate attached (used by regressedCall when usable); `sixMonth` the
 * 6-month factor of beta (regressedFactor, or lastingFactor with `lasting`), stored as `factors` when usable.
 */
export function withReliability(
  base: Shrinkage,
  rel: Reliability,
  sixMonth: TrendsConfig['sixMonth']['factor'] = 'regressed',
): Shrinkage {
  const six = sixMonth === 'lasting' ? '2 beta' : 'beta + beta^2';
  const factorOf = persistenceFactorOf(sixMonth);
  const beta = rel.usable ? rel.beta : null;
  return {
    ...base,
    reliability:
      beta === null
        ? rel
        : { ...rel, factors: { '3m': factorOf(beta, '3m'), '6m': factorOf(beta, '6m') } },
    reason: rel.usable
      ? `${base.reason}; per account: ${rel.reason}; expected change beta (3 months) or ${six} (6 months) x tau2 / (tau2 + the account's noise) x its corrected change`
      : `${base.reason}; per-account reliability not usable (${rel.reason}), so the pooled b stands`,
  };
}
