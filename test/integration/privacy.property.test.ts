/**
 * PRIV-1 and PRIV-2 as properties, on DynamoDB Local: over random organisations (EU or not,
 * FedRAMP or not), random cases and random list and search parameters, no EU personal data
 * reaches a US staff caller and no FedRAMP item reaches a mobile token.
 *
 * PRIV-1's personal data is named here, from PRODUCT.md ("subject, description, update text,
 * contact names and addresses") and the audit issue (phones, escalation reasons, attachment
 * names, escalation and closure details), never from the redaction code: every such value is a
 * random marker, and the serialized responses must not contain any of them.
 */
import fc from 'fast-check';
import { caseRepo } from '../../lambdas/data/case-repo';
import { putCombination, putMembership, putOrg, putUser } from '../../lambdas/data/directory-repo';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { getCase, getUpdate, listCases, listUpdates } from '../../lambdas/domain/cases/cases';
import { caseHistory } from '../../lambdas/domain/cases/case-changes';
import { search } from '../../lambdas/domain/cases/search';
import { listShortfall } from '../../lambdas/domain/access/shortfall';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { SEVERITIES, STATUSES, type AuditEvent, type Case, type CaseUpdate, type Org } from '../../lambdas/domain/kernel/types';
import { testDeps } from '../helpers/deps';
import { depth } from '../helpers/depth';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let world = 0;
const orgFlags = new Map<string, Org>();

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName);
  const ref = { doc: db.doc, table: db.tableName };
  const settings = { defaultList: 'all' as const, notifications: {} };
  await putUser(ref, {
    userId: 'us-staff',
    email: 'us@vendor.example',
    name: 'US Staff',
    timeZone: 'UTC',
    termsVersion: CURRENT_TERMS.version,
    staff: { role: 'analyst', region: 'US', supportGroups: [] },
    settings,
  });
  await putUser(ref, {
    userId: 'eu-staff',
    email: 'eu@vendor.example',
    name: 'EU Staff',
    timeZone: 'UTC',
    termsVersion: CURRENT_TERMS.version,
    staff: { role: 'analyst', region: 'EU', supportGroups: [] },
    settings,
  });
  await putUser(ref, {
    userId: 'contact',
    email: 'pat@corp.example',
    name: 'Pat Contact',
    timeZone: 'UTC',
    termsVersion: CURRENT_TERMS.version,
    settings,
  });
});
afterAll(async () => db?.stop());

/** A distinctive personal value: nothing else in a response looks like `pii` and ten letters. */
const markerArb = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 10, maxLength: 10 })
  .map((s) => `pii${s}`);
const MARKER = /pii[a-z]{10}/g;

const orgArb = fc.record({ gdpr: fc.boolean(), fedramp: fc.boolean(), name: fc.constantFrom('Alpha', 'Beta', 'Gamma', 'Delta') });
const attachmentArb = fc.record({ name: markerArb, size: fc.integer({ min: 1, max: 10_000_000 }) });
const updateArb = fc.record({
  customer: fc.boolean(),
  channel: fc.constantFrom('portal' as const, 'email' as const, 'mobile' as const),
  visibility: fc.constantFrom('public' as const, 'internal' as const),
  subject: markerArb,
  body: markerArb,
  attachments: fc.array(attachmentArb, { maxLength: 2 }),
});
const caseArb = fc.record({
  severity: fc.constantFrom(...SEVERITIES),
  status: fc.constantFrom(...STATUSES),
  ageDays: fc.integer({ min: 0, max: 500 }),
  subject: markerArb,
  description: markerArb,
  contactName: markerArb,
  contactEmail: markerArb,
  /** CASE-3: a critical case always has one; others may. */
  contactPhone: fc.option(markerArb, { nil: undefined }),
  /** A phone change audited from and to (CASE-9), by EU staff. */
  newPhone: fc.option(markerArb, { nil: undefined }),
  escalation: fc.option(
    fc.record({
      status: fc.constantFrom('requested' as const, 'accepted' as const, 'declined' as const),
      reason: markerArb,
      comment: markerArb,
    }),
    { nil: undefined },
  ),
  closureReason: fc.option(markerArb, { nil: undefined }),
  updates: fc.array(updateArb, { maxLength: 3 }),
});
const worldArb = fc.array(fc.record({ org: orgArb, cases: fc.array(caseArb, { minLength: 1, maxLength: 4 }) }), {
  minLength: 1,
  maxLength: 3,
});
type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
const listArb = fc.record({
  sort: fc.constantFrom('priority' as const, 'lastModified' as const),
  closed: fc.boolean(),
  severity: fc.option(fc.constantFrom(...SEVERITIES), { nil: undefined }),
  scope: fc.constantFrom('all' as const, 'mine' as const),
  limit: fc.integer({ min: 1, max: 10 }),
});

