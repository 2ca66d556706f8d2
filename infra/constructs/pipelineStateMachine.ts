import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { CvsConfig } from '../../shared/config/schema.ts';
import { shardManifestPath } from '../../shared/pipeline/perShard.ts';
import {
  runPrefixTemplate,
  STAGING_PREFIX_TEMPLATE,
  STAGING_ROOT,
} from '../../shared/pipeline/runFolder.ts';
import { runIfPath, skipNote } from '../../shared/pipeline/runIf.ts';
import type { PipelineDecl, StepDecl } from '../../shared/pipeline/types.ts';
import { nonRetryableErrors } from '../retryRules.ts';
import { ATHENA_RESULTS_PREFIX, type DataLake } from './dataLake.ts';

/** What one job's state machine is wired to. */
export interface PipelineStateMachineProps {
  readonly pipeline: PipelineDecl;
  /** The step Lambdas by step name. */
  readonly stepLambdas: ReadonlyMap<string, lambda.IFunction>;
  /** Renders an athena step's SQL from the run date at run time (the SQL code is the one the local runner uses). */
  readonly renderSql: lambda.IFunction;
  /** Deletes a failed execution's staging prefix (the Catch path runs it before notifying). */
  readonly discardRun: lambda.IFunction;
  readonly opsTopic: sns.ITopic;
  readonly dataLake: DataLake;
  readonly glueDatabase: string;
  readonly workGroup: string;
  readonly logRetention: logs.RetentionDays;
  /** The parsed scoring config (a `perShard` step's concurrency comes from it). */
  readonly config: CvsConfig;
}

/** Waves of shards the execution timeout allows a `perShard` step (10^6 accounts at the defaults are 2 waves). */
export const SHARD_WAVES_BUDGET = 4;

/** State names of the declared steps' main tasks are the step names, so the order can be read back. */
export const stateName = (step: StepDecl): string => step.name;

