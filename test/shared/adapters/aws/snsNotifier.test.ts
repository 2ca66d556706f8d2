import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyFailedError } from '../../../../shared/adapters/aws/errors.ts';
import { SnsNotifier, snsBody, snsSubject } from '../../../../shared/adapters/aws/snsNotifier.ts';
import type { Message } from '../../../../shared/ports/index.ts';

const snsMock = mockClient(SNSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

function notifier(sleeps: number[] = []) {
  return new SnsNotifier({
    sns: new SNSClient({ region: 'eu-west-1' }),
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    ddb: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    tableName: 'scores',
    now: () => Date.parse('2024-10-31T06:00:00Z'),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const digest = (segment: string): Message => ({
  subject: `CVS: 3 high-risk accounts in ${segment}`,
  body: 'A1, A2, A3',
  attributes: { segment, severity: 'high' },
  dedupeKey: `2024-10-31#${segment}`,
});

const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

describe('Class: SnsNotifier', () => {
  afterEach(() => {
    snsMock.reset();
    ddbMock.reset();
  });

  it('publishes each message with its attributes, pausing between messages', async () => {
    // Prepare
    ddbMock.on(PutCommand).resolves({});
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    const sleeps: number[] = [];

    // Act
    const sent = await notifier(sleeps).publish([digest('Enterprise'), digest('Small Business')]);

    // Assess
    expect(sent).toBe(2);
    expect(sleeps).toEqual([350]);
    expect(snsMock.commandCalls(PublishCommand)[0].args[0].input).toMatchObject({
      Subject: 'CVS: 3 high-risk accounts in Enterprise',
      MessageAttributes: {
        segment: { DataType: 'String', StringValue: 'Enterprise' },
        severity: { DataType: 'String', StringValue: 'high' },
      },
    });
    expect(ddbMock.commandCalls(PutCommand)[0].args[0].input).toMatchObject({
      Item: { pk: 'ALERT#2024-10-31#Enterprise', sk: 'ALERT' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('sends no second e-mail when the same day is re-run', async () => {
    // Prepare: the first run marks the key; the re-run finds the mark
    ddbMock.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    const n = notifier();

    // Act
    const first = await n.publish([digest('Enterprise')]);
    const rerun = await n.publish([digest('Enterprise')]);

    // Assess
    expect([first, rerun]).toEqual([1, 0]);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('removes the dedupe mark and throws NotifyFailedError when SNS publish fails', async () => {
    // Prepare
    ddbMock.on(PutCommand).resolves({});
    ddbMock.on(DeleteCommand).resolves({});
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));

    // Act & Assess
    const err = await notifier()
      .publish([digest('Enterprise')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyFailedError);
    expect(ddbMock.commandCalls(DeleteCommand)[0].args[0].input.Key).toEqual({
      pk: 'ALERT#2024-10-31#Enterprise',
      sk: 'ALERT',
    });
  });
});

describe('Class: SnsNotifier (header safety)', () => {
  afterEach(() => {
    snsMock.reset();
    ddbMock.reset();
  });

  it('publishes a CRM-made subject and attributes as single lines without control characters', async () => {
    // Prepare: a segment carrying CR LF, a Bcc line, NUL and a right-to-left override
    ddbMock.on(PutCommand).resolves({});
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    const segment = 'Acme\r\nBcc: attacker@evil.test\u0000\u202E - Large';
    // Act
    await notifier().publish([digest(segment)]);
    // Assess
    const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.Subject).toBe('CVS: 3 high-risk accounts in Acme Bcc: attacker@evil.test - Large');
    expect(input.Subject).toMatch(/^[\x20-\x7E]{1,99}$/);
    expect(input.MessageAttributes?.segment.StringValue).toBe(
      'Acme Bcc: attacker@evil.test - Large',
    );
  });
});

describe('Function: snsSubject', () => {
  it('keeps one ASCII line under 100 characters', () => {
    // Prepare
    const long = `Risk in Zürich\n${'x'.repeat(200)}`;

    // Act
    const subject = snsSubject(long);

    // Assess
    expect(subject.length).toBe(99);
    expect(subject.startsWith('Risk in Zurich x')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
  });
});

describe('Function: snsBody', () => {
  it('cuts a body over 250,000 bytes and says so', () => {
    // Act
    const body = snsBody('é'.repeat(200_000)); // 400,000 bytes

    // Assess
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(250_000);
    expect(body.endsWith('[truncated: the full digest is in the run folder]')).toBe(true);
  });
});
