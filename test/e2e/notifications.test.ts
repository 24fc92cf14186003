/**
 * Notifications end to end: the whole local mode (HTTP API, DynamoDB Local and its stream, the
 * notifier, fauxqs' integration topic and queue, the SES emulator). Nothing is mocked.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';
import { startSwitchableProxy, type SwitchableProxy } from '../helpers/switchable-proxy';

let local: TestLocal;
let sqs: SQSClient;
beforeAll(async () => {
  // The local scheduler as `npm start` runs it: every minute, the first run at start (FLAG-1).
  local = await startTestLocal({ sweepEveryMs: 60_000 });
  sqs = new SQSClient({
    endpoint: local.urls.sns,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  sqs?.destroy();
  await local?.stop();
});

const api = async (email: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

/** Everything the integration queue holds now. */
const drainQueue = async () => {
  const out: { body: Record<string, unknown>; attributes: Record<string, string> }[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: local.urls.integrationQueue,
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** FLAG-1: waits for the first sweep's flags on Acme's cases, then expects one reminder mailed for each. */
const expectOneReminderPerFlag = async (of: TestLocal) => {
  let flagged: { referenceId: string }[] = [];
  // The first sweep runs at start, on a container that may be cold on a busy machine: up to 30 s.
  for (let i = 0; i < 60 && flagged.length === 0; i++) {
    const res = await fetch(`${of.url}/cases?needsAction=true&orgId=ORG-ACME`, {
      headers: { authorization: `Bearer ${of.token('alice@vendor.example')}` },
    });
    flagged = ((await res.json()) as { items?: { referenceId: string }[] }).items ?? [];
    if (!flagged.length) await sleep(500);
  }
  expect(flagged.length).toBeGreaterThan(0);
  await of.notifier.drain();
  // The notifier queues the reminder; the mail queue's consumer sends it.
  await of.mailSettled();
  const store = (await (await fetch(of.urls.sesStore)).json()) as { emails: { subject: string }[] };
  for (const c of flagged) {
    const reminders = store.emails.filter(
      (m) => m.subject.includes(`[ref:${c.referenceId}]`) && m.subject.includes('Waiting for your reply'),
    );
    expect(reminders).toHaveLength(1);
  }
};

describe('notifications and reminders in local mode', () => {
  it('FLAG-1: every case the first sweep flags gets exactly one reminder, sent by the notifier', async () => {
    await expectOneReminderPerFlag(local);
  });

  it('NOTE-1: staff raise a case to critical; the queue subscribed to the integration topic receives one message with its attributes', async () => {
    await local.notifier.drain();
    await drainQueue();
    const cases = (await api('alice@vendor.example', 'GET', '/cases?orgId=ORG-ACME&severity=medium')).body.items as {
      caseNumber: string;
    }[];
    expect(cases.length).toBeGreaterThan(0);
    const n = cases[0].caseNumber;
    const patched = await api('alice@vendor.example', 'PATCH', `/cases/${n}`, {
      severity: 'critical',
      contactPhone: '+1 555 0100',
    });
    expect(patched.status).toBe(200);
    await local.notifier.drain();
    const messages = (await drainQueue()).filter((m) => m.body.caseNumber === n);
    expect(messages).toHaveLength(1);
    expect(messages[0].attributes).toMatchObject({ orgId: 'ORG-ACME', severity: 'critical', eventType: 'severity-changed' });
    expect(messages[0].body).toMatchObject({ from: 'medium', to: 'critical' });
    expect(JSON.stringify(messages[0])).not.toContain('+1 555 0100');
  });
});

describe('local mode starts what reads the table before anything that writes it', () => {
  it("FLAG-1: the first sweep's flags are reminded even when the stream's poller is slow to start listening", async () => {
    // The poller's first GetShardIterator is held for 3 s. Were the scheduler's first sweep (at
    // start) to run before the poller listens, its flags would come before the stream's latest
    // record, where the poller starts, as the event source does: never notified.
    // The SES emulator's store is one per process, emptied when a local mode starts: this file's
    // other local mode is settled first, so that the store then holds this one's mail alone.
    await local.notifier.drain();
    await local.mailSettled();
    let proxy: SwitchableProxy | undefined;
    const starting = startTestLocal({
      sweepEveryMs: 60_000,
      dynamoEndpointForLocal: async (endpoint) => {
        proxy = await startSwitchableProxy(endpoint);
        proxy.pauseOn('GetShardIterator', 'before');
        return proxy.url;
      },
    });
    for (let i = 0; i < 1500 && !proxy?.isPaused(); i++) await sleep(20);
    expect(proxy?.isPaused()).toBe(true);
    await sleep(3000);
    proxy!.resume();
    const other = await starting;
    try {
      await expectOneReminderPerFlag(other);
    } finally {
      await other.stop();
      await proxy!.stop();
    }
  });
});
