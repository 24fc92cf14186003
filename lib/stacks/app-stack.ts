import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { Stage } from '../stage';
import { CaseworkAttachments } from '../constructs/attachments';
import { ChatApi } from '../constructs/chat-api';
import { CaseworkHttpApi } from '../constructs/http-api';
import { CaseworkIdentity } from '../constructs/identity';
import { CaseworkInboundMail } from '../constructs/inbound-mail';
import { MailIdentity } from '../constructs/mail-identity';
import { DeliveryQueue } from '../constructs/delivery-queue';
import { MailQueue } from '../constructs/mail-queue';
import { Notifier } from '../constructs/notifier';
import { Schedules } from '../constructs/schedules';

export interface AppStackProps extends StackProps {
  readonly stage: Stage;
  /** The table of the data stack; this stack only references it. */
  readonly table: dynamodb.ITable;
  readonly portalOrigin: string;
  /** @default the portal origin alone */
  readonly corsOrigins?: readonly string[];
  readonly cognitoDomainPrefix: string;
  /** Domain of case mail: From support@, Reply-To case+<ref>@ (MAIL-1). */
  readonly mailDomain: string;
  /**
   * Whether this stack creates the SES identity of the mail domain (with Easy DKIM). False when
   * the domain is already an identity in the account, e.g. dev and prod sharing one domain:
   * context `mailIdentity=existing`. @default true
   */
  readonly createMailIdentity?: boolean;
  /** AdminInitiateAuth on the web client, for the smoke test (lib/constructs/identity.ts). */
  readonly smokeSignIn?: boolean;
  /**
   * SNS platform applications for mobile push (NOTE-1), created outside the stack (they hold the
   * APNs key and the FCM service account): context `pushApnsArn`, `pushFcmArn`. @default none
   */
  readonly push?: { apns: string; fcm: string };
}

/**
 * The keyring of lambdas/adapters/reply-keys.ts in its flat form (Secrets Manager generates
 * top-level fields only): {"current":"k1","k1":"<64 characters = 48 bytes as base64>"}. The
 * generated key never appears in the template. Shared by the AWS and the LocalStack app stacks.
 */
export const replyKeysSecret = (scope: Construct): secretsmanager.Secret => {
  const secret = new secretsmanager.Secret(scope, 'ReplyTokenKeys', {
    description: 'reply-token keyring: HMAC keys that sign case+<token>@ Reply-To addresses',
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ current: 'k1' }),
      generateStringKey: 'k1',
      passwordLength: 64,
      excludePunctuation: true,
    },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'An HMAC keyring, not a credential to another system. Rotation is adding a key id and moving ' +
      '"current" (old ids keep verifying replies to mail already sent), done by hand, not by a rotation Lambda.',
  });
  return secret;
};

/**
 * Stateless: identity, the HTTP API and its functions. Nothing here holds data that cannot be
 * recreated (the user pool is retained in prod all the same).
 *
 * Later pieces plug in through the public members, each as its own construct under
 * lib/constructs built in this constructor:
 * - notifications (table stream -> notifier -> SNS): `table.tableStreamArn`;
 * each function a CaseworkFunction using its bind* helpers.
 */
export class AppStack extends Stack {
  public readonly stage: Stage;
  public readonly table: dynamodb.ITable;
  public readonly identity: CaseworkIdentity;
  /** Signs pagination cursors (opaque, tamper-evident): any function that lists needs it. */
  public readonly cursorSecret: secretsmanager.Secret;
  public readonly httpApi: CaseworkHttpApi;
  public readonly schedules: Schedules;
  /** Signs and verifies reply tokens (MAIL-1): every function that sends or receives case mail. */
  public readonly replyKeys: secretsmanager.Secret;
  public readonly inboundMail: CaseworkInboundMail;
  public readonly notifier: Notifier;
  /** NOTE-1, NOTE-2: each event's recipients, in chunks, and the function that tells them. */
  public readonly delivery: DeliveryQueue;
  /** The chat WebSocket API, its functions and timer queue. */
  public readonly chat: ChatApi;
  public readonly mailIdentity?: MailIdentity;
  /** The mail queue, its consumer, dead-letter queue and alarm. */
  public readonly mail: MailQueue;
  /** Cases' files (MAIL-2, CASE-6): the bucket and the check of uploads. */
  public readonly attachments: CaseworkAttachments;

