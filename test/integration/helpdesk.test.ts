/**
 * The helpdesk a team would run: closure decisions, the closed-case rule, sub-status
 * on automatic moves, the `created` event, owners by name, and the friction fixes. Against
 * DynamoDB Local seeded with the demo data; expectations are PRODUCT.md's, API.md's and
 * docs/helpdesk.md's, written out here.
 */
import { createCase, getCase, listCases } from '../../lambdas/domain/cases/cases';
import {
  addUpdate,
  caseHistory,
  decideClosure,
  patchCase,
  reopenCase,
  requestClosure,
} from '../../lambdas/domain/cases/case-changes';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { ingestIncidents, ingestMaintenance, listIncidents, listMaintenance } from '../../lambdas/domain/monitoring/monitoring';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import { caseSubscriptionOf, subscribeToCase } from '../../lambdas/domain/notifications/subscriptions';
import { parseIncidents, parseMaintenance } from '../../lambdas/schemas/monitoring';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { seedDemo } from '../helpers/seed-cache';
import { sentMail, testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
const as = async (sub: string): Promise<Caller> => (await resolveCaller(deps, { sub, client: 'web', scopes: [] }))!;

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName);
  await seedDemo({ ref: { doc: db.doc, table: db.tableName } });
});
afterAll(async () => db?.stop());

const openCase = async (sub = 'u-dana') =>
  (
    await createCase(deps, await as(sub), {
      kind: 'support',
      subject: 'Queue stats frozen',
      description: 'Since the upgrade',
      severity: 'medium',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    })
  ).body.caseNumber;

const historyOf = async (n: string) => (await caseHistory(deps, await as('u-eric'), n, { limit: 100 })).items;
const mailsOf = (n: string) => sentMail.filter((m) => m.subject.startsWith(`[Case ${n}]`));

describe('CASE-7: closure requests are decided by staff', () => {
  it('CASE-7: accepting a closure request closes the case and records who accepted it', async () => {
    const n = await openCase();
    await requestClosure(deps, await as('u-dana'), n, 'Works now');
    const res = await decideClosure(deps, await as('u-alice'), n, true, 'Glad it works');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('closed');
    expect(res.body.closureRequest).toBeUndefined();
    const events = await historyOf(n);
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'closure-accepted', field: 'closureRequest', actorName: 'Alice Chen', to: 'accepted' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ field: 'status', to: 'closed' }));
    // MAIL-1: the contact hears of the close from the table stream (the case's status changed), as
    // after a PATCH; no mail leaves from the request itself.
    expect(mailsOf(n).some((m) => m.subject.includes('Status closed'))).toBe(false);
  });

  it('CASE-7: declining keeps the case open, tells the requester why by mail, and lets them ask again', async () => {
    const n = await openCase('u-dana');
    // Dave asks to close Dana's case: the decline goes to Dave, who asked.
    await requestClosure(deps, await as('u-dave'), n);
    const before = mailsOf(n).length;
    const res = await decideClosure(deps, await as('u-alice'), n, false, 'We still see errors in the logs');
    expect(res.body.status).toBe('new');
    expect(res.body.closureRequest).toBeUndefined();
    const mails = mailsOf(n).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['dave@acme.example']);
    expect(mails[0].subject).toContain('Closure request declined');
    expect(mails[0].text).toContain('We still see errors in the logs');
    expect(mails[0].text).toContain('stays open');
    const updates = await deps.cases.listUpdates(n, { publicOnly: true }, { limit: 10 });
    expect(updates.items.some((u) => u.body.includes('declined') && u.body.includes('We still see errors'))).toBe(true);
    expect(await historyOf(n)).toContainEqual(expect.objectContaining({ action: 'closure-declined', to: 'declined' }));
    // The request is settled: a new one may be made (not 409 closure-pending forever).
    await expect(requestClosure(deps, await as('u-dana'), n)).resolves.toMatchObject({ status: 201 });
  });

  it('CASE-7: a decision without a pending request is 409 no-closure-pending; customers may not decide', async () => {
    const n = await openCase();
    await expect(decideClosure(deps, await as('u-alice'), n, true, undefined)).rejects.toMatchObject({
      status: 409,
      type: '/problems/no-closure-pending',
    });
    await requestClosure(deps, await as('u-dana'), n);
    await expect(decideClosure(deps, await as('u-dana'), n, true, undefined)).rejects.toMatchObject({ status: 403 });
  });

  it('CASE-7: closing the case with PATCH grants a pending request (recorded as accepted)', async () => {
    const n = await openCase();
    await requestClosure(deps, await as('u-dana'), n);
    const closed = await patchCase(deps, await as('u-alice'), n, { status: 'closed' });
    expect(closed.closureRequest).toBeUndefined();
    expect(await historyOf(n)).toContainEqual(expect.objectContaining({ action: 'closure-accepted', to: 'accepted' }));
  });

  it('CASE-7: other status moves leave the request pending for an explicit decision', async () => {
    const n = await openCase();
    await requestClosure(deps, await as('u-dana'), n);
    const moved = await patchCase(deps, await as('u-alice'), n, { status: 'solution_proposed' });
    expect(moved.closureRequest).toBeDefined();
  });
});

