/**
 * The mail queue (SQS). MAIL_QUEUE_URL comes with sqs:SendMessage on that queue for the
 * functions that queue mail, and with receive, delete and ChangeMessageVisibility for its consumer
 * (bindMailQueue). A message body is one whole job, so the dead-letter queue holds the job itself.
 */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MailJob, MailQueue } from '../domain/mail/ports';
import { config } from './config';

/** SQS refuses an entry id longer than 80 characters or with other than [A-Za-z0-9_-]. */
const entryId = (i: number) => `j${i}`;

/** Connect and answer well inside any caller's timeout: a slow SQS fails this call, not the function. */
export const queueClient = () =>
  new SQSClient({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 }, maxAttempts: 3 });

export const sqsMailQueue = (client?: SQSClient): MailQueue => {
  let sqs = client;
  return {
    enqueue: async (jobs: MailJob[]) => {
      if (!jobs.length) return;
      sqs ??= queueClient();
      const url = config.mailQueueUrl();
      for (let i = 0; i < jobs.length; i += 10) {
        const batch = jobs.slice(i, i + 10);
        const res = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: batch.map((job, j) => ({
              Id: entryId(j),
              MessageBody: JSON.stringify(job),
              MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
            })),
          }),
        );
        if (res.Failed?.length) throw new Error(`SQS refused ${res.Failed.length} mail job(s): ${res.Failed[0].Message ?? ''}`);
      }
    },
  };
};

/** The consumer's backoff: the failed message comes back after `seconds` (SQS caps a visibility timeout at 12 hours). */
export const retryLater = async (client: SQSClient, receiptHandle: string, seconds: number): Promise<void> => {
  await client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: config.mailQueueUrl(),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(43_200, Math.max(0, Math.round(seconds))),
    }),
  );
};

/** A message body as a job; undefined for one that can never become a job (it is dropped, logged). */
export const parseMailJob = (body: string): MailJob | undefined => {
  try {
    const job = JSON.parse(body) as Partial<MailJob>;
    return typeof job.key === 'string' && typeof job.kind === 'string' ? (job as MailJob) : undefined;
  } catch {
    return undefined;
  }
};
