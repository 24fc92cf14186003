/**
 * NOTE-1, NOTE-2, PRIV-1 on real emulators: one event's recipients go from the notifier to the
 * delivery queue on fauxqs in chunks, and the delivery function, invoked by the SQS event source's
 * stand-in, tells each once over DynamoDB Local and the local push stand-in, reading what it
 * needs in batches; a chunk delivered again, or retried after a failed push, tells nobody twice.
 */
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { ENV } from '../../lambdas/adapters/config';
import { keys } from '../../lambdas/data/keys';
import { markDeviceListsComplete } from '../../lambdas/data/notification-repo';
import { backfillDeviceLists } from '../../bin/backfill-device-lists';
import { sqsDeliveryQueue } from '../../lambdas/adapters/delivery-queue';
import { snsPush } from '../../lambdas/adapters/sns-push';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { DELIVERY_CHUNK } from '../../lambdas/domain/notifications/delivery';
import type { NotificationEvent } from '../../lambdas/domain/notifications/notifications';
import type { DeliveryChunk } from '../../lambdas/domain/notifications/ports';
import { notify } from '../../lambdas/domain/notifications/notifier';
import { deliverHandler } from '../../lambdas/queue/deliver';
import { seedDemo } from '../helpers/seed-cache';
import { createTable } from '../../local/emulators';
import { startFauxqs, type Fauxqs } from '../../local/fauxqs';
import { startPushStandIn, type PushStandIn } from '../../local/push';
import { onEndpoint, receiveAndInvoke } from '../../local/sqs-event-source';
import { instrument, testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';
import { seedRecipients } from '../helpers/recipients';

const aws = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

let db: TestDynamo;
let faux: Fauxqs;
let push: PushStandIn;
let sqs: SQSClient;
beforeAll(async () => {
  [db, faux, push] = await Promise.all([
    startTestDynamo(),
    startFauxqs({ port: 0, buckets: [], queues: ['delivery-a', 'delivery-b', 'delivery-c', 'delivery-d', 'delivery-e'] }),
    startPushStandIn({ port: 0 }),
  ]);
  sqs = new SQSClient(aws(faux.endpoint));
});
afterAll(async () => {
  sqs?.destroy();
  await push?.stop();
  await faux?.stop();
  await db?.stop();
});

/** A table with `n` Designated Contacts of Acme subscribed to its new critical cases, one device each. */
const world = async (queue: string, n: number, overrides: Partial<Deps> = {}, listsComplete = true) => {
  const table = `fanout-${randomUUID().slice(0, 8)}`;
  await createTable(db.client, table);
  await seedDemo({ ref: { doc: db.doc, table } });
  // A client of its own, metered: every DynamoDB call of notifier and delivery.
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(aws(db.endpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const meter = instrument(doc);
  const queueUrl = onEndpoint(faux.endpoint, faux.queueUrls[queue]!);
  process.env[ENV.DELIVERY_QUEUE_URL] = queueUrl;
  const deps = testDeps(doc, table, {
    integration: { publishBatch: async () => ({ failed: [] }) },
    push: snsPush({ apps: push.apps, client: new SNSClient(aws(push.url)) }),
    deliveryQueue: sqsDeliveryQueue(sqs),
    ...overrides,
  });
  const ref = { doc, table };
  const at = new Date().toISOString();
  const users = Array.from({ length: n }, (_, i) => `u-fan-${queue}-${i}`);
  await seedRecipients(ref, deps, users);
  // Every device registered since device lists exist: the table the backfill leaves.
  if (listsComplete) await markDeviceListsComplete(ref);
  const c = (
    await deps.cases.listOrgCases({ orgIds: ['ORG-ACME'], closed: false, sort: 'priority', severity: 'high' }, { limit: 1 })
  ).items[0];
  const event: NotificationEvent = {
    eventId: `severity-changed#${c.caseNumber}#v${c.version + 1}`,
    eventType: 'severity-changed',
    at,
    orgId: c.orgId,
    caseNumber: c.caseNumber,
    severity: 'critical',
    from: 'high',
    to: 'critical',
    case: { ...c, severity: 'critical', version: c.version + 1 },
  };
  const handler = deliverHandler(() => deps);
  const invocations: { event: SQSEvent; failed: number }[] = [];
  /** The event source's stand-in: receives and invokes until the queue has nothing visible. */
  const deliverAll = async (visibilityTimeoutSeconds = 30) => {
    while (
      await receiveAndInvoke(sqs, {
        queueUrl,
        queueName: queue,
        region: 'eu-west-1',
        waitSeconds: 0,
        visibilityTimeoutSeconds,
        timeoutMs: 30_000,
        consume: async (e, context) => {
          const res = await handler(e as SQSEvent, context);
          invocations.push({ event: e as SQSEvent, failed: res.batchItemFailures.length });
          return res;
        },
        onFunctionError: (err) => {
          throw err;
        },
      })
    );
  };
  const tokens = (): string[] =>
    push
      .pushes()
      .map((p) => p.token)
      .filter((t) => t.startsWith(`u-fan-${queue}-`));
  const inboxOf = async (userId: string) => (await deps.notes.listInbox(userId, new Date().toISOString(), { limit: 25 })).items;
  return { deps, ref, meter, users, event, handler, invocations, deliverAll, tokens, inboxOf };
};

/** The notifier's own Queries of one event: its recipients (the organisation's subscribers, staff). */
const NOTIFIER_QUERIES = 3;

const lease = () => ({ leaseUntil: new Date(Date.now() + 60_000), claimId: randomUUID() });

describe('NOTE-1, NOTE-2: fan-out through the delivery queue', () => {
  it('NOTE-1, NOTE-2: one event to 120 subscribers is queued in chunks and each is told once (inbox and push), reading in batches; the chunks delivered again tell nobody twice', async () => {
    const w = await world('delivery-a', 120);
    w.meter.reset();
    const outcome = await notify(w.deps, [w.event], lease());
    expect(outcome.get(w.event.eventId)).toBeUndefined();
    await w.deliverAll();

    const chunks = w.invocations.flatMap((i) => i.event.Records);
    expect(chunks).toHaveLength(Math.ceil(120 / DELIVERY_CHUNK));
    expect(w.invocations.every((i) => i.failed === 0)).toBe(true);
    expect(w.tokens().sort()).toEqual(w.users.map((u) => `${u}-token`).sort());
    // Batched: nobody has a fresh snapshot (cold), so each recipient costs one Query of their
    // partition and nothing else; their devices come with the snapshots in the chunk's
    // BatchGetItem, and claims, inbox items and finishes go by the chunk.
    const calls = w.meter.calls;
    // The mark that every user with a device has a list, read once by this container.
    expect(calls.GetItemCommand ?? 0).toBeLessThanOrEqual(1);
    expect(calls.PutItemCommand ?? 0).toBeLessThanOrEqual(2);
    // The 120 and the demo's subscribers the event also reaches.
    const recipients = chunks.reduce((n, r) => n + (JSON.parse(r.body) as DeliveryChunk).recipients.length, 0);
    expect(recipients).toBeLessThan(125);
    expect(calls.QueryCommand).toBeLessThanOrEqual(recipients + NOTIFIER_QUERIES);
    expect(calls.TransactWriteItemsCommand).toBeLessThanOrEqual(2 * chunks.length + 2);
    expect(w.meter.scans).toEqual([]);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total / 120).toBeLessThan(1.5);
    for (const userId of [w.users[0], w.users[119]])
      expect((await w.inboxOf(userId)).map((i) => i.notificationId)).toEqual([w.event.eventId]);

    // The event source may deliver a message again (at-least-once), and a replayed stream record
    // queues the chunks again: every chunk once more, and the notifier's step once more.
    const again = await w.handler({ Records: chunks }, { getRemainingTimeInMillis: () => 30_000 });
    expect(again.batchItemFailures).toEqual([]);
    await notify(w.deps, [w.event], lease());
    await w.deliverAll();
    expect(w.tokens()).toHaveLength(120);
    expect(await w.inboxOf(w.users[7])).toHaveLength(1);
  });

  it('NOTE-1: recipients signed in lately (a fresh caller snapshot) cost no read of their own: no Query per recipient, callers and devices by the chunk', async () => {
    const w = await world('delivery-d', 100);
    for (const userId of w.users) await w.deps.directory.getCallerSource(userId);
    w.meter.reset();
    await notify(w.deps, [w.event], lease());
    await w.deliverAll();
    expect(w.tokens().sort()).toEqual(w.users.map((u) => `${u}-token`).sort());
    const calls = w.meter.calls;
    expect(calls.QueryCommand).toBeLessThanOrEqual(NOTIFIER_QUERIES);
    expect(calls.BatchGetItemCommand).toBeLessThanOrEqual(3 * Math.ceil(100 / DELIVERY_CHUNK) + 2);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total / 100).toBeLessThan(0.3);
  });

  it('NOTE-1: a recipient whose devices predate device lists is still pushed, from the person index, until the backfill gives them a list', async () => {
    const w = await world('delivery-e', 3, {}, false);
    // As written before lists existed: the device item (and its index entry), no list.
    await w.ref.doc.send(new DeleteCommand({ TableName: w.ref.table, Key: keys.deviceList(w.users[1]) }));
    for (const userId of w.users) await w.deps.directory.getCallerSource(userId);
    w.meter.reset();
    await notify(w.deps, [w.event], lease());
    await w.deliverAll();
    expect(w.tokens().sort()).toEqual(w.users.map((u) => `${u}-token`).sort());
    const legacyQueries = w.meter.calls.QueryCommand ?? 0;

    expect(await backfillDeviceLists(w.ref)).toEqual({ users: 3, seeded: 1 });
    expect(await w.deps.notes.userDevices(w.users[1])).toHaveLength(1);
    w.meter.reset();
    const second = { ...w.event, eventId: `${w.event.eventId}-again` };
    await notify(w.deps, [second], lease());
    await w.deliverAll();
    expect(w.tokens()).toHaveLength(6);
    // The index Query of the recipient without a list (and those of the demo's recipients without devices) are gone.
    expect(w.meter.calls.QueryCommand).toBeLessThan(legacyQueries);
    expect(w.meter.calls.QueryCommand).toBeLessThanOrEqual(NOTIFIER_QUERIES);
  });

  it('PRIV-1, NOTE-2: the access check is at send time: a subscriber who lost Designated level after the chunk was queued is told nothing', async () => {
    const w = await world('delivery-b', 3);
    await notify(w.deps, [w.event], lease());
    // Queued, not yet delivered: the second subscriber is demoted meanwhile.
    await w.deps.directory.saveMembership(
      { userId: w.users[1], orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'basic', via: 'direct' },
      [],
    );
    await w.deliverAll();
    expect(w.tokens().sort()).toEqual([`${w.users[0]}-token`, `${w.users[2]}-token`]);
    expect(await w.inboxOf(w.users[1])).toEqual([]);
  });

  it('NOTE-1: a chunk whose push failed for one recipient is reported and comes back; its retry pushes that recipient alone, so each is pushed once', async () => {
    let failOnce = true;
    const real = snsPush({ apps: push.apps, client: new SNSClient(aws(push.url)) });
    const w = await world('delivery-c', 5, {
      push: {
        ...real,
        offers: (p) => real.offers(p),
        createEndpoint: (p, t, u) => real.createEndpoint(p, t, u),
        deleteEndpoint: (a) => real.deleteEndpoint(a),
        publish: async (arn, platform, message) => {
          if (failOnce) {
            failOnce = false;
            throw new Error('push service unavailable');
          }
          return real.publish(arn, platform, message);
        },
      },
    });
    await notify(w.deps, [w.event], lease());
    // A failed message comes back at once here (visibility 0), as after its visibility timeout in AWS.
    await w.deliverAll(0);
    expect(w.invocations.map((i) => i.failed)).toEqual([1, 0]);
    expect(w.tokens().sort()).toEqual(w.users.map((u) => `${u}-token`).sort());
  });
});
