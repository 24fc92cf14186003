import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_MAX_RECEIVES } from '../../lambdas/domain/notifications/delivery';
import { DELIVER_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction, type BindingTargets } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface DeliveryQueueProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** SNS platform applications for device pushes (NOTE-1); '' where there is none. @default none */
  readonly push?: { apns: string; fcm: string };
  /** The mail queue the delivery function queues notification mail on (it sends none itself). */
  readonly mailQueue?: BindingTargets['mailQueue'];
}

/** The consumer's timeout: a batch of chunks, each a few calls per hundred recipients and one push per device. */
export const DELIVERY_TIMEOUT = Duration.seconds(60);

/**
 * NOTE-1, NOTE-2: fan-out that scales with the audience. The notifier queues each event's
 * recipients in chunks; `deliver` tells each recipient of a chunk once (inbox, push, mail job),
 * many chunks in parallel, so one event to thousands never runs inside one notifier invocation.
 * A chunk that fails comes back after the visibility timeout (recipients already told are skipped
 * by the outbox ledger); after DELIVERY_MAX_RECEIVES receipts SQS moves it, whole, to `Dead`,
 * whose alarm fires on the first one.
 */
export class DeliveryQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly dead: sqs.Queue;
  public readonly function: CaseworkFunction;
  public readonly deadLetterAlarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: DeliveryQueueProps) {
    super(scope, id);
    this.dead = deadLetterQueue(this, 'Dead', 'chunks of recipients whose delivery failed every attempt');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout, as Lambda's SQS event source asks.
      visibilityTimeout: Duration.seconds(DELIVERY_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dead, maxReceiveCount: DELIVERY_MAX_RECEIVES },
    });
    this.function = new CaseworkFunction(this, 'Function', {
      stage: props.stage,
      module: DELIVER_FUNCTION.module,
      description: "Tells each recipient of a chunk of an event's audience once: inbox, push, mail job",
      timeout: DELIVERY_TIMEOUT,
    }).bind(DELIVER_FUNCTION, {
      table: props.table,
      push: props.push ?? { apns: '', fcm: '' },
      mailQueue: props.mailQueue,
      deliveryQueue: this.queue,
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 10 }),
    );
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'SQS invokes it through an event source mapping; the queue redrive policy moves a chunk that failed every receive to the Dead queue. A function DLQ applies to async invocations only.',
    });
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source has no on-failure destination: the delivery queue's redrive policy sends a chunk that failed maxReceiveCount times to Dead.",
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription:
        'Recipients of a notification whose delivery failed every retry are waiting in the dead-letter queue: see docs/notifications.md to redrive them',
      metric: this.dead.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
