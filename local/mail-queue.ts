/**
 * Issue 23: the mail queue locally: an SQS queue on fauxqs with a RedrivePolicy to its dead-letter
 * queue (fauxqs moves a message after maxReceiveCount receipts, as SQS does), and the stand-in for
 * Lambda's SQS event source, which long-polls it and invokes the send-mail function with an SQS
 * event, deleting what the function did not report as failed. A failed job stays invisible for
 * the backoff the function set; everything else is fauxqs and the real function.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocalHandler } from './functions';

export const LOCAL_MAIL_QUEUE = 'casework-mail';
export const LOCAL_MAIL_DEAD = 'casework-mail-dead';

/** fauxqs names queues `http://sqs.<region>.127.0.0.1:<port>/<account>/<name>`; the path on its own endpoint reaches them. */
export const onEndpoint = (endpoint: string, queueUrl: string): string => {
  const path = /\/[^/]+\/[^/]+$/.exec(queueUrl)?.[0];
  if (!path) throw new Error(`Not a queue URL: ${queueUrl}`);
  return `${endpoint}${path}`;
};

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
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: Math.ceil((timeoutMs * 6) / 1000),
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = res.Messages ?? [];
    if (!messages.length) return;
    const event: SQSEvent = {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: (m.Attributes ?? {}) as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${opts.region}:000000000000:${LOCAL_MAIL_QUEUE}`,
        awsRegion: opts.region,
      })),
    };
    const deadline = Date.now() + timeoutMs;
    let failed: Set<string>;
    try {
      const out = (await opts.consume(event, {
        awsRequestId: randomUUID(),
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      })) as SQSBatchResponse | undefined;
      failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A function error fails the whole batch: every message comes back after its visibility timeout.
      log(`send-mail failed: ${String(err)}`);
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: opts.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
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
