/**
 * PRIV-1 and PRIV-2 as properties, on DynamoDB Local: over random organisations (EU or not,
 * FedRAMP or not), random cases and random list and search parameters, no EU personal data
 * reaches a US staff caller and no FedRAMP item reaches a mobile token.
 */
import fc from 'fast-check';
import { caseRepo } from '../../lambdas/data/case-repo';
import { putCombination, putMembership, putOrg, putUser } from '../../lambdas/data/directory-repo';
import { resolveCaller } from '../../lambdas/domain/caller';
import { CURRENT_TERMS } from '../../lambdas/domain/catalogue';
import { getCase, listCases, listUpdates } from '../../lambdas/domain/cases';
import { caseHistory } from '../../lambdas/domain/case-changes';
import { search } from '../../lambdas/domain/search';
import type { Deps } from '../../lambdas/domain/ports';
import { SEVERITIES, STATUSES, type Case, type Org } from '../../lambdas/domain/types';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let world = 0;
const orgFlags = new Map<string, Org>();
const PERSONAL = ['subject', 'description', 'contactName', 'contactEmail'] as const;

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

const orgArb = fc.record({ gdpr: fc.boolean(), fedramp: fc.boolean(), name: fc.constantFrom('Alpha', 'Beta', 'Gamma', 'Delta') });
const caseArb = fc.record({
  severity: fc.constantFrom(...SEVERITIES),
  status: fc.constantFrom(...STATUSES),
  subject: fc.string({ minLength: 1, maxLength: 30 }),
  ageDays: fc.integer({ min: 0, max: 500 }),
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

/** Writes a random world; the contact holds designated access to every organisation in it. */
const build = async (spec: WorldSpec): Promise<Case[]> => {
  const ref = { doc: db.doc, table: db.tableName };
  const repo = caseRepo(ref);
  const out: Case[] = [];
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
      const at = new Date(Date.now() - k.ageDays * 86_400_000).toISOString();
      const c: Case = {
        caseNumber: String(await repo.nextCaseNumber()).padStart(8, '0'),
        referenceId: deps.ids.referenceId(),
        kind: 'support',
        subject: k.subject,
        description: `secret of ${org.name}`,
        severity: k.severity,
        status: k.status,
        orgId: org.orgId,
        soldToOrgId: org.orgId,
        orgName: org.name,
        productLine: 'Genesys Cloud CX',
        supportGroup: 'Cloud CX Support',
        contactId: 'contact',
        contactName: 'Pat Contact',
        contactEmail: 'pat@corp.example',
        createdAt: at,
        updatedAt: at,
        version: 1,
        needsAction: false,
      };
      await repo.createCase(c);
      await repo.appendUpdate(
        {
          caseNumber: c.caseNumber,
          updateId: deps.ids.next(),
          authorId: 'contact',
          authorName: 'Pat Contact',
          authorKind: 'customer',
          channel: 'portal',
          visibility: 'public',
          body: 'personal words',
          attachments: [],
          createdAt: at,
        },
        c,
      );
      out.push(c);
    }
  }
  world++;
  return out;
};

describe('privacy properties', () => {
  it('PRIV-1: no EU/EEA personal data reaches staff working from the US, in cases, lists, search, updates or history', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, listArb, async (spec, params) => {
        const cases = await build(spec);
        const us = (await resolveCaller(deps, { sub: 'us-staff', client: 'web', scopes: [] }))!;
        const leaks = (v: Record<string, unknown>) => orgFlags.get(String(v.orgId))?.gdpr && PERSONAL.some((f) => f in v);
        const listed = await listCases(deps, us, params, { limit: params.limit });
        expect(listed.items.filter(leaks)).toEqual([]);
        const found = await search(deps, us, { q: spec[0].org.name, limit: 25 });
        expect(found.cases.filter(leaks)).toEqual([]);
        for (const c of cases) {
          const view = await getCase(deps, us, c.caseNumber);
          if (orgFlags.get(c.orgId)!.gdpr) {
            expect(view.restricted).toBe(true);
            expect(PERSONAL.filter((f) => f in view)).toEqual([]);
            const updates = await listUpdates(deps, us, c.caseNumber, { limit: 10 });
            expect(updates.items.filter((u) => 'body' in u || 'authorName' in u)).toEqual([]);
            const history = await caseHistory(deps, us, c.caseNumber, { limit: 10 });
            expect(history.items.filter((e) => e.actorName === 'Pat Contact')).toEqual([]);
          } else {
            expect(view.subject).toBe(c.subject);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('PRIV-2: no FedRAMP organisation or case reaches a mobile token, in cases, lists or search', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, listArb, fc.constantFrom('contact', 'eu-staff'), async (spec, params, who) => {
        const cases = await build(spec);
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
      }),
      { numRuns: 15 },
    );
  });
});