describe('CASE-6, CASE-7: a closed case takes no updates, from any channel', () => {
  it('CASE-7: a portal update on a closed case is refused with how to reopen it, and nothing is added', async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-alice'), n, { status: 'closed' });
    const before = (await deps.cases.listUpdates(n, { publicOnly: false }, { limit: 100 })).items.length;
    for (const who of ['u-dana', 'u-alice']) {
      const err = await addUpdate(deps, await as(who), n, { body: 'one more thing', visibility: 'public' }).catch((e) => e);
      expect(err).toMatchObject({ status: 409, type: '/problems/case-closed' });
      expect(err.detail).toContain('reopen');
    }
    expect((await deps.cases.listUpdates(n, { publicOnly: false }, { limit: 100 })).items).toHaveLength(before);
    // After a reopen the same update is taken.
    await reopenCase(deps, await as('u-dana'), n);
    await expect(addUpdate(deps, await as('u-dana'), n, { body: 'one more thing', visibility: 'public' })).resolves.toMatchObject(
      {
        status: 201,
      },
    );
  });
});

describe('CASE-4: the sub-status follows automatic status moves', () => {
  it("CASE-4: a customer's reply to a waiting case moves it to open and clears the sub-status", async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-alice'), n, { status: 'awaiting_info', subStatus: 'Waiting for export' });
    await addUpdate(deps, await as('u-dana'), n, { body: 'Export attached', visibility: 'public' });
    const c = await getCase(deps, await as('u-dana'), n);
    expect(c.status).toBe('open');
    expect(c.subStatus).toBeUndefined();
    expect(await historyOf(n)).toContainEqual(
      expect.objectContaining({ field: 'subStatus', from: 'Waiting for export', to: null, action: 'customer-response' }),
    );
  });

  it('CASE-4: a reopened case is open without the sub-status it was closed with', async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-alice'), n, { status: 'closed', subStatus: 'Resolved' });
    const reopened = await reopenCase(deps, await as('u-dana'), n, 'It is back');
    expect(reopened.body.status).toBe('open');
    expect(reopened.body.subStatus).toBeUndefined();
  });

  it('CASE-4: staff name a sub-status with the new status in one change; a status change alone clears the old one', async () => {
    const n = await openCase();
    const set = await patchCase(deps, await as('u-alice'), n, { status: 'awaiting_info', subStatus: 'Waiting for logs' });
    expect(set.subStatus).toBe('Waiting for logs');
    const moved = await patchCase(deps, await as('u-alice'), n, { status: 'solution_proposed' });
    expect(moved.subStatus).toBeUndefined();
  });
});

describe('CASE-9: history', () => {
  it('CASE-9: every history starts with a "created" event naming who opened the case', async () => {
    const n = await openCase('u-dana');
    const [first] = await historyOf(n);
    expect(first).toMatchObject({ action: 'created', actorName: 'Dana Scott', actorKind: 'customer', caseNumber: n });
  });

  it('CASE-5, CASE-9: the owner is shown by name, and an owner change names both people', async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-mona'), n, { ownerId: 'u-alice' });
    const moved = await patchCase(deps, await as('u-mona'), n, { ownerId: 'u-eric' });
    expect(moved).toMatchObject({ ownerId: 'u-eric', ownerName: 'Eric Janssen' });
    expect(await historyOf(n)).toContainEqual(
      expect.objectContaining({
        field: 'ownerId',
        from: 'u-alice',
        fromName: 'Alice Chen',
        to: 'u-eric',
        toName: 'Eric Janssen',
        actorName: 'Mona Patel',
      }),
    );
    // A customer reads the owner's name too.
    expect(await getCase(deps, await as('u-dana'), n)).toMatchObject({ ownerName: 'Eric Janssen' });
  });

  it('CASE-5: an owner must be a vendor staff member (400 on ownerId)', async () => {
    const n = await openCase();
    await expect(patchCase(deps, await as('u-alice'), n, { ownerId: 'u-dana' })).rejects.toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: 'ownerId' })],
    });
  });

  it('PRIV-1: US staff see the owner of an EU case by name (vendor staff are not personal data)', async () => {
    const eric = await as('u-eric');
    const c = await createCase(deps, eric, {
      kind: 'support',
      subject: 'Routing',
      description: 'EU case',
      severity: 'low',
      orgId: 'ORG-GLOBEX',
      productLine: 'Genesys Cloud CX',
      contactId: 'u-greta',
    });
    await patchCase(deps, eric, c.body.caseNumber, { ownerId: 'u-eric' });
    const seen = await getCase(deps, await as('u-alice'), c.body.caseNumber);
    expect(seen).toMatchObject({ restricted: true, ownerName: 'Eric Janssen' });
    expect(seen).not.toHaveProperty('subject');
  });
});

