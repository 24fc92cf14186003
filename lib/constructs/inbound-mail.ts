import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RECEIVE_MAIL_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { accessLogBucket, dataBucket } from './buckets';
import { CaseworkFunction } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface CaseworkInboundMailProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** Replies arrive at case+<token>@<mailDomain>; the domain needs an MX record to SES inbound. */
  readonly mailDomain: string;
  readonly replyKeys: secretsmanager.ISecret;
  /** Where the files of attached mail are kept (MAIL-2). */
  readonly attachments: s3.IBucket;
  /** @default 'inbound/' */
  readonly prefix?: string;
  /** How long raw messages are kept (MAIL-2 keeps them; the update holds the text). @default dev 30 days, prod 2 years */
  readonly rawRetention?: Duration;
}

const RAW_RETENTION: Record<Stage, Duration> = { dev: Duration.days(30), prod: Duration.days(730) };

/**
 * S3 action of a receipt rule that lets SES write under the prefix only for this one rule
 * (aws:SourceArn) of this account (aws:SourceAccount). CDK's own S3 action conditions on the
 * account only, which lets any receipt rule of the account write into the bucket.
 */
class ScopedS3Action implements ses.IReceiptRuleAction {
  public constructor(
    private readonly bucket: s3.Bucket,
    private readonly prefix: string,
    private readonly ruleArn: string,
  ) {}

  public bind(rule: ses.IReceiptRule): ses.ReceiptRuleActionConfig {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesReceiptRulePutsRawMail',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${this.prefix}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this.bucket).account },
          ArnLike: { 'aws:SourceArn': this.ruleArn },
        },
      }),
    );
    // SES checks that it may write when the rule is created: the policy must exist first.
    rule.node.addDependency(this.bucket.policy!);
    return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: this.prefix } };
  }
}

/**
 * Inbound case mail (MAIL-2..5), the AWS path: a receipt rule for the mail domain stores the raw
 * message in S3, then invokes receive-mail asynchronously with the SES event (verdicts
 * included). Lambda retries a failed invocation twice; what still fails lands in the
 * dead-letter queue, so no message is lost without a trace.
 *
 * The rule set is not active until `aws ses set-active-receipt-rule-set --rule-set-name <name>`
 * (one active set per account and region: activating from CloudFormation would silently
 * replace whatever set the account uses).
 */
export class CaseworkInboundMail extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogs: s3.Bucket;
  public readonly ruleSet: ses.ReceiptRuleSet;
  public readonly rule: ses.ReceiptRule;
  public readonly receiveMail: CaseworkFunction;
  public readonly deadLetters: sqs.Queue;
  public readonly prefix: string;
  public readonly ruleSetName: string;

  public constructor(scope: Construct, id: string, props: CaseworkInboundMailProps) {
    super(scope, id);
    // Access-log delivery through the log bucket's policy instead of the legacy LogDeliveryWrite
    // ACL (CDK's feature flag, set for this construct's subtree only).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const stack = Stack.of(this);
    this.prefix = props.prefix ?? 'inbound/';
    this.ruleSetName = `casework-${props.stage}-inbound`;
    const ruleName = `casework-${props.stage}-case-replies`;
    const ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${this.ruleSetName}:receipt-rule/${ruleName}`,
    });

    this.accessLogs = accessLogBucket(this, 'AccessLogs', props.stage, 'the inbound mail bucket');

    // Mail is data: kept when the (otherwise stateless) app stack goes, in every stage.
    this.bucket = dataBucket(this, 'RawMail', {
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw-mail/',
      lifecycleRules: [
        {
          id: 'raw-mail-retention',
          prefix: this.prefix,
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: props.rawRetention ?? RAW_RETENTION[props.stage],
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.deadLetters = deadLetterQueue(this, 'ReceiveMailFailures', "receive-mail's failed invocations");

    this.receiveMail = new CaseworkFunction(this, 'ReceiveMail', {
      stage: props.stage,
      module: RECEIVE_MAIL_FUNCTION.module,
      description: 'MAIL-2..5: SES receipt rule -> raw mail in S3 -> one recorded outcome per message',
      // A 40 MB message is parsed in memory; more memory is also more CPU for the parse.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      onFailure: new destinations.SqsDestination(this.deadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    }).bind(RECEIVE_MAIL_FUNCTION, {
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: props.replyKeys,
      inbound: { bucket: this.bucket, prefix: this.prefix },
      attachments: props.attachments,
    });
    Validations.of(this.receiveMail).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed invocations go to the on-failure destination (ReceiveMailFailures, with the error), the ' +
        'successor of DeadLetterConfig for asynchronous invocations, which this rule does not recognise.',
    });

    // Added before the Lambda action binds, which then reuses it instead of adding its own
    // account-wide one: only this rule may invoke the function.
    this.receiveMail.addPermission('AllowSes', {
      action: 'lambda:InvokeFunction',
      principal: new iam.ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: ruleArn,
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    this.rule = this.ruleSet.addRule('CaseReplies', {
      receiptRuleName: ruleName,
      recipients: [props.mailDomain],
      // Spam and virus verdicts are produced only when scanning is on; the domain rejects on them.
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      enabled: true,
      actions: [
        new ScopedS3Action(this.bucket, this.prefix, ruleArn),
        new sesActions.Lambda({ function: this.receiveMail, invocationType: sesActions.LambdaInvocationType.EVENT }),
      ],
    });
  }
}
