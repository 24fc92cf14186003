/**
 * The mail queue locally: an SQS queue on fauxqs with a RedrivePolicy to its dead-letter
 * queue (fauxqs moves a message after maxReceiveCount receipts, as SQS does), and the stand-in for
 * Lambda's SQS event source, which long-polls it and invokes the send-mail function with an SQS
 * event, deleting what the function did not report as failed. A failed job stays invisible for
 * the backoff the function set; everything else is fauxqs and the real function.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalHandler } from './functions';
import { receiveAndInvoke } from './sqs-event-source';

export const LOCAL_MAIL_QUEUE = 'casework-mail';
export const LOCAL_MAIL_DEAD = 'casework-mail-dead';

export interface MailQueuePoller {
  /** Jobs in the queue (visible or waiting out a backoff) and in its dead-letter queue. */
  depth(): Promise<{ queued: number; dead: number }>;
  stop(): Promise<void>;
}

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
  const log = opts.log ?? (() => {});
  const sqs = new SQSClient({ endpoint: opts.endpoint, region: opts.region, credentials: opts.credentials });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let stopped = false;
  const receiveOnce = async () => {
    await receiveAndInvoke(sqs, {
      queueUrl: opts.queueUrl,
      queueName: LOCAL_MAIL_QUEUE,
      region: opts.region,
      waitSeconds: 1,
      visibilityTimeoutSeconds: Math.ceil((timeoutMs * 6) / 1000),
      timeoutMs,
      consume: opts.consume,
      onFunctionError: (err) => log(`send-mail failed: ${String(err)}`),
    });
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        await receiveOnce();
      } catch (err) {
        if (!stopped) log(`mail queue poll failed: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  const count = async (url: string) => {
    const res = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const a = res.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
  return {
    depth: async () => ({ queued: await count(opts.queueUrl), dead: await count(opts.deadUrl) }),
    stop: async () => {
      stopped = true;
      await loop;
      sqs.destroy();
    },
  };
};

/** A fauxqs queue's URL on its endpoint, by name (fauxqs's account is always 000000000000). */
export const localQueueUrl = (endpoint: string, name: string): string => `${endpoint}/000000000000/${name}`;
