import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV } from '../../functions/commons/env.ts';
import type { CvsConfig } from '../../shared/config/schema.ts';
import { STAGING_ROOT } from '../../shared/pipeline/runFolder.ts';
import type { PipelineDecl, StepDecl } from '../../shared/pipeline/types.ts';
import { lambdaBundling } from '../bundling.ts';
import { REPO_ROOT } from '../scripts/generateHandlers.ts';
import { ATHENA_SCRATCH_PREFIX, type DataLake, pascal } from './dataLake.ts';
import { glueArns, PipelineStateMachine } from './pipelineStateMachine.ts';

/** Name of the extra Lambda rendering athena SQL at run time (not a declared step). */
export const RENDER_SQL_FUNCTION = 'render-sql';

/** Name of the extra Lambda deleting a failed execution's staged outputs (not a declared step). */
export const DISCARD_RUN_FUNCTION = 'discard-run';

/** What the pipelines are built from and wired to. */
export interface PipelinesProps {
  readonly pipelines: readonly PipelineDecl[];
  readonly dataLake: DataLake;
  readonly scoreTable: dynamodb.ITable;
  readonly alertTopic: sns.ITopic;
  readonly opsTopic: sns.ITopic;
  readonly exportPrefix: string;
  /** Format of the export files (the raw Glue tables' format), passed to the Athena engine. */
  readonly exportFormat: 'csv' | 'parquet';
  readonly glueDatabase: string;
  readonly workGroup: string;
  /** The parsed scoring config: a bad config fails `cdk synth`. */
  readonly config: CvsConfig;
  /** The config JSON text the Lambdas parse. */
  readonly configJson: string;
  readonly historyDays: number;
  /** Lambda memory by step name, MB. */
  readonly memorySizes: Readonly<Record<string, number>>;
  readonly logRetention: logs.RetentionDays;
  /** Inline stub code instead of esbuild bundles (tests). @default false */
  readonly skipBundling?: boolean;
}

/**
 * One Lambda per declared lambda step (sharing the step Lambda role), the render-sql Lambda (its own role: logs and
 * traces only), and a state machine per job.
 */
/**
 * The V8 old-space cap of a step Lambda: 80% of its memory, the rest for the young generation, code, buffers and the
 * runtime. V8 then collects garbage before the function's memory is reached instead of growing its heap while it can;
 * the steps' needs were measured under such caps (`npm run bench -- --accounts N,M --heap-need`, README).
 */
export function heapCapMb(memorySizeMb: number): number {
  return Math.floor(memorySizeMb * 0.8);
}

export class Pipelines extends Construct {
  readonly stepLambdas = new Map<string, nodejs.NodejsFunction>();
  readonly stateMachines = new Map<string, PipelineStateMachine>();
  /** The one role of the step Lambdas. */
  readonly stepLambdaRole: iam.Role;
  /** The role of render-sql: it reads nothing and writes nothing but its logs and traces. */
  readonly renderSqlRole: iam.Role;
  /** The role of discard-run: list and delete under `staging/` of the results bucket only. */
  readonly discardRunRole: iam.Role;

  constructor(scope: Construct, id: string, props: PipelinesProps) {
    super(scope, id);
    const { dataLake } = props;
    this.stepLambdaRole = new iam.Role(this, 'StepLambdaRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'CVS step Lambdas: exports read, results and score store written, alerts published',
    });
    this.grantStepAccess(props);

