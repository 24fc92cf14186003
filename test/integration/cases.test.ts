/** The data module and the case domain against DynamoDB Local, seeded with the demo data. */
import { createCase, getCase, listCases } from '../../lambdas/domain/cases/cases';
import { addUpdate, caseHistory, patchCase, requestEscalation } from '../../lambdas/domain/cases/case-changes';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import { seedDemo } from '../helpers/seed-cache';
import { instrument, testDeps, type Meter } from '../helpers/deps';
import { depth } from '../helpers/depth';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';
import type { Deps } from '../../lambdas/domain/kernel/deps';

let db: TestDynamo;
let deps: Deps;
let meter: Meter;
const as = async (sub: string, client: 'web' | 'mobile' = 'web'): Promise<Caller> =>
  (await resolveCaller(deps, { sub, client, scopes: [] }))!;

beforeAll(async () => {
  db = await startTestDynamo();
  meter = instrument(db.doc);
  deps = testDeps(db.doc, db.tableName);
  await seedDemo({ ref: { doc: db.doc, table: db.tableName } });
});
afterAll(async () => db?.stop());

const newCase = {
  kind: 'support' as const,
  subject: 'Dial tone missing',
  description: 'Since 9am',
  severity: 'high' as const,
  orgId: 'ORG-ACME',
  productLine: 'Genesys Cloud CX',
};

