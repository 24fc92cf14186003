/**
 * The notifier on real emulators: DynamoDB Local's stream read by the local poller, the notifier
 * handler, and the integration topic and a queue subscribed to it on fauxqs. Nothing is mocked;
 * only the mailer records instead of sending (SES is not what these tests are about).
 */
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { snsIntegrationTopic } from '../../lambdas/adapters/sns-topic';
import { outboxKey } from '../../lambdas/data/keys';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { addUpdate, patchCase } from '../../lambdas/domain/cases/case-changes';
import { createCase } from '../../lambdas/domain/cases/cases';
import type { OutboundMail, Mailer } from '../../lambdas/domain/mail/ports';
import { mailLedgerKey } from '../../lambdas/domain/mail/outbound';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { tokenFromAddress, verifyReplyToken } from '../../lambdas/domain/mail/reply-token';
import { sweepNeedsAction } from '../../lambdas/domain/cases/sweep';
import { notifierHandler } from '../../lambdas/stream/notify';
import { seedDemo } from '../helpers/seed-cache';
import { createTable } from '../../local/emulators';
import { startFauxqs, type Fauxqs } from '../../local/fauxqs';
import { startDynamoTap } from '../../local/dynamo-tap';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller';
import { testDeps, testKeyring } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const HOUR = 3_600_000;
const T0 = Math.floor(Date.now() / 1000) * 1000;
const LONG = { getRemainingTimeInMillis: () => 30_000 };

let db: TestDynamo;
let faux: Fauxqs;
let sns: SNSClient;
let sqs: SQSClient;
const pollers: StreamPoller[] = [];

beforeAll(async () => {
  [db, faux] = await Promise.all([startTestDynamo(), startFauxqs({ port: 0, buckets: [] })]);
  const aws = { endpoint: faux.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sns = new SNSClient(aws);
  sqs = new SQSClient(aws);
});
// A test's poller stops with it: the pollers of the tests before would poll their streams on.
afterEach(async () => {
  for (const p of pollers.splice(0)) await p.stop();
});
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await faux?.stop();
  await db?.stop();
});

/** Counts PublishBatch calls (and entries) the notifier makes. */
const countingSns = () => {
  const client = new SNSClient({
    endpoint: faux.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const counts = { calls: 0, entries: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PublishBatchCommand') {
        counts.calls++;
        counts.entries += (args.input as { PublishBatchRequestEntries: unknown[] }).PublishBatchRequestEntries.length;
      }
      return next(args);
    },
    { step: 'initialize', name: 'count-publish' },
  );
  return { client, counts };
};

const recordingMailer = (failFirst?: (m: OutboundMail) => boolean): Mailer & { sent: OutboundMail[]; failures: number } => {
  const m = {
    sent: [] as OutboundMail[],
    failures: 0,
    send: async (mail: OutboundMail) => {
      if (failFirst && m.failures === 0 && failFirst(mail)) {
        m.failures++;
        throw new Error('SES: Throttling (simulated)');
      }
      m.sent.push(mail);
      return `ses-${randomUUID()}`;
    },
  };
  return m;
};

interface QueueMessage {
  body: Record<string, unknown>;
  attributes: Record<string, string>;
}

