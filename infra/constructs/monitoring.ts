import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascal } from './dataLake.ts';

/** What is watched and where alarms go. */
export interface MonitoringProps {
  readonly stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  readonly stepLambdas: ReadonlyMap<string, lambda.IFunction>;
  readonly opsTopic: sns.ITopic;
}

/** Alarms to the ops topic: failed, timed-out or aborted executions per job and errors per Lambda. */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.opsTopic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
    };
    const period = { period: Duration.minutes(5), statistic: 'Sum' };
    for (const [job, machine] of props.stateMachines) {
      alarm(
        `${pascal(job)}Failed`,
        machine.metricFailed(period),
        `CVS ${job}: an execution failed`,
      );
      alarm(
        `${pascal(job)}TimedOut`,
        machine.metricTimedOut(period),
        `CVS ${job}: an execution timed out`,
      );
      alarm(
        `${pascal(job)}Aborted`,
        machine.metricAborted(period),
        `CVS ${job}: an execution was aborted`,
      );
    }
    for (const [name, fn] of props.stepLambdas) {
      alarm(
        `${pascal(name)}Errors`,
        fn.metricErrors(period),
        `CVS step ${name}: the Lambda raised an error`,
      );
    }
  }
}