/**
 * One Standard state machine built from a pipeline declaration: init, the steps in order (writing under
 * `staging/<execution name>/`; finalize-run publishes the run into `runs/...`), and on any failure: discard the
 * staged outputs, notify ops, fail.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PipelineStateMachineProps,
  ) {
    super(scope, id);
    const { pipeline } = props;
    const failed = new sfn.Fail(this, 'RunFailed', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const notify = new tasks.SnsPublish(this, 'NotifyFailure', {
      topic: props.opsTopic,
      subject: `CVS ${pipeline.name} run failed`,
      message: sfn.TaskInput.fromJsonPathAt(
        sfn.JsonPath.format(
          `CVS ${pipeline.name} run for {} failed. Execution: {}. Error: {}. Cause: {}`,
          sfn.JsonPath.stringAt('$.asOf'),
          sfn.JsonPath.executionId,
          sfn.JsonPath.stringAt('$.error.Error'),
          sfn.JsonPath.stringAt('$.error.Cause'),
        ),
      ),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    notify.addRetry({ maxAttempts: 3, interval: Duration.seconds(5), backoffRate: 2 });
    notify.addCatch(failed, { resultPath: '$.notifyError' });
    notify.next(failed);
    const discard = new tasks.LambdaInvoke(this, 'DiscardRun', {
      comment: 'delete the staged outputs of the failed run, so nothing of it looks like a run',
      lambdaFunction: props.discardRun,
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') }),
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(360)),
    });
    this.retry(discard);
    discard.addCatch(notify, { resultPath: '$.discardError' });
    discard.next(notify);

    const start = this.init();
    // The states whose Next is the following step's first state (two after a runIf Choice: run and skip).
    let ends: sfn.INextable[] = [start];
    const attach = (next: sfn.State) => {
      for (const end of ends) end.next(next);
    };
    for (const step of pipeline.steps) {
      const states =
        step.kind === 'athena'
          ? this.athenaStates(step)
          : step.perShard
            ? [this.perShardState(step)]
            : [this.lambdaState(step)];
      for (const [i, state] of states.entries()) {
        if (!(state instanceof sfn.Pass)) state.addCatch(discard, { resultPath: '$.error' });
        if (i > 0) states[i - 1].next(state);
      }
      const last = states[states.length - 1];
      if (step.runIf) {
        const { choice, skip } = this.runIfStates(step, states[0]);
        attach(choice);
        ends = [last, skip];
      } else {
        attach(states[0]);
        ends = [last];
      }
    }
    attach(new sfn.Succeed(this, 'RunSucceeded'));

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    const budget = pipeline.steps.reduce(
      (s, x) => s + ((x.timeoutSeconds ?? 900) * 3 + 120) * (x.perShard ? SHARD_WAVES_BUDGET : 1),
      600,
    );
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `CVS ${pipeline.name}: ${pipeline.description}`,
      definitionBody: sfn.DefinitionBody.fromChainable(start as sfn.IChainable),
      timeout: Duration.seconds(budget),
      tracingEnabled: true,
      // Execution data stays out of the logs: states hold keys and counts, but errors may quote input values.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.grantAthena();
  }

  /** Run date from the input (`asOf`) or from the schedule's scheduled time; then the empty run state. */
  private init(): sfn.Chain {
    const initRun = new sfn.Pass(this, 'InitRun', {
      parameters: {
        'asOf.$': '$.asOf',
        'runId.$': '$$.Execution.Name',
        'runPrefix.$': `States.Format('${runPrefixTemplate(this.props.pipeline.name)}', $.asOf)`,
        steps: {},
      },
    });
    const fromSchedule = new sfn.Pass(this, 'RunDateFromSchedule', {
      parameters: { 'asOf.$': "States.ArrayGetItem(States.StringSplit($.scheduledTime, 'T'), 0)" },
    }).next(initRun);
    const choice = new sfn.Choice(this, 'HasRunDate')
      .when(sfn.Condition.isPresent('$.asOf'), initRun)
      .when(sfn.Condition.isPresent('$.scheduledTime'), fromSchedule)
      .otherwise(
        new sfn.Fail(this, 'NoRunDate', {
          error: 'NoRunDate',
          cause: 'input needs asOf (YYYY-MM-DD) or scheduledTime',
        }),
      );
    return sfn.Chain.custom(choice, [initRun], initRun);
  }

  /**
   * A step's `runIf` gate: a Choice that runs the step when the earlier step's output is present and true, else a
   * Pass recording `{ skipped }` at the step's result path, as the local runner does.
   */
  private runIfStates(step: StepDecl, first: sfn.State): { choice: sfn.Choice; skip: sfn.Pass } {
    const path = runIfPath(step) as string;
    const skip = new sfn.Pass(this, `${step.name}: skipped`, {
      comment: `${step.name} runs only when ${path} is true`,
      result: sfn.Result.fromObject({ skipped: skipNote(step) }),
      resultPath: `$.steps.${step.name}`,
    });
    const choice = new sfn.Choice(this, `${step.name}: run?`, {
      comment: `run ${step.name} only when ${path} is true`,
    })
      .when(
        sfn.Condition.and(sfn.Condition.isPresent(path), sfn.Condition.booleanEquals(path, true)),
        first,
      )
      .otherwise(skip);
    return { choice, skip };
  }

  /** The one retry rule: errors whose class is not retryable fail at once, everything else is retried twice. */
  private retry(state: { addRetry(p: sfn.RetryProps): unknown }): void {
    state.addRetry({ errors: nonRetryableErrors(), maxAttempts: 0 });
    state.addRetry({
      errors: [sfn.Errors.ALL],
      maxAttempts: 2,
      interval: Duration.seconds(10),
      backoffRate: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });
  }

  private lambdaState(step: StepDecl): tasks.LambdaInvoke {
    const fn = this.props.stepLambdas.get(step.name);
    if (!fn) throw new Error(`no Lambda for step ${step.name}`);
    const task = new tasks.LambdaInvoke(this, stateName(step), {
      stateName: stateName(step),
      comment: step.description,
      lambdaFunction: fn,
      payloadResponseOnly: true,
      resultPath: `$.steps.${step.name}`,
      taskTimeout: sfn.Timeout.duration(Duration.seconds((step.timeoutSeconds ?? 900) + 60)),
    });
    this.retry(task);
    return task;
  }

  /**
   * A `perShard` step: a Distributed Map whose ItemReader reads the shard manifest (a JSON array of run-folder keys)
   * from the staged run, and whose item processor invokes the step's Lambda with the run state plus `shard`, under
   * the one retry rule; at most `maxConcurrency` shards at once. Any shard that still fails fails the map (no
   * tolerated failures), which the Catch sends to DiscardRun. Output at `$.steps.<step>`: `{ shards }`, as locally.
   */
  private perShardState(step: StepDecl): sfn.DistributedMap {
    const fn = this.props.stepLambdas.get(step.name);
    if (!fn || !step.perShard) throw new Error(`no Lambda or no perShard for step ${step.name}`);
    const map = new sfn.DistributedMap(this, stateName(step), {
      stateName: stateName(step),
      comment: step.description,
      maxConcurrency: step.perShard.maxConcurrency(this.props.config),
      mapExecutionType: sfn.StateMachineType.STANDARD,
      itemReader: new sfn.S3JsonItemReader({
        bucket: this.props.dataLake.resultsBucket,
        key: sfn.JsonPath.format(
          `${STAGING_PREFIX_TEMPLATE}{}`,
          sfn.JsonPath.stringAt('$.runId'),
          sfn.JsonPath.stringAt(shardManifestPath(step)),
        ),
      }),
      itemSelector: {
        asOf: sfn.JsonPath.stringAt('$.asOf'),
        runId: sfn.JsonPath.stringAt('$.runId'),
        runPrefix: sfn.JsonPath.stringAt('$.runPrefix'),
        steps: sfn.JsonPath.objectAt('$.steps'),
        shard: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
      },
      resultSelector: { shards: sfn.JsonPath.arrayLength(sfn.JsonPath.listAt('$')) },
      resultPath: `$.steps.${step.name}`,
    });
    const task = new tasks.LambdaInvoke(this, `${step.name}: shard`, {
      stateName: `${step.name}: shard`,
      comment: `${step.description}, one shard`,
      lambdaFunction: fn,
      payloadResponseOnly: true,
      // Each shard's result is kept small: the map gathers them all before its ResultSelector counts them.
      resultSelector: { records: sfn.JsonPath.numberAt('$.records') },
      taskTimeout: sfn.Timeout.duration(Duration.seconds((step.timeoutSeconds ?? 900) + 60)),
    });
    this.retry(task);
    map.itemProcessor(task);
    return map;
  }

  /** The SQL rendered by the render-sql Lambda, the Athena `.sync` query and the result copy. */
  private athenaStates(step: StepDecl): (sfn.TaskStateBase | sfn.CustomState | sfn.Pass)[] {
    const { dataLake, workGroup, glueDatabase } = this.props;
    const resultKey = step.resultKey ?? `athena/${step.name}.csv`;
    if (!/^[A-Za-z0-9._/-]+$/.test(resultKey))
      throw new Error(`step ${step.name}: resultKey ${resultKey} has odd characters`);
    const states: (sfn.TaskStateBase | sfn.CustomState | sfn.Pass)[] = [];
    const render = new tasks.LambdaInvoke(this, `${step.name}: render SQL`, {
      lambdaFunction: this.props.renderSql,
      payload: sfn.TaskInput.fromObject({
        step: step.name,
        asOf: sfn.JsonPath.stringAt('$.asOf'),
      }),
      payloadResponseOnly: true,
      resultPath: `$.steps.${step.name}`,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(120)),
    });
    this.retry(render);
    states.push(render);
    const timeout = step.timeoutSeconds ?? 900;
    const out = `$.steps.${step.name}`;
    const run = new sfn.CustomState(this, stateName(step), {
      stateJson: {
        Type: 'Task',
        Comment: step.description,
        Resource: `arn:${Stack.of(this).partition}:states:::athena:startQueryExecution.sync`,
        Parameters: {
          'QueryString.$': `${out}.sql`,
          WorkGroup: workGroup,
          QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: glueDatabase },
        },
        // Pointers only: the rows stay in the result file, read by the next Lambda from S3.
        ResultSelector: {
          'queryExecutionId.$': '$.QueryExecution.QueryExecutionId',
          'elapsedMs.$': '$.QueryExecution.Statistics.TotalExecutionTimeInMillis',
        },
        ResultPath: out,
        TimeoutSeconds: timeout,
      },
    });
    this.retry(run);
    states.push(run);
    // The row count the local runner records (DuckDB's COPY count): Athena's output rows of the query.
    const count = new tasks.CallAwsService(this, `${step.name}: count rows`, {
      service: 'athena',
      action: 'getQueryRuntimeStatistics',
      parameters: { QueryExecutionId: sfn.JsonPath.stringAt(`${out}.queryExecutionId`) },
      iamAction: 'athena:GetQueryRuntimeStatistics',
      iamResources: [workGroupArn(Stack.of(this), workGroup)],
      resultSelector: { rows: sfn.JsonPath.numberAt('$.QueryRuntimeStatistics.Rows.OutputRows') },
      resultPath: `${out}.count`,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    this.retry(count);
    states.push(count);
    const copy = new tasks.CallAwsService(this, `${step.name}: copy result`, {
      service: 's3',
      action: 'copyObject',
      parameters: {
        Bucket: dataLake.resultsBucket.bucketName,
        Key: sfn.JsonPath.format(
          `${STAGING_PREFIX_TEMPLATE}${resultKey}`,
          sfn.JsonPath.stringAt('$.runId'),
        ),
        CopySource: sfn.JsonPath.format(
          `${dataLake.athenaResultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}{}.csv`,
          sfn.JsonPath.stringAt(`${out}.queryExecutionId`),
        ),
      },
      iamAction: 's3:PutObject',
      iamResources: [dataLake.resultsBucket.arnForObjects(`${STAGING_ROOT}*`)],
      additionalIamStatements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [dataLake.athenaResultsBucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
        }),
      ],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(300)),
    });
    this.retry(copy);
    states.push(copy);
    // The step's output, with the same fields the local runner records: result key, rows, elapsed time.
    const record = new sfn.Pass(this, `${step.name}: record`, {
      parameters: {
        resultKey,
        'rows.$': `${out}.count.rows`,
        'elapsedMs.$': `${out}.elapsedMs`,
      },
      resultPath: out,
    });
    states.push(record);
    return states;
  }

  /** What Athena needs on the caller's behalf: the workgroup, the Glue catalog objects and the buckets. */
  private grantAthena(): void {
    const { pipeline, dataLake, workGroup, glueDatabase } = this.props;
    if (!pipeline.steps.some((s) => s.kind === 'athena')) return;
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:StopQueryExecution',
        ],
        resources: [workGroupArn(stack, workGroup)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
        ],
        resources: glueArns(stack, glueDatabase),
      }),
    );
    dataLake.exportBucket.grantRead(role);
    dataLake.resultsBucket.grantRead(role);
    dataLake.athenaResultsBucket.grantReadWrite(role);
  }
}

/** ARNs of the Glue catalog, the database and its tables. */
export function glueArns(stack: Stack, database: string): string[] {
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog' }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` }),
  ];
}

/** ARN of the Athena workgroup. */
export function workGroupArn(stack: Stack, workGroup: string): string {
  return stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroup });
}
