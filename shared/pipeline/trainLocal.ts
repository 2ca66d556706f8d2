import { join } from 'node:path';
import { FolderStore } from '../adapters/local/folderStore.ts';
import { readChampion } from '../classifier/registry.ts';
import { CvsError } from '../errors.ts';
import { quarterlyPipeline } from './declarations.ts';
import { type LocalRunOptions, type LocalRunResult, runLocalPipeline } from './runLocal.ts';

/** Options of `cvs train` and `cvs score`: a local run without the choice of pipeline. */
export type TrainLocalOptions = Omit<LocalRunOptions, 'pipeline'>;

/** No champion model exists in the output folder's registry, and the command needs one. */
export class NoChampionError extends CvsError {
  override readonly exitCode = 2;
  constructor(out: string) {
    super(
      `no champion model in ${join(out, 'models', 'champion.json')}: run \`cvs train --input DIR --out ${out}\` first`,
    );
    this.name = 'NoChampionError';
  }
}

/**
 * `cvs train`: runs the quarterly pipeline locally (validate, features, scores, train, evaluate, gate, promote);
 * the model goes to `OUT/models/<version>/`, the champion pointer to `OUT/models/champion.json` if it passed the gate.
 */
export async function trainLocal(opts: TrainLocalOptions): Promise<LocalRunResult> {
  return runLocalPipeline({ ...opts, pipeline: quarterlyPipeline });
}

/** `cvs score`: the daily pipeline, refusing to start (NoChampionError) when the registry has no champion. */
export async function scoreLocal(opts: TrainLocalOptions): Promise<LocalRunResult> {
  if (!(await readChampion(new FolderStore(opts.out)))) throw new NoChampionError(opts.out);
  return runLocalPipeline(opts);
}

/**
 * A few lines for stdout after `cvs train`: what was trained, the two models' holdout figures, the gate, and the
 * champion read from the registry (promote-model is skipped when the gate refuses, so the registry is the truth).
 */
export async function trainSummary(result: LocalRunResult, out: string): Promise<string> {
  const s = result.state.steps;
  const train = s['train-model'] ?? {};
  const ev = s['evaluate-model'] ?? {};
  const gate = s['gate-model'] ?? {};
  const promote = s['promote-model'] ?? {};
  const f = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : 'n/a');
  const lines = [`quarterly run ${result.asOf}: ${String(train.reason ?? '')}`];
  if (ev.evaluated === true) {
    lines.push(
      `label ${String(ev.label)}; holdout forest accuracy ${f(ev.forestAccuracy)} AUC ${f(ev.forestAuc)}; baseline accuracy ${f(ev.baselineAccuracy)} AUC ${f(ev.baselineAuc)}`,
    );
    lines.push(`gate: ${gate.promote === true ? 'promote' : 'keep'}: ${String(gate.reason ?? '')}`);
  }
  const champion = await readChampion(new FolderStore(out));
  const note = promote.skipped ? ' (kept: the gate refused the new model)' : '';
  lines.push(`champion: ${champion?.version ?? 'none'}${note}`);
  lines.push(`outputs in ${result.runDir}`);
  return lines.join('\n');
}