interface Built {
  c: Case;
  updateIds: string[];
  /** Every personal value written for this case, wherever it was written. */
  personal: string[];
}

const EU_STAFF = { id: 'eu-staff', name: 'EU Staff', kind: 'staff' as const };

/** Writes a random world through the data module; the contact holds designated access to every organisation in it. */
const build = async (spec: WorldSpec): Promise<Built[]> => {
  const ref = { doc: db.doc, table: db.tableName };
  const repo = caseRepo(ref);
  const out: Built[] = [];
  for (const [i, w] of spec.entries()) {
    const org: Org = {
      orgId: `ORG-W${world}-${i}`,
      name: `${w.org.name} ${world}-${i}`,
      type: 'customer',
      region: w.org.gdpr ? 'EU' : 'US',
      timeZone: 'UTC',
      gdpr: w.org.gdpr,
      fedramp: w.org.fedramp,
      alarmMonitoring: false,
      deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
    };
    orgFlags.set(org.orgId, org);
    await putOrg(ref, org);
    await putCombination(ref, {
      endUserOrgId: org.orgId,
      soldToOrgId: org.orgId,
      contracts: [{ contractId: 'k', status: 'active' }],
    });
    await putMembership(ref, { userId: 'contact', orgId: org.orgId, soldToOrgId: org.orgId, level: 'designated', via: 'direct' });
    for (const k of w.cases) {
      const created = Date.now() - k.ageDays * 86_400_000;
      const at = (minutes: number) => new Date(created + minutes * 60_000).toISOString();
      const customer = { id: 'contact', name: k.contactName, kind: 'customer' as const };
      const phone = k.contactPhone ?? (k.severity === 'critical' ? (k.newPhone ?? k.subject) : undefined);
      const caseNumber = String(await repo.nextCaseNumber()).padStart(8, '0');
      const c: Case = {
        caseNumber,
        referenceId: deps.ids.referenceId(),
        kind: 'support',
        subject: k.subject,
        description: k.description,
        severity: k.severity,
        status: k.status,
        orgId: org.orgId,
        soldToOrgId: org.orgId,
        orgName: org.name,
        productLine: 'Genesys Cloud CX',
        supportGroup: 'Cloud CX Support',
        contactId: 'contact',
        contactName: k.contactName,
        contactEmail: `${k.contactEmail}@corp.example`,
        ...(phone ? { contactPhone: phone } : {}),
        createdAt: at(0),
        updatedAt: at(0),
        version: 1,
        needsAction: false,
      };
      await repo.createCase(c);

      const events: AuditEvent[] = [];
      const updates: CaseUpdate[] = [];
      const event = (actor: typeof customer | typeof EU_STAFF, minute: number, facts: Partial<AuditEvent>) =>
        events.push({
          caseNumber,
          eventId: deps.ids.next(),
          at: at(minute),
          actorId: actor.id,
          actorName: actor.name,
          actorKind: actor.kind,
          action: 'update',
          ...facts,
        });
      const note = (actor: typeof customer | typeof EU_STAFF, minute: number, body: string) =>
        updates.push({
          caseNumber,
          updateId: deps.ids.next(),
          authorId: actor.id,
          authorName: actor.name,
          authorKind: actor.kind,
          channel: 'system',
          visibility: 'public',
          body,
          attachments: [],
          createdAt: at(minute),
        });
      const next: Case = { ...c, version: 2, updatedAt: at(10) };
      event(customer, 1, { action: 'status', field: 'status', from: 'new', to: k.status });
      if (k.newPhone) {
        next.contactPhone = k.newPhone;
        event(EU_STAFF, 2, { field: 'contactPhone', from: phone ?? null, to: k.newPhone });
      }
      if (k.escalation) {
        const e = k.escalation;
        next.escalation = { status: 'requested', reason: e.reason, requestedBy: 'contact', requestedAt: at(3) };
        event(customer, 3, {
          action: 'escalation-requested',
          field: 'escalation',
          from: null,
          to: 'requested',
          detail: e.reason,
        });
        note(customer, 3, `Escalation requested: ${e.reason}`);
        if (e.status !== 'requested') {
          next.escalation = { ...next.escalation, status: e.status, decidedBy: 'eu-staff', decidedAt: at(4), comment: e.comment };
          next.escalated = e.status === 'accepted';
          event(EU_STAFF, 4, {
            action: `escalation-${e.status}`,
            field: 'escalation',
            from: 'requested',
            to: e.status,
            detail: e.comment,
          });
          note(EU_STAFF, 4, `Escalation ${e.status}: ${e.comment}`);
        }
      }
      if (k.closureReason && k.status !== 'closed') {
        next.closureRequest = { requestedBy: 'contact', requestedAt: at(5) };
        event(customer, 5, {
          action: 'closure-requested',
          field: 'closureRequest',
          from: null,
          to: 'requested',
          detail: k.closureReason,
        });
        note(customer, 5, `Closure requested: ${k.closureReason}`);
      }
      for (const [j, u] of k.updates.entries()) {
        const author = u.customer ? customer : EU_STAFF;
        updates.push({
          caseNumber,
          updateId: deps.ids.next(),
          authorId: author.id,
          authorName: author.name,
          authorKind: author.kind,
          channel: u.channel,
          visibility: u.customer ? 'public' : u.visibility,
          ...(u.channel === 'email' ? { subject: u.subject } : {}),
          body: u.body,
          attachments: u.attachments.map((a) => ({ name: `${a.name}.pdf`, contentType: 'application/pdf', size: a.size })),
          createdAt: at(6 + j),
        });
      }
      expect(await repo.saveCase(next, 1, { updates, events })).toBe(true);
      const written = JSON.stringify({ next, updates, events }).match(MARKER) ?? [];
      out.push({ c: next, updateIds: updates.map((u) => u.updateId), personal: [...new Set(written)] });
    }
  }
  world++;
  return out;
};

