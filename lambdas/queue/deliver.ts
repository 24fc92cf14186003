/**
 * The delivery queue's consumer (NOTE-1, NOTE-2). Each message is one chunk of one event's
 * recipients; the domain checks each recipient as they are now and tells them once
 * (lambdas/domain/notifications/delivery.ts deliverChunk). A chunk that fails, whole or for some
 * of its recipients, is reported in batchItemFailures and comes back after the queue's visibility
 * timeout; the recipients it told are done in the ledger and skipped then. After
 * DELIVERY_MAX_RECEIVES receipts SQS moves the chunk to the dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { sqsPartialBatch } from '../adapters/batch';
import { parseDeliveryChunk } from '../adapters/delivery-queue';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { deliverChunk } from '../domain/notifications/delivery';
import type { Deps } from '../domain/kernel/deps';

/** Chunks handled at once per batch: each already bounds its own recipients' concurrency. */
const CONCURRENCY = 4;

export const deliverHandler =
  (deps: () => Deps) =>
  async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const d = deps();
    // Claims made by this run expire with it: a retry after a timeout may take them over.
    const leaseUntil = new Date(Date.now() + context.getRemainingTimeInMillis());
    const claimId = randomUUID();
    const one = async (record: SQSRecord) => {
      const chunk = parseDeliveryChunk(record.body);
      if (!chunk) {
        // It can never become a chunk: retrying would only park it in the DLQ later. Said loudly instead.
        logger.error('delivery queue message is not a chunk; dropped', { messageId: record.messageId });
        return;
      }
      try {
        countMetric('NotificationsDelivered', await deliverChunk(d, chunk, { claimId, leaseUntil }));
      } catch (err) {
        countMetric('DeliveryChunksRetried', 1);
        logger.warn('delivery chunk not done; the queue retries it', {
          eventId: chunk.event.eventId,
          recipients: chunk.recipients.length,
          attempt: Number(record.attributes.ApproximateReceiveCount ?? '1'),
          error: err instanceof Error ? err.message : String(err),
        });
        throw err;
      }
    };
    return sqsPartialBatch(event, one, CONCURRENCY);
  };

// Push, the mail queue (it sends no mail itself) and the table, from its bindings.
export const handler = deliverHandler(appDeps);
