/**
 * ACC-1, ACC-4, ACC-5 end to end: the CRM's directory ingest and a portal admin's contract change
 * over HTTP against the whole local mode (real tokens, DynamoDB Local and its stream, the
 * notifier). Nothing is mocked.
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0 });
});
afterAll(async () => {
  await local?.stop();
});

type Body = Record<string, unknown> & { items?: Record<string, unknown>[]; results?: Record<string, unknown>[] };
const send = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Body };
};
const as = (email: string, method: string, path: string, body?: unknown) => send(local.token(email), method, path, body);
const crm = (body: unknown) => send(local.machineToken(), 'POST', '/ingest/directory', body);
const levelAt = async (email: string, orgId: string) =>
  ((await as(email, 'GET', '/me')).body.memberships as { orgId: string; level: string }[]).find((m) => m.orgId === orgId)?.level;
const openCase = (email: string) =>
  as(email, 'POST', '/cases', {
    subject: 'Contract check',
    description: 'Opened to prove designated access',
    severity: 'low',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
  });

describe('PUT /admin/contracts/{contractId} (ACC-4, ACC-5)', () => {
  it("ACC-4, ACC-5: terminating Acme's contract makes its Designated Contacts read-only at once and tells its approver; reinstating restores them", async () => {
    expect(await levelAt('dave@acme.example', 'ORG-ACME')).toBe('designated');
    const terminated = await as('adam@vendor.example', 'PUT', '/admin/contracts/CT-ORG-ACME-ORG-ACME', { status: 'terminated' });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({
      contract: { contractId: 'CT-ORG-ACME-ORG-ACME', endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', status: 'terminated' },
      designatedContacts: 0,
      shortfall: true,
    });
    // The very next request: read-only, so no new case (ACC-2).
    expect(await levelAt('dave@acme.example', 'ORG-ACME')).toBe('read_only');
    expect((await openCase('dave@acme.example')).status).toBe(403);
    const shortfall = await as('alice@vendor.example', 'GET', '/admin/orgs/shortfall');
    expect(shortfall.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ orgId: 'ORG-ACME', designatedContacts: 0 })]),
    );
    // ACC-5: dana, Acme's Designated Approver, is told (the stream carries the event to the notifier).
    await local.notifier.drain();
    const inbox = await as('dana@acme.example', 'GET', '/notifications');
    expect(inbox.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventType: 'designated-shortfall',
          orgId: 'ORG-ACME',
          title: 'Acme Corp has 0 Designated Contacts',
        }),
      ]),
    );

    const reinstated = await as('adam@vendor.example', 'PUT', '/admin/contracts/CT-ORG-ACME-ORG-ACME', { status: 'active' });
    expect(reinstated.body).toMatchObject({ contract: { status: 'active' }, designatedContacts: 3, shortfall: false });
    expect(await levelAt('dave@acme.example', 'ORG-ACME')).toBe('designated');
    expect((await openCase('dave@acme.example')).status).toBe(201);
  });

  it('ACC-4: an unknown contract is 404; a body that is not a status is 400; only portal admins may call it', async () => {
    expect((await as('adam@vendor.example', 'PUT', '/admin/contracts/CT-NOBODY', { status: 'terminated' })).status).toBe(404);
    const bad = await as('adam@vendor.example', 'PUT', '/admin/contracts/CT-ORG-ACME-ORG-ACME', { status: 'paused' });
    expect(bad.status).toBe(400);
    expect(
      (await as('eric@vendor.example', 'PUT', '/admin/contracts/CT-ORG-ACME-ORG-ACME', { status: 'terminated' })).status,
    ).toBe(403);
    expect(await levelAt('dave@acme.example', 'ORG-ACME')).toBe('designated');
  });
});

describe('POST /ingest/directory (ACC-1, ACC-4)', () => {
  // Fixed once: a resend carries the very same modifiedAt.
  const start = Date.now();
  const at = (minutesAgo: number) => new Date(start - minutesAgo * 60_000).toISOString();
  const org = (modifiedAt: string, name = 'Hooli Inc') => ({
    orgId: 'ORG-HOOLI',
    name,
    type: 'customer',
    region: 'US',
    timeZone: 'America/Los_Angeles',
    gdpr: false,
    fedramp: false,
    alarmMonitoring: false,
    deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
    modifiedAt,
  });

  it('ACC-1: a new organisation, its combination and contract are stored; a bad entry is answered on its own', async () => {
    const res = await crm({
      organisations: [org(at(10)), { orgId: 'ORG-BAD', name: '' }],
      combinations: [{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', modifiedAt: at(10) }],
      contracts: [
        { contractId: 'CT-HOOLI', endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', status: 'active', modifiedAt: at(10) },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 4, stored: 3, unchanged: 0, rejected: 1 });
    expect(res.body.results).toEqual([
      { section: 'organisations', index: 0, id: 'ORG-HOOLI', outcome: 'created' },
      expect.objectContaining({ section: 'organisations', index: 1, id: 'ORG-BAD', outcome: 'rejected', reason: 'invalid' }),
      { section: 'combinations', index: 0, id: 'ORG-HOOLI/ORG-HOOLI', outcome: 'created' },
      { section: 'contracts', index: 0, id: 'CT-HOOLI', outcome: 'created' },
    ]);
    const account = await as('adam@vendor.example', 'GET', '/accounts/ORG-HOOLI');
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ orgId: 'ORG-HOOLI', name: 'Hooli Inc' });
  });

  it('ACC-1: idempotent by id and modifiedAt: the same record again is unchanged, a later one updates', async () => {
    const again = await crm({ organisations: [org(at(10))] });
    expect(again.body.results).toEqual([expect.objectContaining({ id: 'ORG-HOOLI', outcome: 'unchanged', reason: 'not-newer' })]);
    const later = await crm({ organisations: [org(at(5), 'Hooli XYZ')] });
    expect(later.body.results).toEqual([{ section: 'organisations', index: 0, id: 'ORG-HOOLI', outcome: 'updated' }]);
    expect((await as('adam@vendor.example', 'GET', '/accounts/ORG-HOOLI')).body).toMatchObject({ name: 'Hooli XYZ' });
  });

  it('ACC-4: the CRM terminates a contract; its levels follow on the next request, and an older record does not undo it', async () => {
    const terminate = await crm({
      contracts: [
        {
          contractId: 'CT-ORG-INITECH-ORG-INITECH',
          endUserOrgId: 'ORG-INITECH',
          soldToOrgId: 'ORG-INITECH',
          status: 'terminated',
          // Later than the demo's own record (seeded when local mode started).
          modifiedAt: new Date().toISOString(),
        },
      ],
    });
    expect(terminate.body.results).toEqual([expect.objectContaining({ outcome: 'updated' })]);
    expect(await levelAt('fred@initech.example', 'ORG-INITECH')).toBe('read_only');
    const stale = await crm({
      contracts: [
        {
          contractId: 'CT-ORG-INITECH-ORG-INITECH',
          endUserOrgId: 'ORG-INITECH',
          soldToOrgId: 'ORG-INITECH',
          status: 'active',
          modifiedAt: at(1),
        },
      ],
    });
    expect(stale.body.results).toEqual([expect.objectContaining({ outcome: 'unchanged', reason: 'not-newer' })]);
    expect(await levelAt('fred@initech.example', 'ORG-INITECH')).toBe('read_only');
  });

  it('ACC-1: a batch is 1-100 entries in all: none, or more, is 400; users may not ingest (403)', async () => {
    expect((await crm({})).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => ({ ...org(at(1)), orgId: `ORG-MANY-${i}` }));
    expect((await crm({ organisations: many.slice(0, 60), combinations: many.slice(60) })).status).toBe(400);
    expect((await as('adam@vendor.example', 'POST', '/ingest/directory', { organisations: [org(at(1))] })).status).toBe(403);
  });
});
