/**
 * PRIV-1 and PRIV-2 as a property over what every channel delivered, in local mode with every
 * function in its worker and the stream on: the WebSocket frames each analyst and customer
 * received (chat), the queue subscribed to the integration topic, the SES store (mail), the push
 * log and the inbox. Not HTTP bodies: those are test/integration/privacy.property.test.ts.
 *
 * Each run picks an organisation of the demo data (Globex: EU, GDPR; Initech: FedRAMP; Acme:
 * neither), random personal values (subject, description, update texts, chat messages, a phone
 * number) and random personas: each analyst (alice: US; eric: EU) away, on the web or on the
 * mobile app (staff on mobile); the customer on the web or the phone; EU staff (eric) writing
 * public and internal updates about the customer; and at Acme a follower (dave) who is a
 * Designated Contact or was demoted to basic. The customer opens a case, eric writes, the
 * customer chats (an analyst answers, or nobody may and the customer leaves a number, CHAT-2).
 *
 * Expectations, from PRODUCT.md, never from the code:
 * - PRIV-1: personal data of an EU/EEA organisation's case (subject, description, update text,
 *   contact names and addresses; here also chat text and the number left) is not shown to staff
 *   working from the US: no frame alice receives, no mail to a US manager, and no integration
 *   message (sent to nobody in particular) carries any of it.
 * - PRIV-2: FedRAMP organisations and their cases are not served to the mobile app: no frame to a
 *   socket opened with a mobile ticket (staff or customer), no push, no inbox item read from the
 *   phone names the case.
 * - ACC-2: basic is no case access at all: the demoted follower is told nothing about the case.
 * - CHAT-1 (the control): when an analyst who may see the case is available, the chat goes to one
 *   of them and they receive the customer's message; when none is, CHAT-2: the customer may leave
 *   a number.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import type { LocalPush } from '../../local/push';
import { depth } from '../helpers/depth';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

type Client = 'web' | 'mobile';
type Frame = Record<string, unknown> & { type: string };

let local: TestLocal;
let sqs: SQSClient;

const CUSTOMERS = {
  'ORG-GLOBEX': { email: 'greta@globex.example', gdpr: true, fedramp: false },
  'ORG-INITECH': { email: 'fred@initech.example', gdpr: false, fedramp: true },
  'ORG-ACME': { email: 'dana@acme.example', gdpr: false, fedramp: false },
} as const;
type OrgId = keyof typeof CUSTOMERS;
const ANALYSTS = { alice: { email: 'alice@vendor.example', us: true }, eric: { email: 'eric@vendor.example', us: false } };
const FOLLOWER = 'dave@acme.example';

const api = async (email: string | undefined, method: string, path: string, body?: unknown, client: Client = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(email ? { authorization: `Bearer ${local.token(email, client)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
};
const ok = async (email: string | undefined, method: string, path: string, body?: unknown, client: Client = 'web') => {
  const res = await api(email, method, path, body, client);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0, chatClock: 'manual' });
  sqs = new SQSClient({
    endpoint: local.urls.sns,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Everyone who could be told chose every channel and has a phone.
  for (const email of [...Object.values(CUSTOMERS).map((c) => c.email), FOLLOWER]) {
    await ok(email, 'PATCH', '/me/settings', { notifications: { personalCases: true, email: true, push: true } });
    await api(email, 'POST', '/devices', { platform: 'fcm', token: `${email}-phone` }, 'mobile');
  }
  await ok(FOLLOWER, 'PUT', '/accounts/ORG-ACME/subscription', { newHigh: true });
});
afterAll(async () => {
  sqs?.destroy();
  await local?.stop();
});

/** A chat socket: every frame it received. */
const socket = async (email: string, client: Client) => {
  const ticket = String((await ok(email, 'POST', '/chat/tickets', undefined, client)).ticket);
  const ws = new WebSocket(`${local.urls.chat}?ticket=${ticket}`);
  const frames: Frame[] = [];
  let waiting: (() => void)[] = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()) as Frame);
    for (const w of waiting.splice(0)) w();
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let seen = 0;
  /** The next frame of one of `types`; fails after 20 seconds without one. */
  const next = async (...types: string[]): Promise<Frame> => {
    const until = Date.now() + 20_000;
    for (;;) {
      const i = frames.findIndex((f, idx) => idx >= seen && types.includes(f.type));
      if (i >= 0) {
        seen = i + 1;
        return frames[i]!;
      }
      if (Date.now() > until) throw new Error(`${email} (${client}): no ${types.join(' or ')} frame`);
      await new Promise<void>((r) => {
        waiting.push(r);
        setTimeout(r, 500);
      });
    }
  };
  const close = async () => {
    waiting = [];
    if (ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      ws.once('close', () => r());
      ws.close();
    });
  };
  return { frames, next, send: (f: unknown) => ws.send(JSON.stringify(f)), close };
};

