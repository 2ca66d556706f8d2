import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3RunFolderStore } from '../../../functions/commons/s3RunFolderStore.ts';
import { createStepRunner } from '../../../functions/commons/stepRunner.ts';
import { type AwsClients, awsPorts } from '../../../shared/adapters/aws/ports.ts';
import { S3Store } from '../../../shared/adapters/aws/s3Store.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { STEP_IMPLEMENTATIONS } from '../../../shared/pipeline/steps/index.ts';

const s3Mock = mockClient(S3Client);
const snsMock = mockClient(SNSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
const region = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:cvs-alerts';

const DIGESTS = {
  messages: [
    {
      subject: 'CVS: 2 high-risk accounts in Enterprise',
      body: 'A1, A2',
      attributes: { segment: 'Enterprise', severity: 'high' },
      dedupeKey: '2024-10-31#Enterprise',
    },
  ],
  logEntries: [{ accountId: 'A1', trigger: 'high-risk', asOf: '2024-10-31' }],
  held: false,
};

const notFound = () =>
  Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });

/** The send-alerts step as its Lambda runs it: the step runner over awsPorts with mocked SDK clients. */
function sendAlertsInAws() {
  const clients: AwsClients = {
    s3: new S3Client({ region }),
    athena: new AthenaClient({ region }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
    sns: new SNSClient({ region }),
  };
  const ports = awsPorts(
    {
      inputBucket: 'exports',
      inputPrefix: '',
      outputBucket: 'results',
      athenaWorkGroup: 'cvs',
      athenaDatabase: 'cvs',
      athenaScratch: 's3://athena-results/scratch/',
      scoreTable: 'scores',
      alertTopicArn: TOPIC,
    },
    clients,
  );
  const runner = createStepRunner({
    registry: STEP_IMPLEMENTATIONS,
    ports,
    config: parseConfig({}),
    runStore: (prefix) => new S3Store(clients.s3, 'results').scoped(prefix),
    runFolders: new S3RunFolderStore(clients.s3, 'results'),
    log: () => {},
  });
  return runner('send-alerts', {
    asOf: '2024-10-31',
    runId: 'exec-1',
    runPrefix: 'runs/2024-10-31/',
    steps: {},
  });
}

describe('Function: awsPorts', () => {
  afterEach(() => {
    s3Mock.reset();
    snsMock.reset();
    ddbMock.reset();
  });

  it('gives the send-alerts step the SNS notifier on the alert topic, and a same-day re-run sends nothing', async () => {
    // Prepare: the digests in the run folder, no alert log yet; the first dedupe claim succeeds, the second fails
    s3Mock
      .on(HeadObjectCommand, { Bucket: 'results', Key: 'staging/exec-1/alerts/digests.json' })
      .resolves({})
      .on(HeadObjectCommand, { Bucket: 'results', Key: 'state/alert_log.jsonl' })
      .rejects(notFound())
      .on(GetObjectCommand, { Bucket: 'results', Key: 'staging/exec-1/alerts/digests.json' })
      .resolves({
        Body: {
          transformToByteArray: async () => new TextEncoder().encode(JSON.stringify(DIGESTS)),
        },
      } as never)
      .on(PutObjectCommand)
      .resolves({});
    ddbMock
      .on(PutCommand)
      .resolvesOnce({})
      .rejects(
        Object.assign(new Error('The conditional request failed'), {
          name: 'ConditionalCheckFailedException',
        }),
      );
    snsMock.on(PublishCommand).resolves({ MessageId: 'm1' });

    // Act
    const first = await sendAlertsInAws();
    const second = await sendAlertsInAws();

    // Assess
    expect(first).toMatchObject({ messages: 1, sent: 1, alertLogAdded: 1 });
    expect(second).toMatchObject({ messages: 1, sent: 0 });
    const publishes = snsMock.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0].args[0].input).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'CVS: 2 high-risk accounts in Enterprise',
      MessageAttributes: { segment: { DataType: 'String', StringValue: 'Enterprise' } },
    });
    expect(ddbMock.commandCalls(PutCommand)[0].args[0].input.TableName).toBe('scores');
    const logPut = s3Mock
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key === 'state/alert_log.jsonl');
    expect(String(logPut?.args[0].input.Body)).toContain('"accountId":"A1"');
  });
});
