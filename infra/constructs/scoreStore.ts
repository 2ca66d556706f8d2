import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { SCORE_INDEXES, TTL_ATTRIBUTE } from '../../shared/adapters/aws/dynamoScoreStore.ts';

/**
 * The DynamoDB score table: on-demand, PITR on, TTL on history items. Keys `pk`/`sk` (`ACCOUNT#id` + `LATEST` or
 * `RUN#<as-of>`; `RUNS` + `RUN#<as-of>`; `ALERT#<dedupe key>`), GSIs by tier, by health band and by run date.
 */
export class ScoreStore extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const S = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: S },
      sortKey: { name: 'sk', type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    const index = (indexName: string, partition: string) =>
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: partition, type: S },
        sortKey: { name: 'pk', type: S },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    index(SCORE_INDEXES.byTier, 'tierKey');
    index(SCORE_INDEXES.byBand, 'bandKey');
    index(SCORE_INDEXES.byRun, 'runShard');
  }
}
