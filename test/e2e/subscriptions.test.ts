/**
 * Favorites (LIST-5), accounts and subscriptions (NOTE-2) and settings (NOTE-4) over real HTTP
 * with real tokens, against local mode booted in-process with the demo data.
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal();
});
afterAll(async () => local?.stop());

const api = async (email: string, method: string, path: string, body?: unknown, client: 'web' | 'mobile' = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email, client)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const DANA = 'dana@acme.example';
const ERIC = 'eric@vendor.example';

type Row = { caseNumber: string; orgId: string; subject?: string };
const casesOf = async (email: string, query = ''): Promise<Row[]> =>
  (await api(email, 'GET', `/cases?limit=100${query}`)).body.items;

describe('favorites, accounts, subscriptions and settings over HTTP', () => {
  it('LIST-5, NOTE-2: a favorite case subscribes; re-adding is 200; removing it keeps the explicit subscription only', async () => {
    const [c] = await casesOf(DANA);
    const added = await api(DANA, 'PUT', `/favorites/case/${c.caseNumber}`);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'case', id: c.caseNumber, available: true, case: { caseNumber: c.caseNumber } });
    const again = await api(DANA, 'PUT', `/favorites/case/${c.caseNumber}`);
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(added.body.createdAt);

    const listed = await api(DANA, 'GET', '/favorites');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [expect.objectContaining({ kind: 'case', id: c.caseNumber })], nextCursor: null });

    const sub = await api(DANA, 'PUT', `/cases/${c.caseNumber}/subscription`);
    expect(sub).toEqual({ status: 200, body: { caseNumber: c.caseNumber, subscribed: true, sources: ['explicit', 'favorite'] } });
    expect((await api(DANA, 'DELETE', `/favorites/case/${c.caseNumber}`)).status).toBe(204);
    expect((await api(DANA, 'DELETE', `/favorites/case/${c.caseNumber}`)).status).toBe(204);
    expect((await api(DANA, 'PUT', `/cases/${c.caseNumber}/subscription`)).body.sources).toEqual(['explicit']);
    expect((await api(DANA, 'DELETE', `/cases/${c.caseNumber}/subscription`)).status).toBe(204);
    expect((await api(DANA, 'GET', '/favorites')).body.items).toEqual([]);
  });

  it('LIST-5: the 21st favorite is 409 /problems/favorites-limit; an existing one is still 200', async () => {
    const accounts: { orgId: string }[] = (await api(ERIC, 'GET', '/accounts')).body.items;
    const cases = await casesOf(ERIC);
    const targets = [
      ...accounts.map((a) => `account/${a.orgId}`),
      ...cases.map((c) => `case/${c.caseNumber}`),
      ...(await casesOf(ERIC, '&closed=true')).map((c) => `case/${c.caseNumber}`),
    ];
    // Enough subjects for 21: open more cases for Acme when the demo data has too few.
    while (targets.length < 21) {
      const created = await api(ERIC, 'POST', '/cases', {
        subject: `favorite target ${targets.length}`,
        description: 'for the favorites limit',
        severity: 'low',
        orgId: 'ORG-ACME',
        productLine: 'Genesys Cloud CX',
        contactId: 'u-dana',
      });
      targets.push(`case/${created.body.caseNumber}`);
    }
    for (const t of targets.slice(0, 20))
      expect({ t, status: (await api(ERIC, 'PUT', `/favorites/${t}`)).status }).toEqual({ t, status: 201 });
    const refused = await api(ERIC, 'PUT', `/favorites/${targets[20]}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: '/problems/favorites-limit', status: 409 });
    expect((await api(ERIC, 'PUT', `/favorites/${targets[0]}`)).status).toBe(200);
    const page = await api(ERIC, 'GET', '/favorites?limit=15');
    expect(page.body.items).toHaveLength(15);
    const rest = await api(ERIC, 'GET', `/favorites?limit=15&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(rest.body.items).toHaveLength(5);
  });

  it('NOTE-2: organisation categories, the cloud-incidents refusal and read-only 403 over HTTP', async () => {
    const put = await api(DANA, 'PUT', '/accounts/ORG-ACME/subscription', { newCritical: true });
    expect(put).toEqual({
      status: 200,
      body: { orgId: 'ORG-ACME', newEscalations: false, newCritical: true, newHigh: false, cloudIncidents: false },
    });
    expect((await api(DANA, 'GET', '/accounts/ORG-ACME')).body).toMatchObject({
      orgId: 'ORG-ACME',
      name: 'Acme Corp',
      level: 'designated',
      subscription: { newCritical: true, newHigh: false },
    });
    const cloud = await api('paula@northwind.example', 'PUT', '/accounts/ORG-UMBRELLA/subscription', { cloudIncidents: true });
    expect(cloud.status).toBe(400);
    expect(cloud.body.errors).toEqual([{ path: 'cloudIncidents', message: expect.any(String) }]);
    expect((await api('rita@acme.example', 'PUT', '/accounts/ORG-ACME/subscription', { newHigh: true })).status).toBe(403);
    expect((await api('greta@globex.example', 'PUT', '/accounts/ORG-ACME/subscription', { newHigh: true })).status).toBe(404);
    const bad = await api(DANA, 'PUT', '/accounts/ORG-ACME/subscription', { newCritical: 'yes', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['extra', 'newCritical']);
  });

  it('NOTE-4: name, email and time zone are refused with 400 naming each; toggles and alarm filters are kept', async () => {
    const before = (await api(DANA, 'GET', '/me')).body;
    const refused = await api(DANA, 'PATCH', '/me/settings', { name: 'Dana X', email: 'd@acme.example', timeZone: 'UTC' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name', 'timeZone']);
    const saved = await api(DANA, 'PATCH', '/me/settings', {
      defaultList: 'mine',
      notifications: { personalCases: true, alarms: true },
      alarms: { severity: 'critical', excludeOrigins: ['lab-01'] },
    });
    expect(saved.status).toBe(200);
    const me = await api(DANA, 'GET', '/me');
    expect(me.body.settings).toEqual({
      defaultList: 'mine',
      notifications: { personalCases: true, alarms: true, maintenance: false, email: false, push: true },
      alarms: { severity: 'critical', excludeOrigins: ['lab-01'] },
    });
    expect([me.body.name, me.body.email, me.body.timeZone]).toEqual([before.name, before.email, before.timeZone]);
    await api(DANA, 'PATCH', '/me/settings', { defaultList: 'all' });
  });

  it('PRIV-2: the mobile app lists no FedRAMP account or favorite, though the web does', async () => {
    const FRED = 'fred@initech.example';
    const [c] = await casesOf(FRED);
    expect((await api(FRED, 'PUT', `/favorites/case/${c.caseNumber}`)).status).toBe(201);
    expect((await api(FRED, 'PUT', '/favorites/account/ORG-INITECH')).status).toBe(201);
    expect((await api(FRED, 'GET', '/favorites')).body.items).toHaveLength(2);
    expect((await api(FRED, 'GET', '/favorites', undefined, 'mobile')).body.items).toEqual([]);
    expect((await api(FRED, 'GET', '/accounts')).body.items.map((a: { orgId: string }) => a.orgId)).toEqual(['ORG-INITECH']);
    expect((await api(FRED, 'GET', '/accounts', undefined, 'mobile')).body.items).toEqual([]);
    expect((await api(FRED, 'GET', '/accounts/ORG-INITECH', undefined, 'mobile')).status).toBe(404);
    const ericMobile = await api(ERIC, 'GET', '/accounts', undefined, 'mobile');
    expect(ericMobile.body.items.map((a: { orgId: string }) => a.orgId)).not.toContain('ORG-INITECH');
  });

  it('PRIV-1: a US analyst sees a favorite EU case without its subject; q filters accounts by name prefix', async () => {
    const ALICE = 'alice@vendor.example';
    const globex = (await casesOf(ALICE, '&orgId=ORG-GLOBEX'))[0];
    expect((await api(ALICE, 'PUT', `/favorites/case/${globex.caseNumber}`)).status).toBe(201);
    const [row] = (await api(ALICE, 'GET', '/favorites')).body.items;
    expect(row.case).toMatchObject({ caseNumber: globex.caseNumber, orgId: 'ORG-GLOBEX', restricted: true });
    expect(row.case.subject).toBeUndefined();
    expect(row.case.contactName).toBeUndefined();
    expect((await api(ALICE, 'GET', '/accounts?q=GLO')).body.items).toEqual([
      expect.objectContaining({ orgId: 'ORG-GLOBEX', name: 'Globex GmbH', restricted: true }),
    ]);
    expect((await api(DANA, 'GET', '/accounts?q=glo')).body).toEqual({ items: [], nextCursor: null });
  });
});
