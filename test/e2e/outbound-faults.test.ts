/**
 * Outbound mail under faults, end to end in local mode: the functions reach SES through a proxy the
 * test switches off (a closed port) and on again, and DynamoDB Local through one it pauses (bytes
 * held both ways, as with a SIGSTOPped JVM). Requests that commit answer 2xx while SES is down or
 * DynamoDB stalls; once it is back, every mail of the period is delivered exactly once, and
 * nothing is left in the mail queue's dead-letter queue.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lambdas/data/keys';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';
import { startSwitchableProxy, type SwitchableProxy } from '../helpers/switchable-proxy';

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

let local: TestLocal;
let ses: SwitchableProxy | undefined;
let dynamo: SwitchableProxy | undefined;
/** DynamoDB Local itself, not through the proxy: what has committed while the functions wait. */
let direct: DynamoDBDocumentClient | undefined;
beforeAll(async () => {
  local = await startTestLocal({
    sweepEveryMs: 0,
    sesEndpointForFunctions: async (endpoint) => (ses = await startSwitchableProxy(endpoint)).url,
    dynamoEndpointForFunctions: async (endpoint) => {
      direct = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      );
      return (dynamo = await startSwitchableProxy(endpoint)).url;
    },
  });
});
afterAll(async () => {
  await local?.stop();
  await ses?.stop();
  await dynamo?.stop();
});

const call = async (
  path: string,
  init: { method?: string; body?: unknown; as?: string; headers?: Record<string, string> } = {},
) => {
  const res = await fetch(`${local.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.as ? { authorization: `Bearer ${local.token(init.as)}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json().catch(() => undefined)) as Record<string, unknown>,
  };
};

const store = async (): Promise<StoredMail[]> =>
  ((await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] }).emails;

