/**
 * Lambda's SQS event source, locally: one receive from a fauxqs queue, the function invoked with
 * the batch as an SQS event, and the messages it did not report in `batchItemFailures` deleted.
 * A function error leaves the whole batch to come back after its visibility timeout, as in AWS.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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
    /** Ends a long poll early (the poller stopping); a batch already received is still handled. */
    abortSignal?: AbortSignal;
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
    { abortSignal: opts.abortSignal },
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

/** A queue as its event source sees it: what is in it, and when it is empty. */
export interface QueuePoller {
  /** Messages in the queue (visible or in flight) and in its dead-letter queue. */
  depth(): Promise<{ queued: number; dead: number }>;
  /** Resolves once the queue is empty (every message handled or dead-lettered), or after `limitMs`. */
  settled(limitMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The event source itself: `concurrency` loops (the event source's concurrent invocations in
 * AWS), each long-polling the queue and invoking the function with what it receives.
 */
export const startQueuePoller = (opts: {
  endpoint: string;
  queueUrl: string;
  deadUrl: string;
  /** For the records' event source ARN. */
  queueName: string;
  /** Names the function in the log. */
  functionName: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  consume: LocalHandler;
  /** As the function's timeout (the event source gives the function this long). */
  timeoutMs: number;
  /** How long a received message stays hidden: when a failed one comes back. */
  visibilityTimeoutSeconds: number;
  concurrency?: number;
  log?: (m: string) => void;
}): QueuePoller => {
  const log = opts.log ?? (() => {});
  const sqs = new SQSClient({ endpoint: opts.endpoint, region: opts.region, credentials: opts.credentials });
  let stopped = false;
  // Long polls of 20 s, as Lambda's event source makes (fauxqs answers one as soon as a message
  // arrives): an idle queue costs a receive per loop every 20 s, not every second. Stopping
  // aborts the polls in flight.
  const stopping = new AbortController();
  const loop = async () => {
    while (!stopped) {
      try {
        await receiveAndInvoke(sqs, {
          queueUrl: opts.queueUrl,
          queueName: opts.queueName,
          region: opts.region,
          waitSeconds: 20,
          visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds,
          timeoutMs: opts.timeoutMs,
          consume: opts.consume,
          onFunctionError: (err) => log(`${opts.functionName} failed: ${String(err)}`),
          abortSignal: stopping.signal,
        });
      } catch (err) {
        if (stopped) return;
        log(`${opts.queueName} poll failed: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, loop);
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
      stopping.abort();
      await Promise.all(loops);
      sqs.destroy();
    },
  };
};
