import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { discardRun, discardRunInput } from '../../functions/commons/discardRun.ts';
import { parseInput } from '../../functions/commons/parseInput.ts';
import { renderStepSql } from '../../functions/commons/renderStepSql.ts';
import { createStepRunner } from '../../functions/commons/stepRunner.ts';
import { CvsStack } from '../../infra/cvsStack.ts';
import { readParams } from '../../infra/params.ts';
import { declaredPipelines } from '../../infra/pipelineSteps.ts';
import { FolderStore } from '../../shared/adapters/local/folderStore.ts';
import type { CvsConfig } from '../../shared/config/schema.ts';
import { FolderRunFolderStore } from '../../shared/pipeline/runFolder.ts';
import { openLocalPorts } from '../../shared/pipeline/runLocal.ts';
import { STEP_IMPLEMENTATIONS } from '../../shared/pipeline/steps/index.ts';
import { runState } from '../../shared/pipeline/types.ts';
import type { AslDefinition, AslState } from './templateHelpers.ts';
import { resolveIntrinsic } from './templateHelpers.ts';

// aws-local-stepfunctions 3 targets Node 22; Promise.withResolvers is the one newer API it uses.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

/** The synthesized definition of each declared job (bundling skipped: the tasks run locally). */
export function synthesizedDefinitions(): Record<string, AslDefinition> {
  const app = new App({ context: { 'cvs:skipBundling': 'true' } });
  const stack = new CvsStack(app, 'Cvs', {
    params: readParams(app.node),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const template = Template.fromStack(stack);
  const out: Record<string, AslDefinition> = {};
  for (const [id, r] of Object.entries(template.findResources('AWS::StepFunctions::StateMachine')))
    for (const p of declaredPipelines())
      if (id.includes(`${p.name[0].toUpperCase()}${p.name.slice(1)}Pipeline`))
        out[p.name] = JSON.parse(resolveIntrinsic(r.Properties.DefinitionString)) as AslDefinition;
  return out;
}

/** Suffix of the Task state that stands in for a Distributed Map's ItemReader in local executions. */
export const READ_ITEMS = 'read items (ItemReader stand-in)';

/**
 * The definition with each Distributed Map's ItemReader replaced, because aws-local-stepfunctions 3.0.0 runs Map
 * states over `ItemsPath` only (it ignores ItemReader and ProcessorConfig): a Task state `<map>: read items` placed
 * before the map takes the ItemReader's `Parameters` (so `Bucket` and `Key.$` are resolved by the interpreter, from
 * the same run state) and returns `{ items }` read from the object; the map then iterates `ItemsPath` over them
 * with its own ItemSelector, MaxConcurrency and ItemProcessor. Everything else is unchanged.
 */
export function emulateItemReaders(original: AslDefinition): AslDefinition {
  const definition = structuredClone(original);
  const states: Record<string, AslState> = {};
  const renamed = new Map<string, string>();
  for (const [name, state] of Object.entries(definition.States)) {
    const reader = (
      state as { ItemReader?: { Resource: string; Parameters: Record<string, unknown> } }
    ).ItemReader;
    if (state.Type !== 'Map' || !reader) {
      states[name] = state;
      continue;
    }
    if (reader.Resource !== 'arn:aws:states:::s3:getObject')
      throw new Error(`map ${name}: no local stand-in for ItemReader ${reader.Resource}`);
    const read = `${name}: ${READ_ITEMS}`;
    const resultPath = (state as { ResultPath?: string }).ResultPath ?? '$.itemReader';
    states[read] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::local:read-items',
      Parameters: reader.Parameters,
      ResultPath: resultPath,
      Next: name,
      // An ItemReader that fails fails the map: the map's Catch applies to the stand-in too.
      ...(state.Catch ? { Catch: structuredClone(state.Catch) } : {}),
    } as AslState;
    const {
      ItemReader: _r,
      ToleratedFailurePercentage: _t,
      Label: _l,
      ...rest
    } = state as unknown as Record<string, unknown>;
    const processor = rest.ItemProcessor as Record<string, unknown>;
    const { ProcessorConfig: _c, ...inline } = processor;
    states[name] = {
      ...rest,
      ItemsPath: `${resultPath}.items`,
      ItemProcessor: inline,
    } as unknown as AslState;
    renamed.set(name, read);
  }
  const target = (n?: string) => (n && renamed.has(n) ? renamed.get(n) : n);
  for (const [name, state] of Object.entries(states)) {
    if (name.endsWith(READ_ITEMS)) continue;
    if (state.Next) state.Next = target(state.Next);
    for (const c of state.Catch ?? []) c.Next = target(c.Next) as string;
    const choice = state as unknown as { Choices?: { Next: string }[]; Default?: string };
    for (const c of choice.Choices ?? []) c.Next = target(c.Next) as string;
    if (choice.Default) choice.Default = target(choice.Default);
  }
  return { ...definition, StartAt: target(definition.StartAt) as string, States: states };
}

/** Every state of a definition, the item processors' states of its Map states included, by name. */
function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const processor = (state as { ItemProcessor?: AslDefinition }).ItemProcessor;
    return [[name, state] as [string, AslState], ...(processor ? allStates(processor) : [])];
  });
}

