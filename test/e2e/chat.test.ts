/**
 * Chat end to end in local mode (CHAT-1..3, PRIV-1) with real WebSocket clients (`ws`):
 * a ticket from POST /chat/tickets, `$connect?ticket=`, the actions of API.md, frames relayed
 * through the management API, the timers on the manual clock the test controls (fauxqs behind
 * the delay gate, local/chat-timers.ts), mail in aws-ses-v2-local's store.
 */
import { WebSocket } from 'ws';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}
type Frame = Record<string, unknown> & { type: string };

let local: TestLocal;
beforeAll(async () => {
  // The stream runs: transcripts and callback alerts are mail intents written with their change,
  // which the notifier queues and the mail queue's consumer sends.
  local = await startTestLocal({ seed: true, sweepEveryMs: 0, chatClock: 'manual' });
});
afterAll(async () => {
  for (const c of open) c.ws.terminate();
  await local?.stop();
});

const api = async (email: string, path: string, init: { method?: string; body?: unknown; client?: 'web' | 'mobile' } = {}) => {
  const res = await fetch(`${local.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${local.token(email, init.client)}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
};

const ticketOf = async (email: string, client?: 'web' | 'mobile'): Promise<string> => {
  const res = await api(email, '/chat/tickets', { method: 'POST', client });
  expect(res.status).toBe(201);
  return String(res.body.ticket);
};

/** A chat client: every frame it receives, and a way to wait for the next one of a type. */
class ChatClient {
  frames: Frame[] = [];
  private seen = 0;
  private waiting: (() => void)[] = [];
  constructor(public ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const w of this.waiting.splice(0)) w();
    });
  }
  send(frame: Record<string, unknown>) {
    this.ws.send(JSON.stringify(frame));
  }
  /** The next frame of `type` after those already taken (waits for it; jest's timeout bounds the wait). */
  async next(type: string): Promise<Frame> {
    for (;;) {
      const i = this.frames.findIndex((f, idx) => idx >= this.seen && f.type === type);
      if (i >= 0) {
        this.seen = i + 1;
        return this.frames[i]!;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }
  /** Frames of `type` received so far, taken or not. */
  all(type: string) {
    return this.frames.filter((f) => f.type === type);
  }
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}
const open: ChatClient[] = [];

const connect = async (email: string, client?: 'web' | 'mobile'): Promise<ChatClient> => {
  const ws = new WebSocket(`${local.urls.chat}?ticket=${await ticketOf(email, client)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const c = new ChatClient(ws);
  open.push(c);
  return c;
};

const refusedStatus = (url: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('error', () => undefined);
  });

const available = async (email: string, client?: 'web' | 'mobile') => {
  const c = await connect(email, client);
  c.send({ action: 'available' });
  expect(await c.next('availability')).toMatchObject({ available: true });
  return c;
};

const leave = async (c: ChatClient) => {
  c.send({ action: 'unavailable' });
  await c.next('availability');
  await c.close();
};

interface CaseRow {
  caseNumber: string;
  orgId: string;
  ownerId?: string;
  productLine: string;
  status: string;
}
/** Open cases of an organisation of a product line that offers chat (seeded demo data). */
const chatCases = async (email: string, orgId: string): Promise<CaseRow[]> => {
  const res = await api(email, `/cases?orgId=${orgId}&limit=100`);
  return (res.body.items as CaseRow[]).filter(
    (c) => c.status !== 'closed' && ['Genesys Cloud CX', 'Engage On-Premise'].includes(c.productLine),
  );
};

/** What SES took, once the mail of what happened so far has left (stream, mail queue, consumer). */
const mails = async (): Promise<StoredMail[]> => {
  await local.mailSettled();
  return ((await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] }).emails;
};

const updatesOf = async (email: string, caseNumber: string) =>
  (await api(email, `/cases/${caseNumber}/updates?limit=100`)).body.items as {
    channel: string;
    body?: string;
    subject?: string;
  }[];

let acme: CaseRow[];
beforeAll(async () => {
  acme = (await chatCases('dana@acme.example', 'ORG-ACME')).filter((c) => c.ownerId === 'u-alice');
  expect(acme.length).toBeGreaterThanOrEqual(4);
});

