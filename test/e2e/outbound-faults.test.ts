/**
 * Issue 23 under faults, end to end in local mode: the functions reach SES through a proxy the
 * test switches off (a closed port) and on again. Requests that commit answer 2xx while SES is
 * down; once it is back, every mail of the period is delivered exactly once, and nothing is left
 * in the mail queue's dead-letter queue.
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';
import { startSwitchableProxy, type SwitchableProxy } from '../helpers/switchable-proxy';

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

let local: TestLocal;
let ses: SwitchableProxy | undefined;
beforeAll(async () => {
  local = await startTestLocal({
    sweepEveryMs: 0,
    sesEndpointForFunctions: async (endpoint) => (ses = await startSwitchableProxy(endpoint)).url,
  });
});
afterAll(async () => {
  await local?.stop();
  await ses?.stop();
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

describe('issue 23: nothing lost on the way out', () => {
  it('MAIL-1, issue 23: staff updates while SES refuses connections answer 201, and each mail arrives exactly once after SES is back', async () => {
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

  it('ACC-6, issue 23: an access request made while SES is down answers 201, its Idempotency-Key retry replays it, and exactly one code arrives after recovery', async () => {
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
});
