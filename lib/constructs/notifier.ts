import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_FILTERS } from '../../lambdas/data/stream-records';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NOTIFIER_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction, type BindingTargets } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface NotifierProps {
  readonly stage: Stage;
  /** The table; its stream (NEW_AND_OLD_IMAGES) drives the notifier. */
  readonly table: dynamodb.ITable;
  readonly mailDomain: string;
  /** Signs the Reply-To token of the reminders (MAIL-1). */
  readonly replyKeys: secretsmanager.ISecret;
  /** The delivery queue the notifier queues each event's recipients on (lib/constructs/delivery-queue.ts). */
  readonly deliveryQueue: sqs.IQueue;
  /** The mail queue the notifier queues every mail job on (it sends none itself). */
  readonly mailQueue?: BindingTargets['mailQueue'];
}

/** Tries after the first; then the batch's records go to the failure queue (bisected down to the poison one). */
export const NOTIFIER_RETRY_ATTEMPTS = 5;

/**
 * Table stream -> notifier Lambda -> integration SNS topic (and the FLAG-1 reminder
 * mail). Partial batch responses, bisect on error, bounded retries, and an encrypted SQS queue
 * for what still fails. The filters (lambdas/data/stream-records.ts) let only case, update and
 * organisation-event writes reach the function; no REMOVE (so no TTL deletion) ever does.
 */
export class Notifier extends Construct {
  public readonly function: CaseworkFunction;
  public readonly topic: sns.Topic;
  public readonly failures: sqs.Queue;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    // A key of our own: SNS must be able to use it to deliver to encrypted SQS subscribers.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Casework integration topic and notifier failure queue',
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'IntegrationTopic', {
      displayName: 'Casework events for integrations (NOTE-1)',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.failures = deadLetterQueue(this, 'Failures', "the notifier's failed stream batches", this.key);
    this.function = new CaseworkFunction(this, 'Function', {
      stage: props.stage,
      module: NOTIFIER_FUNCTION.module,
      description: 'Derives events from the table stream, publishes them once, queues mail and recipients for delivery',
      timeout: Duration.seconds(60),
    }).bind(NOTIFIER_FUNCTION, {
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: props.replyKeys,
      topic: this.topic,
      mailQueue: props.mailQueue,
      deliveryQueue: props.deliveryQueue,
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'The table stream invokes it through an event source mapping, whose on-failure destination (the ' +
        'Failures queue) takes the batches that failed every retry; a function DLQ applies to async invocations only.',
    });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: NOTIFIER_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        filters: STREAM_FILTERS.map((p) => lambda.FilterCriteria.filter(p)),
      }),
    );
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      Validations.of(this.function.role!).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'The action families CDK grants for publishing to the encrypted topic and sending to the encrypted ' +
          'failure queue, on the one key of this construct (the resource is named, only the action is a family).',
      });
    }
  }
}