describe('connecting', () => {
  it('CHAT-1: $connect takes a ticket from POST /chat/tickets, once; no ticket or a used one is 401', async () => {
    expect(await refusedStatus(local.urls.chat)).toBe(401);
    const ticket = await ticketOf('dana@acme.example');
    expect(await refusedStatus(`${local.urls.chat}?ticket=${ticket}`)).toBe(101);
    expect(await refusedStatus(`${local.urls.chat}?ticket=${ticket}`)).toBe(401);
    expect(await refusedStatus(`${local.urls.chat}?ticket=not-a-ticket`)).toBe(401);
  });

  it('CHAT-1: POST /chat/tickets needs a signed-in caller, and answers { ticket, expiresAt } about 60 s ahead', async () => {
    const anon = await fetch(`${local.url}/chat/tickets`, { method: 'POST' });
    expect(anon.status).toBe(401);
    const before = Date.now();
    const res = await api('dana@acme.example', '/chat/tickets', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(typeof res.body.ticket).toBe('string');
    const ahead = Date.parse(String(res.body.expiresAt)) - before;
    expect(ahead).toBeGreaterThan(30_000);
    expect(ahead).toBeLessThanOrEqual(61_000);
  });
});

describe('CHAT-1: who answers', () => {
  it('CHAT-1: the owner (alice) is available: the chat goes to her; text is relayed both ways; CHAT-3: the transcript is saved and mailed', async () => {
    const c = acme[0]!;
    const alice = await available('alice@vendor.example');
    const dana = await connect('dana@acme.example');
    dana.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await dana.next('chat')).toMatchObject({
      status: 'active',
      caseNumber: c.caseNumber,
      analyst: { name: expect.any(String) },
    });
    expect(await alice.next('chat')).toMatchObject({
      status: 'active',
      caseNumber: c.caseNumber,
      customer: { name: expect.any(String) },
    });

    dana.send({ action: 'send', text: 'Our agents see a blank screen since 9:00' });
    expect(await alice.next('message')).toMatchObject({
      text: 'Our agents see a blank screen since 9:00',
      from: { kind: 'customer' },
    });
    alice.send({ action: 'send', text: 'Please clear the browser cache and retry' });
    expect(await dana.next('message')).toMatchObject({
      text: 'Please clear the browser cache and retry',
      from: { kind: 'staff' },
    });

    dana.send({ action: 'end' });
    expect(await dana.next('ended')).toMatchObject({ reason: 'ended-by-customer' });
    expect(await alice.next('ended')).toMatchObject({ reason: 'ended-by-customer' });

    const chatUpdates = (await updatesOf('dana@acme.example', c.caseNumber)).filter((u) => u.channel === 'chat');
    expect(chatUpdates).toHaveLength(1);
    expect(chatUpdates[0]!.body).toContain('Our agents see a blank screen since 9:00');
    expect(chatUpdates[0]!.body).toContain('Please clear the browser cache and retry');
    const mail = (await mails()).filter(
      (m) => m.destination.to.includes('dana@acme.example') && m.subject.includes('Chat transcript'),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(`[Case ${c.caseNumber}]`);
    expect(mail[0]!.body.text).toContain('Please clear the browser cache and retry');
    await leave(alice);
    await dana.close();
  });

  it('CHAT-1: the owner is away: another available analyst of the support group (eric) takes it', async () => {
    const c = acme.find((x) => x.productLine === 'Genesys Cloud CX')!;
    const eric = await available('eric@vendor.example');
    const dave = await connect('dave@acme.example');
    dave.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await eric.next('chat')).toMatchObject({ status: 'active', caseNumber: c.caseNumber });
    expect(await dave.next('chat')).toMatchObject({ status: 'active', analyst: { name: expect.stringMatching(/eric/i) } });
    eric.send({ action: 'end' });
    expect(await dave.next('ended')).toMatchObject({ reason: 'ended-by-analyst' });
    await leave(eric);
    await dave.close();
  });

  it('CHAT-1: an analyst who becomes available takes the chat waiting in their group', async () => {
    const c = acme[2]!;
    const dana = await connect('dana@acme.example');
    dana.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await dana.next('chat')).toMatchObject({ status: 'queued' });
    dana.send({ action: 'send', text: 'written while waiting' });
    await dana.next('sent');
    const alice = await available('alice@vendor.example');
    const joined = await alice.next('chat');
    expect(joined).toMatchObject({ status: 'active', caseNumber: c.caseNumber });
    expect(joined.messages).toEqual([expect.objectContaining({ text: 'written while waiting' })]);
    expect(await dana.next('chat')).toMatchObject({ status: 'active' });
    // Its 60-second timer is stale now: it offers nothing.
    await local.chatTimers.advance(60);
    expect(dana.all('callback-offer')).toEqual([]);
    alice.send({ action: 'end' });
    await dana.next('ended');
    await leave(alice);
    await dana.close();
  });
});

