import type { CandidateMetrics } from './evaluateCandidate.ts';
import { type GateDecision, gateDecision } from './gate.ts';
import { renderModelCard } from './modelCard.ts';
import {
  copyDeliverables,
  MODEL_FILES,
  modelKey,
  readChampion,
  readJson,
  writeChampion,
  writeJson,
} from './registry.ts';
import type { StageContext } from './trainCandidate.ts';

/** What the promote stage did. */
export interface PromoteOutcome {
  promoted: boolean;
  /** The champion after this stage (null when there is none). */
  champion: string | null;
  reason: string;
  /** Deliverables copied into the run folder. */
  copied: string[];
}

/**
 * Gate stage: applies the promotion gate to the version's metrics (holdout AUC vs the 2-D baseline and the champion
 * re-scored on the same holdout, with DeLong intervals) and writes gate.json, model_metrics.json (metrics + gate
 * decision) and model_card.md.
 */
export async function gateCandidate(sc: StageContext, version: string): Promise<GateDecision> {
  const metrics = await readJson<CandidateMetrics>(
    sc.output,
    modelKey(version, MODEL_FILES.metrics),
  );
  const nullToNaN = (x: number | null) => (x === null ? Number.NaN : x);
  const decision = gateDecision(
    {
      candidate: { version, auc: nullToNaN(metrics.forest.auc) },
      baseline: metrics.comparisons.baseline,
      champion: metrics.champion
        ? { version: metrics.champion.version, comparison: metrics.comparisons.champion }
        : null,
    },
    sc.config.gate,
  );
  await writeJson(sc.output, modelKey(version, MODEL_FILES.gate), decision);
  await writeJson(sc.output, modelKey(version, MODEL_FILES.modelMetrics), {
    ...metrics,
    gate: decision,
  });
  await sc.output.put(
    modelKey(version, MODEL_FILES.card),
    renderModelCard(metrics, decision),
    'text/markdown',
  );
  sc.log(`gate-model: ${decision.promote ? 'promote' : 'keep'}: ${decision.reason}`);
  return decision;
}

/**
 * Promote stage: when the gate said promote, points models/champion.json at the version; otherwise the champion
 * stays. Either way the version's deliverables are copied into the run folder.
 */
export async function promoteCandidate(
  sc: StageContext,
  version: string,
  decision: Pick<GateDecision, 'promote' | 'reason'>,
): Promise<PromoteOutcome> {
  const current = await readChampion(sc.output);
  let champion = current?.version ?? null;
  if (decision.promote) {
    const metrics = await readJson<CandidateMetrics>(
      sc.output,
      modelKey(version, MODEL_FILES.metrics),
    );
    await writeChampion(sc.output, {
      version,
      since: sc.asOf,
      label: metrics.label,
      accuracy: metrics.forest.accuracy,
      auc: metrics.forest.auc,
      previous:
        current && current.version !== version ? current.version : (current?.previous ?? null),
      reason: decision.reason,
    });
    champion = version;
  }
  const copied = await copyDeliverables(sc.output, version, sc.run);
  const reason = decision.promote
    ? `${version} is the champion: ${decision.reason}`
    : `${version} not promoted, champion ${champion ?? '(none)'} stays: ${decision.reason}`;
  sc.log(`promote-model: ${reason}`);
  return { promoted: decision.promote, champion, reason, copied };
}
