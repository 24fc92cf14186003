/**
 * Lambda's SQS event source, locally: one receive from a fauxqs queue, the function invoked with
 * the batch as an SQS event, and the messages it did not report in `batchItemFailures` deleted.
 * A function error leaves the whole batch to come back after its visibility timeout, as in AWS.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocalHandler } from './functions';

/** fauxqs names queues `http://sqs.<region>.127.0.0.1:<port>/<account>/<name>`; the path on its own endpoint reaches them. */
export const onEndpoint = (endpoint: string, queueUrl: string): string => {
  const path = /\/[^/]+\/[^/]+$/.exec(queueUrl)?.[0];
  if (!path) throw new Error(`Not a queue URL: ${queueUrl}`);
  return `${endpoint}${path}`;
};

/** Receives up to ten messages and hands them to `consume`; resolves to how many were received. */
export const receiveAndInvoke = async (
  sqs: SQSClient,
  opts: {
    queueUrl: string;
    /** For the records' event source ARN. */
    queueName: string;
    region: string;
    waitSeconds: number;
    visibilityTimeoutSeconds: number;
    /** As the function's timeout (the event source gives the function this long). */
    timeoutMs: number;
    consume: LocalHandler;
    onFunctionError: (err: unknown) => void;
  },
): Promise<number> => {
  const res = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: opts.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: opts.waitSeconds,
      VisibilityTimeout: opts.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = res.Messages ?? [];
  if (!messages.length) return 0;
  const event: SQSEvent = {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: (m.Attributes ?? {}) as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${opts.region}:000000000000:${opts.queueName}`,
      awsRegion: opts.region,
    })),
  };
  const deadline = Date.now() + opts.timeoutMs;
  let failed: Set<string>;
  try {
    const out = (await opts.consume(event, {
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    })) as SQSBatchResponse | undefined;
    failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (err) {
    opts.onFunctionError(err);
    return messages.length;
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
  return messages.length;
};
