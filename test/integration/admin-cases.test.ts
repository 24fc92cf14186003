/**
 * CASE-1 (seed "Manage My Admin Cases"): admin cases are about accounts and access, not a
 * product. Whoever opens one, it carries the admin product line and goes to Portal
 * Administration, like the admin cases access requests open (ACC-6); "my open / my closed admin
 * cases" is a list query (LIST-2, LIST-3). Against DynamoDB Local seeded with the demo data.
 */
import { createCase, listCases } from '../../lambdas/domain/cases/cases';
import { patchCase } from '../../lambdas/domain/cases/case-changes';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { Problem } from '../../lambdas/domain/kernel/errors';
import { seedDemo } from '../helpers/seed-cache';
import { instrument, testDeps, type Meter } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let meter: Meter;
const as = async (sub: string): Promise<Caller> => (await resolveCaller(deps, { sub, client: 'web', scopes: [] }))!;

beforeAll(async () => {
  db = await startTestDynamo();
  meter = instrument(db.doc);
  deps = testDeps(db.doc, db.tableName);
  await seedDemo({ ref: { doc: db.doc, table: db.tableName } });
});
afterAll(async () => db?.stop());

const adminCase = async (sub: string, orgId: string, subject: string, productLine?: string) =>
  createCase(deps, await as(sub), {
    kind: 'admin',
    subject,
    description: 'Please add our new team lead as a Designated Contact.',
    severity: 'low',
    orgId,
    ...(productLine === undefined ? {} : { productLine }),
  });

const fieldsOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return (err as Problem).errors?.map((e) => e.path);
};

describe('CASE-1: admin cases have their own product line and group', () => {
  it('CASE-1: a Designated Contact opens an admin case without naming a product: it goes to Portal Administration', async () => {
    const res = await adminCase('u-dana', 'ORG-ACME', 'New Designated Contact');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'admin',
      productLine: 'Account and access',
      supportGroup: 'Portal Administration',
      status: 'new',
    });
  });

  it("CASE-1, ACC-7: a partner's Designated Contact opens one for the end user it manages, in the same group", async () => {
    const res = await adminCase('u-paula', 'ORG-UMBRELLA', 'Portal access for our new NOC');
    expect(res.body).toMatchObject({ productLine: 'Account and access', supportGroup: 'Portal Administration' });
  });

  it('CASE-1: naming the admin line is the same; naming a product is 400 on productLine, as is a support case without one', async () => {
    expect((await adminCase('u-dana', 'ORG-ACME', 'Same', 'Account and access')).body.supportGroup).toBe('Portal Administration');
    expect(await fieldsOf(adminCase('u-dana', 'ORG-ACME', 'Product', 'Genesys Cloud CX'))).toEqual(['productLine']);
    const support = createCase(deps, await as('u-dana'), {
      kind: 'support',
      subject: 'No line',
      description: 'x',
      severity: 'low',
      orgId: 'ORG-ACME',
    });
    expect(await fieldsOf(support)).toEqual(['productLine']);
  });

  it('CASE-1, ACC-2: read-only contacts still may not open one', async () => {
    expect(await fieldsOf(adminCase('u-rita', 'ORG-ACME', 'Read-only'))).toEqual(['orgId']);
  });
});

describe('CASE-1, LIST-2, LIST-3: "My Non-Closed" and "My Closed" admin cases are queries', () => {
  let open: string;
  let closed: string;
  let support: string;
  beforeAll(async () => {
    open = (await adminCase('u-dave', 'ORG-ACME', 'Dave: rename our organisation')).body.caseNumber;
    closed = (await adminCase('u-dave', 'ORG-ACME', 'Dave: remove a leaver')).body.caseNumber;
    await patchCase(deps, await as('u-adam'), closed, { status: 'closed' });
    support = (
      await createCase(deps, await as('u-dave'), {
        kind: 'support',
        subject: 'Dave: a support case',
        description: 'x',
        severity: 'low',
        orgId: 'ORG-ACME',
        productLine: 'Genesys Cloud CX',
      })
    ).body.caseNumber;
  });

  const list = async (input: Partial<Parameters<typeof listCases>[2]>) =>
    (await listCases(deps, await as('u-dave'), { sort: 'priority', ...input }, { limit: 100 })).items;

  it('CASE-1, LIST-2: scope=mine&kind=admin is my non-closed admin cases; with closed=true my closed ones (either sort), by Query only', async () => {
    meter.reset();
    for (const sort of ['priority', 'lastModified'] as const) {
      const mineOpen = await list({ scope: 'mine', kind: ['admin'], sort });
      expect(mineOpen.map((c) => c.caseNumber)).toContain(open);
      expect(mineOpen.map((c) => c.caseNumber)).not.toContain(closed);
      expect(mineOpen.map((c) => c.caseNumber)).not.toContain(support);
      expect(mineOpen.every((c) => c.kind === 'admin' && c.contactId === 'u-dave' && c.status !== 'closed')).toBe(true);
      const mineClosed = await list({ scope: 'mine', kind: ['admin'], closed: true, sort });
      expect(mineClosed.map((c) => c.caseNumber)).toEqual([closed]);
    }
    expect(meter.scans).toEqual([]);
  });

  it("CASE-1, LIST-3: kind=support lists no admin case, kind=admin only admin cases (another contact's too, in scope=all)", async () => {
    const technical = await list({ scope: 'all', kind: ['support'] });
    expect(technical.map((c) => c.caseNumber)).toContain(support);
    expect(technical.some((c) => c.kind === 'admin')).toBe(false);
    const admin = await list({ scope: 'all', kind: ['admin'] });
    expect(admin.map((c) => c.caseNumber)).toContain(open);
    expect(admin.every((c) => c.kind === 'admin')).toBe(true);
    expect(admin.some((c) => c.contactId === 'u-dana')).toBe(true);
  });
});
