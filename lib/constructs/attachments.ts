import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHECK_ATTACHMENT_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { accessLogBucket, dataBucket } from './buckets';
import { CaseworkFunction } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface CaseworkAttachmentsProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** Browsers PUT and GET the presigned URLs from these origins (the portal's). */
  readonly corsOrigins: readonly string[];
}

/**
 * Cases' files (MAIL-2, CASE-6): one bucket, keys per case (uploads/<case>/<id>, mail/<case>/<id>,
 * quarantine/…). Browsers upload and download through presigned URLs that the route functions
 * sign with their own narrow grants; S3's "object created" event under uploads/ invokes the check
 * that settles each upload `available` or `quarantined` (through EventBridge).
 */
export class CaseworkAttachments extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogs: s3.Bucket;
  public readonly checkAttachment: CaseworkFunction;
  public readonly deadLetters: sqs.Queue;
  public readonly uploaded: events.Rule;

  public constructor(scope: Construct, id: string, props: CaseworkAttachmentsProps) {
    super(scope, id);
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogs = accessLogBucket(this, 'AccessLogs', props.stage, 'the attachments bucket');

    // Customers' files are data: kept when the app stack goes, in every stage.
    this.bucket = dataBucket(this, 'Files', {
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'files/',
      cors: [
        {
          allowedOrigins: [...props.corsOrigins],
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          // The presigned PUT signs Content-Type; Content-Length is the browser's own.
          allowedHeaders: ['content-type'],
          exposedHeaders: ['etag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        // Uploads are single PUTs; a multipart upload someone began with the bucket's grants is cleared.
        { id: 'abandoned-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Quarantined files are kept for a look, then go.
        { id: 'quarantine', prefix: 'quarantine/', expiration: Duration.days(30) },
      ],
    });

    this.deadLetters = deadLetterQueue(this, 'CheckFailures', "check-attachment's failed invocations");

    this.checkAttachment = new CaseworkFunction(this, 'CheckAttachment', {
      stage: props.stage,
      module: CHECK_ATTACHMENT_FUNCTION.module,
      description: 'MAIL-2, CASE-6: S3 object created under uploads/ -> check size and type -> available or quarantined',
      timeout: Duration.seconds(30),
      onFailure: new destinations.SqsDestination(this.deadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    }).bind(CHECK_ATTACHMENT_FUNCTION, { table: props.table, attachments: this.bucket });
    Validations.of(this.checkAttachment).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed invocations go to the on-failure destination (CheckFailures, with the error), the ' +
        'successor of DeadLetterConfig for asynchronous invocations, which this rule does not recognise.',
    });

    // S3 reports stored objects to EventBridge (a property of the bucket itself, no custom
    // resource); a rule sends those under uploads/ to the check.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.uploaded = new events.Rule(this, 'UploadStored', {
      description: 'MAIL-2, CASE-6: an object stored under uploads/ of the attachments bucket -> check-attachment',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.bucket.bucketName] }, object: { key: [{ prefix: 'uploads/' }] } },
      },
      targets: [
        new targets.LambdaFunction(this.checkAttachment, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 4,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}
