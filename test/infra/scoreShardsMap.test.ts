import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CvsStack } from '../../infra/cvsStack.ts';
import { readParams } from '../../infra/params.ts';
import { nonRetryableErrors } from '../../infra/retryRules.ts';
import {
  type AslDefinition,
  type AslState,
  aslValidator,
  resolveIntrinsic,
  successPath,
} from './templateHelpers.ts';

/** The Distributed Map of the daily job as synthesized, and the rest of the template. */
let template: Template;
let daily: AslDefinition;
let dailyId: string;
let roleId: string;
let dir: string;

/** The ASL fields of a Distributed Map state the tests read. */
interface MapState extends AslState {
  MaxConcurrency?: number;
  ToleratedFailurePercentage?: number;
  ResultPath?: string;
  ResultSelector?: Record<string, string>;
  ItemSelector?: Record<string, string>;
  ItemReader?: {
    Resource: string;
    ReaderConfig: { InputType: string };
    Parameters: Record<string, string>;
  };
  ItemProcessor?: AslDefinition & { ProcessorConfig: { Mode: string; ExecutionType: string } };
}

beforeAll(() => {
  // Prepare: a config file that sets the concurrency, so the test sees it come from the config
  dir = mkdtempSync(join(tmpdir(), 'cvs-map-'));
  const configFile = join(dir, 'cvs.config.json');
  writeFileSync(configFile, JSON.stringify({ scoreStore: { maxConcurrency: 7 } }));
  const app = new App({ context: { 'cvs:skipBundling': 'true', configFile } });
  const stack = new CvsStack(app, 'Cvs', {
    params: readParams(app.node),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  template = Template.fromStack(stack);
  const [id, r] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(
    ([k]) => k.includes('DailyPipeline'),
  ) as [string, { Properties: { DefinitionString: unknown; RoleArn: { 'Fn::GetAtt': string[] } } }];
  dailyId = id;
  roleId = r.Properties.RoleArn['Fn::GetAtt'][0];
  daily = JSON.parse(resolveIntrinsic(r.Properties.DefinitionString)) as AslDefinition;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Class: PipelineStateMachine, a perShard step', () => {
  it('runs store-scores as a Distributed Map between publish-scores and commit-scores', () => {
    // Act
    const path = successPath(daily);

    // Assess
    const at = path.indexOf('store-scores');
    expect(path.slice(at - 1, at + 2)).toEqual(['publish-scores', 'store-scores', 'commit-scores']);
    const map = daily.States['store-scores'] as MapState;
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor?.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'STANDARD',
    });
    expect(map.MaxConcurrency).toBe(7);
    expect(map.ToleratedFailurePercentage ?? 0).toBe(0); // absent is 0: any failed shard fails the map
    expect(aslValidator(daily).errorsText('\n')).toBe('');
  });

  it('reads the shard manifest of the staged run with an S3 JSON ItemReader, keys only', () => {
    // Act
    const map = daily.States['store-scores'] as MapState;

    // Assess
    expect(map.ItemReader?.Resource).toBe('arn:aws:states:::s3:getObject');
    expect(map.ItemReader?.ReaderConfig).toEqual({ InputType: 'JSON' });
    expect(map.ItemReader?.Parameters['Key.$']).toBe(
      "States.Format('staging/{}/{}', $.runId, $.steps.publish-scores.scoreShards)",
    );
    expect(map.ItemReader?.Parameters.Bucket).toMatch(/^datalakeresultsbucket/);
    expect(map.ItemSelector).toEqual({
      'asOf.$': '$.asOf',
      'runId.$': '$.runId',
      'runPrefix.$': '$.runPrefix',
      'steps.$': '$.steps',
      'shard.$': '$$.Map.Item.Value',
    });
    expect(map.ResultPath).toBe('$.steps.store-scores');
    expect(map.ResultSelector).toEqual({ 'shards.$': 'States.ArrayLength($)' });
  });

  it('invokes the store-scores Lambda per shard under the one retry rule, and catches a failed map', () => {
    // Prepare
    const map = daily.States['store-scores'] as MapState;
    const processor = map.ItemProcessor as AslDefinition;

    // Act
    const task = processor.States[processor.StartAt];

    // Assess
    expect(task.Type).toBe('Task');
    expect(task.Resource).toMatch(/StoreScoresFunction/);
    expect(task.TimeoutSeconds).toBe(960);
    const retry = task.Retry ?? [];
    expect(retry.at(-2)).toEqual({ ErrorEquals: nonRetryableErrors(), MaxAttempts: 0 });
    expect(retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], MaxAttempts: 2 });
    expect(map.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'DiscardRun' },
    ]);
  });

  it('lets the daily state machine read the manifest and start, describe and stop its child executions', () => {
    // Act
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleId }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const text = (x: unknown) => JSON.stringify(x);

    // Assess
    const start = statements.find((s) => text(s.Action) === '"states:StartExecution"');
    expect(start?.Resource).toEqual({ Ref: dailyId });
    expect(
      statements.some(
        (s) =>
          text(s.Action).includes('states:DescribeExecution') &&
          text(s.Action).includes('states:StopExecution') &&
          text(s.Resource).includes(`execution:`),
      ),
    ).toBe(true);
    expect(
      statements.some(
        (s) =>
          text(s.Action) === '"s3:GetObject"' &&
          text(s.Resource).includes('DataLakeResultsBucket') &&
          text(s.Resource).endsWith('/*"]]}'),
      ),
    ).toBe(true);
    expect(
      statements.some(
        (s) =>
          text(s.Action) === '"lambda:InvokeFunction"' &&
          text(s.Resource).includes('StoreScoresFunction'),
      ),
    ).toBe(true);
  });

  it('gives the other jobs no Distributed Map', () => {
    // Act
    const maps = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))
      .map((r) => JSON.parse(resolveIntrinsic(r.Properties.DefinitionString)) as AslDefinition)
      .flatMap((d) => Object.values(d.States).filter((s) => s.Type === 'Map'));

    // Assess
    expect(maps).toHaveLength(1);
  });
});
