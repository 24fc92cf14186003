/**
 * NOTE-1, PRIV-1: staff are told too, through the whole local mode (HTTP API, DynamoDB Local and
 * its stream, the notifier in its worker). Nothing is mocked.
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0 });
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

interface Item {
  eventType: string;
  caseNumber?: string;
  title: string;
  body?: string;
}
const inbox = async (email: string): Promise<Item[]> => (await api(email, 'GET', '/notifications')).body.items as Item[];

/** An open case of `orgId` at `severity` owned by `ownerId`, as staff list it. */
const openCase = async (orgId: string, severity: string, ownerId?: string) => {
  const items = (await api('eric@vendor.example', 'GET', `/cases?orgId=${orgId}&severity=${severity}`)).body.items as {
    caseNumber: string;
    ownerId?: string;
    subject?: string;
  }[];
  const found = items.find((c) => !ownerId || c.ownerId === ownerId);
  expect(found).toBeDefined();
  return found!;
};

describe('NOTE-1: staff are told too, in local mode', () => {
  it("NOTE-1: a customer's reply puts an item in the owning analyst's GET /notifications, and in no other analyst's", async () => {
    const c = await openCase('ORG-ACME', 'high', 'u-alice');
    await local.notifier.drain();
    const reply = await api('dana@acme.example', 'POST', `/cases/${c.caseNumber}/updates`, {
      body: 'Still failing after the restart.',
    });
    expect(reply.status).toBe(201);
    await local.notifier.drain();
    expect(await inbox('alice@vendor.example')).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventType: 'public-update', caseNumber: c.caseNumber })]),
    );
    expect((await inbox('eric@vendor.example')).filter((i) => i.caseNumber === c.caseNumber)).toEqual([]);
    // The customer who wrote it is not told of their own reply.
    expect((await inbox('dana@acme.example')).filter((i) => i.caseNumber === c.caseNumber)).toEqual([]);
  });

  it('NOTE-1, PRIV-1: an EU/EEA case raised to critical reaches its group: the EU analyst in full, the US analyst without its subject', async () => {
    const c = await openCase('ORG-GLOBEX', 'high');
    expect(c.subject).toBeTruthy();
    const raised = await api('adam@vendor.example', 'PATCH', `/cases/${c.caseNumber}`, {
      severity: 'critical',
      contactPhone: '+49 30 1234567',
    });
    expect(raised.status).toBe(200);
    await local.notifier.drain();
    const mine = (email: string) => inbox(email).then((items) => items.filter((i) => i.caseNumber === c.caseNumber));
    const eric = await mine('eric@vendor.example');
    expect(eric).toEqual([
      expect.objectContaining({ eventType: 'severity-changed', title: `Case ${c.caseNumber} raised to Critical` }),
    ]);
    expect(eric[0].body).toContain(c.subject);
    const alice = await mine('alice@vendor.example');
    expect(alice).toEqual([expect.objectContaining({ eventType: 'severity-changed' })]);
    expect(JSON.stringify(alice)).not.toContain(c.subject);
    // Managers are told of escalations, not of severities.
    expect(await mine('mona@vendor.example')).toEqual([]);
  });

  it("NOTE-1: an escalation request reaches the case's group and the managers", async () => {
    const c = await openCase('ORG-ACME', 'medium');
    const asked = await api('dana@acme.example', 'POST', `/cases/${c.caseNumber}/escalation`, {
      reason: 'Agents idle all morning.',
    });
    expect(asked.status).toBe(201);
    await local.notifier.drain();
    for (const email of ['mona@vendor.example', 'alice@vendor.example', 'eric@vendor.example']) {
      expect(await inbox(email)).toEqual(
        expect.arrayContaining([expect.objectContaining({ eventType: 'escalation-requested', caseNumber: c.caseNumber })]),
      );
    }
  });
});
