import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_MAX_RECEIVES } from '../../lambdas/domain/mail/outbound';
import { SEND_MAIL_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface MailQueueProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  readonly mailDomain: string;
  readonly replyKeys: secretsmanager.ISecret;
  /** The consumer's backoff: the n-th retry waits about min(cap, base * 2^(n-1)) seconds. @default 20 s, 600 s */
  readonly retry?: { baseSeconds: number; capSeconds: number };
}

/** The consumer's timeout: SES calls are bounded well inside it (lambdas/adapters/ses-mailer.ts). */
const CONSUMER_TIMEOUT = Duration.seconds(30);

/**
 * One queue for every mail that leaves, its consumer and its dead letters. The notifier,
 * the sweep and the access-request routes queue jobs (ids and a recipient); `send-mail` renders
 * and sends each once, moving a failed job's visibility out by an exponential backoff with
 * jitter; after MAIL_MAX_RECEIVES receipts SQS moves the whole job to `Dead`, whose alarm fires
 * on the first one. Redrive: the SQS console or `aws sqs start-message-move-task --source-arn
 * <Dead ARN>` (docs/outbound.md). Mail has its own consumer, so a stalled SES never holds up the
 * notifier's inbox items and pushes.
 */
export class MailQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly dead: sqs.Queue;
  public readonly function: CaseworkFunction;
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  public readonly retry: { baseSeconds: number; capSeconds: number };

  public constructor(scope: Construct, id: string, props: MailQueueProps) {
    super(scope, id);
    this.retry = props.retry ?? { baseSeconds: 20, capSeconds: 600 };
    this.dead = deadLetterQueue(this, 'Dead', 'whole mail jobs that failed every attempt');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout, as Lambda's SQS event source asks; failures set their own backoff.
      visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dead, maxReceiveCount: MAIL_MAX_RECEIVES },
    });
    this.function = new CaseworkFunction(this, 'Function', {
      stage: props.stage,
      module: SEND_MAIL_FUNCTION.module,
      description: 'Sends each queued mail once, to its recipient as they are now, with backoff and a DLQ',
      timeout: CONSUMER_TIMEOUT,
    }).bind(SEND_MAIL_FUNCTION, {
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: props.replyKeys,
      mailQueue: { queue: this.queue, retry: this.retry },
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }),
    );
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'SQS invokes it through an event source mapping; the queue redrive policy moves a job that failed every receive to the Dead queue. A function DLQ applies to async invocations only.',
    });
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source has no on-failure destination: the mail queue's redrive policy sends a job that failed maxReceiveCount times to Dead.",
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription: 'Mail that failed every retry is waiting in the dead-letter queue: see docs/outbound.md to redrive it',
      metric: this.dead.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
