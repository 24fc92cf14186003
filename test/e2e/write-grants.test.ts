/**
 * The IAM grants cannot drift from the code: every DynamoDB request the real handlers send, route
 * by route, over real HTTP against local mode, is recorded on the wire (each function runs in its
 * own worker, so a tap in front of DynamoDB Local sees what they all send) and checked
 * against what the route table declares (lambdas/http/routes.ts `writes` -> lambdas/data/writes.ts).
 * CDK grants exactly those declarations (test/infra/functions.spec.ts), so a write recorded here
 * outside them is an AccessDenied waiting to happen in AWS. The scheduled sweep is checked the same way.
 * Reads too: each GetItem, BatchGetItem and table Query is recorded with its
 * partition's prefix, each index Query with its index, and checked against FUNCTION_READS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseKeyring } from '../../lambdas/adapters/reply-keys';
import { replyAddress, signReplyToken } from '../../lambdas/domain/mail/reply-token';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_MAIL_QUEUE, localQueueUrl } from '../../local/mail-queue';
import { accessKeys, KEY_PREFIX, keys, mailJobKey } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import nodemailer from 'nodemailer';
import {
  CHAT_AUTHORIZER_WRITES,
  CHAT_WRITES,
  READ_ACTIONS,
  readsOf,
  RECEIVE_MAIL_WRITES,
  SEND_MAIL_WRITES,
  CHECK_ATTACHMENT_WRITES,
  SWEEP_WRITES,
  type WritePattern,
} from '../../lambdas/data/writes';
import { WebSocket } from 'ws';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { findRoute, ROUTES, routeKey, writesOf, type RouteDef } from '../../lambdas/http/routes';
import { signClaims, clientIds, ISSUER, localReplyKeys } from '../../local/issuer';
import { accessesOf, asGrant, grantedBy, type Access, type CommandInput } from '../helpers/dynamo-access';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

const recorded = new Map<string, Access[]>();
let current: string | undefined;

let local: TestLocal;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  local = await startTestLocal({
    // No timed sweep: it would write while a route is being recorded; the test runs it itself.
    sweepEveryMs: 0,
    // The notifier's own writes would land under whichever route is being recorded; its grants
    // are asserted in test/infra/notifier.test.ts and its behaviour in test/integration/notifier.test.ts.
    stream: false,
    tap: {
      onRequest: (operation, input) => {
        if (!current) return;
        const list = recorded.get(current) ?? [];
        list.push(...accessesOf(`${operation}Command`, input as CommandInput));
        recorded.set(current, list);
      },
    },
  });
});
afterAll(async () => {
  await local?.stop();
});

type Who = 'dana' | 'eric' | 'adam' | 'machine';
const EMAIL: Record<Exclude<Who, 'machine'>, string> = {
  dana: 'dana@acme.example',
  eric: 'eric@vendor.example',
  adam: 'adam@vendor.example',
};

/**
 * The stream is off here, so the notifier's part for mail intents (MAILJOB# items written
 * with a change: a closure decline, the approvers' and decision mail, chat transcripts, MAIL-3
 * answers) is played by the test, off the tap: each new intent's job goes to the mail queue once,
 * and the mail queue's consumer (recorded as `send-mail`) sends it.
 */
