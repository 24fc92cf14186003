/**
 * The one partial-batch mechanism of every SQS and stream consumer: Powertools' BatchProcessor
 * runs the record handler on each record and reports the records whose handler threw
 * (ReportBatchItemFailures), so only those come back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { gate } from '../domain/kernel/concurrency';

/**
 * SQS: the records one at a time, or at most `concurrency` at once. A batch whose every record
 * failed is answered like any other (each message comes back on its own visibility timeout),
 * never thrown.
 */
export const sqsPartialBatch = (
  event: SQSEvent,
  handle: (record: SQSRecord) => Promise<unknown>,
  concurrency = 1,
): Promise<SQSBatchResponse> => {
  const run = gate(Math.max(1, concurrency));
  return processPartialResponse(event, (record: SQSRecord) => run(() => handle(record)), new BatchProcessor(EventType.SQS), {
    processInParallel: concurrency > 1,
    throwOnFullBatchFailure: false,
  });
};

/**
 * A table stream: a batch that fails whole throws (FullBatchFailureError), a function error, which
 * the event source answers by bisecting the batch, so a poison record ends up alone.
 */
export const streamPartialBatch = (
  event: DynamoDBStreamEvent,
  handle: (record: DynamoDBRecord) => Promise<unknown>,
): Promise<DynamoDBBatchResponse> => processPartialResponse(event, handle, new BatchProcessor(EventType.DynamoDBStreams));
