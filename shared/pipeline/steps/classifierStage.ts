import type { StageContext } from '../../classifier/trainCandidate.ts';
import { classifierOf } from '../../config/classifier.ts';
import type { RunState, StepContext } from '../types.ts';

/** The classifier stage context of a step: the output store, the run folder and the classifier config. */
export function stageContext(state: RunState, ctx: StepContext): StageContext {
  return {
    output: ctx.ports.output,
    run: ctx.run,
    config: classifierOf(ctx.config),
    asOf: state.asOf,
    log: ctx.log,
  };
}

/** A finite number, else null (NaN cannot travel in a step output). */
export function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** The model version train-model produced in this run, or null when it trained none. */
export function trainedVersion(state: RunState): string | null {
  const v = state.steps['train-model']?.version;
  return typeof v === 'string' && v.length > 0 ? v : null;
}