    const steps = new Map<string, StepDecl>();
    for (const p of props.pipelines)
      for (const s of p.steps) if (s.kind === 'lambda' && !steps.has(s.name)) steps.set(s.name, s);
    const stepEnv = stepLambdaEnvironment(props);
    for (const step of steps.values())
      this.stepLambdas.set(
        step.name,
        this.lambdaFunction(step.name, step, props, this.stepLambdaRole, stepEnv),
      );
    this.renderSqlRole = new iam.Role(this, 'RenderSqlRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'CVS render-sql: renders athena step SQL from the run date; no data access',
    });
    const renderSql = this.lambdaFunction(
      RENDER_SQL_FUNCTION,
      { memoryMb: 256, timeoutSeconds: 60 },
      props,
      this.renderSqlRole,
      { [ENV.config]: props.configJson },
    );
    this.discardRunRole = new iam.Role(this, 'DiscardRunRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "CVS discard-run: deletes a failed execution's staging prefix, nothing else",
    });
    dataLake.resultsBucket.grantRead(this.discardRunRole, `${STAGING_ROOT}*`);
    dataLake.resultsBucket.grantDelete(this.discardRunRole, `${STAGING_ROOT}*`);
    const discardRun = this.lambdaFunction(
      DISCARD_RUN_FUNCTION,
      { memoryMb: 256, timeoutSeconds: 300 },
      props,
      this.discardRunRole,
      { [ENV.outputBucket]: dataLake.resultsBucket.bucketName },
    );

    for (const pipeline of props.pipelines) {
      const machine = new PipelineStateMachine(this, `${pascal(pipeline.name)}Pipeline`, {
        pipeline,
        stepLambdas: this.stepLambdas,
        renderSql,
        discardRun,
        opsTopic: props.opsTopic,
        dataLake,
        glueDatabase: props.glueDatabase,
        workGroup: props.workGroup,
        logRetention: props.logRetention,
        config: props.config,
      });
      props.opsTopic.grantPublish(machine.stateMachine);
      this.stateMachines.set(pipeline.name, machine);
    }
  }

  /** A Lambda built from `functions/<name>/handler.ts` with its log group, role and environment. */
  private lambdaFunction(
    name: string,
    step: Pick<StepDecl, 'memoryMb' | 'timeoutSeconds'>,
    props: PipelinesProps,
    role: iam.IRole,
    environment: Record<string, string>,
  ): nodejs.NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${pascal(name)}Logs`, {
      retention: props.logRetention,
    });
    logGroup.grantWrite(role);
    const memorySize = props.memorySizes[name] ?? step.memoryMb ?? 1024;
    const fn = new nodejs.NodejsFunction(this, `${pascal(name)}Function`, {
      description: `CVS step ${name}`,
      entry: join(REPO_ROOT, 'functions', name, 'handler.ts'),
      handler: props.skipBundling ? 'index.handler' : 'handler',
      ...(props.skipBundling
        ? {
            code: lambda.Code.fromInline(
              'exports.handler = async () => { throw new Error("stub: bundling skipped"); };',
            ),
          }
        : {}),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X, // the newest Node.js Lambda runtime
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(step.timeoutSeconds ?? 900),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        ...environment,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${heapCapMb(memorySize)}`,
      },
      bundling: lambdaBundling(),
    });
    return fn;
  }

  /** The step Lambdas' rights, each scoped to a named resource. */
  private grantStepAccess(props: PipelinesProps): void {
    const { dataLake } = props;
    const stack = Stack.of(this);
    dataLake.exportBucket.grantRead(this.stepLambdaRole, `${props.exportPrefix}*`);
    dataLake.resultsBucket.grantReadWrite(this.stepLambdaRole);
    dataLake.resultsBucket.grantDelete(this.stepLambdaRole);
    dataLake.athenaResultsBucket.grantReadWrite(this.stepLambdaRole);
    dataLake.athenaResultsBucket.grantDelete(this.stepLambdaRole);
    props.scoreTable.grantReadWriteData(this.stepLambdaRole);
    props.alertTopic.grantPublish(this.stepLambdaRole);
    this.stepLambdaRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [
          stack.formatArn({
            service: 'athena',
            resource: 'workgroup',
            resourceName: props.workGroup,
          }),
        ],
      }),
    );
    // Validation stores text_<view> and validated_<view> with CTAS and replaces the clean views; csvToParquet creates and drops a temporary table.
    this.stepLambdaRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:CreateTable',
          'glue:UpdateTable',
          'glue:DeleteTable',
        ],
        resources: glueArns(stack, props.glueDatabase),
      }),
    );
  }
}

/** The environment of the step Lambdas: the resource names of this deployment and the scoring config. */
function stepLambdaEnvironment(props: PipelinesProps): Record<string, string> {
  const { dataLake } = props;
  return {
    [ENV.inputBucket]: dataLake.exportBucket.bucketName,
    [ENV.inputPrefix]: props.exportPrefix,
    [ENV.outputBucket]: dataLake.resultsBucket.bucketName,
    [ENV.athenaWorkGroup]: props.workGroup,
    [ENV.athenaDatabase]: props.glueDatabase,
    [ENV.athenaScratch]: dataLake.athenaResultsBucket.s3UrlForObject(ATHENA_SCRATCH_PREFIX),
    [ENV.scoreTable]: props.scoreTable.tableName,
    [ENV.alertTopicArn]: props.alertTopic.topicArn,
    [ENV.historyDays]: String(props.historyDays),
    [ENV.rawFormat]: props.exportFormat,
    [ENV.config]: props.configJson,
  };
}
