/**
 * Benchmark 7 (`npm run bench:fanout` alone): SNS calls, DynamoDB calls and wall time per event.
 *
 * 1. The integration topic alone: 1, 100 and 1,000 events published to fauxqs, batched and
 *    bounded exactly as the notifier does it (PublishBatch of PUBLISH_BATCH, PUBLISH_CONCURRENCY
 *    in flight).
 * 2. One event with 1, 1,000 and 10,000 recipients (Designated Contacts of Acme subscribed to its new
 *    critical cases, one device each), end to end: the notifier step, then the delivery function
 *    invoked from the delivery queue on fauxqs, over DynamoDB Local and the local push stand-in:
 *    wall time until every device was pushed, and DynamoDB calls per recipient, cold and warm.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../lambdas/adapters/deps-for';
import { snsPush } from '../lambdas/adapters/sns-push';
import { markDeviceListsComplete } from '../lambdas/data/notification-repo';
import { snsIntegrationTopic } from '../lambdas/adapters/sns-topic';
import { DELIVERY_CHUNK } from '../lambdas/domain/notifications/delivery';
import { mapLimit } from '../lambdas/domain/kernel/concurrency';
import { notify, PUBLISH_BATCH, PUBLISH_CONCURRENCY, topicMessage } from '../lambdas/domain/notifications/notifier';
import type { NotificationEvent } from '../lambdas/domain/notifications/notifications';
import { seedDemo } from '../local/demo-data';
import { createTable, startDynamo } from '../local/emulators';
import { startFauxqs } from '../local/fauxqs';
import { startPushStandIn } from '../local/push';
import { seedRecipients } from '../test/helpers/recipients';
import { runAlone, type Goal, type Section, table } from './lib';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { ENV } from '../lambdas/adapters/config';
import { sqsDeliveryQueue } from '../lambdas/adapters/delivery-queue';
import { deliverHandler } from '../lambdas/queue/deliver';
import { onEndpoint, receiveAndInvoke } from '../local/sqs-event-source';

const creds = { accessKeyId: 'l', secretAccessKey: 'l' };

/** Counts the commands a client sends, by name. */
const counted = <C extends { middlewareStack: SNSClient['middlewareStack'] }>(client: C) => {
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts[context.commandName ?? '?'] = (counts[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'count' },
  );
  return {
    client,
    counts,
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => Object.keys(counts).forEach((k) => delete counts[k]),
  };
};

/** Recipients per size (BENCH_FANOUT_SIZES=1,1000 for a shorter run). */
const SIZES = (process.env.BENCH_FANOUT_SIZES ?? '1,1000,10000').split(',').map(Number);
/** Concurrent invocations of the delivery function (Lambda's SQS event source runs several; local mode 4). */
const DELIVERY_INVOCATIONS = 4;

/**
 * One event, per-user delivery end to end: the notifier's step (publication, recipient Queries,
 * chunks to the delivery queue on fauxqs), then the delivery function invoked by the SQS event
 * source's stand-in (local/sqs-event-source.ts) from that queue, until every recipient's device
 * was pushed and the queue is empty. Cold: no recipient has a caller snapshot (none signed in
 * within ten minutes); warm: every one has (they did).
 */
