/**
 * The mail queue's consumer. Each message is one whole mail job; the domain renders it for its
 * recipient as they are now and sends it once (lambdas/domain/mail/outbound.ts). A job that
 * fails is reported in batchItemFailures and comes back after an exponential backoff with jitter
 * (its visibility timeout is moved); after MAIL_MAX_RECEIVES receipts SQS moves it, whole, to the
 * dead-letter queue, and the case's mail log says `dead-lettered` so staff see it.
 */
import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { parseMailJob, queueClient, retryLater } from '../adapters/mail-queue';
import { config } from '../adapters/config';
import { countMetric } from '../adapters/metrics';
import { caseOfJob, MAIL_MAX_RECEIVES, retryDelaySeconds, sendMailJob, userOfJob } from '../domain/mail/outbound';
import type { MailJob, MailLogEntry } from '../domain/mail/ports';
import type { Deps } from '../domain/kernel/deps';
import { mailErrorClass } from '../domain/mail/mail-log';
import { sqsPartialBatch } from '../adapters/batch';

/** Jobs sent at once per batch: a few, so one slow SES call does not hold the others back. */
const CONCURRENCY = 4;

const log = async (deps: Deps, job: MailJob, entry: Omit<MailLogEntry, 'caseNumber' | 'key' | 'kind'>) => {
  const caseNumber = caseOfJob(job);
  if (!caseNumber) return;
  const userId = userOfJob(job);
  await deps.mailLog
    .record({ caseNumber, key: job.key, kind: job.kind, ...(userId ? { userId } : {}), ...entry })
    .catch((err: unknown) => logger.warn('mail log not written', { key: job.key, error: String(err) }));
};

export const sendMailHandler =
  (deps: () => Deps, sqs: () => SQSClient, random: () => number = Math.random) =>
  async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const d = deps();
    const leaseUntil = new Date(Date.now() + context.getRemainingTimeInMillis());
    const claimId = randomUUID();
    const { base, cap } = config.mailRetrySeconds();
    const one = async (record: SQSRecord) => {
      const job = parseMailJob(record.body);
      if (!job) {
        // It can never become a job: retrying would only park it in the DLQ later. Said loudly instead.
        logger.error('mail queue message is not a mail job; dropped', { messageId: record.messageId });
        return;
      }
      const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
      try {
        const outcome = await sendMailJob(d, job, { claimId, leaseUntil });
        countMetric('MailSent', outcome === 'sent' ? 1 : 0);
        if (outcome !== 'already-sent') await log(d, job, { state: outcome, attempts: attempt, at: new Date().toISOString() });
        logger.info('mail job', { key: job.key, kind: job.kind, outcome, attempt });
      } catch (err) {
        const last = attempt >= MAIL_MAX_RECEIVES;
        const error = err instanceof Error ? err.message : String(err);
        countMetric(last ? 'MailDeadLettered' : 'MailRetried', 1);
        logger.warn('mail job failed', { key: job.key, kind: job.kind, attempt, last, error });
        await log(d, job, {
          state: last ? 'dead-lettered' : 'retrying',
          attempts: attempt,
          at: new Date().toISOString(),
          error,
          errorClass: mailErrorClass(err),
        });
        if (!last) {
          await retryLater(sqs(), record.receiptHandle, retryDelaySeconds(attempt, random(), base, cap)).catch((e: unknown) =>
            logger.warn('backoff not set; the queue visibility timeout applies', { error: String(e) }),
          );
        }
        throw err;
      }
    };
    return sqsPartialBatch(event, one, CONCURRENCY);
  };

let client: SQSClient | undefined;

// SES and the reply keys, from its bindings: it is the only sender of queued mail.
export const handler = sendMailHandler(
  () => appDeps(),
  () => (client ??= queueClient()),
);
