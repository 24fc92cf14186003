/**
 * NOTE-1, NOTE-2 on real emulators: DynamoDB Local's stream read by the local poller, the
 * notifier handler with per-user delivery, the integration topic on fauxqs and the SNS push
 * adapter against the local push stand-in. Only the mailer records instead of sending.
 */
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { snsPush } from '../../lambdas/adapters/sns-push';
import { snsIntegrationTopic } from '../../lambdas/adapters/sns-topic';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { patchCase } from '../../lambdas/domain/cases/case-changes';
import { registerDevice } from '../../lambdas/domain/notifications/inbox';
import type { OutboundMail } from '../../lambdas/domain/mail/ports';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { notifierHandler } from '../../lambdas/stream/notify';
import { seedDemo } from '../helpers/seed-cache';
import { createTable } from '../../local/emulators';
import { startFauxqs, type Fauxqs } from '../../local/fauxqs';
import { startPushStandIn, type PushStandIn } from '../../local/push';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const LONG = { getRemainingTimeInMillis: () => 30_000 };
const aws = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

let db: TestDynamo;
let faux: Fauxqs;
let push: PushStandIn;
let poller: StreamPoller | undefined;
beforeAll(async () => {
  [db, faux, push] = await Promise.all([startTestDynamo(), startFauxqs({ port: 0, buckets: [] }), startPushStandIn({ port: 0 })]);
});
afterAll(async () => {
  await poller?.stop();
  await push?.stop();
  await faux?.stop();
  await db?.stop();
});

describe('NOTE-1: per-user delivery on the table stream', () => {
  it('NOTE-1, NOTE-2: a case raised to critical is pushed, mailed and put in the inbox once, however often its batch is replayed', async () => {
    const table = `deliver-${randomUUID().slice(0, 8)}`;
    await createTable(db.client, table);
    await seedDemo({ ref: { doc: db.doc, table } });
    const topicArn = (await new SNSClient(aws(faux.endpoint)).send(new CreateTopicCommand({ Name: table }))).TopicArn!;
    const sent: OutboundMail[] = [];
    const deps: Deps = testDeps(db.doc, table, {
      mailer: { send: async (m) => void sent.push(m) },
      integration: snsIntegrationTopic(topicArn, new SNSClient(aws(faux.endpoint))),
      push: snsPush({ apps: push.apps, client: new SNSClient(aws(push.url)) }),
    });
    const handler = notifierHandler(() => deps);
    const batches: DynamoDBRecord[][] = [];
    poller = await startStreamPoller({
      endpoint: db.endpoint,
      tableName: table,
      idleMs: 50,
      handler: async (event, context) => {
        batches.push(event.Records);
        return handler(event, context);
      },
      onFailure: async () => undefined,
    });
    const as = async (sub: string): Promise<Caller> => (await resolveCaller(deps, { sub, client: 'web', scopes: [] }))!;

    const dana = await as('u-dana');
    await deps.subscriptions.putOrgSubscription(
      { orgId: 'ORG-ACME', userId: 'u-dana' },
      { newCritical: true },
      { orgId: 'ORG-ACME', alarms: null, maintenance: false },
      new Date().toISOString(),
    );
    await deps.subscriptions.saveSettings(
      'u-dana',
      { defaultList: 'all', notifications: { email: true } },
      [],
      new Date().toISOString(),
    );
    await registerDevice(deps, dana, { platform: 'fcm', token: 'dana-pixel' });
    const mona = await as('u-mona');
    const high = (
      await deps.cases.listOrgCases({ orgIds: ['ORG-ACME'], closed: false, sort: 'priority', severity: 'high' }, { limit: 5 })
    ).items[0];
    await patchCase(deps, mona, high.caseNumber, { severity: 'critical', contactPhone: '+1 555 0100' });
    await poller.drain();

    const counts = () => ({
      pushes: push.pushes().filter((p) => p.token === 'dana-pixel').length,
      mails: sent.filter((m) => m.to.includes('dana@acme.example') && m.subject.includes('raised to Critical')).length,
    });
    expect(counts()).toEqual({ pushes: 1, mails: 1 });
    const inbox = await deps.notes.listInbox('u-dana', new Date().toISOString(), { limit: 25 });
    expect(inbox.items.map((i) => i.caseNumber)).toEqual([high.caseNumber]);

    // The event source replays records that already succeeded: every batch again, twice.
    const replay: DynamoDBStreamEvent = { Records: batches.flat() };
    for (let i = 0; i < 2; i++) expect((await handler(replay, LONG)).batchItemFailures).toEqual([]);
    expect(counts()).toEqual({ pushes: 1, mails: 1 });
    expect((await deps.notes.listInbox('u-dana', new Date().toISOString(), { limit: 25 })).items).toHaveLength(1);
  });
});