/** A fresh table with the demo data, its own topic and subscribed queue, and the poller on its stream. */
const world = async (opts: { mailer?: Mailer; now?: number } = {}) => {
  const table = `notify-${randomUUID().slice(0, 8)}`;
  await createTable(db.client, table);
  await seedDemo({ now: new Date(T0), ref: { doc: db.doc, table } });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: table }))).TopicArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: table }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }),
  );
  const publisher = countingSns();
  const mailer = opts.mailer ?? recordingMailer();
  const at = (t: number): Deps =>
    testDeps(db.doc, table, {
      clock: { now: () => new Date(t) },
      mailer,
      integration: snsIntegrationTopic(topicArn, publisher.client),
    });
  const deps = at(opts.now ?? T0);
  const handler = notifierHandler(() => deps);
  const batches: DynamoDBRecord[][] = [];
  const failures: { records: DynamoDBRecord[]; error: string }[] = [];
  const poller = await startStreamPoller({
    endpoint: db.endpoint,
    tableName: table,
    idleMs: 50,
    handler: async (event, context) => {
      batches.push(event.Records);
      return handler(event, context);
    },
    onFailure: async (records, error) => {
      failures.push({ records, error });
    },
  });
  pollers.push(poller);
  const as = async (sub: string): Promise<Caller> => (await resolveCaller(deps, { sub, client: 'web', scopes: [] }))!;
  /** Everything the queue holds now (fauxqs delivers a publication before PublishBatch answers). */
  const received = async (): Promise<QueueMessage[]> => {
    const out: QueueMessage[] = [];
    for (;;) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (!res.Messages?.length) return out;
      for (const m of res.Messages)
        out.push({
          body: JSON.parse(m.Body!),
          attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue!])),
        });
    }
  };
  return { table, deps, at, handler, poller, batches, failures, publisher, mailer, as, received };
};

const globexCase = {
  kind: 'support' as const,
  subject: 'Agents of Müller GmbH cannot log in',
  description: 'Klaus Müller (klaus@globex.example) reports the outage',
  severity: 'high' as const,
  orgId: 'ORG-GLOBEX',
  productLine: 'Genesys Cloud CX',
};

