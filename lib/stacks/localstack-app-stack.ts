import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { Stage } from '../stage';
import { DeliveryQueue } from '../constructs/delivery-queue';
import { MailQueue } from '../constructs/mail-queue';
import { Notifier } from '../constructs/notifier';
import { Schedules } from '../constructs/schedules';
import { replyKeysSecret } from './app-stack';

export interface LocalStackAppStackProps extends StackProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  readonly mailDomain: string;
}

/**
 * `-c target=localstack`: the part of the app stack whose every resource type LocalStack's free
 * edition deploys (docs/localstack.md). Built from the same constructs as AppStack, so what runs
 * is the same code with the same grants:
 * - the notifier (table stream -> Lambda -> SNS topic, case mail out through SES v1) and
 * - the scheduled sweep (EventBridge rule -> Lambda, SLA mail out through SES v1).
 *
 * Left out, because their resource types are in LocalStack's paid plans only: Cognito (the user
 * pool and its clients), API Gateway v2 (the HTTP API with its JWT authorizer and route functions,
 * the chat WebSocket API) and the SES receipt rule set (inbound mail). The HTTP API does not run
 * without its authorizer: the route functions trust the claims the gateway verified.
 */
export class LocalStackAppStack extends Stack {
  public readonly stage: Stage;
  public readonly replyKeys: secretsmanager.Secret;
  public readonly schedules: Schedules;
  public readonly notifier: Notifier;
  /** Mail leaves through the mail queue here too. */
  public readonly mail: MailQueue;
  /** Recipients are told through the delivery queue here too. */
  public readonly delivery: DeliveryQueue;

  public constructor(scope: Construct, id: string, props: LocalStackAppStackProps) {
    super(scope, id, props);
    this.stage = props.stage;
    this.replyKeys = replyKeysSecret(this);
    this.mail = new MailQueue(this, 'Mail', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
    });
    const mailQueue = { queue: this.mail.queue, retry: this.mail.retry };
    this.schedules = new Schedules(this, 'Schedules', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      mailQueue,
    });
    this.delivery = new DeliveryQueue(this, 'Delivery', { stage: props.stage, table: props.table, mailQueue });
    this.notifier = new Notifier(this, 'Notifier', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
      mailQueue,
      deliveryQueue: this.delivery.queue,
    });

    new CfnOutput(this, 'IntegrationTopicArn', { value: this.notifier.topic.topicArn });
    new CfnOutput(this, 'NotifierFunctionName', { value: this.notifier.function.functionName });
    new CfnOutput(this, 'SweepFunctionName', {
      value: this.schedules.sweep.functionName,
      description: 'Run the sweep now: awslocal lambda invoke --function-name <this> out.json',
    });
  }
}
