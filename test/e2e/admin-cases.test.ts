/**
 * CASE-1, LIST-2, LIST-3 over HTTP in local mode: a customer opens an admin case without naming a
 * product, and "my non-closed / my closed admin cases" are `GET /cases` queries.
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  // Nothing here reads a notification: no notifier, mail or push work beside the requests.
  local = await startTestLocal({ sweepEveryMs: 0, stream: false });
});
afterAll(async () => {
  await local?.stop();
});

const api = async (email: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email, 'web')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('CASE-1: admin cases over HTTP', () => {
  it('CASE-1: POST /cases with kind admin and no productLine is 201 in Portal Administration; with a product, 400 on productLine', async () => {
    const created = await api('dave@acme.example', 'POST', '/cases', {
      kind: 'admin',
      subject: 'Add a Designated Contact',
      description: 'Our new team lead needs designated access.',
      severity: 'low',
      orgId: 'ORG-ACME',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'admin',
      productLine: 'Account and access',
      supportGroup: 'Portal Administration',
    });
    const named = await api('dave@acme.example', 'POST', '/cases', {
      kind: 'admin',
      subject: 'x',
      description: 'x',
      severity: 'low',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    });
    expect(named.status).toBe(400);
    expect(named.body.errors.map((e: { path: string }) => e.path)).toEqual(['productLine']);

    const mineOpen = await api('dave@acme.example', 'GET', '/cases?scope=mine&kind=admin');
    expect(mineOpen.status).toBe(200);
    expect(mineOpen.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([created.body.caseNumber]);
    expect((await api('dave@acme.example', 'GET', '/cases?scope=mine&kind=admin&closed=true')).body.items).toEqual([]);

    expect((await api('adam@vendor.example', 'PATCH', `/cases/${created.body.caseNumber}`, { status: 'closed' })).status).toBe(
      200,
    );
    expect((await api('dave@acme.example', 'GET', '/cases?scope=mine&kind=admin')).body.items).toEqual([]);
    const mineClosed = await api('dave@acme.example', 'GET', '/cases?scope=mine&kind=admin&closed=true&sort=lastModified');
    expect(mineClosed.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([created.body.caseNumber]);
  });
});
