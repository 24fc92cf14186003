/**
 * Every function's DynamoDB requests against its IAM fence, the stream's consumers included: local
 * mode runs with its stream on and names each function on the wire (local/dynamo-tap.ts
 * functionPath), so the tap knows who sent each request even while the notifier and the mail
 * consumer run beside the routes. Each request must fall inside the grants CDK gives that function
 * (lib/function-specs.ts: its write patterns and its FUNCTION_READS entry, lambdas/data/writes.ts);
 * one outside is an AccessDenied waiting to happen in AWS.
 *
 * The scenario makes the notifier handle every kind of event it is built for (NOTE-1, NOTE-2):
 * case changes (created, public update, status, severity, escalation requested and decided,
 * closure requested, closed), the FLAG-1 reminder, the ACC-5 shortfall, alarms, cloud incidents and
 * maintenance (ALARM-1, ALARM-2), the mail intents of access requests (ACC-6) and chat (CHAT-3),
 * with recipients who chose every category and channel (inbox, push, email), so its reads of
 * subscriptions, people, organisations, devices and cases all happen here.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { WebSocket } from 'ws';
import { KEY_PREFIX } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import { allFunctionSpecs } from '../../lib/function-specs';
import { accessesOf, asGrant, grantedBy, type Access, type CommandInput } from '../helpers/dynamo-access';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

const recorded = new Map<string, Access[]>();
/** Requests that named no function: none should (every function runs in a named worker). */
const unnamed: string[] = [];

let local: TestLocal;
let sqs: SQSClient;

