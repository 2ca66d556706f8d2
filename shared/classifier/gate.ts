import type { ClassifierConfig } from '../config/classifier.ts';
import type { PairedAucComparison } from '../models/index.ts';

/**
 * What the gate compares, all on the candidate's holdout and against the candidate's label: the candidate's AUC
 * minus the 2-D baseline's, and minus the champion's (re-scored on the same rows), each with its DeLong interval.
 */
export interface GateInput {
  candidate: { version: string; auc: number };
  /** Candidate minus the 2-D baseline (logistic regression on sum_minutes + sum_events fitted on the same rows). */
  baseline: PairedAucComparison | null;
  /** Candidate minus the champion; null when the registry has no champion yet. */
  champion: { version: string; comparison: PairedAucComparison | null } | null;
}

/** One comparison as the gate judged it: candidate (A) minus the other (B), with the interval of the difference. */
export interface GateCheck extends PairedAucComparison {
  against: string;
  passed: boolean;
  /** One sentence with the figures. */
  reason: string;
}

/** The gate's verdict; `promote` is the boolean a Step Functions Choice branches on. */
export interface GateDecision {
  promote: boolean;
  /** One sentence saying why, with the figures compared. */
  reason: string;
  /** Every comparison made (baseline first, then the champion). */
  checks: GateCheck[];
  aucTolerance: number;
  confidence: number;
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'undefined');

/** Judges one comparison: passes unless the difference is below -tolerance or the interval lies wholly below 0. */
function check(against: string, c: PairedAucComparison, tolerance: number): GateCheck {
  const interval = `${Math.round(c.confidence * 100)}% interval ${f4(c.lower)} to ${f4(c.upper)}`;
  const figures = `AUC ${f4(c.aucA)} vs ${against} ${f4(c.aucB)} (difference ${f4(c.difference)}, ${interval})`;
  const ok = Number.isFinite(c.difference) && Number.isFinite(c.upper);
  if (!ok)
    return {
      against,
      ...c,
      passed: false,
      reason: `AUC vs ${against} is undefined on the holdout`,
    };
  if (c.difference < -tolerance)
    return {
      against,
      ...c,
      passed: false,
      reason: `${figures}: more than the tolerance ${tolerance} below`,
    };
  if (c.upper < 0)
    return {
      against,
      ...c,
      passed: false,
      reason: `${figures}: worse with confidence (the whole interval is below 0)`,
    };
  return { against, ...c, passed: true, reason: `${figures}: not worse` };
}

/**
 * Promotion gate: the candidate, the 2-D baseline and the champion are scored on the same holdout against the same
 * label, and the candidate is promoted only when it is not worse than the baseline nor the champion: for each, its
 * AUC is at least the other's minus `aucTolerance` and the DeLong interval of the difference is not wholly below 0.
 * There is no accuracy floor: accuracy against a noisy label (revenue) says little about how well the model finds
 * truly valuable accounts, which `cvs evaluate` measures against a known truth.
 */
export function gateDecision(input: GateInput, gate: ClassifierConfig['gate']): GateDecision {
  const base = { aucTolerance: gate.aucTolerance, confidence: gate.confidence };
  if (!Number.isFinite(input.candidate.auc))
    return {
      ...base,
      promote: false,
      checks: [],
      reason: `the candidate's holdout AUC is undefined (one class is missing from the holdout)${input.champion ? `; champion ${input.champion.version} stays` : '; no champion is set'}`,
    };
  const checks: GateCheck[] = [];
  if (input.baseline) checks.push(check('the 2-D baseline', input.baseline, gate.aucTolerance));
  if (input.champion) {
    const c = input.champion.comparison;
    checks.push(
      c
        ? check(`champion ${input.champion.version}`, c, gate.aucTolerance)
        : {
            against: `champion ${input.champion.version}`,
            aucA: input.candidate.auc,
            aucB: Number.NaN,
            difference: Number.NaN,
            se: Number.NaN,
            confidence: gate.confidence,
            lower: Number.NaN,
            upper: Number.NaN,
            passed: false,
            reason: `champion ${input.champion.version} could not be scored on the holdout`,
          },
    );
  }
  const failed = checks.filter((c) => !c.passed);
  const promote = failed.length === 0;
  const stays = input.champion ? `champion ${input.champion.version} stays` : 'no champion is set';
  const reason = promote
    ? `holdout ${checks.map((c) => c.reason).join('; ')}${input.champion ? '' : ' (first model)'}`
    : `refused: ${failed.map((c) => c.reason).join('; ')}; ${stays}`;
  return { ...base, promote, checks, reason };
}