/** What one local execution did. */
export interface LocalExecution {
  /** The execution's output, or undefined when it failed. */
  readonly output?: Record<string, unknown>;
  /** The execution's error (ExecutionError), when it failed. */
  readonly error?: Error;
  /** How many times each Task state ran (retries included). */
  readonly calls: Record<string, number>;
  /** Messages the NotifyFailure task would have published. */
  readonly notices: string[];
}

/**
 * Runs a synthesized state machine definition with the aws-local-stepfunctions interpreter. Its Task states call
 * the project's own code over the local ports, as the Lambdas do over the AWS ones: the step runner of the step
 * Lambdas (writing under `OUT/staging/<execution>/`, publishing at finalize-run), render-sql, discard-run; the Athena
 * tasks run the rendered SQL in DuckDB and write the result file where Athena would; the S3 copy copies it.
 */
export async function executeLocally(opts: {
  definition: AslDefinition;
  input: string;
  out: string;
  config: CvsConfig;
  executionName: string;
  asOf: string;
  /** Called before each Task state runs (item processors' tasks included); a fault it throws is the task's error. */
  fault?: (task: string, input: Record<string, unknown>) => void;
}): Promise<LocalExecution> {
  const ports = await openLocalPorts(opts.input, opts.out);
  const athenaDir = mkdtempSync(join(tmpdir(), 'cvs-athena-'));
  const runFolders = new FolderRunFolderStore(opts.out);
  const runner = createStepRunner({
    registry: STEP_IMPLEMENTATIONS,
    ports,
    config: opts.config,
    runStore: (prefix) => new FolderStore(join(opts.out, ...prefix.split('/'))),
    runFolders,
    log: () => {},
  });
  const calls: Record<string, number> = {};
  const notices: string[] = [];
  const queries = new Map<string, number>();
  const steps = new Map(
    declaredPipelines().flatMap((p) => p.steps.map((s) => [s.name, s] as const)),
  );
  type Handler = (input: Record<string, unknown>) => Promise<unknown>;
  const taskHandler = (name: string): Handler => {
    if (name === 'NotifyFailure')
      return async (i) => {
        notices.push(String(i.Message));
        return {};
      };
    if (name === 'DiscardRun')
      return (i) => discardRun(runFolders, parseInput(discardRunInput, i, 'discard-run input'));
    const [stepName, part] = name.split(': ');
    const step = steps.get(stepName);
    if (!step) throw new Error(`no local handler for task ${name}`);
    if (step.kind === 'lambda' && part === undefined)
      return (i) => runner(name, parseInput(runState, i, 'run state'));
    if (step.perShard && part === 'shard')
      return (i) => runner(stepName, parseInput(runState, i, 'run state'));
    if (step.perShard && part === READ_ITEMS)
      return async (i) => {
        const items = JSON.parse(
          readFileSync(join(opts.out, ...String(i.Key).split('/')), 'utf8'),
        ) as unknown[];
        return { items };
      };
    if (part === 'render SQL')
      return async (i) =>
        renderStepSql(declaredPipelines(), opts.config, String(i.step), String(i.asOf));
    if (part === undefined)
      return async (i) => {
        const id = `q${queries.size + 1}`;
        const started = Date.now();
        const rows = await ports.query.exportTo(
          String(i.QueryString),
          join(athenaDir, `${id}.csv`),
          'csv',
        );
        queries.set(id, rows);
        return {
          QueryExecution: {
            QueryExecutionId: id,
            Statistics: { TotalExecutionTimeInMillis: Date.now() - started },
            ResultConfiguration: { OutputLocation: `s3://athena/results/${id}.csv` },
          },
        };
      };
    if (part === 'count rows')
      return async (i) => ({
        QueryRuntimeStatistics: { Rows: { OutputRows: queries.get(String(i.QueryExecutionId)) } },
      });
    if (part === 'copy result')
      return async (i) => {
        const id = String(i.CopySource).split('/').pop() as string;
        const target = join(opts.out, ...String(i.Key).split('/'));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(athenaDir, id), target);
        return {};
      };
    throw new Error(`no local handler for task ${name}`);
  };
  const handlers: Record<string, Handler> = {};
  const retryIntervals: Record<string, number> = {};
  const definition = emulateItemReaders(opts.definition);
  for (const [name, state] of allStates(definition)) {
    if (state.Retry) retryIntervals[name] = 0;
    if (state.Type !== 'Task') continue;
    const handle = taskHandler(name);
    handlers[name] = async (i) => {
      calls[name] = (calls[name] ?? 0) + 1;
      opts.fault?.(name, i);
      return handle(i);
    };
  }
  try {
    const machine = new StateMachine(definition as never, {
      validationOptions: { checkArn: false },
    });
    const execution = machine.run({ asOf: opts.asOf } as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: retryIntervals,
      },
      context: {
        Execution: {
          Name: opts.executionName,
          Id: `arn:aws:states:eu-west-1:123456789012:execution:cvs:${opts.executionName}`,
        },
      },
    });
    try {
      const output = (await execution.result) as Record<string, unknown>;
      return { output, calls, notices };
    } catch (err) {
      return { error: err as Error, calls, notices };
    }
  } finally {
    await ports.query.close();
  }
}
