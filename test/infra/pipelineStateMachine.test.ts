import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CvsStack } from '../../infra/cvsStack.ts';
import { readParams } from '../../infra/params.ts';
import { nonRetryableErrors } from '../../infra/retryRules.ts';
import type { PipelineDecl } from '../../shared/pipeline/types.ts';
import {
  type AslDefinition,
  aslValidator,
  resolveIntrinsic,
  successPath,
} from './templateHelpers.ts';

/** Jobs of every shape the builder must handle, independent of what is declared today. */
const fixtures: PipelineDecl[] = [
  {
    name: 'weekly',
    description: 'heavy aggregates',
    steps: [
      {
        name: 'feature-breadth',
        kind: 'athena',
        description: 'breadth from visitor_feature',
        sql: ({ asOf }) =>
          `SELECT account_id, '{x}' AS tag FROM pendo__visitor_feature WHERE d <= DATE '${asOf}'`,
        resultKey: 'parts/breadth.csv',
      },
      {
        name: 'store-breadth',
        kind: 'lambda',
        description: 'keeps the aggregate',
        memoryMb: 512,
        timeoutSeconds: 300,
      },
    ],
  },
  {
    name: 'quarterly',
    description: 'retraining',
    steps: [{ name: 'train-model', kind: 'lambda', description: 'trains and gates the model' }],
  },
];

let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'cvs:skipBundling': 'true', weeklySchedule: 'off' } });
  const stack = new CvsStack(app, 'Fixture', { params: readParams(app.node), pipelines: fixtures });
  template = Template.fromStack(stack);
});

function definition(job: string): AslDefinition {
  const [r] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine'))
    .filter(([id]) => id.includes(`${job[0].toUpperCase()}${job.slice(1)}Pipeline`))
    .map(([, res]) => res);
  return JSON.parse(resolveIntrinsic(r.Properties.DefinitionString)) as AslDefinition;
}

describe('Class: PipelineStateMachine', () => {
  it('renders the SQL with the render-sql Lambda before the Athena query, and validates', () => {
    // Act
    const def = definition('weekly');

    // Assess
    expect(def.States['feature-breadth'].Parameters?.['QueryString.$']).toBe(
      '$.steps.feature-breadth.sql',
    );
    expect(JSON.stringify(def.States['feature-breadth: render SQL'].Parameters)).toContain(
      '{"step":"feature-breadth","asOf.$":"$.asOf"}',
    );
    expect(
      successPath(def).filter((n) => n.startsWith('feature-breadth') || n === 'store-breadth'),
    ).toEqual([
      'feature-breadth: render SQL',
      'feature-breadth',
      'feature-breadth: count rows',
      'feature-breadth: copy result',
      'feature-breadth: record',
      'store-breadth',
    ]);
    expect(aslValidator(def).errorsText('\n')).toBe('');
  });

  it('copies the Athena result into the staged run under the declared result key', () => {
    // Act
    const copy = definition('weekly').States['feature-breadth: copy result'];

    // Assess
    expect(copy.Resource).toBe('arn:aws:states:::aws-sdk:s3:copyObject');
    expect(copy.Parameters?.['Key.$']).toBe(
      "States.Format('staging/{}/parts/breadth.csv', $.runId)",
    );
  });

  it('builds a job without athena steps and skips a schedule set to off', () => {
    // Act
    const def = definition('quarterly');

    // Assess
    expect(aslValidator(def).isValid).toBe(true);
    expect(successPath(def)).toEqual(['HasRunDate', 'InitRun', 'train-model', 'RunSucceeded']);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 1 1,4,7,10 ? *)',
    });
  });

  it("builds every task's Retry from the error classes: no retry for the non-retryable ones, then two", () => {
    // Prepare
    const expected = nonRetryableErrors();

    // Act
    const tasks = ['weekly', 'quarterly'].flatMap((job) =>
      Object.entries(definition(job).States).filter(
        ([name, s]) => s.Type === 'Task' && name !== 'NotifyFailure',
      ),
    );

    // Assess
    expect(tasks.length).toBeGreaterThan(3);
    expect(expected).toEqual(expect.arrayContaining(['ModelInputError', 'ModelFormatError']));
    for (const [name, state] of tasks) {
      const retry = state.Retry ?? [];
      const noRetry = retry.findIndex((r) => r.ErrorEquals.includes('ContractViolationError'));
      expect(retry[noRetry], name).toEqual({ ErrorEquals: expected, MaxAttempts: 0 });
      // the catch-all comes after it (a LambdaInvoke puts its Lambda.* service retry first)
      expect(retry.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(noRetry, name).toBe(retry.length - 2);
      expect(state.Catch?.[0].ErrorEquals, name).toEqual(['States.ALL']);
    }
  });
});