describe('CHAT-2: nobody there', () => {
  it('CHAT-2: 60 seconds after queueing with no analyst, the customer may leave a number: on the case, and in the alert to management (mona)', async () => {
    const c = acme[1]!;
    const dana = await connect('dana@acme.example');
    dana.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await dana.next('chat')).toMatchObject({ status: 'queued', waitSeconds: 60 });

    // Not before 60 seconds: no offer, and a number is refused.
    await local.chatTimers.advance(59);
    expect(dana.all('callback-offer')).toEqual([]);
    dana.send({ action: 'leaveNumber', phone: '+1 555 0100' });
    expect(await dana.next('error')).toMatchObject({ problem: { status: 409, type: '/problems/callback-not-offered' } });

    await local.chatTimers.advance(1);
    expect(await dana.next('callback-offer')).toMatchObject({ caseNumber: c.caseNumber });

    dana.send({ action: 'leaveNumber', phone: 'call me' });
    expect(await dana.next('error')).toMatchObject({
      problem: { status: 400, errors: [expect.objectContaining({ path: 'phone' })] },
    });
    dana.send({ action: 'leaveNumber', phone: '+1 555 0100' });
    expect(await dana.next('callback-saved')).toMatchObject({ phone: '+1 555 0100' });
    expect(await dana.next('ended')).toMatchObject({ reason: 'callback' });

    const got = await api('dana@acme.example', `/cases/${c.caseNumber}`);
    expect(got.body.callbackPhone).toBe('+1 555 0100');
    const alert = (await mails()).filter((m) => m.destination.to.includes('mona@vendor.example'));
    expect(alert).toHaveLength(1);
    expect(alert[0]!.subject).toContain(`[Case ${c.caseNumber}]`);
    expect(alert[0]!.body.text).toContain('+1 555 0100');
    // CHAT-3: even unanswered, the chat's transcript is on the case.
    expect((await updatesOf('dana@acme.example', c.caseNumber)).filter((u) => u.channel === 'chat')).toHaveLength(1);
    await dana.close();
  });

  it("PRIV-1: the alert about an EU case's callback names neither the case's subject nor the number to US management (mona), subject line included", async () => {
    const c = (await chatCases('greta@globex.example', 'ORG-GLOBEX'))[0]!;
    const subject = String((await api('greta@globex.example', `/cases/${c.caseNumber}`)).body.subject);
    const greta = await connect('greta@globex.example');
    greta.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await greta.next('chat')).toMatchObject({ status: 'queued' });
    await local.chatTimers.advance(60);
    await greta.next('callback-offer');
    greta.send({ action: 'leaveNumber', phone: '+49 30 1234567' });
    expect(await greta.next('callback-saved')).toMatchObject({ phone: '+49 30 1234567' });
    const alert = (await mails()).filter(
      (m) => m.destination.to.includes('mona@vendor.example') && m.subject.includes(`[Case ${c.caseNumber}]`),
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.subject).not.toContain(subject);
    expect(alert[0]!.body.text).not.toContain(subject);
    expect(alert[0]!.body.text).not.toContain('+49 30 1234567');
    await greta.close();
  });
});

