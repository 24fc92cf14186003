/**
 * The audit issue's PRIV-1 scenario, step by step on DynamoDB Local with the demo data: a Globex
 * case opened with a phone, escalated with a reason naming a person and raised to critical with a
 * new phone by EU staff, read by alice (US staff) through every view.
 */
import { createCase, getCase, getUpdate, listCases, listUpdates } from '../../lambdas/domain/cases/cases';
import { caseHistory, patchCase, requestEscalation } from '../../lambdas/domain/cases/case-changes';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { search } from '../../lambdas/domain/cases/search';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps } from '../helpers/deps';
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

const FIRST_PHONE = '+49 30 5550101';
const CRITICAL_PHONE = '+49 40 5550202';
const REASON = 'Klaus Richter in accounting cannot take calls';
const SUBJECT = 'Softphone drops calls after 30 s';
const DESCRIPTION = 'Reported by Klaus Richter';

describe('PRIV-1 audit scenario', () => {
  it('PRIV-1: alice (US) sees no phone, reason, subject or contact of the Globex case in any view', async () => {
    const greta = await as('u-greta');
    const eric = await as('u-eric');
    const alice = await as('u-alice');
    const opened = await createCase(deps, greta, {
      kind: 'support',
      subject: SUBJECT,
      description: DESCRIPTION,
      severity: 'high',
      orgId: 'ORG-GLOBEX',
      productLine: 'Genesys Cloud CX',
      contactPhone: FIRST_PHONE,
    });
    const n = opened.body.caseNumber;
    await requestEscalation(deps, greta, n, REASON);
    await patchCase(deps, eric, n, { severity: 'critical', contactPhone: CRITICAL_PHONE });

    // EU staff see it all: the values below are really stored and served.
    const euView = JSON.stringify([await getCase(deps, eric, n), await caseHistory(deps, eric, n, { limit: 100 })]);
    for (const v of [FIRST_PHONE, CRITICAL_PHONE, REASON, SUBJECT, 'Greta Vogel']) expect(euView).toContain(v);

    const updates = await listUpdates(deps, alice, n, { limit: 100 });
    const responses = [
      await getCase(deps, alice, n),
      await listCases(deps, alice, { sort: 'priority', orgId: 'ORG-GLOBEX' }, { limit: 100 }),
      await search(deps, alice, { q: String(Number(n)), limit: 25 }),
      await search(deps, alice, { q: 'Globex', limit: 25 }),
      updates,
      ...(await Promise.all(updates.items.map((u) => getUpdate(deps, alice, n, u.updateId)))),
      await caseHistory(deps, alice, n, { limit: 100 }),
    ];
    const json = JSON.stringify(responses);
    for (const personal of [
      FIRST_PHONE,
      CRITICAL_PHONE,
      REASON,
      'Klaus Richter',
      SUBJECT,
      DESCRIPTION,
      'Greta Vogel',
      'greta@globex.example',
    ]) {
      expect({ personal, leaked: json.includes(personal) }).toEqual({ personal, leaked: false });
    }
    // The case itself is still found and its state shown.
    expect(responses[0]).toMatchObject({
      caseNumber: n,
      severity: 'critical',
      escalation: { status: 'requested' },
      restricted: true,
    });
    expect(json).toContain(n);
    // History keeps which fields changed, without their values.
    const history = responses[responses.length - 1] as Awaited<ReturnType<typeof caseHistory>>;
    expect(history.items.map((e) => e.field)).toEqual(expect.arrayContaining(['contactPhone', 'severity', 'escalation']));
  });
});
