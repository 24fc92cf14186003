/**
 * The delivery queue (SQS). DELIVERY_QUEUE_URL comes with sqs:SendMessage on that queue for the
 * notifier, and with receive and delete for its consumer (bindDeliveryQueue). A message body is
 * one whole chunk (an event and some of its recipients), so the dead-letter queue holds the chunk.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryChunk, DeliveryQueue } from '../domain/notifications/ports';
import { mapLimit } from '../domain/kernel/concurrency';
import { config } from './config';
import { queueClient } from './mail-queue';

/** SendMessageBatch takes at most ten entries. */
const SEND_BATCH = 10;
/** SendMessageBatch calls in flight at once: an event with thousands of recipients queues in seconds. */
const SEND_CONCURRENCY = 4;

export const sqsDeliveryQueue = (client?: SQSClient): DeliveryQueue => {
  let sqs = client;
  return {
    enqueue: async (chunks: DeliveryChunk[]) => {
      if (!chunks.length) return;
      sqs ??= queueClient();
      const url = config.deliveryQueueUrl();
      const batches: DeliveryChunk[][] = [];
      for (let i = 0; i < chunks.length; i += SEND_BATCH) batches.push(chunks.slice(i, i + SEND_BATCH));
      await mapLimit(batches, SEND_CONCURRENCY, async (batch) => {
        const res = await sqs!.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: batch.map((chunk, j) => ({ Id: `c${j}`, MessageBody: JSON.stringify(chunk) })),
          }),
        );
        if (res.Failed?.length)
          throw new Error(`SQS refused ${res.Failed.length} delivery chunk(s): ${res.Failed[0].Message ?? ''}`);
      });
    },
  };
};

/** A message body as a chunk; undefined for one that can never become one (it is dropped, logged). */
export const parseDeliveryChunk = (body: string): DeliveryChunk | undefined => {
  try {
    const chunk = JSON.parse(body) as Partial<DeliveryChunk>;
    return chunk.event &&
      typeof chunk.event.eventId === 'string' &&
      typeof chunk.orgId === 'string' &&
      Array.isArray(chunk.recipients)
      ? (chunk as DeliveryChunk)
      : undefined;
  } catch {
    return undefined;
  }
};
