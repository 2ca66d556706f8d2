import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CvsStack } from '../../infra/cvsStack.ts';
import { readParams } from '../../infra/params.ts';
import { declaredPipelines, lambdaSteps } from '../../infra/pipelineSteps.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { TABLES } from '../../shared/contract/tables.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { refreshLocal } from '../../shared/pipeline/refreshLocal.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';
import { trainLocal } from '../../shared/pipeline/trainLocal.ts';
import {
  type AslDefinition,
  aslValidator,
  resolveIntrinsic,
  successPath,
} from './templateHelpers.ts';

/** Actions AWS accepts only on `*`, with the reason (anything else on `*` fails the test). */
const STAR_ALLOWED: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray has no resource-level permissions',
  'xray:PutTelemetryRecords': 'X-Ray has no resource-level permissions',
  'xray:GetSamplingRules': 'X-Ray has no resource-level permissions',
  'xray:GetSamplingTargets': 'X-Ray has no resource-level permissions',
  'logs:CreateLogDelivery': 'vended log delivery for Step Functions supports only *',
  'logs:GetLogDelivery': 'vended log delivery for Step Functions supports only *',
  'logs:UpdateLogDelivery': 'vended log delivery for Step Functions supports only *',
  'logs:DeleteLogDelivery': 'vended log delivery for Step Functions supports only *',
  'logs:ListLogDeliveries': 'vended log delivery for Step Functions supports only *',
  'logs:PutResourcePolicy': 'vended log delivery for Step Functions supports only *',
  'logs:DescribeResourcePolicies': 'vended log delivery for Step Functions supports only *',
  'logs:DescribeLogGroups': 'vended log delivery for Step Functions supports only *',
};

let app: App;
let stack: CvsStack;
let template: Template;
const pipelines = declaredPipelines();

