import type { RunState, StepDecl } from './types.ts';

/**
 * The `runIf` gate of a declared step, shared by the local runner and the state machine builder so both skip the
 * same steps for the same reason.
 */

/** The state path a step's `runIf` reads, e.g. `$.steps.gate-model.promote`; undefined when the step always runs. */
export function runIfPath(step: StepDecl): string | undefined {
  return step.runIf ? `$.steps.${step.runIf.step}.${step.runIf.output}` : undefined;
}

/** The `skipped` note recorded as the output of a skipped step, e.g. `gate-model.promote is false`. */
export function skipNote(step: StepDecl): string {
  if (!step.runIf) throw new Error(`step ${step.name} has no runIf`);
  return `${step.runIf.step}.${step.runIf.output} is false`;
}

/** Why the step is skipped in this run (its runIf output is not `true`), or null when it runs. */
export function skipReason(step: StepDecl, state: RunState): string | null {
  if (!step.runIf) return null;
  return state.steps[step.runIf.step]?.[step.runIf.output] === true ? null : skipNote(step);
}
