import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that holds what failed for good (a dead-letter queue or an on-failure destination):
 * encrypted, TLS only, kept 14 days for an operator. `holds` says whose failures it holds, for the
 * cdk-nag acknowledgement: such a queue has no consumer, so it needs no dead-letter queue itself.
 */
export const deadLetterQueue = (scope: Construct, id: string, holds: string, key?: kms.IKey): sqs.Queue => {
  const queue = new sqs.Queue(scope, id, {
    ...(key
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  for (const rule of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    Validations.of(queue).acknowledge({
      id: rule,
      reason: `This queue holds ${holds} until an operator looks or redrives; nothing consumes it, so it needs no dead-letter queue of its own.`,
    });
  }
  return queue;
};
