import type { CvsConfig } from '../../shared/config/schema.ts';
import { CvsError } from '../../shared/errors.ts';
import {
  publishStagedRun,
  type RunFolderStore,
  stagingPrefix,
} from '../../shared/pipeline/runFolder.ts';
import { FINALIZE_RUN_STEP } from '../../shared/pipeline/steps/finalizeRunStep.ts';
import { MANIFEST_KEY } from '../../shared/pipeline/steps/keys.ts';
import type { RunState, StepFn, StepOutput } from '../../shared/pipeline/types.ts';
import type { ObjectStore, Ports } from '../../shared/ports/index.ts';

/** The step name has no registered implementation. */
export class UnknownStepError extends CvsError {
  constructor(name: string) {
    super(`no step implementation registered for ${name}`);
    this.name = 'UnknownStepError';
  }
}

/** What a step runner needs: the step implementations, the ports, the config, the run folders, a log sink. */
export interface StepRunnerDeps {
  readonly registry: Readonly<Record<string, StepFn>>;
  readonly ports: Ports;
  readonly config: CvsConfig;
  /** The output store scoped to a key prefix (the run's staging prefix `staging/<runId>/`). */
  readonly runStore: (prefix: string) => ObjectStore;
  /** The output store's root, where finalize-run publishes the staged run into `state.runPrefix`. */
  readonly runFolders: RunFolderStore;
  /** Receives progress notes (never personal data). */
  readonly log: (message: string) => void;
}

/**
 * A function running one named step on a run state: the step writes under the run's staging prefix, its output gets
 * `elapsedMs`; after finalize-run the staged run is published into `state.runPrefix`.
 */
export type StepRunner = (name: string, state: RunState) => Promise<StepOutput>;

/** Builds the runner used by every step Lambda; errors propagate so Step Functions retries or catches them. */
export function createStepRunner(deps: StepRunnerDeps): StepRunner {
  return async (name, state) => {
    const step = deps.registry[name];
    if (!step) throw new UnknownStepError(name);
    const staging = stagingPrefix(state.runId);
    const run = deps.runStore(staging);
    const started = Date.now();
    const output = await step(state, {
      ports: deps.ports,
      config: deps.config,
      run,
      log: deps.log,
    });
    const elapsedMs = Date.now() - started;
    if (name === FINALIZE_RUN_STEP) {
      const done = await publishStagedRun(deps.runFolders, staging, state.runPrefix, MANIFEST_KEY);
      deps.log(
        `published ${done.published} objects into ${state.runPrefix}, removed ${done.removed} stale`,
      );
    }
    return { ...output, elapsedMs };
  };
}
