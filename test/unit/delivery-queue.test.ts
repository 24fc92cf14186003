/**
 * NOTE-1, NOTE-2: the delivery queue's adapter (SQS mocked with aws-sdk-client-mock) and its
 * consumer's partial batch answer: a chunk is one message, ten to a SendMessageBatch, and a chunk
 * that failed is reported alone so only it comes back.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '../../lambdas/adapters/config';
import { parseDeliveryChunk, sqsDeliveryQueue } from '../../lambdas/adapters/delivery-queue';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { DeliveryChunk } from '../../lambdas/domain/notifications/ports';
import { deliverHandler } from '../../lambdas/queue/deliver';

const sqsMock = mockClient(SQSClient);
const URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-delivery';

const chunk = (i: number, orgId = 'ORG-ACME'): DeliveryChunk => ({
  event: { eventId: `maintenance#m${i}`, eventType: 'maintenance', at: '2026-12-01T10:00:00.000Z', orgId },
  orgId,
  recipients: [{ userId: `u-${i}`, reasons: ['maintenance'] }],
});

beforeEach(() => {
  sqsMock.reset();
  process.env[ENV.DELIVERY_QUEUE_URL] = URL;
});
afterAll(() => {
  delete process.env[ENV.DELIVERY_QUEUE_URL];
});

describe('NOTE-1: the delivery queue adapter', () => {
  it('NOTE-1: 25 chunks go as 3 SendMessageBatch calls of at most ten, each message one whole chunk', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await sqsDeliveryQueue(new SQSClient({})).enqueue(Array.from({ length: 25 }, (_, i) => chunk(i)));
    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length).sort()).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === URL)).toBe(true);
    const bodies = calls.flatMap((c) => c.args[0].input.Entries!.map((e) => parseDeliveryChunk(e.MessageBody!)!));
    expect(bodies.map((b) => b.recipients[0].userId).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `u-${i}`).sort());
  });

  it('NOTE-1: a chunk SQS refused fails the enqueue (the notifier then leaves the event to the stream retry)', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'c0', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
    });
    await expect(sqsDeliveryQueue(new SQSClient({})).enqueue([chunk(1)])).rejects.toThrow(/refused 1 delivery chunk/);
  });

  it('NOTE-1: a message that is not a chunk is not taken for one', () => {
    expect(parseDeliveryChunk('{"event":{}}')).toBeUndefined();
    expect(parseDeliveryChunk('not json')).toBeUndefined();
    expect(parseDeliveryChunk(JSON.stringify(chunk(3)))).toEqual(chunk(3));
  });
});

describe('NOTE-1: the delivery function', () => {
  const record = (id: string, body: string): SQSRecord => ({
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:casework-delivery',
    awsRegion: 'eu-west-1',
  });

  it('NOTE-1: a chunk that failed is reported alone; a message that is not a chunk is dropped, not retried', async () => {
    const deps = {
      clock: { now: () => new Date('2026-12-01T10:00:00.000Z') },
      directory: {
        getOrgs: async (ids: string[]) => {
          if (ids.includes('ORG-BROKEN')) throw new Error('throttled');
          return [];
        },
      },
    } as unknown as Deps;
    const event: SQSEvent = {
      Records: [record('m1', JSON.stringify(chunk(1, 'ORG-BROKEN'))), record('m2', 'garbage')],
    };
    const res = await deliverHandler(() => deps)(event, { getRemainingTimeInMillis: () => 30_000 });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });
});