describe('the notifier on the table stream', () => {
  it('NOTE-1, PRIV-1: staff raise an EU case to critical: the integration queue receives one message with orgId, severity and eventType, and no personal data', async () => {
    const w = await world();
    const greta = await w.as('u-greta');
    const eric = await w.as('u-eric');
    const created = await createCase(w.deps, greta, globexCase);
    const n = created.body.caseNumber;
    await w.poller.drain();
    const afterCreate = await w.received();
    expect(afterCreate.map((m) => m.attributes.eventType)).toEqual(['case-created']);

    await patchCase(w.deps, eric, n, { severity: 'critical', contactPhone: '+49 30 1234567' });
    await w.poller.drain();
    const messages = await w.received();
    expect(messages).toHaveLength(1);
    expect(messages[0].attributes).toMatchObject({ orgId: 'ORG-GLOBEX', severity: 'critical', eventType: 'severity-changed' });
    expect(messages[0].body).toMatchObject({
      eventType: 'severity-changed',
      orgId: 'ORG-GLOBEX',
      caseNumber: n,
      severity: 'critical',
      from: 'high',
      to: 'critical',
    });
    // PRIV-1: none of the case's personal data, in any field, for any consumer.
    const text = JSON.stringify(messages[0]) + JSON.stringify(afterCreate[0]);
    for (const personal of [globexCase.subject, 'Müller', 'klaus@globex.example', 'greta', '+49 30 1234567', 'u-greta']) {
      expect(text).not.toContain(personal);
    }
    expect(text).not.toContain(created.body.referenceId);
    expect(w.failures).toEqual([]);
  });

  it('NOTE-1: a retried batch publishes nothing twice, even when every record of it is replayed', async () => {
    const w = await world();
    const dana = await w.as('u-dana');
    for (let i = 0; i < 12; i++) await createCase(w.deps, dana, { ...globexCase, orgId: 'ORG-ACME', subject: `Case ${i}` });
    await w.poller.drain();
    const first = await w.received();
    expect(first).toHaveLength(12);
    expect(new Set(first.map((m) => m.attributes.eventId)).size).toBe(12);
    // Batched: 12 events never take 12 calls (PublishBatch carries up to 10).
    expect(w.publisher.counts.calls).toBeLessThan(12);
    const callsBefore = w.publisher.counts.calls;

    // The event source replays records that already succeeded: every batch again, twice, at once.
    const replay: DynamoDBStreamEvent = { Records: w.batches.flat() };
    const results = await Promise.all([w.handler(replay, LONG), w.handler(replay, LONG)]);
    for (const r of results) expect(r.batchItemFailures).toEqual([]);
    expect(await w.received()).toEqual([]);
    expect(w.publisher.counts.calls).toBe(callsBefore);
  });

  it('NOTE-1: a poison record in a stream batch reaches the failure destination; the rest of the batch is delivered once', async () => {
    const w = await world();
    const dana = await w.as('u-dana');
    const good = await createCase(w.deps, dana, { ...globexCase, orgId: 'ORG-ACME' });
    // A case item that cannot be read as a case (no organisation, no version): nobody can notify it.
    await db.doc.send(new PutCommand({ TableName: w.table, Item: { PK: 'CASE#99999999', SK: 'CASE', caseNumber: '99999999' } }));
    const later = await createCase(w.deps, dana, { ...globexCase, orgId: 'ORG-ACME', subject: 'After the poison' });
    await w.poller.drain();

    expect(w.failures).toHaveLength(1);
    expect(w.failures[0].records.map((r) => r.dynamodb?.Keys?.PK?.S)).toEqual(['CASE#99999999']);
    const messages = await w.received();
    expect(messages.map((m) => m.body.caseNumber).sort()).toEqual([good.body.caseNumber, later.body.caseNumber].sort());
  });

  it('FLAG-1, MAIL-1: the flag drives exactly one reminder with the Reference ID, however often or concurrently its record is handled', async () => {
    const w = await world();
    const dana = await w.as('u-dana');
    const eric = await w.as('u-eric');
    const created = await createCase(w.at(T0 - 31 * HOUR), dana, { ...globexCase, orgId: 'ORG-ACME' });
    const n = created.body.caseNumber;
    await patchCase(w.at(T0 - 30 * HOUR), eric, n, { status: 'awaiting_info' });
    await w.poller.drain();
    const before = w.batches.length;

    const report = await sweepNeedsAction(w.at(T0));
    expect(report.flagged).toBeGreaterThanOrEqual(1);
    await w.poller.drain();
    const mailer = w.mailer as ReturnType<typeof recordingMailer>;
    // The status mail of awaiting_info (MAIL-1) went to her too: the reminder is the "Waiting for your reply" one.
    const reminders = () =>
      mailer.sent.filter(
        (m) => m.subject.includes(`[ref:${created.body.referenceId}]`) && m.subject.includes('Waiting for your reply'),
      );
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0].to).toEqual(['dana@acme.example']);
    expect(reminders()[0].subject).toContain(`[Case ${n}]`);
    const token = tokenFromAddress(reminders()[0].replyTo, 'casework.test')!;
    expect(verifyReplyToken(testKeyring, token)?.caseNumber).toBe(n);

    // The flag's record again, twice at once and once more after: still one reminder.
    const flagRecords = { Records: w.batches.slice(before).flat() };
    await Promise.all([w.handler(flagRecords, LONG), w.handler(flagRecords, LONG)]);
    await w.handler(flagRecords, LONG);
    expect(reminders()).toHaveLength(1);
    // And the integration queue heard of the flag once.
    const flagged = (await w.received()).filter(
      (m) => m.attributes.eventType === 'needs-action-flagged' && m.body.caseNumber === n,
    );
    expect(flagged).toHaveLength(1);
  });

  it('FLAG-1: a reminder whose send fails is retried and sent once', async () => {
    let reference = '';
    const mailer = recordingMailer(
      (m) => m.subject.includes('Waiting for your reply') && m.subject.includes(`[ref:${reference}]`),
    );
    const w = await world({ mailer });
    const dana = await w.as('u-dana');
    const eric = await w.as('u-eric');
    const created = await createCase(w.at(T0 - 31 * HOUR), dana, { ...globexCase, orgId: 'ORG-ACME' });
    reference = created.body.referenceId;
    const n = created.body.caseNumber;
    await patchCase(w.at(T0 - 30 * HOUR), eric, n, { status: 'awaiting_info' });
    await sweepNeedsAction(w.at(T0));
    await w.poller.drain();

    expect(mailer.failures).toBe(1);
    expect(
      mailer.sent.filter((m) => m.subject.includes(`[ref:${reference}]`) && m.subject.includes('Waiting for your reply')),
    ).toHaveLength(1);
    expect(w.failures).toEqual([]);
    const c = await w.deps.cases.getCase(n);
    const ledger = await db.doc.send(
      new GetCommand({
        TableName: w.table,
        Key: outboxKey(mailLedgerKey({ key: `reminder#${n}#${c!.waitingSince!}` })),
        ConsistentRead: true,
      }),
    );
    expect(ledger.Item).toMatchObject({ state: 'done', outcome: 'sent' });
  });

  it('MAIL-1: a staff public update and a status change the contact should know send case mail once each, after the commit, through the stream', async () => {
    const w = await world();
    const dana = await w.as('u-dana');
    const alice = await w.as('u-alice');
    const n = (await createCase(w.deps, dana, { ...globexCase, orgId: 'ORG-ACME' })).body.caseNumber;
    await w.poller.drain();
    const mailer = w.mailer as ReturnType<typeof recordingMailer>;
    const before = mailer.sent.length;
    await addUpdate(w.deps, alice, n, { body: 'Please send the logs.', visibility: 'public' });
    await addUpdate(w.deps, alice, n, { body: 'internal note', visibility: 'internal' });
    await patchCase(w.deps, alice, n, { status: 'awaiting_info' });
    await patchCase(w.deps, alice, n, { severity: 'medium' });
    await w.poller.drain();
    const mails = mailer.sent.slice(before).filter((m) => m.subject.startsWith(`[Case ${n}]`));
    for (const m of mails) {
      expect(m.to).toEqual(['dana@acme.example']);
      expect(m.subject).toMatch(/\[ref:[^\]]+\]$/);
      expect(m.headers['Auto-Submitted']).toBe('auto-generated');
    }
    // The public update and the awaiting_info status, once each; internal notes and severity mail nobody.
    expect(mails.filter((m) => m.text.includes('Please send the logs.'))).toHaveLength(1);
    expect(mails.filter((m) => m.subject.includes('Status awaiting info'))).toHaveLength(1);
    expect(mails.some((m) => m.text.includes('internal note'))).toBe(false);
  });
});

