import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Stage } from '../stage';

/**
 * A bucket of customers' data: encrypted, TLS only, never public, owned by the bucket's account,
 * and kept when its stack goes, in every stage. `props` adds what differs (logs, lifecycle, CORS).
 */
export const dataBucket = (scope: Construct, id: string, props: s3.BucketProps = {}): s3.Bucket =>
  new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });

/** The server access-log bucket of a data bucket (`of` names it for the cdk-nag acknowledgement). */
export const accessLogBucket = (scope: Construct, id: string, stage: Stage, of: string): s3.Bucket => {
  const bucket = dataBucket(scope, id, {
    lifecycleRules: [{ expiration: Duration.days(stage === 'prod' ? 400 : 30) }],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: `This is the access-log bucket of ${of}; logging it into itself would loop.`,
  });
  return bucket;
};
