import { z } from 'zod';
import type { CvsConfig } from '../config/schema.ts';
import { isRealDate } from '../dates.ts';
import type { ObjectStore, Ports } from '../ports/index.ts';

/**
 * The state every step receives and returns, in the local runner and in Step Functions alike: pointers (object keys)
 * and counts, never rows. A step's output is stored under `steps[<step name>]`.
 */
export const runState = z.object({
  /** Scoring date, YYYY-MM-DD; in AWS taken from the schedule's scheduled time. */
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine(isRealDate, { message: 'asOf must be a date that exists (YYYY-MM-DD)' }),
  /** Unique id of this execution. */
  runId: z.string().min(1),
  /** Key prefix of this run's outputs in the output store, e.g. `runs/2024-10-31/`. */
  runPrefix: z.string(),
  /** Outputs of the steps already run, by step name. */
  steps: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** For a step declared `perShard`: the run-folder key of the one shard this invocation works on. */
  shard: z.string().min(1).optional(),
});
/** The run state passed from step to step. */
export type RunState = z.infer<typeof runState>;

/** A step's output: object keys, counts and short notes; kept small (a Step Functions payload is 256 KiB). */
export type StepOutput = Record<
  string,
  string | number | boolean | null | undefined | string[] | Record<string, number>
>;

/** What a step implementation gets besides the run state. */
export interface StepContext {
  readonly ports: Ports;
  readonly config: CvsConfig;
  /** The output store scoped to this run's folder (`runs/<as-of>/`), where deliverables are written. */
  readonly run: ObjectStore;
  /** Progress and notes (stderr locally, Powertools Logger in Lambda). */
  readonly log: (message: string) => void;
}

/** The code of one step: the same function runs in the local runner and in its Lambda handler. */
export type StepFn = (state: RunState, ctx: StepContext) => Promise<StepOutput>;

/** How a step runs in AWS: a Lambda, or an Athena query driven by Step Functions (`.sync`). */
export type StepKind = 'lambda' | 'athena';

/** One named step of a declared pipeline. */
export interface StepDecl {
  /** kebab-case; also the folder of its Lambda handler, `functions/<name>/handler.ts`. */
  readonly name: string;
  readonly kind: StepKind;
  /** One line: what the step does. */
  readonly description: string;
  /** Memory for its Lambda in MB. @default 1024 */
  readonly memoryMb?: number;
  /** Timeout in seconds. @default 900 */
  readonly timeoutSeconds?: number;
  /**
   * For `athena` steps: the query, rendered from the run date and the config. It reads the validated views; its
   * result file (CSV with a header) is what the next step reads, from S3 in AWS or the run folder locally.
   */
  readonly sql?: (p: { asOf: string; config: CvsConfig }) => string;
  /** For `athena` steps: the run-folder key its result is written to locally (e.g. `parts/features.csv`). */
  readonly resultKey?: string;
  /**
   * Run the step only when an earlier step's boolean output is true (e.g. promote-model on gate-model's `promote`);
   * otherwise it is skipped and its output is `{ skipped: '<step>.<output> is false' }`. A Choice state in Step
   * Functions, an `if` in the local runner. @default always run
   */
  readonly runIf?: { readonly step: string; readonly output: string };
  /**
   * Run the step once per shard: an earlier step's output (`output` of `step`) is the run-folder key of a manifest, a
   * JSON array of shard keys; each invocation gets the run state with `shard` set to one of them, and the step's
   * recorded output is `{ shards }` (how many ran). A Distributed Map in Step Functions (ItemReader over the
   * manifest, at most `maxConcurrency` shards at once; one failed shard fails the step), a loop locally (one shard
   * after another). @default run once
   */
  readonly perShard?: {
    readonly step: string;
    readonly output: string;
    readonly maxConcurrency: (config: CvsConfig) => number;
  };
}

/** A job: an ordered list of steps, run in order, each once. */
export interface PipelineDecl {
  readonly name: 'daily' | 'weekly' | 'quarterly';
  readonly description: string;
  readonly steps: readonly StepDecl[];
}