describe("local mode's stream poller", () => {
  it('polls a quiet table less and less often, and looks again soon after a nudge (a function ran)', async () => {
    const table = `poll-${randomUUID().slice(0, 8)}`;
    await createTable(db.client, table);
    let polls = 0;
    const tap = await startDynamoTap(db.endpoint, {
      onRequest: (operation) => {
        if (operation === 'GetRecords') polls++;
      },
    });
    const handled: string[] = [];
    try {
      const poller = await startStreamPoller({
        endpoint: tap.url,
        tableName: table,
        idleMs: 50,
        maxIdleMs: 60_000,
        handler: async (event) => {
          for (const r of event.Records) handled.push(String(r.dynamodb?.Keys?.PK?.S));
        },
        onFailure: async () => undefined,
      });
      pollers.push(poller);
      // Four quiet seconds: every 50 ms would be 80 polls; doubling pauses make about 7.
      await new Promise((r) => setTimeout(r, 4000));
      expect(polls).toBeLessThanOrEqual(12);
      // The pause under way is now more than a second and a half long; a nudge cuts it to 50 ms.
      // A case item, so that the notifier's filter lets its record through.
      await db.doc.send(new PutCommand({ TableName: table, Item: { PK: 'CASE#00000042', SK: 'CASE', caseNumber: '00000042' } }));
      const nudgedAt = Date.now();
      poller.nudge();
      while (!handled.includes('CASE#00000042') && Date.now() - nudgedAt < 5000) await new Promise((r) => setTimeout(r, 10));
      expect(handled).toEqual(['CASE#00000042']);
      expect(Date.now() - nudgedAt).toBeLessThan(1000);
    } finally {
      await tap.close();
    }
  });
});
