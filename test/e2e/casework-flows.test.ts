/**
 * The product's main flows over real HTTP with real tokens, against local mode booted in-process
 * (DynamoDB Local, aws-ses-v2-local, the local gateway and scheduler).
 */
import { CURRENT_TERMS } from '../../lambdas/domain/catalogue';
import { ROUTES, type RouteDef } from '../../lambdas/http/routes';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal();
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
const ALICE = 'alice@vendor.example';

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
    const store = (await (await fetch(local.urls.sesStore)).json()) as { emails: { subject: string; replyTo: string[] }[] };
    const reminder = store.emails.find((m) => m.subject.includes(`[ref:${flagged[0].referenceId}]`));
    expect(reminder?.subject).toContain(`[Case ${flagged[0].caseNumber}]`);
    expect(reminder?.replyTo).toEqual([`case+${flagged[0].referenceId}@casework.test`]);

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

  it('GET /openapi.json documents every route of the route table', async () => {
    const doc = await api(undefined, 'GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const r of ROUTES as readonly RouteDef[]) expect(doc.body.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
  });
});