const perRecipient = async (topicArn: string, faux: Awaited<ReturnType<typeof startFauxqs>>) => {
  const dynamo = await startDynamo({ port: 0 });
  const push = await startPushStandIn({ port: 0 });
  const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: creds });
  const doc = counted(DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } }));
  const sns = counted(new SNSClient({ endpoint: faux.endpoint, region: 'eu-west-1', credentials: creds }));
  const pushSns = counted(new SNSClient({ endpoint: push.url, region: 'eu-west-1', credentials: creds }));
  const sqsClient = new SQSClient({ endpoint: faux.endpoint, region: 'eu-west-1', credentials: creds });
  let sqsCalls = 0;
  sqsClient.middlewareStack.add((next) => async (args) => (sqsCalls++, next(args)), { step: 'initialize', name: 'count' });
  const sqs = { client: sqsClient, total: () => sqsCalls, reset: () => (sqsCalls = 0) };
  const queueUrl = onEndpoint(faux.endpoint, faux.queueUrls['bench-delivery']!);
  process.env[ENV.DELIVERY_QUEUE_URL] = queueUrl;
  const rows = [];
  try {
    for (const n of SIZES) {
      const tableName = `fanout-${n}`;
      await createTable(ddb, tableName);
      const ref = { doc: doc.client, table: tableName };
      await seedDemo({ ref });
      const deps = depsFor(ref, {
        mailer: { send: async () => undefined },
        replyKeys: async () => {
          throw new Error('no mail in this bench');
        },
        integration: snsIntegrationTopic(topicArn, sns.client),
        push: snsPush({ apps: push.apps, client: pushSns.client }),
        deliveryQueue: sqsDeliveryQueue(sqs.client),
      });
      const at = new Date().toISOString();
      const users = Array.from({ length: n }, (_, i) => `u-bench-${i}`);
      await seedRecipients(ref, deps, users, 32);
      // Every device registered since device lists exist: the table the backfill leaves (docs/notifications.md).
      await markDeviceListsComplete(ref);
      const c = (
        await deps.cases.listOrgCases({ orgIds: ['ORG-ACME'], closed: false, sort: 'priority', severity: 'high' }, { limit: 1 })
      ).items[0];
      const consume = deliverHandler(() => deps);
      for (const snapshots of ['cold', 'warm'] as const) {
        if (snapshots === 'warm') await mapLimit(users, 32, (userId) => deps.directory.getCallerSource(userId));
        const version = c.version + (snapshots === 'cold' ? 1 : 2);
        const e: NotificationEvent = {
          eventId: `severity-changed#${c.caseNumber}#v${version}`,
          eventType: 'severity-changed',
          at,
          orgId: c.orgId,
          caseNumber: c.caseNumber,
          severity: 'critical',
          from: 'high',
          to: 'critical',
          case: { ...c, severity: 'critical', version },
        };
        const pushesBefore = push.pushes().length;
        for (const counter of [doc, sns, pushSns, sqs]) counter.reset();
        const t0 = performance.now();
        const outcome = await notify(deps, [e], { leaseUntil: new Date(Date.now() + 600_000), claimId: 'bench' });
        const error = outcome.get(e.eventId);
        if (error) throw error;
        const notifiedMs = performance.now() - t0;
        const notifierDynamo = doc.total();
        // The event source's stand-in: receive, invoke, delete what did not fail, until all are told.
        let failures = 0;
        let done = false;
        const poll = async () => {
          while (!done) {
            const got = await receiveAndInvoke(sqs.client, {
              queueUrl,
              queueName: 'bench-delivery',
              region: 'eu-west-1',
              waitSeconds: 0,
              visibilityTimeoutSeconds: 30,
              timeoutMs: 60_000,
              consume: async (event, context) => {
                const res = await consume(event as SQSEvent, context);
                failures += res.batchItemFailures.length;
                return res;
              },
              onFunctionError: () => failures++,
            });
            if (!got) {
              if (push.pushes().length - pushesBefore >= n) done = true;
              else await new Promise((r) => setTimeout(r, 20));
            }
          }
        };
        await Promise.all(Array.from({ length: DELIVERY_INVOCATIONS }, poll));
        const ms = performance.now() - t0;
        const pushes = push.pushes().length - pushesBefore;
        if (pushes !== n) throw new Error(`${pushes} pushes for ${n} recipients`);
        rows.push({
          recipients: n,
          snapshots,
          pushes,
          chunks: Math.ceil(n / DELIVERY_CHUNK),
          failures,
          sqsCalls: sqs.total(),
          dynamoCalls: doc.total(),
          notifierDynamo,
          perRecipient: +(doc.total() / n).toFixed(2),
          notifierMs: +notifiedMs.toFixed(0),
          wallMs: +ms.toFixed(0),
          byCommand: Object.entries(doc.counts)
            .sort((x, y) => y[1] - x[1])
            .map(([k, v]) => `${k.replace('Command', '')} ${v}`)
            .join(', '),
        });
      }
    }
  } finally {
    sns.client.destroy();
    pushSns.client.destroy();
    sqs.client.destroy();
    ddb.destroy();
    await push.stop();
    await dynamo.stop();
  }
  return rows;
};

/** The goal: 10,000 recipients delivered in under 60 s, and DynamoDB calls per recipient flat (about 1.5 at most). */
const fanoutGoals = (rows: { recipients: number; snapshots: string; perRecipient: number; wallMs: number }[]): Goal[] => {
  const big = rows.filter((r) => r.recipients === Math.max(...rows.map((x) => x.recipients)));
  const large = rows.filter((r) => r.recipients >= 1000);
  const worst = (s: string) => Math.max(...large.filter((r) => r.snapshots === s).map((r) => r.perRecipient));
  return [
    {
      goal: `one event to ${big[0]?.recipients ?? 0} recipients delivered end to end in under 60 s`,
      met: big.length > 0 && big[0].recipients >= 10_000 && big.every((r) => r.wallMs < 60_000),
      figure: big.map((r) => `${(r.wallMs / 1000).toFixed(1)} s ${r.snapshots}`).join(', '),
    },
    {
      goal: 'DynamoDB calls per recipient at most about 1.5, flat as N grows (1,000 and more recipients)',
      met: large.length > 0 && worst('cold') <= 1.6 && worst('warm') <= 1.6,
      figure: large.map((r) => `${r.perRecipient} at ${r.recipients} ${r.snapshots}`).join(', '),
    },
  ];
};

