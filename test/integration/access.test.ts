/** Access rules that need storage: mobile sessions (ACC-10), contracts (ACC-4), shortfall (ACC-5). */
import { listOrgEvents, putCombination } from '../../lambdas/data/directory-repo';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { caseAccess } from '../../lambdas/domain/kernel/policy';
import { checkSession } from '../../lambdas/domain/access/sessions';
import { orgsInShortfall, setMemberLevel } from '../../lambdas/domain/access/shortfall';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let now = new Date('2026-11-24T09:00:00.000Z');

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, { clock: { now: () => now } });
  await seedDemo({ ref: { doc: db.doc, table: db.tableName } });
});
afterAll(async () => db?.stop());

describe('access with storage', () => {
  it('ACC-10: a mobile session ends after 10 minutes without a request; web is not affected', async () => {
    const mobile = (await resolveCaller(deps, { sub: 'u-dana', client: 'mobile', scopes: [] }))!;
    const web = (await resolveCaller(deps, { sub: 'u-dana', client: 'web', scopes: [] }))!;
    await checkSession(deps, mobile, 'sign-in-1');
    now = new Date(now.getTime() + 9 * 60_000);
    await checkSession(deps, mobile, 'sign-in-1'); // 9 idle minutes: still alive, and the clock restarts
    now = new Date(now.getTime() + 9 * 60_000);
    await checkSession(deps, mobile, 'sign-in-1');
    now = new Date(now.getTime() + 11 * 60_000);
    await expect(checkSession(deps, mobile, 'sign-in-1')).rejects.toMatchObject({
      status: 401,
      type: '/problems/session-expired',
    });
    // A refreshed token of the same sign-in stays dead; a new sign-in starts afresh.
    await expect(checkSession(deps, mobile, 'sign-in-1')).rejects.toMatchObject({ status: 401 });
    await expect(checkSession(deps, mobile, 'sign-in-2')).resolves.toBeUndefined();
    await expect(checkSession(deps, web, undefined)).resolves.toBeUndefined();
  });

  it('ACC-4: when every contract is terminated, designated access falls to read-only at once', async () => {
    const before = (await resolveCaller(deps, { sub: 'u-greta', client: 'web', scopes: [] }))!;
    const globex = before.orgs.get('ORG-GLOBEX')!;
    expect(caseAccess(before, globex)).toBe('write');
    await putCombination(
      { doc: db.doc, table: db.tableName },
      {
        endUserOrgId: 'ORG-GLOBEX',
        soldToOrgId: 'ORG-GLOBEX',
        contracts: [{ contractId: 'CT-1', status: 'terminated' }],
      },
    );
    const after = (await resolveCaller(deps, { sub: 'u-greta', client: 'web', scopes: [] }))!;
    expect(caseAccess(after, globex)).toBe('read');
  });

  it('ACC-5: an admin change that takes an organisation under two Designated Contacts records a shortfall event', async () => {
    const adam = (await resolveCaller(deps, { sub: 'u-adam', client: 'web', scopes: [] }))!;
    const first = await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'read_only'); // dana and tina remain
    expect(first).toMatchObject({ designatedContacts: 2, shortfall: false });
    const second = await setMemberLevel(deps, adam, 'ORG-ACME', 'u-tina', 'read_only');
    expect(second).toMatchObject({ designatedContacts: 1, shortfall: true });
    const events = await listOrgEvents({ doc: db.doc, table: db.tableName }, 'ORG-ACME');
    expect(events.map((e) => e.type)).toEqual(['membership-level-changed', 'membership-level-changed', 'designated-shortfall']);
    expect(events[2]).toMatchObject({ designatedContacts: 1, approvers: ['u-dana'], actorId: 'u-adam' });
    await expect(setMemberLevel(deps, adam, 'ORG-ACME', 'u-nobody', 'designated')).rejects.toMatchObject({ status: 404 });
    // Restore, for the listing test below.
    await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'designated');
    await setMemberLevel(deps, adam, 'ORG-ACME', 'u-tina', 'designated');
  });

  it('ACC-5: organisations with fewer than two Designated Contacts are listed with their approvers', async () => {
    const shortfall = await orgsInShortfall(deps);
    const byOrg = Object.fromEntries(shortfall.map((s) => [s.orgId, s]));
    expect(byOrg['ORG-ACME']).toBeUndefined(); // dana, dave and tina
    expect(byOrg['ORG-INITECH']).toMatchObject({ designatedContacts: 1, required: 2 });
    expect(byOrg['ORG-UMBRELLA']).toMatchObject({ designatedContacts: 1 }); // paula via Northwind; uma is read-only
    expect(byOrg['ORG-GLOBEX']).toMatchObject({ designatedContacts: 0 }); // greta's contracts were terminated above
    expect(shortfall.some((s) => s.orgId === 'ORG-NORTHWIND')).toBe(false); // partners are not customers
  });

  it('ACC-4, ACC-7: each membership is judged by its own combination, in the policy and the shortfall alike', async () => {
    const ref = { doc: db.doc, table: db.tableName };
    const [umbrellaCombination] = await deps.directory.getCombinations([
      { endUserOrgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND' },
    ]);
    await putCombination(ref, { ...umbrellaCombination, contracts: [{ contractId: 'CT-U', status: 'terminated' }] });
    try {
      const paula = (await resolveCaller(deps, { sub: 'u-paula', client: 'web', scopes: [] }))!;
      // Northwind|Northwind is still active; it does not keep her designated on Umbrella.
      expect(paula.combinations.find((c) => c.endUserOrgId === 'ORG-NORTHWIND')?.contracts[0].status).toBe('active');
      expect(caseAccess(paula, paula.orgs.get('ORG-UMBRELLA')!)).toBe('read');
      const byOrg = Object.fromEntries((await orgsInShortfall(deps)).map((s) => [s.orgId, s]));
      expect(byOrg['ORG-UMBRELLA']).toMatchObject({ designatedContacts: 0 });
    } finally {
      await putCombination(ref, umbrellaCombination);
    }
  });

  it('ACC-5: two admins demoting two of three Designated Contacts at once record the shortfall exactly once', async () => {
    const ref = { doc: db.doc, table: db.tableName };
    const adam = (await resolveCaller(deps, { sub: 'u-adam', client: 'web', scopes: [] }))!;
    const shortfalls = async () => (await listOrgEvents(ref, 'ORG-ACME')).filter((e) => e.type === 'designated-shortfall').length;
    const before = await shortfalls();
    // Both admins have read the organisation before either writes: a barrier on their first write.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const gated = new Set<string>();
    const racing: Deps = {
      ...deps,
      directory: {
        ...deps.directory,
        saveMembership: async (m, events, guard) => {
          if (!gated.has(m.userId)) {
            gated.add(m.userId);
            if (++arrived === 2) release();
            await bothRead;
          }
          return deps.directory.saveMembership(m, events, guard);
        },
      },
    };
    const results = await Promise.all([
      setMemberLevel(racing, adam, 'ORG-ACME', 'u-dave', 'read_only'),
      setMemberLevel(racing, adam, 'ORG-ACME', 'u-tina', 'read_only'),
    ]);
    expect(results.map((r) => r.designatedContacts).sort()).toEqual([1, 2]);
    expect((await shortfalls()) - before).toBe(1);
    const byOrg = Object.fromEntries((await orgsInShortfall(deps)).map((s) => [s.orgId, s]));
    expect(byOrg['ORG-ACME']).toMatchObject({ designatedContacts: 1 });
    await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'designated');
    await setMemberLevel(deps, adam, 'ORG-ACME', 'u-tina', 'designated');
  });
});