beforeAll(() => {
  app = new App({
    context: {
      'cvs:skipBundling': 'true',
      alertEmails: 'cs@example.com,lead@example.com',
      opsEmails: 'ops@example.com',
      teams: '[{"email":"emea@example.com","segments":["Enterprise","Large"]}]',
      dailySchedule: 'cron(30 4 * * ? *)',
      athenaBytesScannedCutoff: '53687091200',
      memorySizes: '{"score-accounts":3008}',
    },
  });
  stack = new CvsStack(app, 'Cvs', {
    params: readParams(app.node),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  template = Template.fromStack(stack);
});

/** The definition of one job's state machine. */
function definitionOf(job: string): AslDefinition {
  const [, def] = Object.entries(definitions()).find(([id]) =>
    id.includes(`${job[0].toUpperCase()}${job.slice(1)}Pipeline`),
  ) as [string, AslDefinition];
  return def;
}

/** Each state machine's definition with intrinsics replaced, by logical id. */
function definitions(): Record<string, AslDefinition> {
  const out: Record<string, AslDefinition> = {};
  for (const [id, r] of Object.entries(
    template.findResources('AWS::StepFunctions::StateMachine'),
  )) {
    out[id] = JSON.parse(resolveIntrinsic(r.Properties.DefinitionString)) as AslDefinition;
  }
  return out;
}

describe('Class: CvsStack', () => {
  it('creates one Lambda per declared lambda step plus render-sql and discard-run, one state machine and schedule per job', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', lambdaSteps().length + 2);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', pipelines.length);
    template.resourceCountIs('AWS::Scheduler::Schedule', pipelines.length);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::S3::Bucket', 4); // exports, results, Athena results, access logs
    template.resourceCountIs('AWS::Glue::Table', TABLES.length + 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3 * pipelines.length + lambdaSteps().length);
  });

  it('runs the declared steps in the declared order in every state machine', () => {
    // Prepare
    const byComment = new Map(
      Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).map(([id]) => [
        id,
        pipelines.find((p) => id.includes(`${p.name[0].toUpperCase()}${p.name.slice(1)}Pipeline`)),
      ]),
    );

    // Act
    const defs = definitions();

    // Assess
    for (const [id, def] of Object.entries(defs)) {
      const pipeline = byComment.get(id);
      expect(pipeline, id).toBeDefined();
      const names = new Set(pipeline!.steps.map((s) => s.name));
      const order = successPath(def).filter((n) => names.has(n));
      expect(order).toEqual(pipeline!.steps.map((s) => s.name));
    }
  });

  it('gives every task a timeout, retries and a catch that discards the staged run and notifies ops before failing', () => {
    for (const def of Object.values(definitions())) {
      for (const [name, state] of Object.entries(def.States)) {
        if (state.Type !== 'Task') continue;
        expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
        expect(state.Retry?.length, name).toBeGreaterThan(0);
        expect(state.Catch?.[0].ErrorEquals, name).toEqual(['States.ALL']);
        const next =
          { NotifyFailure: 'RunFailed', DiscardRun: 'NotifyFailure' }[name] ?? 'DiscardRun';
        expect(state.Catch?.[0].Next, name).toBe(next);
      }
      expect(def.States.DiscardRun.Next).toBe('NotifyFailure');
      expect(def.States.NotifyFailure.Next).toBe('RunFailed');
      expect(def.States.RunFailed.Type).toBe('Fail');
    }
  });

  it('passes asl-validator for every state machine definition', () => {
    for (const [id, def] of Object.entries(definitions())) {
      const result = aslValidator(def);
      expect(result.errorsText('\n'), id).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it("runs athena steps as .sync queries that keep only pointers, and record the local runner's fields", () => {
    for (const def of Object.values(definitions())) {
      for (const step of pipelines.flatMap((p) => p.steps).filter((s) => s.kind === 'athena')) {
        const state = def.States[step.name] as unknown as Record<string, unknown>;
        if (!state) continue;
        expect(state.Resource).toBe('arn:aws:states:::athena:startQueryExecution.sync');
        expect(state.ResultPath).toBe(`$.steps.${step.name}`);
        expect(Object.keys(state.ResultSelector as object).sort()).toEqual([
          'elapsedMs.$',
          'queryExecutionId.$',
        ]);
        const record = def.States[`${step.name}: record`] as unknown as Record<string, unknown>;
        expect(record.ResultPath).toBe(`$.steps.${step.name}`);
        expect(Object.keys(record.Parameters as object).sort()).toEqual([
          'elapsedMs.$',
          'resultKey',
          'rows.$',
        ]);
      }
    }
  });

  it('starts each job from a schedule whose input carries the scheduled time', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 4 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: { Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }) },
    });
  });

  it('builds ARM64 Lambdas on the newest Node runtime with X-Ray and the memory from context', () => {
    // Assess
    template.allResourcesProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'CVS step score-accounts',
      MemorySize: 3008,
    });
    // the Athena engine reads the raw Glue tables in the stack's export format
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'CVS step validate-inputs',
      Environment: { Variables: Match.objectLike({ EXPORT_FORMAT: 'csv' }) },
    });
  });

  it('sets a retention on every log group and X-Ray plus full logging on every state machine', () => {
    // Assess
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('scopes every IAM statement to named resources except the actions AWS allows only on *', () => {
    // Prepare
    const offenders: string[] = [];

    // Act
    for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
      for (const st of r.Properties.PolicyDocument.Statement as {
        Action: string | string[];
        Resource: unknown;
      }[]) {
        const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
        if (!resources.includes('*')) continue;
        const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
        for (const a of actions) if (!STAR_ALLOWED[a]) offenders.push(`${id}: ${a}`);
      }
    }

    // Assess
    expect(offenders).toEqual([]);
  });

  it('sends every alarm to the ops topic', () => {
    // Prepare
    const opsTopicId = stack.getLogicalId(stack.alerts.opsTopic.node.defaultChild as never);

    // Assess
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: opsTopicId }],
    });
  });

  it('subscribes teams to the alert topic with a segment filter policy', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'emea@example.com',
      FilterPolicy: { segment: ['Enterprise', 'Large'] },
    });
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 4);
  });

  it('types every raw CSV column as string and enforces the workgroup cut-off', () => {
    // Assess
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'raw_salesforce__account',
        StorageDescriptor: Match.objectLike({
          Columns: Match.arrayWith([{ Name: 'number_of_employees', Type: 'string' }]),
        }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 53687091200,
      }),
    });
  });

  it('keeps scores on demand with PITR, TTL and the tier, band and run indexes', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byTier' }),
        Match.objectLike({ IndexName: 'byBand' }),
        Match.objectLike({ IndexName: 'byRun' }),
      ],
    });
  });

  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);

    // Assess
    const findings = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('Class: CvsStack, jobs and rights added with the weekly job and the promotion gate', () => {
  it('gates promote-model with a Choice on $.steps.gate-model.promote whose skip branch records why', () => {
    // Prepare
    const def = definitionOf('quarterly');
    const choice = def.States['promote-model: run?'] as unknown as {
      Type: string;
      Choices: { And: Record<string, unknown>[]; Next: string }[];
      Default: string;
    };
    const skip = def.States['promote-model: skipped'] as unknown as Record<string, unknown>;
    // Assess
    expect(def.States['gate-model'].Next).toBe('promote-model: run?');
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices).toEqual([
      {
        And: [
          { Variable: '$.steps.gate-model.promote', IsPresent: true },
          { Variable: '$.steps.gate-model.promote', BooleanEquals: true },
        ],
        Next: 'promote-model',
      },
    ]);
    expect(choice.Default).toBe('promote-model: skipped');
    expect(skip).toMatchObject({
      Type: 'Pass',
      Result: { skipped: 'gate-model.promote is false' },
      ResultPath: '$.steps.promote-model',
      Next: 'finalize-run',
    });
    expect(def.States['promote-model'].Next).toBe('finalize-run');
  });

  it('builds the weekly job: breadth SQL rendered, run on Athena, copied to parts/breadth.csv, then publish', () => {
    // Prepare
    const def = definitionOf('weekly');
    // Assess
    expect(def.States['account-breadth: render SQL'].Next).toBe('account-breadth');
    expect(def.States['account-breadth'].Parameters?.['QueryString.$']).toBe(
      '$.steps.account-breadth.sql',
    );
    expect(def.States['account-breadth: copy result'].Parameters?.['Key.$']).toBe(
      "States.Format('staging/{}/parts/breadth.csv', $.runId)",
    );
    expect(def.States['account-breadth: record'].Next).toBe('publish-breadth');
    expect((def.States.InitRun.Parameters as Record<string, unknown>)['runPrefix.$']).toBe(
      "States.Format('runs/weekly-{}/', $.asOf)",
    );
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      Description: 'starts the CVS weekly job',
    });
  });

  it('runs the same steps in the same order as the local runner for every job', async () => {
    // Prepare: one small sample, each job run locally on it
    const root = mkdtempSync(join(tmpdir(), 'cvs-parity-'));
    try {
      const input = join(root, 'in');
      await generateSample({ outDir: input, accounts: 30, seed: 2, asOf: '2024-10-31' });
      const opts = { input, out: join(root, 'out'), asOf: '2024-10-27', config: parseConfig({}) };
      // Act
      const local = {
        daily: await runLocalPipeline(opts),
        quarterly: await trainLocal(opts),
        weekly: await refreshLocal(opts),
      };
      // Assess
      for (const [job, run] of Object.entries(local)) {
        const ran = Object.keys(run.state.steps);
        const names = new Set(ran);
        expect(
          successPath(definitionOf(job)).filter((n) => names.has(n)),
          job,
        ).toEqual(ran);
        expect(ran, job).toEqual(pipelines.find((p) => p.name === job)!.steps.map((st) => st.name));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('gives training, first-model prediction and the report 3008 MB, the per-account steps 2048 MB and the rest the 1024 MB default', () => {
    // Assess
    for (const step of ['train-model', 'evaluate-model', 'predict-high-value', 'build-report'])
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `CVS step ${step}`,
        MemorySize: 3008,
      });
    for (const step of ['value-trends', 'account-changes', 'risk-and-revenue', 'publish-scores'])
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `CVS step ${step}`,
        MemorySize: 2048,
      });
    for (const step of ['send-alerts', 'publish-breadth', 'gate-model', 'store-scores'])
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `CVS step ${step}`,
        MemorySize: 1024,
      });
  });

  it("caps each step's V8 heap at 80% of its memory, so garbage is collected before the Lambda's memory is reached", () => {
    // Assess: 3008 MB -> 2406, 2048 -> 1638, 1024 -> 819 (floor of 80%); score-accounts has 3008 from context
    const options = (step: string) => {
      const [fn] = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Description: `CVS step ${step}` },
        }),
      ) as { Properties: { Environment: { Variables: Record<string, string> } } }[];
      return fn.Properties.Environment.Variables.NODE_OPTIONS;
    };
    expect(options('build-report')).toBe('--enable-source-maps --max-old-space-size=2406');
    expect(options('risk-and-revenue')).toBe('--enable-source-maps --max-old-space-size=1638');
    expect(options('send-alerts')).toBe('--enable-source-maps --max-old-space-size=819');
    expect(options('score-accounts')).toBe('--enable-source-maps --max-old-space-size=2406');
  });

  it('lets the step Lambdas read and write the results bucket (models/, state/, aggregates/) and publish alerts', () => {
    // Prepare
    const resultsId = stack.getLogicalId(stack.dataLake.resultsBucket.node.defaultChild as never);
    const alertId = stack.getLogicalId(stack.alerts.alertTopic.node.defaultChild as never);
    const [, policy] = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.includes('StepLambdaRole'),
    ) as [string, { Properties: { PolicyDocument: { Statement: unknown[] } } }];
    const statements = JSON.stringify(policy.Properties.PolicyDocument.Statement);
    // Assess
    expect(statements).toContain(
      JSON.stringify({
        Action: [
          's3:GetObject*',
          's3:GetBucket*',
          's3:List*',
          's3:DeleteObject*',
          's3:PutObject',
          's3:PutObjectLegalHold',
          's3:PutObjectRetention',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
          's3:Abort*',
        ],
        Effect: 'Allow',
        Resource: [
          { 'Fn::GetAtt': [resultsId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [resultsId, 'Arn'] }, '/*']] },
        ],
      }),
    );
    expect(statements).toContain(
      JSON.stringify({ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: alertId } }),
    );
  });

  it('gives render-sql its own role that may only write its logs and traces', () => {
    // Prepare
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.includes('RenderSqlRole'),
    ) as [
      string,
      { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } },
    ][];
    const actions = policies.flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.flatMap((st) => [st.Action].flat()),
    );
    // Assess
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action, action).toMatch(/^(logs|xray):/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'CVS step render-sql',
      Environment: { Variables: Match.objectLike({ CVS_CONFIG: Match.anyValue() }) },
    });
  });
});