export const runFanout = async (): Promise<Omit<Section, 'seconds'>> => {
  const faux = await startFauxqs({
    port: 0,
    buckets: [],
    topics: ['bench'],
    queues: ['bench-q', 'bench-delivery'],
    subscriptions: [{ topic: 'bench', queue: 'bench-q', rawMessageDelivery: true }],
  });
  const client = new SNSClient({
    endpoint: faux.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  let calls = 0;
  client.middlewareStack.add((next) => async (args) => (calls++, next(args)), { step: 'initialize', name: 'count' });
  const topic = snsIntegrationTopic(faux.topicArns.bench, client);
  try {
    const rows = [];
    for (const n of [1, 100, 1000]) {
      const events: NotificationEvent[] = Array.from({ length: n }, (_, i) => ({
        eventId: `severity-changed#${String(i).padStart(8, '0')}#v2`,
        eventType: 'severity-changed',
        at: new Date().toISOString(),
        orgId: 'ORG-ACME',
        caseNumber: String(i).padStart(8, '0'),
        severity: 'critical',
        from: 'high',
        to: 'critical',
      }));
      const batches: NotificationEvent[][] = [];
      for (let i = 0; i < n; i += PUBLISH_BATCH) batches.push(events.slice(i, i + PUBLISH_BATCH));
      calls = 0;
      const t0 = performance.now();
      await mapLimit(batches, PUBLISH_CONCURRENCY, (b) => topic.publishBatch(b.map((e, i) => topicMessage(e, `m${i}`))));
      const ms = performance.now() - t0;
      rows.push({
        events: n,
        snsCalls: calls,
        callsPerEvent: +(calls / n).toFixed(3),
        wallMs: +ms.toFixed(1),
        msPerEvent: +(ms / n).toFixed(3),
      });
    }
    const recipients = await perRecipient(faux.topicArns.bench, faux);
    return {
      title: '7. Fan-out to the integration topic and to recipients',
      goals: fanoutGoals(recipients),
      markdown: [
        `Publications to the integration topic on fauxqs (SNS emulator), batched and bounded exactly as the notifier does it: PublishBatch of ${PUBLISH_BATCH}, ${PUBLISH_CONCURRENCY} in flight. The issue sets no goal here; the figure to watch is SNS calls per event (1/${PUBLISH_BATCH} when batches are full).`,
        '',
        table(
          ['events', 'SNS calls', 'calls per event', 'wall ms', 'ms per event'],
          rows.map((r) => [r.events, r.snsCalls, r.callsPerEvent, r.wallMs, r.msPerEvent]),
          ['r', 'r', 'r', 'r', 'r'],
        ),
        '',
        `One event, per-user delivery end to end (recipients with one device each): the notifier step (topic publication, recipient Query, chunks of ${DELIVERY_CHUNK} to the delivery queue on fauxqs), then the delivery function invoked from that queue by the SQS event source's stand-in (${DELIVERY_INVOCATIONS} invocations at once), over DynamoDB Local and the local push stand-in, until every device was pushed. Cold: no recipient has a fresh caller snapshot; warm: all have (signed in within ten minutes). DynamoDB calls are all of them, notifier and delivery.`,
        '',
        table(
          [
            'recipients',
            'snapshots',
            'pushes',
            'chunks',
            'failed chunks',
            'SQS calls',
            'DynamoDB calls',
            'per recipient',
            'notifier ms',
            'wall ms',
            'DynamoDB calls by command',
          ],
          recipients.map((r) => [
            r.recipients,
            r.snapshots,
            r.pushes,
            r.chunks,
            r.failures,
            r.sqsCalls,
            r.dynamoCalls,
            r.perRecipient,
            r.notifierMs,
            r.wallMs,
            r.byCommand,
          ]),
          ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
        ),
      ].join('\n'),
    };
  } finally {
    client.destroy();
    await faux.stop();
  }
};

if (require.main === module) runAlone(runFanout);