/** Every personal value of `cases` found in `response`, serialized as it leaves the API. */
const leaked = (response: unknown, cases: Built[]): string[] => {
  const json = JSON.stringify(response);
  return cases.flatMap((b) => b.personal.filter((p) => json.includes(p)));
};

/** Everything a staff caller can read about the world: cases, lists, both searches, updates, history. */
const readAll = async (
  caller: Caller,
  spec: WorldSpec,
  built: Built[],
  params: typeof listArb extends fc.Arbitrary<infer T> ? T : never,
) => {
  const responses: unknown[] = [];
  responses.push(await listCases(deps, caller, params, { limit: params.limit }));
  // Earlier runs' organisations accumulate in the table: list this world's own, open and closed.
  for (const orgId of new Set(built.map((b) => b.c.orgId))) {
    for (const closed of [false, true])
      responses.push(await listCases(deps, caller, { sort: 'priority', closed, orgId }, { limit: 100 }));
  }
  for (const w of spec) responses.push(await search(deps, caller, { q: w.org.name, limit: 25 }));
  for (const b of built) {
    const number = String(Number(b.c.caseNumber));
    responses.push(await search(deps, caller, { q: number, limit: 25 }));
    responses.push(await search(deps, caller, { q: `#${number}`, limit: 25, from: '2000-01-01T00:00:00.000Z' }));
    responses.push(await getCase(deps, caller, b.c.caseNumber));
    responses.push(await listUpdates(deps, caller, b.c.caseNumber, { limit: 100 }));
    for (const id of b.updateIds) responses.push(await getUpdate(deps, caller, b.c.caseNumber, id));
    responses.push(await caseHistory(deps, caller, b.c.caseNumber, { limit: 100 }));
  }
  return responses;
};