const queued = new Set<string>();
const queueIntents = async () => {
  const reader = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: local.urls.dynamo }));
  const sqs = new SQSClient({ endpoint: local.urls.sns });
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await reader.send(
        new ScanCommand({
          TableName: local.tableName,
          FilterExpression: 'begins_with(#pk, :p)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: { ':p': KEY_PREFIX.mailJob },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const pk = String(item[TABLE.partitionKey]);
        if (queued.has(pk)) continue;
        queued.add(pk);
        await sqs.send(
          new SendMessageCommand({ QueueUrl: localQueueUrl(local.urls.sns, LOCAL_MAIL_QUEUE), MessageBody: String(item.job) }),
        );
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    reader.destroy();
    sqs.destroy();
  }
};

/** Calls a route of the route table, recording its DynamoDB requests under its route key. */
const call = async (
  who: Who,
  key: string,
  opts: { params?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> } = {},
) => {
  const route = findRoute(key);
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => opts.params![name]!);
  current = key;
  try {
    // Dana uses the mobile app, so every one of her calls also touches her sign-in (ACC-10).
    const token = who === 'machine' ? local.machineToken() : local.token(EMAIL[who], who === 'dana' ? 'mobile' : 'web');
    const res = await fetch(`${local.url}${path}${opts.query ?? ''}`, {
      method: route.method,
      headers: { authorization: `Bearer ${token}`, ...(opts.body === undefined ? {} : json), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // Only a successful call has run its write path to the end.
    expect({ key, status: res.status }).toEqual({ key, status: route.success.status });
    // Mail a route queued is sent by the mail queue's consumer, a function of its own:
    // its writes are recorded under its name, not the route's.
    current = 'send-mail';
    await queueIntents();
    await local.mailSettled();
    return body!;
  } finally {
    current = undefined;
  }
};

/** A chat answered and ended, and one nobody answered (the timer, a number left), recorded as `chat`. */
const chatScenario = async (caseNumber: string) => {
  const tickets = {
    eric: String((await call('eric', 'POST /chat/tickets')).ticket),
    dana: String((await call('dana', 'POST /chat/tickets')).ticket),
    again: String((await call('dana', 'POST /chat/tickets')).ticket),
  };
  current = 'chat';
  try {
    const open = async (ticket: string) => {
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
    const alice = await open(tickets.eric);
    alice.send({ action: 'available' });
    await alice.next('availability');
    const dana = await open(tickets.dana);
    dana.send({ action: 'start', caseNumber });
    await dana.next('chat');
    dana.send({ action: 'send', text: 'hello' });
    await alice.next('message');
    dana.send({ action: 'end' });
    await alice.next('ended');
    alice.send({ action: 'unavailable' });
    await alice.next('availability');
    const dave = await open(tickets.again);
    dave.send({ action: 'start', caseNumber });
    await dave.next('chat');
    await local.chatTimers.advance(60);
    await dave.next('callback-offer');
    dave.send({ action: 'leaveNumber', phone: '+1 555 0199' });
    await dave.next('ended');
    // Left open: their $disconnect would land under whatever is recorded next; local mode closes them.
  } finally {
    current = undefined;
  }
};

const scenario = async () => {
  await call('dana', 'POST /me/terms', { body: { version: CURRENT_TERMS.version } });
  await call('dana', 'PATCH /me/settings', { body: { defaultList: 'all' } });
  const create = {
    subject: 'IAM scenario',
    description: 'every route writes only what it declares',
    severity: 'low',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
  };
  const c = await call('dana', 'POST /cases', { body: create, headers: { 'idempotency-key': 'iam-1' } });
  // The retry replays the stored response: a read path, recorded under the same route.
  await call('dana', 'POST /cases', { body: create, headers: { 'idempotency-key': 'iam-1' } });
  const params = { caseNumber: String(c.caseNumber) };
  const u = await call('dana', 'POST /cases/{caseNumber}/updates', {
    params,
    body: { body: 'more detail' },
    headers: { 'idempotency-key': 'iam-2' },
  });
  await call('dana', 'GET /me');
  await call('dana', 'GET /cases');
  await call('dana', 'GET /cases/{caseNumber}', { params });
  await call('dana', 'GET /cases/{caseNumber}/updates', { params });
  await call('dana', 'GET /cases/{caseNumber}/updates/{updateId}', { params: { ...params, updateId: String(u.updateId) } });
  // MAIL-2, CASE-6: a file PUT to its presigned URL (S3, off the tap), then checked by its own function.
  const file = await call('dana', 'POST /cases/{caseNumber}/attachments', {
    params,
    body: { fileName: 'iam.txt', contentType: 'text/plain', size: 3 },
  });
  current = 'check-attachment';
  const reader = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: local.urls.dynamo }));
  try {
    await fetch(String(file.uploadUrl), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'iam' });
    for (let i = 0; i < 100; i++) {
      const item = await reader.send(
        new GetCommand({ TableName: local.tableName, Key: keys.attachment(params.caseNumber, String(file.attachmentId)) }),
      );
      if (item.Item?.status === 'available') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    current = undefined;
    reader.destroy();
  }
  await call('dana', 'GET /cases/{caseNumber}/attachments', { params });
  await call('dana', 'GET /cases/{caseNumber}/attachments/{attachmentId}', {
    params: { ...params, attachmentId: String(file.attachmentId) },
  });
  await call('dana', 'GET /cases/{caseNumber}/history', { params });
  await call('eric', 'GET /cases/{caseNumber}/mail', { params });
  await call('dana', 'GET /search', { query: '?q=Acme' });
  await call('eric', 'PATCH /cases/{caseNumber}', { params, body: { subStatus: 'investigating' } });
  await call('eric', 'POST /cases/{caseNumber}/updates', { params, body: { body: 'internal note', visibility: 'internal' } });
  await call('eric', 'POST /cases/{caseNumber}/updates', { params, body: { body: 'please send the logs' } });
  // MAIL-2: dana replies to that mail; the SMTP stand-in for SES invokes receive-mail. The stream is
  // off in this scenario, so the mail queue sends nothing: the reply goes to the address case mail
  // carries, signed with local mode's own keyring.
  const replyTo = replyAddress(
    signReplyToken(parseKeyring(localReplyKeys()), { caseNumber: String(c.caseNumber), recipient: 'dana@acme.example' }),
    'casework.test',
  );
  const mail = { subject: `[Case ${String(c.caseNumber)}] ${String(c.subject)} [ref:${String(c.referenceId)}]` };
  const smtp = new URL(local.urls.smtp);
  current = 'receive-mail';
  try {
    await nodemailer
      .createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true })
      .sendMail({ from: 'dana@acme.example', to: replyTo, subject: `Re: ${mail.subject}`, text: 'Logs attached.' });
  } finally {
    current = undefined;
  }
  // MAIL-4: the same reply without its token (the [ref:…] marker only) is held; staff release it.
  current = 'receive-mail';
  try {
    await nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true }).sendMail({
      from: 'dana@acme.example',
      to: 'support@casework.test',
      subject: `Re: [ref:${String(c.referenceId)}]`,
      text: 'Held, then released.',
    });
  } finally {
    current = undefined;
  }
  const log = (await call('eric', 'GET /admin/inbound-mail')) as { items: { transportId: string; outcome: string }[] };
  const held = log.items.find((r) => r.outcome === 'held');
  await call('eric', 'POST /admin/inbound-mail/{id}/release', { params: { id: held!.transportId } });
  // Accounts, subscriptions and favorites (NOTE-2, LIST-5).
  await call('dana', 'GET /accounts');
  await call('dana', 'GET /accounts/{orgId}', { params: { orgId: 'ORG-ACME' } });
  await call('dana', 'PUT /accounts/{orgId}/subscription', { params: { orgId: 'ORG-ACME' }, body: { newCritical: true } });
  await call('dana', 'PUT /cases/{caseNumber}/subscription', { params });
  await call('dana', 'GET /cases/{caseNumber}/subscription', { params });
  await call('dana', 'PUT /favorites/{kind}/{id}', { params: { kind: 'case', id: String(c.caseNumber) } });
  await call('dana', 'GET /favorites');
  await call('dana', 'DELETE /favorites/{kind}/{id}', { params: { kind: 'case', id: String(c.caseNumber) } });
  await call('dana', 'DELETE /cases/{caseNumber}/subscription', { params });
  await call('dana', 'PATCH /me/settings', { body: { notifications: { maintenance: true } } });
  // NOTE-1, NOTE-3: the inbox and a device, registered twice (the same token is the same device) and removed.
  await call('dana', 'GET /notifications');
  const device = await call('dana', 'POST /devices', { body: { platform: 'apns', token: 'iam-scenario-token' } });
  await call('dana', 'POST /devices', { body: { platform: 'apns', token: 'iam-scenario-token' } });
  await call('dana', 'GET /devices');
  await call('dana', 'DELETE /devices/{deviceId}', { params: { deviceId: String(device.deviceId) } });
  await call('dana', 'POST /cases/{caseNumber}/escalation', { params, body: { reason: 'production down' } });
  await call('eric', 'POST /cases/{caseNumber}/escalation/decision', { params, body: { accept: true, comment: 'agreed' } });
  await call('dana', 'POST /cases/{caseNumber}/closure-request', { params, body: { reason: 'solved' } });
  // Declined (the requester is mailed), then asked again and closed.
  await call('eric', 'POST /cases/{caseNumber}/closure-request/decision', {
    params,
    body: { accept: false, comment: 'not yet' },
  });
  await call('dana', 'POST /cases/{caseNumber}/closure-request', { params, body: { reason: 'solved now' } });
  await call('eric', 'PATCH /cases/{caseNumber}', { params, body: { status: 'closed' } });
  await call('dana', 'POST /cases/{caseNumber}/reopen', { params, body: { reason: 'it came back' } });
  await call('adam', 'GET /admin/orgs/shortfall');
  // ALARM-1, ALARM-2: the monitoring client's batches, and an alarm list.
  const at = new Date().toISOString();
  const alarm = {
    id: 'IAM-ALARM-1',
    orgId: 'ORG-ACME',
    severity: 'major',
    server: 'iam-01',
    appName: 'IAM scenario',
    origin: 'SNMP',
    description: 'write grants',
    status: 'active',
    modifiedAt: at,
  };
  await call('machine', 'POST /ingest/alarms', { body: { alarms: [alarm] } });
  await call('machine', 'POST /ingest/incidents', {
    body: { incidents: [{ id: 'IAM-INC-1', orgId: 'ORG-ACME', title: 'write grants', status: 'investigating', modifiedAt: at }] },
  });
  await call('machine', 'POST /ingest/maintenance', {
    body: {
      maintenance: [
        { id: 'IAM-MNT-1', orgIds: ['ORG-ACME'], title: 'write grants', window: { start: at, end: at }, modifiedAt: at },
      ],
    },
  });
  await call('dana', 'GET /accounts/{orgId}/alarms', { params: { orgId: 'ORG-ACME' }, query: '?type=active&severity=major' });
  await call('dana', 'GET /accounts/{orgId}/incidents', { params: { orgId: 'ORG-ACME' } });
  await call('dana', 'GET /accounts/{orgId}/maintenance', { params: { orgId: 'ORG-ACME' }, query: '?from=2026-01-01' });
  const member = { orgId: 'ORG-ACME', userId: 'u-rita' };
  await call('adam', 'PUT /admin/orgs/{orgId}/members/{userId}', { params: member, body: { level: 'designated' } });
  await call('adam', 'PUT /admin/orgs/{orgId}/members/{userId}', { params: member, body: { level: 'read_only' } });
  // ACC-4: a contract terminated and reinstated at once (both write); ACC-1: the CRM's directory.
  const contract = { contractId: 'CT-ORG-GLOBEX-ORG-GLOBEX' };
  await call('adam', 'PUT /admin/contracts/{contractId}', { params: contract, body: { status: 'terminated' } });
  await call('adam', 'PUT /admin/contracts/{contractId}', { params: contract, body: { status: 'active' } });
  await call('machine', 'POST /ingest/directory', {
    body: {
      organisations: [
        {
          orgId: 'ORG-IAM',
          name: 'IAM Partner',
          type: 'partner',
          region: 'US',
          timeZone: 'UTC',
          gdpr: false,
          fedramp: false,
          alarmMonitoring: false,
          modifiedAt: at,
        },
      ],
      combinations: [{ endUserOrgId: 'ORG-IAM', soldToOrgId: 'ORG-IAM', modifiedAt: at }],
      contracts: [{ contractId: 'CT-IAM', endUserOrgId: 'ORG-IAM', soldToOrgId: 'ORG-IAM', status: 'active', modifiedAt: at }],
    },
  });
  // ACC-6: an access request, confirmed with its mailed code, listed and approved by dana.
  const askFor = async (email: string) => {
    const ar = await call('dana', 'POST /access-requests', {
      body: { email, name: 'IAM Requester', level: 'read_only', combinations: [{ orgId: 'ORG-ACME' }] },
    });
    const id = String(ar.requestId);
    // The stream is off here, so the code's mail job stays in the table (the intent item
    // written with the request); read the code from it, off the tap.
    const reader = new DynamoDBClient({ endpoint: local.urls.dynamo });
    let text = '';
    try {
      const item = await DynamoDBDocumentClient.from(reader).send(
        new GetCommand({ TableName: local.tableName, Key: mailJobKey(`access-code#${id}`) }),
      );
      text = (JSON.parse(String(item.Item?.job ?? '{}')) as { mail?: { text?: string } }).mail?.text ?? '';
    } finally {
      reader.destroy();
    }
    const code = /Your code is (\d{6})/.exec(text)![1];
    await call('dana', 'POST /access-requests/{id}/confirm', { params: { id }, body: { code } });
    return id;
  };
  const approved = await askFor('iam.approved@acme.example');
  await call('dana', 'GET /access-requests');
  await call('dana', 'POST /access-requests/{id}/decision', { params: { id: approved }, body: { approve: true } });
  // FLAG-2: another one left pending, confirmed "49 hours ago" (written straight to DynamoDB Local, off the tap).
  const overdue = await askFor('iam.overdue@acme.example');
  const direct = new DynamoDBClient({ endpoint: local.urls.dynamo });
  try {
    const at = new Date(Date.now() - 49 * 3_600_000).toISOString();
    await DynamoDBDocumentClient.from(direct).send(
      new UpdateCommand({
        TableName: local.tableName,
        Key: accessKeys.request(overdue),
        UpdateExpression: 'SET confirmedAt = :at, #wsk = :wsk',
        ExpressionAttributeNames: { '#wsk': TABLE.indexes.waiting.sortKey },
        ExpressionAttributeValues: { ':at': at, ':wsk': `${at}#${overdue}` },
      }),
    );
  } finally {
    direct.destroy();
  }
  await chatScenario(params.caseNumber);
  // FLAG-1: the seeded cases waiting on the customer for over a day are due.
  current = 'sweep';
  try {
    const report = (await local.sweep()) as { needsAction: { flagged: number }; accessRequests: { flagged: number } };
    expect(report.needsAction.flagged).toBeGreaterThan(0);
    expect(report.accessRequests.flagged).toBe(1);
  } finally {
    current = undefined;
  }
};

