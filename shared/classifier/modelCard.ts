import type { CandidateMetrics } from './evaluateCandidate.ts';
import type { GateDecision } from './gate.ts';
import { VALUE_SEGMENT_NAMES } from './segmentNames.ts';

const rankOf = (name: string) => (VALUE_SEGMENT_NAMES as readonly string[]).indexOf(name);
const pct = (x: number | null) =>
  x === null || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(2)}%`;
const num = (x: number | null, d = 4) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

/** A metric row of the comparison table: forest, baseline, the composite value index and, when present, the champion. */
function row(
  name: string,
  forest: string,
  baseline: string,
  index: string,
  champion?: string,
): string {
  return `| ${name} | ${forest} | ${baseline} | ${index} |${champion === undefined ? '' : ` ${champion} |`}`;
}

/** "difference (lower to upper)" of a DeLong comparison, or n/a. */
function diff(c: { difference: number; lower: number; upper: number } | null | undefined): string {
  return c ? `${num(c.difference)} (${num(c.lower)} to ${num(c.upper)})` : 'n/a';
}

/** The model card's paragraph on a regression forest's output (empty for a classification forest). */
function rankNote(m: CandidateMetrics): string {
  if (m.forestTarget !== 'revenue-rank') return '';
  return `The forest is a regression forest on each labelled account's percentile rank of revenue won in the label window (\`classifier.forest.revenueTarget: rank\`): its output estimates that percentile, not a probability. Its holdout accuracy, precision, recall and F1 flag an output of at least ${num(m.forest.threshold, 2)} (the label's top-share cut); its Brier score and calibration read the estimate as if it were a probability. p_high_value combines the forest's output with the value index (the rank-mean combiner's probability, or the stacker's with \`classifier.stacking.combiner: logistic\`).

`;
}

/**
 * The model card of a version (markdown): data window, label and its warnings, forest vs baseline (and the champion
 * on the same holdout), top features, calibration, segments, the gate decision and known limits.
 */
export function renderModelCard(m: CandidateMetrics, gate: GateDecision): string {
  const f = m.forest;
  const b = m.baseline;
  const c = m.champion;
  const v = m.valueIndex;
  const cmp = m.comparisons;
  const head = c
    ? `| metric | forest (full features) | 2-D baseline (sum_minutes + sum_events) | composite value index | champion ${c.version} |\n|---|---|---|---|---|`
    : '| metric | forest (full features) | 2-D baseline (sum_minutes + sum_events) | composite value index |\n|---|---|---|---|';
  const cm = (x: typeof f) =>
    `[[tn ${x.confusionMatrix[0][0]}, fp ${x.confusionMatrix[0][1]}], [fn ${x.confusionMatrix[1][0]}, tp ${x.confusionMatrix[1][1]}]]`;
  const top = [...f.importance]
    .filter((i) => i.mean !== null && Number.isFinite(i.mean))
    .sort((a, z) => z.mean - a.mean)
    .slice(0, 10)
    .map((i, k) => `${k + 1}. ${i.feature}: AUC drop ${num(i.mean)} ± ${num(i.std)}`);
  const reliability = f.reliability
    .filter((r) => r.count > 0)
    .map(
      (r) =>
        `| ${r.lower.toFixed(1)}-${r.upper.toFixed(1)} | ${r.count} | ${num(r.meanPredicted, 3)} | ${num(r.observedRate, 3)} |`,
    );
  const value = m.segments.value.names
    .map((n, i) => ({ n, size: m.segments.value.sizes[i] }))
    .sort((a, z) => rankOf(a.n) - rankOf(z.n))
    .map((s) => `${s.n} (${s.size})`)
    .join(', ');
  const behaviour = m.segments.behaviour.names.map((n, i) => {
    const t = m.segments.behaviour.traits[i];
    return `- ${n}: ${m.segments.behaviour.sizes[i]} accounts; engagement ${num(t.engagement, 2)}, adoption ${num(t.adoption, 2)}, recency ${num(t.recency, 2)}, satisfaction ${num(t.satisfaction, 2)} (standard deviations from the average account)`;
  });
  return `# Model card: high-value classifier ${m.version}