const drainIntegrationQueue = async () => {
  const out: { body: string; caseNumber?: string }[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: local.urls.integrationQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages)
      out.push({ body: m.Body!, caseNumber: (JSON.parse(m.Body!) as { caseNumber?: string }).caseNumber });
  }
};
interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}
const mails = async (): Promise<StoredMail[]> =>
  ((await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] }).emails;
const pushes = async () => ((await (await fetch(local.urls.push)).json()) as { pushes: LocalPush[] }).pushes;

const markerArb = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 10, maxLength: 10 })
  .map((s) => `pii${s}`);
const presenceArb = fc.constantFrom('away' as const, 'web' as const, 'mobile' as const);
const runArb = fc.record({
  orgId: fc.constantFrom<OrgId>('ORG-GLOBEX', 'ORG-INITECH', 'ORG-ACME'),
  customerClient: fc.constantFrom<Client>('web', 'mobile'),
  alice: presenceArb,
  eric: presenceArb,
  followerDemoted: fc.boolean(),
  subject: markerArb,
  description: markerArb,
  publicUpdate: markerArb,
  internalNote: markerArb,
  customerSays: markerArb,
  analystSays: markerArb,
  phoneDigits: fc.integer({ min: 100, max: 999 }),
});
type Run = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

const leaked = (value: unknown, personal: string[]) => {
  const json = JSON.stringify(value);
  return personal.filter((p) => json.includes(p));
};

const run = async (r: Run) => {
  const org = CUSTOMERS[r.orgId];
  const phone = `+44 20 7946 0${r.phoneDigits}`;
  const personal = [r.subject, r.description, r.publicUpdate, r.internalNote, r.customerSays, r.analystSays];
  // Whatever came before this run is not this run's delivery.
  await local.mailSettled();
  await drainIntegrationQueue();
  const mailsBefore = (await mails()).length;
  const pushesBefore = (await pushes()).length;

  if (r.orgId === 'ORG-ACME')
    await ok('adam@vendor.example', 'PUT', '/admin/orgs/ORG-ACME/members/u-dave', {
      level: r.followerDemoted ? 'basic' : 'designated',
    });
  const opened = await ok(org.email, 'POST', '/cases', {
    subject: r.subject,
    description: r.description,
    severity: 'high',
    orgId: r.orgId,
    productLine: 'Genesys Cloud CX',
  });
  const n = String(opened.caseNumber);
  // EU staff write about the customer: a public update and an internal note.
  await ok('eric@vendor.example', 'POST', `/cases/${n}/updates`, { body: r.publicUpdate });
  await ok('eric@vendor.example', 'POST', `/cases/${n}/updates`, { body: r.internalNote, visibility: 'internal' });

  // Chat: the analysts who are there, then the customer.
  const analysts = (Object.keys(ANALYSTS) as (keyof typeof ANALYSTS)[]).filter((a) => r[a] !== 'away');
  const sockets = new Map<string, Awaited<ReturnType<typeof socket>>>();
  for (const a of analysts) {
    const s = await socket(ANALYSTS[a].email, r[a] as Client);
    s.send({ action: 'available' });
    await s.next('availability');
    sockets.set(a, s);
  }
  const customer = await socket(org.email, r.customerClient);
  customer.send({ action: 'start', caseNumber: n });
  const started = await customer.next('chat', 'error');
  // Who may take it, by PRODUCT.md: PRIV-1 keeps US staff off an EU case, PRIV-2 the mobile app off a FedRAMP one.
  const mayTake = analysts.filter((a) => !(org.gdpr && ANALYSTS[a].us) && !(org.fedramp && r[a] === 'mobile'));
  if (org.fedramp && r.customerClient === 'mobile') {
    // PRIV-2: the case is not served to the customer's phone either.
    expect(started.type).toBe('error');
  } else {
    expect(started).toMatchObject({ type: 'chat' });
    let chat = started;
    if (chat.status !== 'active' && mayTake.length) chat = await customer.next('chat');
    if (mayTake.length) {
      // CHAT-1, the control: one analyst who may see the case took it and hears the customer.
      expect(chat.status).toBe('active');
      const taker = await Promise.race(
        analysts.map(async (a) => {
          await sockets.get(a)!.next('chat');
          return a;
        }),
      );
      expect(mayTake).toContain(taker);
      customer.send({ action: 'send', text: r.customerSays });
      expect(JSON.stringify(await sockets.get(taker)!.next('message'))).toContain(r.customerSays);
      sockets.get(taker)!.send({ action: 'send', text: r.analystSays });
      expect(JSON.stringify(await customer.next('message'))).toContain(r.analystSays);
      customer.send({ action: 'end' });
      await customer.next('ended');
    } else {
      // CHAT-2: nobody who may see it is there; after 60 seconds the customer leaves a number.
      await local.chatTimers.advance(60);
      await customer.next('callback-offer');
      customer.send({ action: 'leaveNumber', phone });
      await customer.next('ended');
      personal.push(phone);
    }
  }
  for (const s of sockets.values()) {
    s.send({ action: 'unavailable' });
    await s.next('availability');
    await s.close();
  }
  await customer.close();
  await local.mailSettled();

  // Chat frames.
  for (const a of analysts) {
    const frames = sockets.get(a)!.frames;
    const barred = (org.gdpr && ANALYSTS[a].us) || (org.fedramp && r[a] === 'mobile');
    if (barred) {
      expect({ a, leaked: leaked(frames, personal), named: JSON.stringify(frames).includes(n) }).toEqual({
        a,
        leaked: [],
        named: false,
      });
    }
  }
  if (org.fedramp && r.customerClient === 'mobile') expect(leaked(customer.frames, personal)).toEqual([]);

  // The integration queue: every message about the case, sent to nobody in particular.
  const published = (await drainIntegrationQueue()).filter((m) => m.caseNumber === n);
  expect(published.length).toBeGreaterThan(0);
  if (org.gdpr) expect(leaked(published, personal)).toEqual([]);

  // Mail: to US management (CHAT-2's alert) nothing personal of an EU case; the demoted follower nothing at all.
  const sent = (await mails()).slice(mailsBefore);
  if (org.gdpr)
    expect(
      leaked(
        sent.filter((m) => m.destination.to.includes('mona@vendor.example')),
        personal,
      ),
    ).toEqual([]);
  if (r.orgId === 'ORG-ACME' && r.followerDemoted) {
    const toFollower = sent.filter((m) => m.destination.to.includes(FOLLOWER) && JSON.stringify(m).includes(n));
    expect(toFollower).toEqual([]);
  }
  // The control: the customer was mailed eric's public update (MAIL-1), in full.
  expect(sent.some((m) => m.destination.to.includes(org.email) && JSON.stringify(m).includes(r.publicUpdate))).toBe(true);

  // Push and the inbox read from the phone.
  const pushed = (await pushes()).slice(pushesBefore).filter((p) => p.data.caseNumber === n);
  if (org.fedramp) expect(pushed).toEqual([]);
  else expect(pushed.some((p) => p.token === `${org.email}-phone`)).toBe(true);
  if (r.orgId === 'ORG-ACME' && r.followerDemoted) expect(pushed.filter((p) => p.token === `${FOLLOWER}-phone`)).toEqual([]);
  const inbox = async (email: string, client: Client) =>
    ((await ok(email, 'GET', '/notifications?limit=100', undefined, client)).items as { caseNumber?: string }[]).map(
      (i) => i.caseNumber,
    );
  if (org.fedramp) {
    expect(await inbox(org.email, 'mobile')).not.toContain(n);
    expect(await inbox(org.email, 'web')).toContain(n);
  }
  if (r.orgId === 'ORG-ACME') {
    if (r.followerDemoted) expect(await inbox(FOLLOWER, 'web')).not.toContain(n);
    else expect(await inbox(FOLLOWER, 'web')).toContain(n);
  }
};

