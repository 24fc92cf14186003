/**
 * The delivery queue locally: an SQS queue on fauxqs with a RedrivePolicy to its dead-letter
 * queue, and Lambda's SQS event source standing in for several concurrent invocations (as the
 * event source's maxConcurrency in AWS), each long-polling it and invoking the delivery function
 * with an SQS event, deleting what the function did not report as failed (local/sqs-event-source.ts).
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalHandler } from './functions';
import { receiveAndInvoke } from './sqs-event-source';

export const LOCAL_DELIVERY_QUEUE = 'casework-delivery';
export const LOCAL_DELIVERY_DEAD = 'casework-delivery-dead';

export interface DeliveryQueuePoller {
  /** Chunks in the queue (visible or being delivered) and in its dead-letter queue. */
  depth(): Promise<{ queued: number; dead: number }>;
  /** Resolves once the queue is empty (every chunk delivered or dead-lettered), or after `limitMs`. */
  settled(limitMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const startDeliveryQueuePoller = (opts: {
  endpoint: string;
  queueUrl: string;
  deadUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The delivery function. */
  consume: LocalHandler;
  /** Invocations at once (the event source's concurrency). @default 4 */
  concurrency?: number;
  /** As the function's timeout. @default 60 s */
  timeoutMs?: number;
  log?: (m: string) => void;
}): DeliveryQueuePoller => {
  const log = opts.log ?? (() => {});
  const sqs = new SQSClient({ endpoint: opts.endpoint, region: opts.region, credentials: opts.credentials });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        await receiveAndInvoke(sqs, {
          queueUrl: opts.queueUrl,
          queueName: LOCAL_DELIVERY_QUEUE,
          region: opts.region,
          waitSeconds: 1,
          // A failed chunk comes back soon after the function's time is up (six times that in AWS).
          visibilityTimeoutSeconds: Math.ceil(timeoutMs / 1000) + 5,
          timeoutMs,
          consume: opts.consume,
          onFunctionError: (err) => log(`deliver failed: ${String(err)}`),
        });
      } catch (err) {
        if (!stopped) log(`delivery queue poll failed: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, loop);
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
    settled: async (limitMs = 60_000) => {
      const until = Date.now() + limitMs;
      while (Date.now() < until && (await count(opts.queueUrl)) > 0) await new Promise((r) => setTimeout(r, 25));
    },
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      sqs.destroy();
    },
  };
};