/** Until the queue has tried (and failed) at least once: the mail is waiting out its backoff. */
const failedOnce = async () => {
  await local.notifier.drain();
  for (let i = 0; i < 100 && (await local.mail.depth()).queued === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
};

describe('outbound mail: nothing lost on the way out', () => {
  it('MAIL-1: staff updates while SES refuses connections answer 201, and each mail arrives exactly once after SES is back', async () => {
    const list = await call('/cases?orgId=ORG-ACME', { as: 'dana@acme.example' });
    const n = (list.body.items as { caseNumber: string }[])[0]!.caseNumber;
    await ses!.down();
    const texts = ['Fault run: first staff update', 'Fault run: second staff update', 'Fault run: third staff update'];
    for (const text of texts) {
      const res = await call(`/cases/${n}/updates`, {
        method: 'POST',
        as: 'alice@vendor.example',
        body: { body: text, visibility: 'public' },
      });
      expect(res.status).toBe(201);
    }
    await failedOnce();
    expect((await store()).filter((m) => texts.some((t) => m.body.text?.includes(t)))).toHaveLength(0);
    await ses!.up();
    await local.mailSettled();
    const mails = await store();
    for (const text of texts) {
      const got = mails.filter((m) => m.body.text?.includes(text));
      expect(got).toHaveLength(1);
      expect(got[0]!.destination.to).toEqual(['dana@acme.example']);
      expect(got[0]!.subject).toContain(`[Case ${n}]`);
    }
    expect(await local.mail.depth()).toEqual({ queued: 0, dead: 0 });
  });

  it('ACC-6: an access request made while SES is down answers 201, its Idempotency-Key retry replays it, and exactly one code arrives after recovery', async () => {
    await ses!.down();
    const body = {
      email: 'fay.fault@acme.example',
      name: 'Fay Fault',
      level: 'read_only',
      combinations: [{ orgId: 'ORG-ACME' }],
    };
    const first = await call('/access-requests', { method: 'POST', body, headers: { 'idempotency-key': 'fault-1' } });
    expect(first.status).toBe(201);
    const retry = await call('/access-requests', { method: 'POST', body, headers: { 'idempotency-key': 'fault-1' } });
    expect(retry.status).toBe(201);
    expect(retry.body.requestId).toBe(first.body.requestId);
    await failedOnce();
    await ses!.up();
    await local.mailSettled();
    const codes = (await store()).filter(
      (m) => m.destination.to.includes('fay.fault@acme.example') && /Your code is \d{6}/.test(m.body.text ?? ''),
    );
    expect(codes).toHaveLength(1);
    const code = /Your code is (\d{6})/.exec(codes[0]!.body.text!)![1];
    const confirmed = await call(`/access-requests/${String(first.body.requestId)}/confirm`, { method: 'POST', body: { code } });
    expect(confirmed.status).toBe(200);
    // The confirmation queues the approvers' mail: it leaves too, and nothing is dead-lettered.
    await local.mailSettled();
    expect(await local.mail.depth()).toEqual({ queued: 0, dead: 0 });
  });

  it.each(['before', 'after'] as const)(
    'CASE-7, MAIL-1: DynamoDB paused at the first write (%s it reaches DynamoDB): no 5xx after a commit, each committed change mails exactly once after recovery, nothing dead-lettered',
    async (when) => {
      // A fresh case of Dana's with a closure request pending, so a decline (a mail intent written
      // with the decision) is among the writes the pause catches.
      const created = await call('/cases', {
        method: 'POST',
        as: 'dana@acme.example',
        body: {
          subject: `Paused DynamoDB run (${when})`,
          description: 'Outbound fault test',
          severity: 'low',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
        },
      });
      expect(created.status).toBe(201);
      const n = String(created.body.caseNumber);
      expect((await call(`/cases/${n}/closure-request`, { method: 'POST', as: 'dana@acme.example', body: {} })).status).toBe(201);
      await local.mailSettled();
      const before = (await store()).length;
      const versionBefore = Number(
        ((await call(`/cases/${n}`, { as: 'alice@vendor.example' })).body as { version: number }).version,
      );

      const texts = Array.from({ length: 5 }, (_, i) => `Paused run (${when}): staff update ${i + 1}`);
      // The stall starts at the first transaction any of these requests sends.
      dynamo!.pauseOn('TransactWriteItems', when);
      const started = Date.now();
      const answers = Promise.all([
        ...texts.map((text) =>
          call(`/cases/${n}/updates`, { method: 'POST', as: 'alice@vendor.example', body: { body: text, visibility: 'public' } }),
        ),
        call(`/cases/${n}/closure-request/decision`, {
          method: 'POST',
          as: 'alice@vendor.example',
          body: { accept: false, comment: `Paused run (${when}): not yet` },
        }),
      ]);
      for (let i = 0; i < 200 && !dynamo!.isPaused(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(dynamo!.isPaused()).toBe(true);
      // A few seconds of stall with the writes in flight, then DynamoDB answers again. `after`:
      // the first write commits while every answer (its own included) is held.
      const version = async () =>
        ((await direct!.send(new GetCommand({ TableName: local.tableName, Key: keys.case(n), ConsistentRead: true }))).Item
          ?.version as number) ?? 0;
      const pausedAt = Date.now();
      let committedWhilePaused = false;
      while (Date.now() - pausedAt < 3000) {
        committedWhilePaused ||= (await version()) > versionBefore;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(dynamo!.isPaused()).toBe(true);
      dynamo!.resume();
      expect(committedWhilePaused).toBe(when === 'after');
      const results = await answers;
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);

      // What committed, read after recovery (staff see every update).
      const updates = await call(`/cases/${n}/updates?limit=100`, { as: 'alice@vendor.example' });
      const stored = (updates.body.items as { body?: string }[]).map((u) => u.body ?? '');
      const committed = texts.filter((t) => stored.includes(t));
      const caseNow = await call(`/cases/${n}`, { as: 'alice@vendor.example' });
      const declined = !caseNow.body.closureRequest;
      results.forEach((res, i) => {
        const wasCommitted = i < texts.length ? committed.includes(texts[i]!) : declined;
        // Never an error after a commit; an error is problem+json and means nothing was stored.
        if (res.status >= 500) {
          expect(res.type).toContain('application/problem+json');
          expect(wasCommitted).toBe(false);
        } else {
          expect(res.status).toBe(i < texts.length ? 201 : 200);
          expect(wasCommitted).toBe(true);
        }
      });
      // A 3-second stall is well inside every timeout: all of them commit.
      expect(committed).toEqual(texts);
      expect(declined).toBe(true);

      await local.mailSettled();
      const mails = (await store()).slice(before);
      for (const text of committed) {
        const got = mails.filter((m) => m.body.text?.includes(text));
        expect(got).toHaveLength(1);
        expect(got[0]!.destination.to).toEqual(['dana@acme.example']);
      }
      const declines = mails.filter((m) => m.subject.includes('Closure request declined') && m.subject.includes(`[Case ${n}]`));
      expect(declines).toHaveLength(1);
      expect(declines[0]!.destination.to).toEqual(['dana@acme.example']);
      expect(await local.mail.depth()).toEqual({ queued: 0, dead: 0 });

      // Staff see each mail of the case and that it was sent; customers are refused.
      const log = await call(`/cases/${n}/mail`, { as: 'alice@vendor.example' });
      expect(log.status).toBe(200);
      const rows = log.body.items as { kind: string; status: string; attempts: number; mailId: string }[];
      // The staff updates, and the decision's own public note (a staff update of the case too).
      expect(rows.filter((r) => r.kind === 'case-update')).toHaveLength(committed.length + 1);
      expect(rows.filter((r) => r.kind === 'closure-declined')).toHaveLength(1);
      for (const r of rows) {
        expect(r.status).toBe('sent');
        expect(r).not.toHaveProperty('key');
        expect(r).not.toHaveProperty('error');
      }
      expect((await call(`/cases/${n}/mail`, { as: 'dana@acme.example' })).status).toBe(403);
    },
  );
});
