import type { CvsConfig } from '../../shared/config/schema.ts';
import { CvsError } from '../../shared/errors.ts';
import type { RunState, StepFn, StepOutput } from '../../shared/pipeline/types.ts';
import type { ObjectStore, Ports } from '../../shared/ports/index.ts';

/** The step name has no registered implementation. */
export class UnknownStepError extends CvsError {
  constructor(name: string) {
    super(`no step implementation registered for ${name}`);
    this.name = 'UnknownStepError';
  }
}

/** What a step runner needs: the registry, the ports, the config, a log sink. */
export interface StepRunnerDeps {
  readonly registry: Readonly<Record<string, StepFn>>;
  readonly ports: Ports;
  readonly config: CvsConfig;
  /** The output store scoped to a run folder (`runs/<as-of>/`). */
  readonly runStore: (runPrefix: string) => ObjectStore;
  /** Receives progress notes (never personal data). */
  readonly log: (message: string) => void;
}

/** A function running one named step on a run state, with the run folder scoped to `state.runPrefix`. */
export type StepRunner = (name: string, state: RunState) => Promise<StepOutput>;

/** Builds the runner used by every step Lambda; errors propagate so Step Functions retries or catches them. */
export function createStepRunner(deps: StepRunnerDeps): StepRunner {
  return async (name, state) => {
    const step = deps.registry[name];
    if (!step) throw new UnknownStepError(name);
    const run = deps.runStore(state.runPrefix);
    return step(state, { ports: deps.ports, config: deps.config, run, log: deps.log });
  };
}