describe('PRIV-1, PRIV-2 on every channel', () => {
  it('PRIV-1, PRIV-2: chat frames, the integration queue, mail, push and the inbox carry nothing a recipient may not see', async () => {
    // Each persona at least once, whatever the random runs pick.
    let k = 0;
    const example = (r: Partial<Run>): [Run] => {
      const tag = 'abcdefgh'[k++];
      return [
        {
          orgId: 'ORG-ACME',
          customerClient: 'web',
          alice: 'web',
          eric: 'web',
          followerDemoted: false,
          subject: `piiexample${tag}sbj`,
          description: `piiexample${tag}dsc`,
          publicUpdate: `piiexample${tag}pub`,
          internalNote: `piiexample${tag}int`,
          customerSays: `piiexample${tag}cus`,
          analystSays: `piiexample${tag}ana`,
          phoneDigits: 123,
          ...r,
        },
      ];
    };
    const examples = [
      // US staff on the web and EU staff away: nobody may take an EU chat; US management is alerted.
      example({ orgId: 'ORG-GLOBEX', alice: 'web', eric: 'away' }),
      // EU staff on the phone take the EU chat; US staff on the web see none of it.
      example({ orgId: 'ORG-GLOBEX', alice: 'web', eric: 'mobile' }),
      // Staff on mobile are not offered a FedRAMP chat; the one on the web is.
      example({ orgId: 'ORG-INITECH', alice: 'mobile', eric: 'web' }),
      example({ orgId: 'ORG-INITECH', alice: 'mobile', eric: 'mobile' }),
      // The FedRAMP customer on the phone.
      example({ orgId: 'ORG-INITECH', customerClient: 'mobile', alice: 'web', eric: 'mobile' }),
      // A demoted contact, and the control.
      example({ orgId: 'ORG-ACME', followerDemoted: true }),
      example({ orgId: 'ORG-ACME', followerDemoted: false, alice: 'mobile', eric: 'away' }),
    ];
    await fc.assert(fc.asyncProperty(runArb, run), { numRuns: depth(4, 12), examples, endOnFailure: true });
  }, 480_000);
});
