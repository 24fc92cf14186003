import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { SWEEP_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction } from './casework-function';

export interface SchedulesProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** FLAG-2: the sweep mails portal admins from this domain. */
  readonly mailDomain: string;
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

  public constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.sweep = new CaseworkFunction(this, 'Sweep', {
      stage: props.stage,
      module: SWEEP_FUNCTION.module,
      description:
        'FLAG-1: flags cases waiting on the customer for over 24 hours (the notifier reminds); FLAG-2: access requests pending over 48 hours (mails portal admins)',
      timeout: Duration.minutes(5),
    }).bind(SWEEP_FUNCTION, { table: props.table, mailDomain: props.mailDomain });
    this.rule = new events.Rule(this, 'Every15Minutes', {
      description: 'Casework needs-action sweep',
      schedule: events.Schedule.rate(props.every ?? Duration.minutes(15)),
      targets: [new targets.LambdaFunction(this.sweep, { retryAttempts: 2 })],
    });
  }
}
