import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { parseConfig } from '../shared/config/load.ts';
import {
  CRM_NUMERIC_FEATURES,
  PRODUCT_FEATURES,
  TEXT_COLUMNS,
} from '../shared/features/columns.ts';
import type { PipelineDecl } from '../shared/pipeline/types.ts';
import { SCORE_COLUMNS } from '../shared/scoring/scoreAccounts.ts';
import { Alerts } from './constructs/alerts.ts';
import { DataLake } from './constructs/dataLake.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Pipelines } from './constructs/pipelines.ts';
import { Schedules } from './constructs/schedules.ts';
import { ScoreStore } from './constructs/scoreStore.ts';
import { addNagSuppressions } from './nagSuppressions.ts';
import type { CvsParams } from './params.ts';
import { declaredPipelines } from './pipelineSteps.ts';

/** Stack settings: the deploy parameters and (for tests) the pipelines to build. */
export interface CvsStackProps extends StackProps {
  readonly params: CvsParams;
  /** @default the declared PIPELINES */
  readonly pipelines?: readonly PipelineDecl[];
}

/** Columns of the analyst table over account_scores: features then scores. */
export const RESULT_COLUMNS: readonly string[] = [
  ...new Set<string>([
    ...TEXT_COLUMNS,
    ...PRODUCT_FEATURES,
    ...CRM_NUMERIC_FEATURES,
    'has_crm',
    'has_product',
    ...SCORE_COLUMNS,
  ]),
];

/** Customer Value Scoring: data lake, score store, alerts, the scheduled pipelines and their alarms. */
export class CvsStack extends Stack {
  readonly dataLake: DataLake;
  readonly scoreStore: ScoreStore;
  readonly alerts: Alerts;
  readonly pipelines: Pipelines;
  readonly schedules: Schedules;
  readonly monitoring: Monitoring;

  readonly params: CvsParams;

  constructor(scope: Construct, id: string, props: CvsStackProps) {
    super(scope, id, props);
    const { params } = props;
    this.params = params;
    const logRetention = params.logRetentionDays as logs.RetentionDays;

    // ===== Data: exports, results, Glue tables, Athena workgroup =====
    this.dataLake = new DataLake(this, 'DataLake', {
      exportBucketName: params.exportBucket,
      exportPrefix: params.exportPrefix,
      exportFormat: params.exportFormat,
      glueDatabase: params.glueDatabase,
      workGroup: params.workGroup,
      bytesScannedCutoff: params.athenaBytesScannedCutoff,
      athenaResultsExpiryDays: params.athenaResultsExpiryDays,
      resultColumns: RESULT_COLUMNS,
    });
    this.scoreStore = new ScoreStore(this, 'ScoreStore');

    // ===== Alerts: CS digests and ops failures =====
    this.alerts = new Alerts(this, 'Alerts', {
      alertEmails: params.alertEmails,
      opsEmails: params.opsEmails,
      teams: params.teams,
    });

    // ===== Pipelines from the declarations, and their schedules =====
    this.pipelines = new Pipelines(this, 'Pipelines', {
      pipelines: props.pipelines ?? declaredPipelines(),
      dataLake: this.dataLake,
      scoreTable: this.scoreStore.table,
      alertTopic: this.alerts.alertTopic,
      opsTopic: this.alerts.opsTopic,
      exportPrefix: params.exportPrefix,
      exportFormat: params.exportFormat,
      glueDatabase: params.glueDatabase,
      workGroup: params.workGroup,
      config: parseConfig(JSON.parse(params.configJson)),
      configJson: params.configJson,
      historyDays: params.historyDays,
      memorySizes: params.memorySizes,
      logRetention,
      skipBundling: params.skipBundling,
    });
    const machines = new Map(
      [...this.pipelines.stateMachines].map(([job, m]) => [job, m.stateMachine] as const),
    );
    this.schedules = new Schedules(this, 'Schedules', {
      stateMachines: machines,
      expressions: params.schedules,
      timeZone: params.scheduleTimezone,
    });

    // ===== Monitoring =====
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stateMachines: machines,
      stepLambdas: this.pipelines.stepLambdas,
      opsTopic: this.alerts.opsTopic,
    });
    for (const m of this.pipelines.stateMachines.values())
      m.stateMachine.node.addDependency(this.dataLake.workGroup);

    new CfnOutput(this, 'ResultsBucketName', {
      value: this.dataLake.resultsBucket.bucketName,
      description: 'runs/<as-of>/ deliverables, models/champion.json',
    });
    new CfnOutput(this, 'ScoreTableName', {
      value: this.scoreStore.table.tableName,
      description: 'latest + history scores',
    });
    for (const [job, m] of machines) {
      new CfnOutput(this, `${job}StateMachineArn`, {
        value: m.stateMachineArn,
        description: `start a ${job} run by hand`,
      });
    }
    addNagSuppressions(this);
  }
}