## Data
- Trained by the run of ${m.asOf}; activity window ${m.window.firstEventOn ?? 'unknown'} to ${m.window.lastEventOn ?? 'unknown'}.
- ${m.rows} labelled accounts, ${m.positives} high-value; stratified split: ${m.nTrain} train, ${m.nTest} holdout.
- Training data SHA-256: \`${m.dataHash}\`.

## Label
**${m.label}**: ${m.labelDescription}.

${m.labelChoice ?? ''}

${m.warnings.map((w) => `> WARNING: ${w}`).join('\n>\n')}

${rankNote(m)}## Holdout performance (${f.threshold === b.threshold ? `threshold ${f.threshold}` : `forest at ${num(f.threshold, 2)}, baseline at ${b.threshold}`})
${head}
${row('accuracy', pct(f.accuracy), pct(b.accuracy), v ? `${pct(v.accuracy)} (its top-quartile flag)` : 'n/a', c ? pct(c.accuracy) : undefined)}
${row('ROC AUC', num(f.auc), num(b.auc), v ? num(v.auc) : 'n/a', c ? num(c.auc) : undefined)}
${row(`forest AUC minus this (DeLong ${Math.round(gate.confidence * 100)}% interval)`, '', diff(cmp.baseline), diff(cmp.valueIndex), c ? diff(cmp.champion) : undefined)}
${row('precision', pct(f.precision), pct(b.precision), '', c ? '' : undefined)}
${row('recall', pct(f.recall), pct(b.recall), '', c ? '' : undefined)}
${row('F1', num(f.f1), num(b.f1), '', c ? '' : undefined)}
${row('Brier score', num(f.brier), num(b.brier), '', c ? '' : undefined)}

All columns are scored on the same ${m.nTest} holdout accounts against the same label (${m.label}).${c ? ` The champion scored the holdout accounts it was trained on (${c.outOfFold}) with its fold forests, which never saw their labels, and the others (${c.full}) with its full forest.` : ''}
${m.crossFit ? `\nCross-fitting: ${m.crossFit.folds} stratified folds; out-of-fold AUC over all ${m.crossFit.rows} labelled accounts ${num(m.crossFit.auc)}. Daily scoring gives each of these accounts the probability of the fold forest that did not see its label; every other account gets the full forest's.` : ''}

Confusion matrix, forest: ${cm(f)}; baseline: ${cm(b)}.

## Top features (forest, permutation importance on the holdout)
${top.join('\n') || 'not computed'}

## Calibration (forest, 10 bins; empty bins left out)
| p bin | accounts | mean predicted | observed rate |
|---|---|---|---|
${reliability.join('\n')}

## Segments
- Value segments (k = 3): ${value}.
- Behavioural clusters (k = 5):
${behaviour.join('\n')}

## Promotion gate
${gate.promote ? 'PROMOTED' : 'NOT PROMOTED'}: ${gate.reason}.

The gate compares holdout AUCs on the same rows and label: the candidate is refused when it is more than ${gate.aucTolerance} below the 2-D baseline or the champion, or worse than either with ${Math.round(gate.confidence * 100)}% confidence (DeLong interval of the difference wholly below 0). There is no accuracy floor: the seeds' 85% is about finding truly valuable accounts, which \`cvs evaluate\` measures against a known truth, not accuracy against a noisy revenue label.${gate.promote ? '' : ' When no champion exists, p_high_value falls back to the value index and the run says so.'}

## Known limits
- The label is relative: "high-value" is a top share of the accounts scored in the same run, so it moves when the customer base moves.
- A composite label is computed from the model's own inputs: high accuracy shows the model reproduces the score, not that it predicts revenue or retention. The default (auto) uses the revenue label whenever enough accounts have a CRM link and opportunity data.
- The revenue label is noisy (deal timing, contract sizes, accounts without a CRM link are not labelled): its holdout accuracy understates how well the model finds truly valuable accounts, and the gate does not hold it to an accuracy floor.
- Permutation importance splits credit between correlated features (sum_minutes and sum_events, for instance), so a feature can look unimportant while its twin carries the signal.
- Forest probabilities are the mean of tree votes, not calibrated probabilities; read the calibration table before treating a band as a rate.
- Breadth features depend on the pendo__visitor_feature export; without it they are missing for every account.
`;
}
