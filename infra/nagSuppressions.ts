import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { CvsStack } from './cvsStack.ts';

/** A `<LogicalId.Arn>` reference as cdk-nag prints it in a finding. */
const arnRef = (c: IConstruct): string =>
  `<${Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement)}.Arn>`;

/**
 * Every cdk-nag AwsSolutions finding the stack accepts, each with its reason. All are IAM5 (wildcards): object-level
 * S3 actions need `bucket/*`, CDK grant helpers use action families, and X-Ray and Step Functions log delivery
 * accept only `*` resources.
 */
export function addNagSuppressions(stack: CvsStack): void {
  const { dataLake, scoreStore, pipelines } = stack;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const ack = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  const scopes: IConstruct[] = [
    pipelines.stepLambdaRole,
    pipelines.renderSqlRole,
    pipelines.discardRunRole,
    ...[...pipelines.stateMachines.values()].map((m) => m.stateMachine),
  ];
  const actions: Record<string, string> = {
    'Action::s3:GetObject*':
      'CDK bucket grant: GetObject, GetObjectVersion, GetObjectAttributes on the named bucket',
    'Action::s3:GetBucket*': 'CDK bucket grant: bucket location and versioning of the named bucket',
    'Action::s3:List*': 'CDK bucket grant: listing the named bucket (exports, run folders)',
    'Action::s3:DeleteObject*':
      'UNLOAD needs an empty folder, so a re-run deletes its own earlier Parquet files',
    'Action::s3:Abort*': 'CDK bucket grant: aborting multipart uploads of large result files',
    'Action::kms:GenerateDataKey*': 'CDK topic grant: publishing to the KMS-encrypted SNS topics',
  };
  const resources: Record<string, string> = {
    [`Resource::${arnRef(dataLake.exportBucket)}/*`]:
      'reads the export objects (one folder per table, any file name)',
    [`Resource::${arnRef(dataLake.resultsBucket)}/*`]:
      'run folders and models are keyed by date and name',
    [`Resource::${arnRef(dataLake.resultsBucket)}/staging/*`]:
      'the Athena result copy goes into the staged run; discard-run deletes a failed run there',
    [`Resource::${arnRef(dataLake.athenaResultsBucket)}/*`]:
      'Athena writes result files named by query id',
    [`Resource::${arnRef(dataLake.athenaResultsBucket)}/results/*`]:
      'the Athena result file is named by query id',
    [`Resource::${arnRef(scoreStore.table)}/index/*`]:
      'queries the tier, band and run-date indexes of the score table',
    [`Resource::arn:<AWS::Partition>:glue:${region}:${account}:table/${stack.params.glueDatabase}/*`]:
      'validation creates one view per contract table in the CVS database only',
    'Resource::*':
      'X-Ray PutTraceSegments/PutTelemetryRecords and Step Functions log delivery (logs:*LogDelivery, ' +
      'DescribeLogGroups, resource policies) support no resource-level permissions',
  };
  for (const fn of pipelines.stepLambdas.values()) {
    resources[`Resource::${arnRef(fn)}:*`] =
      'Step Functions invokes the step Lambda by version or alias ARN';
  }
  for (const id of ['RenderSqlFunction', 'DiscardRunFunction']) {
    const fn = pipelines.node.tryFindChild(id);
    if (fn)
      resources[`Resource::${arnRef(fn)}:*`] =
        'Step Functions invokes this Lambda by version or alias ARN';
  }
  const bucketName = `<${Stack.of(dataLake.resultsBucket).getLogicalId(dataLake.resultsBucket.node.defaultChild as CfnElement)}>`;
  resources[`Resource::arn:<AWS::Partition>:s3:::${bucketName}/*`] =
    "a Distributed Map's ItemReader reads the shard manifest of the staged run (CDK's S3JsonItemReader grant)";
  for (const m of pipelines.stateMachines.values()) {
    const id = Stack.of(m).getLogicalId(m.stateMachine.node.defaultChild as CfnElement);
    const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${id}"}]}]}`;
    const executions = `Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:${name}`;
    resources[`${executions}:*`] =
      'a Distributed Map describes and stops the child executions it starts (named by Step Functions)';
    resources[`${executions}/*:*`] =
      'a Distributed Map redrives the child executions of its map runs (named by Step Functions)';
  }
  if (dataLake.exportBucket.node.defaultChild === undefined) {
    // An imported export bucket has no logical id: its ARN is a literal built from the name.
    resources[
      `Resource::arn:<AWS::Partition>:s3:::${stack.params.exportBucket}/${stack.params.exportPrefix}*`
    ] = 'reads the export objects under the export prefix';
  }
  for (const scope of scopes) {
    for (const [id, reason] of Object.entries({ ...actions, ...resources })) ack(scope, id, reason);
  }
}
