import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { headerAttributes, singleLine } from '../../insights/alertText.ts';
import type { Message, Notifier } from '../../ports/index.ts';
import { sleep } from './backoff.ts';
import { NotifyFailedError } from './errors.ts';

/** Longest subject SNS e-mail accepts is 100 characters; we keep under it. */
export const MAX_SUBJECT_CHARS = 99;
/** SNS message limit is 256 KiB including attributes; the body keeps a margin for them. */
export const MAX_BODY_BYTES = 250_000;

/** Topic, dedupe table and pacing of the SNS notifier. */
export interface SnsNotifierOptions {
  readonly sns: SNSClient;
  readonly topicArn: string;
  /** Document client and table (the score table) holding the `ALERT#<dedupeKey>` marks. */
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Pause between two publishes, ms (at most ~3 messages per second). @default 350 */
  readonly minIntervalMs?: number;
  /** Days a dedupe mark is kept. @default 90 */
  readonly dedupeDays?: number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * An SNS subject: printable ASCII on one line (control characters and line breaks become spaces, accents are
 * dropped from their letters, other characters removed), at most 99 characters.
 */
export function snsSubject(subject: string): string {
  const ascii = singleLine(subject.normalize('NFKD'))
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return ascii.length > MAX_SUBJECT_CHARS
    ? `${ascii.slice(0, MAX_SUBJECT_CHARS - 3)}...`
    : ascii || 'CVS alert';
}

/** The body cut to MAX_BODY_BYTES of UTF-8 (on a character boundary), with a note when cut. */
export function snsBody(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= MAX_BODY_BYTES) return body;
  const note = '\n\n[truncated: the full digest is in the run folder]';
  const cut = bytes.subarray(0, MAX_BODY_BYTES - Buffer.byteLength(note)).toString('utf8');
  return `${cut.replace(/\uFFFD$/, '')}${note}`;
}

/** The notifier in AWS: publishes to an SNS topic with message attributes, once per dedupe key. */
export class SnsNotifier implements Notifier {
  constructor(private readonly o: SnsNotifierOptions) {}

  async publish(messages: readonly Message[]): Promise<number> {
    const wait = this.o.sleep ?? sleep;
    const now = this.o.now ?? Date.now;
    let sent = 0;
    for (const m of messages) {
      const key = { pk: `ALERT#${m.dedupeKey}`, sk: 'ALERT' };
      try {
        await this.o.ddb.send(
          new PutCommand({
            TableName: this.o.tableName,
            Item: {
              ...key,
              sentAt: new Date(now()).toISOString(),
              expiresAt: Math.floor(now() / 1000) + (this.o.dedupeDays ?? 90) * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') continue; // sent before
        throw err;
      }
      if (sent > 0) await wait(this.o.minIntervalMs ?? 350);
      try {
        await this.o.sns.send(
          new PublishCommand({
            TopicArn: this.o.topicArn,
            Subject: snsSubject(m.subject),
            Message: snsBody(m.body),
            MessageAttributes: attributes(m.attributes),
          }),
        );
      } catch (err) {
        // Remove the mark so a retry of the step sends this message.
        await this.o.ddb
          .send(new DeleteCommand({ TableName: this.o.tableName, Key: key }))
          .catch(() => undefined);
        throw new NotifyFailedError(
          `publishing alert ${m.dedupeKey} failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      sent++;
    }
    return sent;
  }
}

/** SNS string attributes, each one line without control characters; empty values are left out (SNS rejects them). */
function attributes(attrs: Record<string, string>): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(headerAttributes(attrs)))
    if (v !== '') out[k] = { DataType: 'String', StringValue: v };
  return out;
}