/** What a function may send (its reads too, lambdas/data/writes.ts FUNCTION_READS). */
const allowed = (writes: readonly WritePattern[], ...functions: string[]) => grantedBy(writes, functions.map(readsOf));
const INDEX_NAMES = new Set(Object.values(TABLE.indexes).map((i) => i.name));

describe('IAM grants against what the handlers really send', () => {
  beforeAll(scenario, 600_000);

  const tableRoutes = (ROUTES as readonly RouteDef[]).filter((r) => r.table !== 'none');

  it('the scenario calls every route that reaches the table', () => {
    const other = ['sweep', 'receive-mail', 'chat', 'send-mail', 'check-attachment'];
    expect([...recorded.keys()].filter((k) => !other.includes(k)).sort()).toEqual(tableRoutes.map(routeKey).sort());
  });

  it.each(tableRoutes.map((r) => [routeKey(r), r] as const))('%s sends only what its declaration grants', (key, route) => {
    const sent = recorded.get(key) ?? [];
    const outside = [...new Set(sent.map(asGrant))].filter((g) => !allowed(writesOf(route), route.handler).has(g));
    expect(outside).toEqual([]);
    for (const q of sent.filter((a) => a.action === 'Query' && a.index)) expect(INDEX_NAMES).toContain(q.index);
  });

  it.each(tableRoutes.filter((r) => r.table === 'write').map((r) => [routeKey(r)] as const))(
    '%s: the scenario really ran its writes (beyond the session touch)',
    (key) => {
      const writes = (recorded.get(key) ?? []).filter((a) => a.prefix && a.prefix !== KEY_PREFIX.session);
      expect(writes.length).toBeGreaterThan(0);
    },
  );

  it('ACC-10: every call from the mobile app touched its sign-in, fenced to SESSION# items', () => {
    const touches = (recorded.get('GET /me') ?? []).filter((a) => a.prefix === KEY_PREFIX.session);
    expect(touches).toEqual([{ action: 'UpdateItem', prefix: KEY_PREFIX.session }]);
  });

  it('the mail consumer sends only what SEND_MAIL_WRITES grants', () => {
    const sent = recorded.get('send-mail') ?? [];
    expect(sent.filter((a) => a.prefix).length).toBeGreaterThan(0);
    expect([...new Set(sent.map(asGrant))].filter((g) => !allowed(SEND_MAIL_WRITES, 'send-mail').has(g))).toEqual([]);
  });

  it('MAIL-2: check-attachment sends only what CHECK_ATTACHMENT_WRITES grants, and settled the upload', () => {
    const sent = recorded.get('check-attachment') ?? [];
    expect(sent).toContainEqual({ action: 'UpdateItem', prefix: KEY_PREFIX.case });
    expect([...new Set(sent.map(asGrant))].filter((g) => !allowed(CHECK_ATTACHMENT_WRITES, 'check-attachment').has(g))).toEqual(
      [],
    );
  });

  it('FLAG-1: the sweep sends only what SWEEP_WRITES grants', () => {
    const sent = recorded.get('sweep') ?? [];
    expect(sent.filter((a) => a.prefix).length).toBeGreaterThan(0);
    expect([...new Set(sent.map(asGrant))].filter((g) => !allowed(SWEEP_WRITES, 'sweep').has(g))).toEqual([]);
  });

  it('FLAG-2: the sweep flagged the overdue access request within its grants', () => {
    expect(recorded.get('sweep') ?? []).toContainEqual({ action: 'UpdateItem', prefix: KEY_PREFIX.accessRequest });
  });

  it('MAIL-2: receive-mail sends only what RECEIVE_MAIL_WRITES grants, and attached the reply', () => {
    const sent = recorded.get('receive-mail') ?? [];
    expect(sent).toContainEqual({ action: 'PutItem', prefix: KEY_PREFIX.content });
    expect([...new Set(sent.map(asGrant))].filter((g) => !allowed(RECEIVE_MAIL_WRITES, 'receive-mail').has(g))).toEqual([]);
  });

  it('CHAT-1..3: the chat functions send only what CHAT_WRITES and CHAT_AUTHORIZER_WRITES grant', () => {
    const sent = recorded.get('chat') ?? [];
    expect(sent).toContainEqual({ action: 'DeleteItem', prefix: KEY_PREFIX.chatTicket });
    expect(sent).toContainEqual({ action: 'PutItem', prefix: KEY_PREFIX.case });
    expect(sent.filter((a) => a.action === 'Scan')).toEqual([]);
    const grants = allowed([...CHAT_WRITES, ...CHAT_AUTHORIZER_WRITES], 'chat-socket', 'chat-timer', 'chat-authorize');
    expect([...new Set(sent.map(asGrant))].filter((g) => !grants.has(g))).toEqual([]);
  });

  it('every function read only what FUNCTION_READS declares (item prefixes and indexes)', () => {
    const reads = [...recorded.values()].flat().filter((a) => (READ_ACTIONS as readonly string[]).includes(a.action));
    // The scenario's reads are fenced ones: GetItem, BatchGetItem and Query of the table all seen.
    for (const action of READ_ACTIONS) expect(reads.filter((a) => a.action === action && a.prefix).length).toBeGreaterThan(0);
    expect(reads.filter((a) => a.index).length).toBeGreaterThan(0);
  });

  it('no Scan anywhere', () => {
    const all = [...recorded.values()].flat();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((a) => a.action === 'Scan')).toEqual([]);
  });
});

describe('only access tokens, through the local gateway', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const get = (token: string) => fetch(`${local.url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('an ID token of the web client passes the gateway (as the JWT authorizer lets it) and is refused with 401', async () => {
    const idToken = signClaims({
      sub: 'u-dana',
      iss: ISSUER,
      aud: clientIds().web,
      token_use: 'id',
      email: 'dana@acme.example',
      iat: now(),
      exp: now() + 600,
    });
    const res = await get(idToken);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('ACC-10: a mobile access token without origin_jti is refused with 401', async () => {
    const token = signClaims({
      sub: 'u-dana',
      iss: ISSUER,
      client_id: clientIds().mobile,
      token_use: 'access',
      scope: 'openid email',
      iat: now(),
      exp: now() + 600,
      jti: 'lonely',
    });
    const res = await get(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { type: string }).type).toBe('/problems/session-expired');
  });

  it('the local issuer mints Cognito-shaped access tokens: token_use access, client_id, origin_jti', async () => {
    const token = local.token('dana@acme.example', 'mobile');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ token_use: 'access', client_id: clientIds().mobile, origin_jti: expect.any(String) });
    expect(claims.aud).toBeUndefined();
    expect((await get(token)).status).toBe(200);
  });
});
