/**
 * The product's main flows over real HTTP with real tokens, against local mode booted in-process
 * (DynamoDB Local, aws-ses-v2-local, the local gateway and scheduler).
 */
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { ROUTES, type RouteDef } from '../../lambdas/http/routes';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
/** Anything created before this came from the demo seed (its newest case is two hours old). */
let bootedAt: number;
beforeAll(async () => {
  // The local scheduler as `npm start` runs it: every minute, the first run at start (FLAG-1).
  local = await startTestLocal({ sweepEveryMs: 60_000 });
  bootedAt = Date.now();
});
afterAll(async () => local?.stop());

const api = async (
  email: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  client: 'web' | 'mobile' = 'web',
) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(email ? { authorization: `Bearer ${local.token(email, client)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

const DANA = 'dana@acme.example';
const RITA = 'rita@acme.example';
const ALICE = 'alice@vendor.example';
const HOUR = 3_600_000;

interface Listed {
  caseNumber: string;
  createdAt: string;
  status: string;
}
interface Event {
  field?: string;
  from?: unknown;
  to?: unknown;
  at: string;
  actorId: string;
  actorKind: string;
}

describe('Casework over HTTP', () => {
  it("LIST-1: dana lists Acme's open cases; greta's list holds none of Acme's", async () => {
    const dana = await api(DANA, 'GET', '/cases');
    expect(dana.status).toBe(200);
    expect(dana.body.items.length).toBeGreaterThan(0);
    expect(dana.body.items.every((c: { orgId: string; status: string }) => c.orgId === 'ORG-ACME' && c.status !== 'closed')).toBe(
      true,
    );
    const greta = await api('greta@globex.example', 'GET', '/cases');
    expect(greta.status).toBe(200);
    expect(greta.body.items.some((c: { orgId: string }) => c.orgId === 'ORG-ACME')).toBe(false);
  });

  it('FLAG-1, CASE-8: the seeded waiting case is flagged by the local scheduler and its contact is reminded', async () => {
    let flagged: { caseNumber: string; referenceId: string; needsActionSince: string }[] = [];
    for (let i = 0; i < 30 && flagged.length === 0; i++) {
      flagged = (await api(DANA, 'GET', '/cases?needsAction=true')).body.items;
      if (!flagged.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged[0].needsActionSince).toBeDefined();
    // The flag's stream record drives the reminder through the notifier.
    await local.mailSettled(); // and the mail queue sends it
    const store = (await (await fetch(local.urls.sesStore)).json()) as { emails: { subject: string; replyTo: string[] }[] };
    const reminder = store.emails.find((m) => m.subject.includes(`[ref:${flagged[0].referenceId}]`));
    expect(reminder?.subject).toContain(`[Case ${flagged[0].caseNumber}]`);
    // MAIL-1: the Reply-To carries a signed reply token, not the bare Reference ID.
    expect(reminder?.replyTo).toEqual([expect.stringMatching(/^case\+[^@]+@casework\.test$/)]);
    expect(reminder?.replyTo[0]).not.toContain(flagged[0].referenceId);

    // CASE-4: the customer's reply hands the case back to support and clears the flag.
    const reply = await api(DANA, 'POST', `/cases/${flagged[0].caseNumber}/updates`, { body: 'Here are the logs.' });
    expect(reply.status).toBe(201);
    const after = await api(DANA, 'GET', `/cases/${flagged[0].caseNumber}`);
    expect(after.body).toMatchObject({ status: 'open', needsAction: false });
  });

  it('ACC-9: tina gets no case data until she accepts the current Terms', async () => {
    const before = await api('tina@acme.example', 'GET', '/cases');
    expect(before.status).toBe(403);
    expect(before.body.type).toBe('/problems/terms-not-accepted');
    const terms = await api(undefined, 'GET', '/terms');
    expect(terms.body.version).toBe(CURRENT_TERMS.version);
    expect((await api('tina@acme.example', 'POST', '/me/terms', { version: terms.body.version })).status).toBe(200);
    expect((await api('tina@acme.example', 'GET', '/cases')).status).toBe(200);
  });

  it('CASE-4, CASE-9: staff move a case; a stale If-Match is 412; an illegal move is 409 naming the states', async () => {
    const created = await api(DANA, 'POST', '/cases', {
      subject: 'Queue stuck',
      description: 'No calls routed',
      severity: 'high',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    });
    expect(created.status).toBe(201);
    const n = created.body.caseNumber;
    const read = await api(ALICE, 'GET', `/cases/${n}`);
    const etag = read.headers.get('etag')!;
    const moved = await api(ALICE, 'PATCH', `/cases/${n}`, { status: 'awaiting_info', ownerId: 'u-alice' }, { 'if-match': etag });
    expect(moved.status).toBe(200);
    const stale = await api(ALICE, 'PATCH', `/cases/${n}`, { subStatus: 'late' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    const closed = await api(ALICE, 'PATCH', `/cases/${n}`, { status: 'closed' });
    expect(closed.body.status).toBe('closed');
    const illegal = await api(ALICE, 'PATCH', `/cases/${n}`, { status: 'solution_proposed' });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ type: '/problems/illegal-transition', from: 'closed', to: 'solution_proposed' });
    const reopened = await api(DANA, 'POST', `/cases/${n}/reopen`, { reason: 'It came back' });
    expect(reopened.body.status).toBe('open');
    const history = await api(DANA, 'GET', `/cases/${n}/history`);
    const statusMoves = history.body.items
      .filter((e: { field?: string }) => e.field === 'status')
      .map((e: { from: string; to: string }) => `${e.from}->${e.to}`);
    expect(statusMoves).toEqual(['new->awaiting_info', 'awaiting_info->closed', 'closed->open']);
  });

  it('Idempotency-Key: a retried create returns the first case', async () => {
    const body = {
      subject: 'Retry me',
      description: 'Flaky network',
      severity: 'low',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    };
    const first = await api(DANA, 'POST', '/cases', body, { 'idempotency-key': 'e2e-retry-1' });
    const second = await api(DANA, 'POST', '/cases', body, { 'idempotency-key': 'e2e-retry-1' });
    expect(second.status).toBe(201);
    expect(second.body.caseNumber).toBe(first.body.caseNumber);
  });

  it('LIST-4: search finds a case by number and organisations by name prefix, case-insensitively', async () => {
    const found = await api(DANA, 'GET', '/search?q=acme');
    expect(found.body.accounts).toEqual([{ orgId: 'ORG-ACME', name: 'Acme Corp' }]);
    const n = found.body.cases[0].caseNumber;
    const byNumber = await api(DANA, 'GET', `/search?q=${Number(n)}`);
    expect(byNumber.body.cases.map((c: { caseNumber: string }) => c.caseNumber)).toContain(n);
    expect((await api('greta@globex.example', 'GET', '/search?q=acme')).body.accounts).toEqual([]);
  });

  it('PRIV-2: fred on the mobile app finds nothing of FedRAMP Initech', async () => {
    const web = await api('fred@initech.example', 'GET', '/cases');
    expect(web.body.items.length).toBeGreaterThan(0);
    const mobile = await api('fred@initech.example', 'GET', '/cases', undefined, {}, 'mobile');
    expect(mobile.body.items).toEqual([]);
    const direct = await api('fred@initech.example', 'GET', `/cases/${web.body.items[0].caseNumber}`, undefined, {}, 'mobile');
    const missing = await api('fred@initech.example', 'GET', '/cases/99999999', undefined, {}, 'mobile');
    expect(direct.status).toBe(404);
    expect(direct.body).toEqual(missing.body);
  });

  it('CASE-6, PRIV-3: customers never read internal updates, neither in the list nor by id; staff read both', async () => {
    const created = await api(DANA, 'POST', '/cases', {
      subject: 'Wallboard frozen',
      description: 'Since the morning',
      severity: 'medium',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    });
    expect(created.status).toBe(201);
    const n = created.body.caseNumber;
    const internal = await api(ALICE, 'POST', `/cases/${n}/updates`, {
      body: 'INTERNAL: customer runs an unsupported browser',
      visibility: 'internal',
    });
    const visible = await api(ALICE, 'POST', `/cases/${n}/updates`, {
      body: 'Please clear the browser cache.',
      visibility: 'public',
    });
    expect([internal.status, visible.status]).toEqual([201, 201]);
    const internalId = internal.body.updateId;
    const publicId = visible.body.updateId;

    for (const customer of [DANA, RITA]) {
      const list = await api(customer, 'GET', `/cases/${n}/updates`);
      expect(list.status).toBe(200);
      const ids = list.body.items.map((u: { updateId: string }) => u.updateId);
      expect(ids).toContain(publicId);
      expect(ids).not.toContain(internalId);
      expect(JSON.stringify(list.body)).not.toContain('unsupported browser');
      const one = await api(customer, 'GET', `/cases/${n}/updates/${internalId}`);
      const missing = await api(customer, 'GET', `/cases/${n}/updates/01JZZZZZZZZZZZZZZZZZZZZZZZ`);
      // PRIV-3: exactly as an update that does not exist.
      expect(one.status).toBe(404);
      expect(one.body).toEqual(missing.body);
      const open = await api(customer, 'GET', `/cases/${n}/updates/${publicId}`);
      expect(open).toMatchObject({ status: 200, body: { updateId: publicId, body: 'Please clear the browser cache.' } });
    }

    const staff = await api(ALICE, 'GET', `/cases/${n}/updates`);
    expect(staff.body.items.map((u: { updateId: string }) => u.updateId)).toEqual(expect.arrayContaining([internalId, publicId]));
    const staffOne = await api(ALICE, 'GET', `/cases/${n}/updates/${internalId}`);
    expect(staffOne).toMatchObject({
      status: 200,
      body: { visibility: 'internal', body: 'INTERNAL: customer runs an unsupported browser' },
    });
  });

  it('CASE-9, CASE-8: every seeded case has a history like real data; each organisation has one awaiting_info for over 24 hours', async () => {
    // Eric (EU analyst) sees every organisation's cases and their personal data (PRIV-1 does not apply).
    const ERIC = 'eric@vendor.example';
    for (const orgId of ['ORG-ACME', 'ORG-GLOBEX', 'ORG-INITECH', 'ORG-UMBRELLA']) {
      const seeded: Listed[] = [];
      for (const closed of [false, true]) {
        const list = await api(ERIC, 'GET', `/cases?orgId=${orgId}&limit=100${closed ? '&closed=true' : ''}`);
        expect(list.status).toBe(200);
        seeded.push(...list.body.items.filter((c: Listed) => Date.parse(c.createdAt) < bootedAt - HOUR));
      }
      expect(seeded.length).toBeGreaterThan(1);
      let waitingOver24h = 0;
      for (const c of seeded) {
        const history = await api(ERIC, 'GET', `/cases/${c.caseNumber}/history?limit=100`);
        const events: Event[] = history.body.items;
        expect({ caseNumber: c.caseNumber, events: events.length > 0 }).toEqual({ caseNumber: c.caseNumber, events: true });
        for (const e of events) {
          expect(e.actorId).toEqual(expect.any(String));
          expect(Date.parse(e.at)).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
        }
        // Status events chain from `new` to the status the case shows.
        const moves = events.filter((e) => e.field === 'status');
        let status = 'new';
        for (const e of moves) {
          expect(e.from).toBe(status);
          status = e.to as string;
        }
        expect(status).toBe(c.status);
        // Waiting at seed time since over 24 hours: entered then, and left (if at all) only after the seed
        // (another test here answers the flagged one).
        const i = moves.findIndex((e) => e.to === 'awaiting_info' && Date.parse(e.at) < bootedAt - 24 * HOUR);
        if (i >= 0 && (i === moves.length - 1 || Date.parse(moves[i + 1].at) > bootedAt - HOUR)) waitingOver24h++;
      }
      expect({ orgId, waitingOver24h: waitingOver24h >= 1 }).toEqual({ orgId, waitingOver24h: true });
    }
  });

  it('GET /openapi.json documents every route of the route table', async () => {
    const doc = await api(undefined, 'GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const r of ROUTES as readonly RouteDef[]) expect(doc.body.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
  });
});
