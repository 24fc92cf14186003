/**
 * The delivery queue locally: an SQS queue on fauxqs with a RedrivePolicy to its dead-letter
 * queue, and Lambda's SQS event source standing in for several concurrent invocations (as the
 * event source's maxConcurrency in AWS), invoking the delivery function with an SQS event and
 * deleting what it did not report as failed (local/sqs-event-source.ts).
 */
import type { LocalHandler } from './functions';
import { startQueuePoller, type QueuePoller } from './sqs-event-source';

export const LOCAL_DELIVERY_QUEUE = 'casework-delivery';
export const LOCAL_DELIVERY_DEAD = 'casework-delivery-dead';

export type DeliveryQueuePoller = QueuePoller;

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
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return startQueuePoller({
    ...opts,
    queueName: LOCAL_DELIVERY_QUEUE,
    functionName: 'deliver',
    concurrency: opts.concurrency ?? 4,
    timeoutMs,
    // A failed chunk comes back soon after the function's time is up (six times that in AWS).
    visibilityTimeoutSeconds: Math.ceil(timeoutMs / 1000) + 5,
  });
};
