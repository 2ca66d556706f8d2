import { TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascal } from './dataLake.ts';

/** When each job starts. */
export interface SchedulesProps {
  /** The state machine of each job by job name. */
  readonly stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  /** Schedule expression by job name (`off` disables it); see DEFAULT_SCHEDULES in params.ts. */
  readonly expressions: Readonly<Record<string, string>>;
  /** IANA time zone of the expressions. @default 'UTC' */
  readonly timeZone?: string;
}

/**
 * One EventBridge Scheduler schedule per job. The input carries the scheduled time, so a late or retried start
 * still scores the day it was scheduled for.
 */
export class Schedules extends Construct {
  readonly schedules = new Map<string, scheduler.Schedule>();

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const [job, machine] of props.stateMachines) {
      const expression = props.expressions[job];
      if (!expression) throw new Error(`no schedule expression for job ${job}`);
      if (expression === 'off') continue;
      const schedule = new scheduler.Schedule(this, `${pascal(job)}Schedule`, {
        description: `starts the CVS ${job} job`,
        schedule: scheduler.ScheduleExpression.expression(
          expression,
          TimeZone.of(props.timeZone ?? 'UTC'),
        ),
        target: new targets.StepFunctionsStartExecution(machine, {
          input: scheduler.ScheduleTargetInput.fromObject({
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          retryAttempts: 3,
        }),
      });
      this.schedules.set(job, schedule);
    }
  }
}
