import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { TeamSubscription } from '../params.ts';

/** Who receives what. */
export interface AlertsProps {
  /** E-mails receiving every CS digest. */
  readonly alertEmails: readonly string[];
  /** E-mails receiving failure notices and alarms. */
  readonly opsEmails: readonly string[];
  /** Team e-mails receiving only the digests of their segments (filter on the `segment` attribute). */
  readonly teams: readonly TeamSubscription[];
}

/** The CS alert topic, the ops topic, their KMS key and the e-mail subscriptions. */
export class Alerts extends Construct {
  readonly alertTopic: sns.Topic;
  readonly opsTopic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'CVS SNS topics',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted ops topic; the AWS-managed SNS key would not let them.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, '*' means this key
      }),
    );
    this.alertTopic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'CVS customer alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.opsTopic = new sns.Topic(this, 'OpsTopic', {
      displayName: 'CVS pipeline failures',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.alertEmails)
      this.alertTopic.addSubscription(new subs.EmailSubscription(email));
    for (const team of props.teams) {
      this.alertTopic.addSubscription(
        new subs.EmailSubscription(team.email, {
          filterPolicy: {
            segment: sns.SubscriptionFilter.stringFilter({ allowlist: [...team.segments] }),
          },
        }),
      );
    }
    for (const email of props.opsEmails)
      this.opsTopic.addSubscription(new subs.EmailSubscription(email));
  }
}