describe('Small friction a new user hits', () => {
  it('CASE-7: reopening a case that is open says it is already open', async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-alice'), n, { status: 'open' });
    const err = await reopenCase(deps, await as('u-dana'), n).catch((e) => e);
    expect(err).toMatchObject({ status: 409, type: '/problems/not-closed' });
    expect(err.detail).toContain('already open');
  });
});

describe('LIST-2, LIST-3: "mine" follows the default list\'s rules; filters take sets', () => {
  let mineOpen: string;
  let mineClosed: string;
  let mineAdmin: string;
  beforeAll(async () => {
    const dave = await as('u-dave');
    const open = (severity: 'low' | 'high', kind: 'support' | 'feature_request' = 'support') =>
      createCase(deps, dave, {
        kind,
        subject: `dave ${severity} ${kind}`,
        description: 'mine',
        severity,
        orgId: 'ORG-ACME',
        productLine: 'Genesys Cloud CX',
      }).then((r) => r.body.caseNumber);
    mineOpen = await open('low');
    mineClosed = await open('high');
    mineAdmin = await open('high', 'feature_request');
    await patchCase(deps, await as('u-alice'), mineClosed, { status: 'closed' });
  });
  const mine = async (input: Partial<Parameters<typeof listCases>[2]>) =>
    (await listCases(deps, await as('u-dave'), { scope: 'mine', sort: 'priority', ...input }, { limit: 100 })).items.map(
      (c) => c.caseNumber,
    );

  it('LIST-2: scope=mine lists only non-closed cases, and closed=true only closed ones', async () => {
    for (const sort of ['priority', 'lastModified'] as const) {
      const open = await mine({ sort });
      expect(open).toEqual(expect.arrayContaining([mineOpen, mineAdmin]));
      expect(open).not.toContain(mineClosed);
      const closed = await mine({ sort, closed: true });
      expect(closed).toContain(mineClosed);
      expect(closed).not.toContain(mineOpen);
    }
  });

  it("LIST-2, LIST-3: scope=mine sorted by priority puts high before low; only the caller's cases", async () => {
    const list = await listCases(deps, await as('u-dave'), { scope: 'mine', sort: 'priority' }, { limit: 100 });
    expect(list.items.every((c) => c.contactId === 'u-dave')).toBe(true);
    const ranks = list.items.map((c) => ['critical', 'high', 'medium', 'low'].indexOf(c.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(list.items.map((c) => c.caseNumber).indexOf(mineAdmin)).toBeLessThan(
      list.items.map((c) => c.caseNumber).indexOf(mineOpen),
    );
  });

  it('LIST-3, CASE-1: lists filter by kind, in both scopes', async () => {
    for (const scope of ['mine', 'all'] as const) {
      const fr = await listCases(
        deps,
        await as('u-dave'),
        { scope, sort: 'lastModified', kind: ['feature_request'] },
        { limit: 100 },
      );
      expect(fr.items.map((c) => c.caseNumber)).toContain(mineAdmin);
      expect(fr.items.every((c) => c.kind === 'feature_request')).toBe(true);
    }
  });

  it('LIST-3: several severities at once (severity=high,critical), in either order', async () => {
    for (const sort of ['priority', 'lastModified'] as const) {
      const list = await listCases(deps, await as('u-eric'), { sort, severity: ['high', 'critical'] }, { limit: 100 });
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((c) => c.severity === 'high' || c.severity === 'critical')).toBe(true);
      expect(list.items.some((c) => c.severity === 'high')).toBe(true);
    }
    const statuses = await listCases(
      deps,
      await as('u-eric'),
      { sort: 'priority', status: ['new', 'awaiting_info'] },
      { limit: 100 },
    );
    expect(new Set(statuses.items.map((c) => c.status))).toEqual(new Set(['new', 'awaiting_info']));
  });

  it('LIST-2: a staff member\'s "mine" is the cases they own', async () => {
    const n = await openCase();
    await patchCase(deps, await as('u-mona'), n, { ownerId: 'u-mona' });
    const list = await listCases(deps, await as('u-mona'), { scope: 'mine', sort: 'lastModified' }, { limit: 100 });
    expect(list.items.map((c) => c.caseNumber)).toEqual([n]);
  });
});

describe('ALARM-2: incidents and maintenance alerts are read per organisation, as alarms are', () => {
  const machine = async () => (await resolveCaller(deps, { sub: 'monitoring', client: 'machine', scopes: [INGEST_SCOPE] }))!;
  const at = (min: number) => new Date(Date.now() - 3_600_000 + min * 60_000).toISOString();

  it("ALARM-2: GET /accounts/{orgId}/incidents lists the organisation's incidents newest first; others see 404", async () => {
    const m = await machine();
    await ingestIncidents(
      deps,
      m,
      parseIncidents([
        { id: 'INC-H1', orgId: 'ORG-ACME', title: 'Voice degraded', status: 'investigating', modifiedAt: at(1) },
        { id: 'INC-H2', orgId: 'ORG-ACME', title: 'Login slow', status: 'resolved', modifiedAt: at(2) },
        { id: 'INC-H3', orgId: 'ORG-GLOBEX', title: 'EU outage', status: 'investigating', modifiedAt: at(3) },
      ]),
    );
    const page = await listIncidents(deps, await as('u-rita'), 'ORG-ACME', {}, { limit: 100 });
    const ids = page.items.map((i) => i.id).filter((id) => id.startsWith('INC-H'));
    expect(ids).toEqual(['INC-H2', 'INC-H1']);
    expect(page.items.find((i) => i.id === 'INC-H1')).toMatchObject({ title: 'Voice degraded', status: 'investigating' });
    await expect(listIncidents(deps, await as('u-greta'), 'ORG-ACME', {}, { limit: 10 })).rejects.toMatchObject({ status: 404 });
    // PRIV-1: US staff see an EU organisation's incidents without their free-text titles.
    const eu = await listIncidents(deps, await as('u-alice'), 'ORG-GLOBEX', {}, { limit: 100 });
    expect(eu.items.find((i) => i.id === 'INC-H3')).toMatchObject({ restricted: true, status: 'investigating' });
    expect(eu.items.find((i) => i.id === 'INC-H3')).not.toHaveProperty('title');
  });

  it('ALARM-2: GET /accounts/{orgId}/maintenance lists the alerts naming the organisation, each with its window', async () => {
    const m = await machine();
    const window = { start: '2026-12-05T02:00:00.000Z', end: '2026-12-05T04:00:00.000Z' };
    await ingestMaintenance(
      deps,
      m,
      parseMaintenance([
        { id: 'MNT-H1', orgIds: ['ORG-ACME', 'ORG-UMBRELLA'], title: 'Database upgrade', window, modifiedAt: at(4) },
      ]),
    );
    const acme = await listMaintenance(deps, await as('u-dana'), 'ORG-ACME', {}, { limit: 100 });
    const alert = acme.items.find((x) => x.id === 'MNT-H1');
    // The other organisations an alert names are not shown.
    expect(alert).toMatchObject({ title: 'Database upgrade', window, orgIds: ['ORG-ACME'] });
    const umbrella = await listMaintenance(deps, await as('u-uma'), 'ORG-UMBRELLA', {}, { limit: 100 });
    expect(umbrella.items.map((x) => x.id)).toContain('MNT-H1');
    // A later version that no longer names Umbrella leaves Umbrella's list.
    await ingestMaintenance(
      deps,
      m,
      parseMaintenance([{ id: 'MNT-H1', orgId: 'ORG-ACME', title: 'Database upgrade (Acme only)', window, modifiedAt: at(5) }]),
    );
    expect(
      (await listMaintenance(deps, await as('u-uma'), 'ORG-UMBRELLA', {}, { limit: 100 })).items.map((x) => x.id),
    ).not.toContain('MNT-H1');
    expect(
      (await listMaintenance(deps, await as('u-dana'), 'ORG-ACME', {}, { limit: 100 })).items.find((x) => x.id === 'MNT-H1'),
    ).toMatchObject({
      title: 'Database upgrade (Acme only)',
    });
    await expect(listMaintenance(deps, await as('u-greta'), 'ORG-ACME', {}, { limit: 10 })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('NOTE-2: case subscription state and devices are readable', () => {
  it('NOTE-2: GET /cases/{n}/subscription says whether and why; read-only contacts get 403', async () => {
    const n = await openCase();
    const dana = await as('u-dana');
    expect(await caseSubscriptionOf(deps, dana, n)).toEqual({ caseNumber: n, subscribed: false, sources: [] });
    await subscribeToCase(deps, dana, n);
    expect(await caseSubscriptionOf(deps, dana, n)).toEqual({ caseNumber: n, subscribed: true, sources: ['explicit'] });
    await expect(caseSubscriptionOf(deps, await as('u-rita'), n)).rejects.toMatchObject({ status: 403 });
    await expect(caseSubscriptionOf(deps, await as('u-greta'), n)).rejects.toMatchObject({ status: 404 });
  });
});