describe('privacy properties', () => {
  it('PRIV-1: no EU/EEA personal data reaches staff working from the US, in cases, lists, search, updates or history', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, listArb, async (spec, params) => {
        const built = await build(spec);
        const us = (await resolveCaller(deps, { sub: 'us-staff', client: 'web', scopes: [] }))!;
        const eu = (await resolveCaller(deps, { sub: 'eu-staff', client: 'web', scopes: [] }))!;
        const gdpr = built.filter((b) => orgFlags.get(b.c.orgId)!.gdpr);
        const usSees = await readAll(us, spec, built, params);
        expect(leaked(usSees, gdpr)).toEqual([]);
        for (const b of gdpr) expect(await getCase(deps, us, b.c.caseNumber)).toMatchObject({ restricted: true });
        // PRIV-1 restricts EU/EEA organisations only: US staff see the rest in full.
        for (const b of built.filter((k) => !gdpr.includes(k)))
          expect(leaked(usSees, [b]).sort()).toEqual([...b.personal].sort());
        // The control: the same reads by EU staff show every personal value that was written,
        // so the assertions above are about data that is really there.
        const euSees = await readAll(eu, spec, built, params);
        for (const b of built) expect(leaked(euSees, [b]).sort()).toEqual([...b.personal].sort());
      }),
      // Each run writes a world to DynamoDB Local: report the first counterexample rather than shrink for minutes.
      { numRuns: depth(5, 15), endOnFailure: true },
    );
  }, 300_000);

  it('PRIV-2: no FedRAMP organisation or case reaches a mobile token, in cases, lists or search; staff on the mobile app included, and the shortfall list too', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, listArb, fc.constantFrom('contact', 'eu-staff'), async (spec, params, who) => {
        const cases = (await build(spec)).map((b) => b.c);
        const mobile = (await resolveCaller(deps, { sub: who, client: 'mobile', scopes: [] }))!;
        const fedramp = (orgId: string) => orgFlags.get(orgId)?.fedramp === true;
        const listed = await listCases(deps, mobile, params, { limit: params.limit });
        expect(listed.items.filter((c) => fedramp(c.orgId))).toEqual([]);
        const found = await search(deps, mobile, { q: spec[0].org.name, limit: 25 });
        expect(found.cases.filter((c) => fedramp(c.orgId))).toEqual([]);
        expect(found.accounts.filter((a) => fedramp(a.orgId))).toEqual([]);
        for (const c of cases.filter((k) => fedramp(k.orgId))) {
          await expect(getCase(deps, mobile, c.caseNumber)).rejects.toMatchObject({ status: 404 });
        }
        if (who === 'eu-staff') {
          // Staff on the phone: the ACC-5 shortfall list names no FedRAMP organisation.
          expect((await listShortfall(deps, mobile)).filter((r) => fedramp(r.orgId))).toEqual([]);
          // The control: each world organisation has one Designated Contact, so on the web it is listed.
          const web = (await resolveCaller(deps, { sub: who, client: 'web', scopes: [] }))!;
          const onWeb = new Set((await listShortfall(deps, web)).map((r) => r.orgId));
          for (const c of cases.filter((k) => fedramp(k.orgId))) expect(onWeb.has(c.orgId)).toBe(true);
        }
      }),
      { numRuns: depth(5, 15) },
    );
  });
});