  public constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    this.stage = props.stage;
    this.table = props.table;

    this.identity = new CaseworkIdentity(this, 'Identity', {
      stage: props.stage,
      domainPrefix: props.cognitoDomainPrefix,
      portalOrigin: props.portalOrigin,
      adminPasswordSignIn: props.smokeSignIn,
    });

    this.cursorSecret = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'cursor key: HMAC key that signs pagination cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC key for pagination cursors, not a credential to another system. Rotating it only ' +
        'invalidates cursors in flight; a rotation schedule needs a two-key verify window first.',
    });

    this.replyKeys = replyKeysSecret(this);

    this.mail = new MailQueue(this, 'Mail', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
    });
    const mailQueue = { queue: this.mail.queue, retry: this.mail.retry };

    this.attachments = new CaseworkAttachments(this, 'Attachments', {
      stage: props.stage,
      table: props.table,
      corsOrigins: props.corsOrigins ?? [props.portalOrigin],
    });

    this.httpApi = new CaseworkHttpApi(this, 'Http', {
      stage: props.stage,
      table: props.table,
      cursorSecret: this.cursorSecret,
      identity: this.identity,
      corsOrigins: props.corsOrigins ?? [props.portalOrigin],
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
      push: props.push,
      mailQueue,
      attachments: this.attachments.bucket,
    });

    this.schedules = new Schedules(this, 'Schedules', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      mailQueue,
    });

    this.inboundMail = new CaseworkInboundMail(this, 'InboundMail', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
      attachments: this.attachments.bucket,
    });

    this.delivery = new DeliveryQueue(this, 'Delivery', {
      stage: props.stage,
      table: props.table,
      push: props.push,
      mailQueue,
    });

    this.notifier = new Notifier(this, 'Notifier', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
      mailQueue,
      deliveryQueue: this.delivery.queue,
    });

    this.chat = new ChatApi(this, 'Chat', {
      stage: props.stage,
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: this.replyKeys,
    });

    if (props.createMailIdentity ?? true) {
      this.mailIdentity = new MailIdentity(this, 'MailIdentity', { mailDomain: props.mailDomain });
      this.mailIdentity.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `Publish in DNS: Easy DKIM record ${i + 1} of 3 for ${props.mailDomain} (SES verifies the domain by them)`,
        });
      });
    }
    new CfnOutput(this, 'MailDomain', { value: props.mailDomain });
    new CfnOutput(this, 'MxRecord', {
      value: `${props.mailDomain} MX 10 inbound-smtp.${this.region}.amazonaws.com`,
      description: 'Publish in DNS so replies reach SES receiving in this region',
    });
    new CfnOutput(this, 'ChatUrl', {
      value: this.chat.url,
      description: 'Chat WebSocket: connect with ?ticket= from POST /chat/tickets',
    });
    new CfnOutput(this, 'IntegrationTopicArn', { value: this.notifier.topic.topicArn });
    new CfnOutput(this, 'MailDeadLetterQueueArn', {
      value: this.mail.dead.queueArn,
      description: 'Redrive: aws sqs start-message-move-task --source-arn <this> (docs/outbound.md)',
    });
    new CfnOutput(this, 'DeliveryDeadLetterQueueArn', {
      value: this.delivery.dead.queueArn,
      description: 'Redrive: aws sqs start-message-move-task --source-arn <this> (docs/notifications.md)',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.identity.web.userPoolClientId });
    new CfnOutput(this, 'MobileClientId', { value: this.identity.mobile.userPoolClientId });
    new CfnOutput(this, 'MonitoringClientId', { value: this.identity.monitoring.userPoolClientId });
    new CfnOutput(this, 'AuthDomain', { value: this.identity.domain.baseUrl() });
    new CfnOutput(this, 'InboundRuleSet', { value: this.inboundMail.ruleSetName });
    new CfnOutput(this, 'ActivateInboundCommand', {
      value: `aws ses set-active-receipt-rule-set --rule-set-name ${this.inboundMail.ruleSetName} --region ${this.region}`,
      description: 'Run once after the first deploy. One rule set is active per account and region: this replaces any other.',
    });
  }
}
