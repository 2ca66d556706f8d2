import type { Evaluation } from './evaluateRun.ts';

/**
 * Issue 10's bars ("Done means") read off one world's evaluation, so the check is computed, not done by hand:
 * in every world the 3- and 6-month hit rates at least those of all-Flat and of persistence within the interval
 * (the upper bound of forecast - reference >= 0); strictly above all-Flat (lower bound > 0) at both horizons in a
 * world with trends; high-value accuracy of p_high_value >= 0.85 and value-index Spearman >= 0.75 where usage or
 * revenue carry the signal.
 */

/** The bars' thresholds (issue 10). */
export const ISSUE_10_BARS = { highValueAccuracy: 0.85, valueIndexSpearman: 0.75 } as const;

/** What is known of a world: whether it has value trends, whether usage or revenue carry its value. */
export interface WorldTraits {
  readonly trends: boolean;
  readonly signal: boolean;
}

/** One bar: met (true / false), or null when it does not apply to the world or cannot be read. */
export interface BarCheck {
  readonly bar: string;
  readonly met: boolean | null;
  readonly detail: string;
}

const f4 = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));

/** The bars of one world, in a fixed order (the columns of the bench's bars table). */
export function issue10Bars(e: Evaluation, world: WorldTraits): BarCheck[] {
  const out: BarCheck[] = [];
  for (const h of ['3m', '6m'] as const) {
    for (const [name, d] of [
      ['all-Flat', e.trends[h].vsAllFlat],
      ['persistence', e.trends[h].vsPersistence],
    ] as const) {
      const bar = `${h} >= ${name}`;
      if ('unavailable' in d || d.upper === null)
        out.push({ bar, met: null, detail: 'unavailable' in d ? d.unavailable : 'no interval' });
      else
        out.push({
          bar,
          met: d.upper >= 0,
          detail: `${f4(d.difference)} [${f4(d.lower)}, ${f4(d.upper)}]`,
        });
    }
  }
  for (const h of ['3m', '6m'] as const) {
    const bar = `${h} > all-Flat (a world with trends)`;
    const d = e.trends[h].vsAllFlat;
    if (!world.trends) out.push({ bar, met: null, detail: 'no trends in this world' });
    else if ('unavailable' in d || d.lower === null)
      out.push({ bar, met: null, detail: 'unavailable' in d ? d.unavailable : 'no interval' });
    else out.push({ bar, met: d.lower > 0, detail: `lower bound ${f4(d.lower)}` });
  }
  const hv = e.highValue.methods.p_high_value;
  const hvBar = `high-value accuracy >= ${ISSUE_10_BARS.highValueAccuracy}`;
  if (!world.signal) out.push({ bar: hvBar, met: null, detail: 'no signal in usage or revenue' });
  else if ('unavailable' in hv || hv.accuracy === null)
    out.push({
      bar: hvBar,
      met: null,
      detail: 'unavailable' in hv ? hv.unavailable : 'no accuracy',
    });
  else
    out.push({
      bar: hvBar,
      met: hv.accuracy >= ISSUE_10_BARS.highValueAccuracy,
      detail: f4(hv.accuracy),
    });
  const rho = e.spearman.value_index;
  const rhoBar = `value-index Spearman >= ${ISSUE_10_BARS.valueIndexSpearman}`;
  if (!world.signal) out.push({ bar: rhoBar, met: null, detail: 'no signal in usage or revenue' });
  else if ('unavailable' in rho || rho.rho === null)
    out.push({ bar: rhoBar, met: null, detail: 'unavailable' in rho ? rho.unavailable : 'no rho' });
  else
    out.push({
      bar: rhoBar,
      met: rho.rho >= ISSUE_10_BARS.valueIndexSpearman,
      detail: f4(rho.rho),
    });
  return out;
}

/**
 * Whether the run's features allow the bars that need a learner: the truth-trained references (diagnostics that use
 * the truth, never a method) read against the same thresholds. The trend reference strictly above all-Flat (lower
 * bound > 0) at each horizon in a world with trends, and the high-value reference's accuracy >= 0.85 where usage or
 * revenue carry the signal. A bar the references clear and the methods miss is reachable from the features with
 * the true label; a bar they miss too is beyond what a learner on these features reached even with it.
 */
export function referenceBars(e: Evaluation, world: WorldTraits): BarCheck[] {
  const out: BarCheck[] = [];
  for (const h of ['3m', '6m'] as const) {
    const bar = `${h} > all-Flat by the trend truth-trained reference (a world with trends)`;
    const r = e.trends[h].truthReference;
    if (!world.trends) out.push({ bar, met: null, detail: 'no trends in this world' });
    else if (r === undefined || 'unavailable' in r || r.vsAllFlat.lower === null)
      out.push({
        bar,
        met: null,
        detail: r !== undefined && 'unavailable' in r ? r.unavailable : 'no interval',
      });
    else
      out.push({
        bar,
        met: r.vsAllFlat.lower > 0,
        detail: `${f4(r.vsAllFlat.difference)} [${f4(r.vsAllFlat.lower)}, ${f4(r.vsAllFlat.upper)}]`,
      });
  }
  const bar = `high-value accuracy >= ${ISSUE_10_BARS.highValueAccuracy} by the truth-trained reference`;
  const ref = e.highValue.truthReference;
  if (!world.signal) out.push({ bar, met: null, detail: 'no signal in usage or revenue' });
  else if ('unavailable' in ref || ref.accuracy === null)
    out.push({ bar, met: null, detail: 'unavailable' in ref ? ref.unavailable : 'no accuracy' });
  else
    out.push({
      bar,
      met: ref.accuracy >= ISSUE_10_BARS.highValueAccuracy,
      detail: f4(ref.accuracy),
    });
  return out;
}