describe('cases on DynamoDB Local', () => {
  it('CASE-2: case numbers are sequential and fixed width; Reference IDs are unrelated to them', async () => {
    const dana = await as('u-dana');
    const a = await createCase(deps, dana, newCase);
    const b = await createCase(deps, dana, newCase);
    expect(a.body.caseNumber).toMatch(/^\d{8}$/);
    expect(Number(b.body.caseNumber)).toBe(Number(a.body.caseNumber) + 1);
    expect(a.body.referenceId).not.toContain(a.body.caseNumber);
    expect(a.body.referenceId).not.toBe(b.body.referenceId);
  });

  it('Idempotency-Key: a retry returns the first case and creates nothing more; a new body is refused', async () => {
    const dana = await as('u-dana');
    const idem = { key: 'retry-1', requestHash: 'h1', route: 'POST /cases' };
    const first = await createCase(deps, dana, newCase, idem);
    const again = await createCase(deps, dana, newCase, idem);
    expect(again.replayed).toBe(true);
    expect(again.body.caseNumber).toBe(first.body.caseNumber);
    const [r1, r2] = await Promise.all([
      createCase(deps, dana, newCase, { key: 'race', requestHash: 'h', route: 'POST /cases' }),
      createCase(deps, dana, newCase, { key: 'race', requestHash: 'h', route: 'POST /cases' }),
    ]);
    expect(r1.body.caseNumber).toBe(r2.body.caseNumber);
    await expect(
      createCase(deps, dana, { ...newCase, subject: 'other' }, { key: 'retry-1', requestHash: 'h2', route: 'POST /cases' }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("LIST-1: the default list holds only non-closed cases of the caller's organisations, by severity", async () => {
    const dana = await as('u-dana');
    const page = await listCases(deps, dana, { sort: 'priority' }, { limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((c) => c.orgId === 'ORG-ACME' && c.status !== 'closed')).toBe(true);
    const ranks = page.items.map((c) => ['critical', 'high', 'medium', 'low'].indexOf(c.severity));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  });

  it("ACC-7, LIST-1: a partner lists its end users' cases; greta lists none of Acme's", async () => {
    const paula = await as('u-paula');
    const greta = await as('u-greta');
    const p = await listCases(deps, paula, { sort: 'priority' }, { limit: 100 });
    expect(p.items.length).toBeGreaterThan(0);
    expect(p.items.every((c) => c.orgId === 'ORG-UMBRELLA')).toBe(true);
    const g = await listCases(deps, greta, { sort: 'lastModified' }, { limit: 100 });
    expect(g.items.some((c) => c.orgId === 'ORG-ACME')).toBe(false);
  });

  it('LIST-3: pages across several organisations never repeat or skip a case', async () => {
    const eric = await as('u-eric');
    const all = await listCases(deps, eric, { sort: 'priority' }, { limit: 100 });
    const seen: string[] = [];
    let after: unknown;
    do {
      const page = await listCases(deps, eric, { sort: 'priority' }, { limit: 2, after });
      seen.push(...page.items.map((c) => c.caseNumber));
      after = page.next ?? undefined;
    } while (after);
    expect(seen).toEqual(all.items.map((c) => c.caseNumber));
    expect(new Set(all.items.map((c) => c.orgId)).size).toBeGreaterThan(1);
  });

  it('LIST-3: a filtered list across organisations keeps its order and loses nothing across pages', async () => {
    // DynamoDB filters after reading, so one organisation's Query can stop early while another's
    // items run further; Acme's on-premise cases are read and dropped here, Globex's all pass.
    const dana = await as('u-dana');
    const onPrem = { ...newCase, productLine: 'Engage On-Premise' };
    for (let i = 0; i < 4; i++) await createCase(deps, dana, onPrem);
    await createCase(deps, dana, newCase);
    const eric = await as('u-eric');
    const filter = { sort: 'lastModified' as const, productLine: 'Genesys Cloud CX' };
    const all = await listCases(deps, eric, filter, { limit: 100 });
    expect(new Set(all.items.map((c) => c.orgId)).size).toBeGreaterThan(1);
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let after: unknown;
      do {
        const page = await listCases(deps, eric, filter, { limit, after });
        seen.push(...page.items.map((c) => c.caseNumber));
        after = page.next ?? undefined;
      } while (after);
      expect(seen).toEqual(all.items.map((c) => c.caseNumber));
    }
  });

  it('PRIV-1: US staff get EU cases without personal data', async () => {
    const alice = await as('u-alice');
    const list = await listCases(deps, alice, { sort: 'priority', orgId: 'ORG-GLOBEX' }, { limit: 100 });
    expect(list.items.length).toBeGreaterThan(0);
    for (const c of list.items) {
      expect(c).toMatchObject({ restricted: true });
      expect(c).not.toHaveProperty('subject');
      expect(c).not.toHaveProperty('contactEmail');
    }
  });

  const EACH = depth(12, 50);
  it(`CASE-6: 10 writers x ${EACH} updates on one case lose nothing`, async () => {
    const dana = await as('u-dana');
    const created = await createCase(deps, dana, newCase);
    const n = created.body.caseNumber;
    const writers = ['u-dana', 'u-dave', 'u-alice'];
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        const caller = await as(writers[w % writers.length]);
        for (let i = 0; i < EACH; i++) await addUpdate(deps, caller, n, { body: `w${w}-${i}`, visibility: 'public' });
      }),
    );
    const bodies: string[] = [];
    let after: unknown;
    do {
      const page = await deps.cases.listUpdates(n, { publicOnly: false }, { limit: 100, after });
      bodies.push(...page.items.map((u) => u.body));
      after = page.next ?? undefined;
    } while (after);
    expect(bodies).toHaveLength(10 * EACH);
    expect(new Set(bodies).size).toBe(10 * EACH);
    const c = await getCase(deps, dana, n);
    expect(c.version).toBe(10 * EACH + 1);
  });

  it('CASE-9: severity and status changes are audited with who, from and to', async () => {
    const dana = await as('u-dana');
    const alice = await as('u-alice');
    const created = await createCase(deps, dana, newCase);
    await patchCase(deps, alice, created.body.caseNumber, { status: 'open', severity: 'medium' });
    const history = await caseHistory(deps, dana, created.body.caseNumber, { limit: 100 });
    expect(history.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'status', from: 'new', to: 'open', actorId: 'u-alice' }),
        expect.objectContaining({ field: 'severity', from: 'high', to: 'medium', actorId: 'u-alice' }),
      ]),
    );
  });

  it('PRIV-2: a key used by the web app is not replayed to the mobile app, whose token never sees a FedRAMP case', async () => {
    const fredWeb = await as('u-fred');
    const fredMobile = await as('u-fred', 'mobile');
    const initechCase = { ...newCase, orgId: 'ORG-INITECH' };
    const idem = { key: 'fed-1', requestHash: 'h-fed', route: 'POST /cases' };
    const first = await createCase(deps, fredWeb, initechCase, idem);
    expect(first.status).toBe(201);
    // Same user, same key, same body, from the mobile app: what a fresh request gets, never the case.
    await expect(createCase(deps, fredMobile, initechCase, idem)).rejects.toMatchObject({ status: 400 });
    // From the web app, the same key still replays.
    const again = await createCase(deps, fredWeb, initechCase, idem);
    expect(again).toMatchObject({ replayed: true, body: { caseNumber: first.body.caseNumber } });
  });

  it('ACC-2: a caller who lost access since the first request gets no replay of the case', async () => {
    const dave = await as('u-dave');
    const idem = { key: 'lost-1', requestHash: 'h-lost', route: 'POST /cases' };
    await createCase(deps, dave, newCase, idem);
    const daveNow = { ...dave, memberships: dave.memberships.map((m) => ({ ...m, level: 'read_only' as const })) };
    await expect(createCase(deps, daveNow, newCase, idem)).rejects.toMatchObject({ status: 400 });
  });

  it('CASE-6: a retried POST /cases/{n}/updates with the same Idempotency-Key posts once', async () => {
    const dana = await as('u-dana');
    const n = (await createCase(deps, dana, newCase)).body.caseNumber;
    const route = 'POST /cases/{caseNumber}/updates';
    const reply = { body: 'retried reply', visibility: 'public' as const };
    const first = await addUpdate(deps, dana, n, reply, { key: 'u-1', requestHash: 'hu', route });
    const again = await addUpdate(deps, dana, n, reply, { key: 'u-1', requestHash: 'hu', route });
    expect(again).toMatchObject({ status: 201, replayed: true, body: { updateId: first.body.updateId } });
    const [r1, r2] = await Promise.all([
      addUpdate(deps, dana, n, { ...reply, body: 'raced' }, { key: 'u-2', requestHash: 'hr', route }),
      addUpdate(deps, dana, n, { ...reply, body: 'raced' }, { key: 'u-2', requestHash: 'hr', route }),
    ]);
    expect(r1.body.updateId).toBe(r2.body.updateId);
    const updates = await deps.cases.listUpdates(n, { publicOnly: false }, { limit: 100 });
    expect(updates.items.map((u) => u.body).sort()).toEqual(['raced', 'retried reply']);
    await expect(
      addUpdate(deps, dana, n, { ...reply, body: 'other' }, { key: 'u-1', requestHash: 'other', route }),
    ).rejects.toMatchObject({ status: 422, type: '/problems/idempotency-key-reused' });
  });

  it('CASE-7: a retried escalation request is replayed, not refused as already pending', async () => {
    const dana = await as('u-dana');
    const n = (await createCase(deps, dana, newCase)).body.caseNumber;
    const idem = { key: 'esc-1', requestHash: 'he', route: 'POST /cases/{caseNumber}/escalation' };
    const first = await requestEscalation(deps, dana, n, 'Production is down', idem);
    const again = await requestEscalation(deps, dana, n, 'Production is down', idem);
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ status: 201, replayed: true, body: { caseNumber: n, version: first.body.version } });
    // Without the key, the second request is what CASE-7 says: one pending escalation at a time.
    await expect(requestEscalation(deps, dana, n, 'Production is down')).rejects.toMatchObject({ status: 409 });
  });

  it('CASE-4, CASE-8: a reply that races a staff move to awaiting_info hands the case back to support', async () => {
    const dana = await as('u-dana');
    const alice = await as('u-alice');
    const n = (await createCase(deps, dana, newCase)).body.caseNumber;
    await patchCase(deps, alice, n, { status: 'open' });
    let staffMoved = false;
    // dana reads the case while it is open; staff move it to awaiting_info before her reply is written.
    const racing: Deps = {
      ...deps,
      cases: {
        ...deps.cases,
        getCase: async (caseNumber) => {
          const stale = await deps.cases.getCase(caseNumber);
          if (!staffMoved) {
            staffMoved = true;
            await patchCase(deps, alice, caseNumber, { status: 'awaiting_info' });
          }
          return stale;
        },
      },
    };
    await addUpdate(racing, dana, n, { body: 'Here are the logs.', visibility: 'public' });
    const after = (await deps.cases.getCase(n))!;
    expect(staffMoved).toBe(true);
    expect(after.status).toBe('open');
    expect(after.needsAction).toBe(false);
    expect(after.waitingSince).toBeUndefined();
    const history = await caseHistory(deps, dana, n, { limit: 100 });
    expect(history.items.at(-1)).toMatchObject({ field: 'status', from: 'awaiting_info', to: 'open', actorId: 'u-dana' });
  });

  it('no request path issues a Scan (every call above was metered)', () => {
    // The meter counts a Scan like any call (test/integration/meter.test.ts proves it sees one).
    expect(meter.calls.ScanCommand).toBeUndefined();
    expect(meter.scans).toEqual([]);
    expect(meter.calls.QueryCommand).toBeGreaterThan(0);
  });
});
