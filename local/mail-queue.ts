/**
 * The mail queue locally: an SQS queue on fauxqs with a RedrivePolicy to its dead-letter
 * queue (fauxqs moves a message after maxReceiveCount receipts, as SQS does), and the stand-in for
 * Lambda's SQS event source, which long-polls it and invokes the send-mail function with an SQS
 * event, deleting what the function did not report as failed. A failed job stays invisible for
 * the backoff the function set; everything else is fauxqs and the real function.
 */
import type { LocalHandler } from './functions';
import { startQueuePoller, type QueuePoller } from './sqs-event-source';

export const LOCAL_MAIL_QUEUE = 'casework-mail';
export const LOCAL_MAIL_DEAD = 'casework-mail-dead';

export type MailQueuePoller = QueuePoller;

export const startMailQueuePoller = (opts: {
  endpoint: string;
  queueUrl: string;
  deadUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The send-mail function. */
  consume: LocalHandler;
  /** As the function's timeout (the SQS event source gives the function this long). */
  timeoutMs?: number;
  log?: (m: string) => void;
}): MailQueuePoller => {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return startQueuePoller({
    ...opts,
    queueName: LOCAL_MAIL_QUEUE,
    functionName: 'send-mail',
    timeoutMs,
    visibilityTimeoutSeconds: Math.ceil((timeoutMs * 6) / 1000),
  });
};

/** A fauxqs queue's URL on its endpoint, by name (fauxqs's account is always 000000000000). */
export const localQueueUrl = (endpoint: string, name: string): string => `${endpoint}/000000000000/${name}`;
