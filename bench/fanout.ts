/**
 * Benchmark 7 (`npm run bench:fanout` alone): SNS calls, DynamoDB calls and wall time per event.
 *
 * 1. The integration topic alone: 1, 100 and 1,000 events published to fauxqs, batched and
 *    bounded exactly as the notifier does it (PublishBatch of PUBLISH_BATCH, PUBLISH_CONCURRENCY
 *    in flight).
 * 2. One event with 1, 100 and 1,000 recipients (Designated Contacts of Acme subscribed to its new
 *    critical cases, one device each): the whole notifier step over DynamoDB Local, fauxqs and the
 *    local push stand-in: topic publication, recipient Queries, the access re-check per
 *    recipient, inbox items, one Publish per device, the outbox ledger.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../lambdas/adapters/deps-for';
import { snsPush } from '../lambdas/adapters/sns-push';
import { snsIntegrationTopic } from '../lambdas/adapters/sns-topic';
import { putMembership, putUser } from '../lambdas/data/directory-repo';
import { deviceIdOf } from '../lambdas/domain/notifications/delivery';
import { CURRENT_TERMS } from '../lambdas/domain/kernel/catalogue';
import { mapLimit } from '../lambdas/domain/kernel/concurrency';
import { notify, PUBLISH_BATCH, PUBLISH_CONCURRENCY, topicMessage } from '../lambdas/domain/notifications/notifier';
import type { NotificationEvent } from '../lambdas/domain/notifications/notifications';
import { seedDemo } from '../local/demo-data';
import { createTable, startDynamo } from '../local/emulators';
import { startFauxqs } from '../local/fauxqs';
import { startPushStandIn } from '../local/push';
import { runAlone, type Section, table } from './lib';

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

const perRecipient = async (topicArn: string, fauxEndpoint: string) => {
  const dynamo = await startDynamo({ port: 0 });
  const push = await startPushStandIn({ port: 0 });
  const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: creds });
  const doc = counted(DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } }));
  const sns = counted(new SNSClient({ endpoint: fauxEndpoint, region: 'eu-west-1', credentials: creds }));
  const pushSns = counted(new SNSClient({ endpoint: push.url, region: 'eu-west-1', credentials: creds }));
  const rows = [];
  try {
    for (const n of [1, 100, 1000]) {
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
      });
      const at = new Date().toISOString();
      await mapLimit(
        Array.from({ length: n }, (_, i) => `u-bench-${i}`),
        16,
        async (userId) => {
          await putUser(ref, {
            userId,
            email: `${userId}@acme.example`,
            name: userId,
            timeZone: 'UTC',
            termsVersion: CURRENT_TERMS.version,
            settings: { defaultList: 'all', notifications: {} },
          });
          await putMembership(ref, { userId, orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' });
          await deps.subscriptions.putOrgSubscription(
            { orgId: 'ORG-ACME', userId },
            { newCritical: true },
            { orgId: 'ORG-ACME', alarms: null, maintenance: false },
            at,
          );
          const token = `${userId}-token`;
          const endpointArn = await deps.push.createEndpoint('fcm', token, userId);
          await deps.notes.putDevice({ deviceId: deviceIdOf('fcm', token), userId, platform: 'fcm', endpointArn, createdAt: at });
        },
      );
      const c = (
        await deps.cases.listOrgCases({ orgIds: ['ORG-ACME'], closed: false, sort: 'priority', severity: 'high' }, { limit: 1 })
      ).items[0];
      const e: NotificationEvent = {
        eventId: `severity-changed#${c.caseNumber}#v${c.version + 1}`,
        eventType: 'severity-changed',
        at,
        orgId: c.orgId,
        caseNumber: c.caseNumber,
        severity: 'critical',
        from: 'high',
        to: 'critical',
        case: { ...c, severity: 'critical' },
      };
      const pushesBefore = push.pushes().length;
      doc.reset();
      sns.reset();
      pushSns.reset();
      const t0 = performance.now();
      const outcome = await notify(deps, [e], { leaseUntil: new Date(Date.now() + 600_000), claimId: 'bench' });
      const ms = performance.now() - t0;
      const error = outcome.get(e.eventId);
      if (error) throw error;
      rows.push({
        recipients: n,
        pushes: push.pushes().length - pushesBefore,
        snsCalls: sns.total() + pushSns.total(),
        topicCalls: sns.total(),
        pushCalls: pushSns.total(),
        dynamoCalls: doc.total(),
        wallMs: +ms.toFixed(0),
        msPerRecipient: +(ms / n).toFixed(2),
      });
    }
  } finally {
    sns.client.destroy();
    pushSns.client.destroy();
    ddb.destroy();
    await push.stop();
    await dynamo.stop();
  }
  return rows;
};

export const runFanout = async (): Promise<Omit<Section, 'seconds'>> => {
  const faux = await startFauxqs({
    port: 0,
    buckets: [],
    topics: ['bench'],
    queues: ['bench-q'],
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
    const recipients = await perRecipient(faux.topicArns.bench, faux.endpoint);
    return {
      title: '7. Fan-out to the integration topic and to recipients',
      goals: [],
      markdown: [
        `Publications to the integration topic on fauxqs (SNS emulator), batched and bounded exactly as the notifier does it: PublishBatch of ${PUBLISH_BATCH}, ${PUBLISH_CONCURRENCY} in flight. The issue sets no goal here; the figure to watch is SNS calls per event (1/${PUBLISH_BATCH} when batches are full).`,
        '',
        table(
          ['events', 'SNS calls', 'calls per event', 'wall ms', 'ms per event'],
          rows.map((r) => [r.events, r.snsCalls, r.callsPerEvent, r.wallMs, r.msPerEvent]),
          ['r', 'r', 'r', 'r', 'r'],
        ),
        '',
        'One event, per-user delivery (recipients with one device each): the whole notifier step over DynamoDB Local, fauxqs and the local push stand-in.',
        '',
        table(
          ['recipients', 'pushes', 'SNS calls', 'topic calls', 'push calls', 'DynamoDB calls', 'wall ms', 'ms per recipient'],
          recipients.map((r) => [
            r.recipients,
            r.pushes,
            r.snsCalls,
            r.topicCalls,
            r.pushCalls,
            r.dynamoCalls,
            r.wallMs,
            r.msPerRecipient,
          ]),
          ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        ),
      ].join('\n'),
    };
  } finally {
    client.destroy();
    await faux.stop();
  }
};

if (require.main === module) runAlone(runFanout);
