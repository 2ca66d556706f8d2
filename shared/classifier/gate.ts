import type { ClassifierConfig } from '../config/classifier.ts';

/** What the gate compares: the candidate's holdout figures and the champion's AUC on that same holdout. */
export interface GateInput {
  candidate: { version: string; accuracy: number; auc: number };
  /** Null when the registry has no champion yet (first model: accuracy alone decides). */
  champion: { version: string; auc: number } | null;
}

/** The gate's verdict; `promote` is the boolean a Step Functions Choice branches on. */
export interface GateDecision {
  promote: boolean;
  /** One sentence saying why, with the figures compared. */
  reason: string;
  /** The bars applied. */
  minAccuracy: number;
  /** Champion AUC minus the tolerance; null for the first model. */
  minAuc: number | null;
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'undefined');

/**
 * Promotion gate: a candidate becomes champion only when its holdout accuracy is >= `minAccuracy` and its AUC is >=
 * the champion's AUC on the same holdout minus `aucTolerance`; with no champion, accuracy alone decides.
 */
export function gateDecision(input: GateInput, gate: ClassifierConfig['gate']): GateDecision {
  const { candidate, champion } = input;
  const minAuc = champion ? champion.auc - gate.aucTolerance : null;
  const base = { minAccuracy: gate.minAccuracy, minAuc };
  if (!(candidate.accuracy >= gate.minAccuracy)) {
    return {
      ...base,
      promote: false,
      reason: `holdout accuracy ${f4(candidate.accuracy)} is below the bar ${f4(gate.minAccuracy)}${champion ? `; champion ${champion.version} stays` : '; no champion is set'}`,
    };
  }
  if (!champion) {
    return {
      ...base,
      promote: true,
      reason: `first model: holdout accuracy ${f4(candidate.accuracy)} >= ${f4(gate.minAccuracy)} (no champion to compare AUC with)`,
    };
  }
  if (!(Number.isFinite(candidate.auc) && candidate.auc >= (minAuc as number))) {
    return {
      ...base,
      promote: false,
      reason: `holdout AUC ${f4(candidate.auc)} is below champion ${champion.version}'s ${f4(champion.auc)} on the same holdout minus ${gate.aucTolerance}; the champion stays`,
    };
  }
  return {
    ...base,
    promote: true,
    reason: `holdout accuracy ${f4(candidate.accuracy)} >= ${f4(gate.minAccuracy)} and AUC ${f4(candidate.auc)} >= champion ${champion.version}'s ${f4(champion.auc)} minus ${gate.aucTolerance} on the same holdout`,
  };
}