beforeAll(async () => {
  local = await startTestLocal({
    sweepEveryMs: 0,
    tap: {
      onRequest: (operation, input, fn) => {
        if (!fn) return void unnamed.push(operation);
        recorded.set(fn, [...(recorded.get(fn) ?? []), ...accessesOf(`${operation}Command`, input as CommandInput)]);
      },
    },
  });
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

const api = async (email: string | undefined, method: string, path: string, body?: unknown, client: 'web' | 'mobile' = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(email ? { authorization: `Bearer ${local.token(email, client)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};
const ok = async (email: string | undefined, method: string, path: string, body?: unknown, client?: 'web' | 'mobile') => {
  const res = await api(email, method, path, body, client);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const machine = async (path: string, body: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${local.machineToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
};

/** The event types the integration queue received (every event is published there, NOTE-1). */
const publishedTypes = new Set<string>();
const readQueue = async () => {
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: local.urls.integrationQueue,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!res.Messages?.length) return;
    for (const m of res.Messages) publishedTypes.add(String(m.MessageAttributes?.eventType?.StringValue));
  }
};

const chat = async (caseNumber: string) => {
  const open = async (email: string) => {
    const ticket = String((await ok(email, 'POST', '/chat/tickets')).ticket);
    const ws = new WebSocket(`${local.urls.chat}?ticket=${ticket}`);
    const frames: { type: string }[] = [];
    let wake = () => {};
    ws.on('message', (d) => {
      frames.push(JSON.parse(d.toString()) as { type: string });
      wake();
    });
    await new Promise((r) => ws.once('open', r));
    const next = async (type: string) => {
      for (;;) {
        const i = frames.findIndex((f) => f.type === type);
        if (i >= 0) return frames.splice(0, i + 1)[i]!;
        await new Promise<void>((r) => (wake = r));
      }
    };
    return { send: (f: unknown) => ws.send(JSON.stringify(f)), next, ws };
  };
  const eric = await open('eric@vendor.example');
  eric.send({ action: 'available' });
  await eric.next('availability');
  const dana = await open('dana@acme.example');
  dana.send({ action: 'start', caseNumber });
  await dana.next('chat');
  dana.send({ action: 'send', text: 'The queue is still empty.' });
  await eric.next('message');
  eric.send({ action: 'send', text: 'Restarting the collector now.' });
  await dana.next('message');
  dana.send({ action: 'end' });
  await eric.next('ended');
  eric.send({ action: 'unavailable' });
  await eric.next('availability');
  for (const s of [eric, dana]) s.ws.close();
};

const scenario = async () => {
  // The recipients: dana chose everything on every channel, with a phone; dave follows the case.
  await ok('dana@acme.example', 'PATCH', '/me/settings', {
    notifications: { personalCases: true, alarms: true, maintenance: true, email: true, push: true },
  });
  await ok('dana@acme.example', 'PUT', '/accounts/ORG-ACME/subscription', {
    newCritical: true,
    newHigh: true,
    newEscalations: true,
    cloudIncidents: true,
  });
  await ok('dana@acme.example', 'POST', '/devices', { platform: 'apns', token: 'grants-phone' }, 'mobile');
  await ok('dave@acme.example', 'PATCH', '/me/settings', { notifications: { email: true } });

  // Case changes, made by staff and by dave, so dana (not the actor) is told of each.
  const c = await ok('dave@acme.example', 'POST', '/cases', {
    subject: 'Fenced reads',
    description: 'every event kind the notifier handles',
    severity: 'high',
    contactPhone: '+1 555 0142',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
  });
  const n = String(c.caseNumber);
  await ok('dana@acme.example', 'PUT', `/cases/${n}/subscription`);
  await ok('dave@acme.example', 'PUT', `/cases/${n}/subscription`);
  await ok('eric@vendor.example', 'POST', `/cases/${n}/updates`, { body: 'Please send the collector logs.' });
  await ok('eric@vendor.example', 'PATCH', `/cases/${n}`, { status: 'awaiting_info' });
  await ok('eric@vendor.example', 'PATCH', `/cases/${n}`, { severity: 'critical' });
  await ok('dave@acme.example', 'POST', `/cases/${n}/escalation`, { reason: 'production down' });
  await ok('eric@vendor.example', 'POST', `/cases/${n}/escalation/decision`, { accept: true, comment: 'agreed' });
  await chat(n);
  await ok('dave@acme.example', 'POST', `/cases/${n}/closure-request`, { reason: 'solved' });
  await ok('eric@vendor.example', 'PATCH', `/cases/${n}`, { status: 'closed' });

  // Monitoring (ALARM-1, ALARM-2) for Acme, which has alarm monitoring and a cloud deployment.
  const at = new Date().toISOString();
  const soon = new Date(Date.now() + 86_400_000).toISOString();
  await machine('/ingest/alarms', {
    alarms: [
      {
        id: 'GRANTS-ALARM',
        orgId: 'ORG-ACME',
        severity: 'critical',
        server: 'grants-01',
        appName: 'Fenced reads',
        origin: 'SNMP',
        description: 'collector down',
        status: 'active',
        modifiedAt: at,
      },
    ],
  });
  await machine('/ingest/incidents', {
    incidents: [{ id: 'GRANTS-INC', orgId: 'ORG-ACME', title: 'Cloud CX degraded', status: 'investigating', modifiedAt: at }],
  });
  await machine('/ingest/maintenance', {
    maintenance: [
      { id: 'GRANTS-MNT', orgIds: ['ORG-ACME'], title: 'Upgrade', window: { start: soon, end: soon }, modifiedAt: at },
    ],
  });

  // ACC-6: an access request, its code mailed, confirmed, mailed to dana (approver) and decided.
  const req = await ok(undefined, 'POST', '/access-requests', {
    email: 'grants.requester@acme.example',
    name: 'Grants Requester',
    level: 'read_only',
    combinations: [{ orgId: 'ORG-ACME' }],
  });
  const id = String(req.requestId);
  await local.mailSettled();
  const store = (await (await fetch(local.urls.sesStore)).json()) as {
    emails: { destination: { to: string[] }; body: { text?: string } }[];
  };
  const codeMail = store.emails.find((m) => m.destination.to.includes('grants.requester@acme.example'));
  const code = /Your code is (\d{6})/.exec(codeMail?.body.text ?? '')![1];
  await ok(undefined, 'POST', `/access-requests/${id}/confirm`, { code });
  await ok('dana@acme.example', 'POST', `/access-requests/${id}/decision`, { approve: true });

  // ACC-5: Acme left with one Designated Contact.
  await ok('adam@vendor.example', 'PUT', '/admin/orgs/ORG-ACME/members/u-tina', { level: 'read_only' });
  await ok('adam@vendor.example', 'PUT', '/admin/orgs/ORG-ACME/members/u-dave', { level: 'read_only' });

  // FLAG-1: the seeded cases waiting on the customer for over a day get their reminder.
  await local.sweep();
  await local.mailSettled();
  await readQueue();
};

const specs = allFunctionSpecs();

describe('every function against its IAM fence, with the stream on', () => {
  beforeAll(scenario, 600_000);

  it('NOTE-1: the notifier handled every kind of event (each was published to the integration topic)', () => {
    expect([...publishedTypes].sort()).toEqual(
      [
        'case-created',
        'public-update',
        'status-changed',
        'severity-changed',
        'escalation-requested',
        'escalation-decided',
        'closure-requested',
        'case-closed',
        'needs-action-flagged',
        'designated-shortfall',
        'alarm',
        'cloud-incident',
        'maintenance',
      ].sort(),
    );
  });

  it('every request named the function that sent it', () => {
    expect(unnamed).toEqual([]);
    expect([...recorded.keys()].filter((fn) => !specs.has(fn))).toEqual([]);
  });

  it('NOTE-1, NOTE-2: on the wire the notifier found the recipients, and the delivery function read and told them in batches', () => {
    const notifier = new Set((recorded.get('notify') ?? []).map(asGrant));
    for (const want of [`Query ${KEY_PREFIX.case}`, `Query ${KEY_PREFIX.org}`]) expect(notifier).toContain(want);
    // Recipients are told by the delivery function alone.
    expect([...notifier].filter((g) => g.includes(KEY_PREFIX.inbox))).toEqual([]);
    const delivery = new Set((recorded.get('deliver') ?? []).map(asGrant));
    for (const want of [
      `BatchGetItem ${KEY_PREFIX.callerSnapshot}`,
      `Query index ${TABLE.indexes.byPerson.name}`,
      `BatchWriteItem ${KEY_PREFIX.inbox}`,
      `PutItem ${KEY_PREFIX.outbox}`,
    ])
      expect(delivery).toContain(want);
  });

  it.each(['notify', 'deliver', 'send-mail', 'run-sweep', 'chat-socket', 'chat-authorize'])('%s was recorded', (fn) => {
    expect((recorded.get(fn) ?? []).length).toBeGreaterThan(0);
  });

  it.each([...specs.keys()].sort().map((fn) => [fn] as const))('%s sent only what its IAM grants allow', (fn) => {
    const table = specs.get(fn)!.table;
    const granted = table ? grantedBy(table.writes, [table.reads]) : new Set<string>();
    const outside = [...new Set((recorded.get(fn) ?? []).map(asGrant))].filter((g) => !granted.has(g));
    expect({ fn, outside }).toEqual({ fn, outside: [] });
  });
});