describe('CHAT-3: a dropped connection', () => {
  it('CHAT-3: the customer drops; after the grace period the chat ends and the transcript is saved', async () => {
    const c = acme[3]!;
    const alice = await available('alice@vendor.example');
    const dana = await connect('dana@acme.example');
    dana.send({ action: 'start', caseNumber: c.caseNumber });
    await alice.next('chat');
    await dana.next('chat');
    dana.send({ action: 'send', text: 'before the line went dead' });
    await alice.next('message');
    await dana.next('sent');
    dana.ws.terminate();
    expect(await alice.next('dropped')).toMatchObject({ graceSeconds: 30 });
    await local.chatTimers.advance(30);
    expect(await alice.next('ended')).toMatchObject({ reason: 'dropped' });
    const chatUpdates = (await updatesOf('dana@acme.example', c.caseNumber)).filter((u) => u.channel === 'chat');
    expect(chatUpdates.length).toBeGreaterThanOrEqual(1);
    expect(chatUpdates[0]!.body).toContain('before the line went dead');
    await leave(alice);
  });
});

describe('who may chat', () => {
  it('CHAT-1: read-only rita cannot start a chat', async () => {
    const rita = await connect('rita@acme.example');
    rita.send({ action: 'start', caseNumber: acme[0]!.caseNumber });
    expect(await rita.next('error')).toMatchObject({ action: 'start', problem: { status: 403, type: '/problems/forbidden' } });
    await rita.close();
  });

  it('PRIV-1: US staff (alice) are not offered a chat on an EU case; EU staff (eric) take it', async () => {
    const globex = await chatCases('greta@globex.example', 'ORG-GLOBEX');
    const c = globex[0]!;
    const alice = await available('alice@vendor.example');
    const greta = await connect('greta@globex.example');
    greta.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await greta.next('chat')).toMatchObject({ status: 'queued' });
    expect(alice.all('chat')).toEqual([]);
    const eric = await available('eric@vendor.example');
    expect(await eric.next('chat')).toMatchObject({ status: 'active', caseNumber: c.caseNumber });
    expect(await greta.next('chat')).toMatchObject({ status: 'active' });
    expect(alice.all('chat')).toEqual([]);
    greta.send({ action: 'end' });
    await eric.next('ended');
    await leave(alice);
    await leave(eric);
    await greta.close();
  });

  it('PRIV-2: a FedRAMP customer’s chat is never offered to an analyst whose socket was opened with a mobile ticket', async () => {
    const initech = await chatCases('fred@initech.example', 'ORG-INITECH');
    const c = initech[0]!;
    const onPhone = await available('alice@vendor.example', 'mobile');
    const fred = await connect('fred@initech.example');
    fred.send({ action: 'start', caseNumber: c.caseNumber });
    expect(await fred.next('chat')).toMatchObject({ status: 'queued' });
    const onWeb = await available('eric@vendor.example');
    expect(await onWeb.next('chat')).toMatchObject({ status: 'active', caseNumber: c.caseNumber });
    // Nothing of the chat (its case, subject or messages) reached the phone.
    expect(onPhone.all('chat')).toEqual([]);
    expect(JSON.stringify(onPhone.frames)).not.toContain(c.caseNumber);
    fred.send({ action: 'end' });
    await onWeb.next('ended');
    await leave(onPhone);
    await leave(onWeb);
    await fred.close();
  });

  it('PRIV-1: analysts do not start chats; alice cannot start one on the EU case either', async () => {
    const globex = await chatCases('greta@globex.example', 'ORG-GLOBEX');
    const alice = await connect('alice@vendor.example');
    alice.send({ action: 'start', caseNumber: globex[0]!.caseNumber });
    expect(await alice.next('error')).toMatchObject({ problem: { status: 403 } });
    await alice.close();
  });
});

describe('the management API', () => {
  it('answers 410 GoneException for a connection that is not there', async () => {
    const res = await fetch(`${local.urls.chatManagement}/@connections/${encodeURIComponent('nobody=')}`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(410);
    expect(res.headers.get('x-amzn-errortype')).toBe('GoneException');
  });
});
