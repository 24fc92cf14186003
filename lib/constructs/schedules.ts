import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SWEEP_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction, type BindingTargets } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface SchedulesProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** FLAG-2: the sweep mails portal admins from this domain. */
  readonly mailDomain: string;
  /** FLAG-2's mail goes through the mail queue. */
  readonly mailQueue?: BindingTargets['mailQueue'];
  /** @default 15 minutes (FLAG-1); local mode runs the same handler every minute */
  readonly every?: Duration;
}

/**
 * The scheduled sweep (FLAG-1, FLAG-2): EventBridge -> one Lambda. Overlapping runs are safe
 * (every flag is a conditional write), so no concurrency limit is needed for correctness.
 */
export class Schedules extends Construct {
  public readonly sweep: CaseworkFunction;
  public readonly rule: events.Rule;
  /** Sweep runs that failed every retry, and events EventBridge could not deliver. */
  public readonly failures: sqs.Queue;

  public constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.failures = deadLetterQueue(this, 'Failures', "the sweep's failed runs and undelivered schedule events");
    this.sweep = new CaseworkFunction(this, 'Sweep', {
      stage: props.stage,
      module: SWEEP_FUNCTION.module,
      description:
        'FLAG-1: flags cases waiting on the customer for over 24 hours (the notifier reminds); FLAG-2: access requests pending over 48 hours (mails portal admins)',
      timeout: Duration.minutes(5),
      onFailure: new destinations.SqsDestination(this.failures),
      retryAttempts: 2,
    }).bind(SWEEP_FUNCTION, { table: props.table, mailDomain: props.mailDomain, mailQueue: props.mailQueue });
    Validations.of(this.sweep).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed runs go to the on-failure destination (this construct Failures queue, with the error), ' +
        'the successor of DeadLetterConfig for asynchronous invocations, which this rule does not recognise.',
    });
    this.rule = new events.Rule(this, 'Every15Minutes', {
      description: 'Casework needs-action sweep',
      schedule: events.Schedule.rate(props.every ?? Duration.minutes(15)),
      targets: [new targets.LambdaFunction(this.sweep, { retryAttempts: 2, deadLetterQueue: this.failures })],
    });
  }
}
