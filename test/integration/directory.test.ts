/**
 * The directory as the CRM keeps it (ACC-1), contracts terminated and reinstated (ACC-4), and the
 * shortfall that follows (ACC-5), on DynamoDB Local with the demo data.
 */
import { listOrgEvents, putMembership } from '../../lambdas/data/directory-repo';
import {
  ingestDirectory,
  setContractStatus,
  type CombinationInput,
  type ContractInput,
  type DirectoryBatch,
  type OrganisationInput,
} from '../../lambdas/domain/access/directory';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { caseAccess, INGEST_SCOPE, levelOn, type Caller } from '../../lambdas/domain/kernel/policy';
import type { ParsedEntry } from '../../lambdas/domain/monitoring/monitoring';
import { parseDirectory } from '../../lambdas/schemas/directory';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let now = new Date('2026-11-24T09:00:00.000Z');
const at = (minutes: number) => new Date(Date.parse('2026-11-24T09:00:00.000Z') + minutes * 60_000).toISOString();

const ref = () => ({ doc: db.doc, table: db.tableName });
const as = async (sub: string, client: Caller['client'] = 'web'): Promise<Caller> =>
  (await resolveCaller(deps, { sub, client, scopes: client === 'machine' ? [INGEST_SCOPE] : [] }))!;
const entries = <T>(values: T[], idOf: (v: T) => string): ParsedEntry<T>[] =>
  values.map((value, index) => ({ index, id: idOf(value), value }));
const batch = (b: {
  organisations?: OrganisationInput[];
  combinations?: CombinationInput[];
  contracts?: ContractInput[];
}): DirectoryBatch => ({
  organisations: entries(b.organisations ?? [], (o) => o.orgId),
  combinations: entries(b.combinations ?? [], (c) => `${c.endUserOrgId}/${c.soldToOrgId}`),
  contracts: entries(b.contracts ?? [], (c) => c.contractId),
});
const ingest = async (b: Parameters<typeof batch>[0]) => ingestDirectory(deps, await as('crm', 'machine'), batch(b));

const hooli = (modifiedAt: string, extra: Partial<OrganisationInput> = {}): OrganisationInput => ({
  orgId: 'ORG-HOOLI',
  name: 'Hooli Inc',
  type: 'customer',
  region: 'US',
  timeZone: 'America/Los_Angeles',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: false,
  deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
  modifiedAt,
  ...extra,
});

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, { clock: { now: () => now } });
  await seedDemo({ ref: ref(), now });
});
afterAll(async () => db?.stop());

describe('the directory ingest (ACC-1)', () => {
  it('ACC-1: the demo directory was stored through the ingest: every organisation, combination and contract', async () => {
    const orgs = await deps.directory.getOrgs(['ORG-ACME', 'ORG-GLOBEX', 'ORG-INITECH', 'ORG-NORTHWIND', 'ORG-UMBRELLA']);
    expect(orgs).toHaveLength(5);
    expect(orgs.find((o) => o.orgId === 'ORG-UMBRELLA')?.managedBy).toBe('ORG-NORTHWIND');
    await expect(deps.directory.findContract('CT-ORG-UMBRELLA-ORG-NORTHWIND')).resolves.toEqual({
      contractId: 'CT-ORG-UMBRELLA-ORG-NORTHWIND',
      endUserOrgId: 'ORG-UMBRELLA',
      soldToOrgId: 'ORG-NORTHWIND',
    });
  });

  it('ACC-1: the CRM creates an organisation, its combination and contract in one batch, and a later version updates it', async () => {
    const first = await ingest({
      organisations: [hooli(at(-10))],
      combinations: [{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', modifiedAt: at(-10) }],
      contracts: [
        { contractId: 'CT-HOOLI-1', endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', status: 'active', modifiedAt: at(-10) },
      ],
    });
    expect(first).toMatchObject({ received: 3, stored: 3, unchanged: 0, rejected: 0 });
    expect(first.results.map((r) => [r.section, r.index, r.id, r.outcome])).toEqual([
      ['organisations', 0, 'ORG-HOOLI', 'created'],
      ['combinations', 0, 'ORG-HOOLI/ORG-HOOLI', 'created'],
      ['contracts', 0, 'CT-HOOLI-1', 'created'],
    ]);
    const renamed = await ingest({ organisations: [hooli(at(-5), { name: 'Hooli XYZ', alarmMonitoring: true })] });
    expect(renamed.results[0]).toMatchObject({ outcome: 'updated' });
    const [stored] = await deps.directory.getOrgs(['ORG-HOOLI']);
    expect(stored).toMatchObject({ name: 'Hooli XYZ', alarmMonitoring: true });
    // LIST-4's organisation search follows the new name, not the old one.
    expect((await deps.directory.listOrgs('hooli x')).map((o) => o.orgId)).toEqual(['ORG-HOOLI']);
    expect(await deps.directory.listOrgs('hooli inc')).toEqual([]);
    const [combination] = await deps.directory.getCombinations([{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI' }]);
    expect(combination.contracts).toEqual([{ contractId: 'CT-HOOLI-1', status: 'active', modifiedAt: at(-10) }]);
  });

  it('ACC-1: idempotent by id and modifiedAt: a resend, or an older version, is unchanged (not-newer) and writes nothing', async () => {
    const events = (await listOrgEvents(ref(), 'ORG-HOOLI')).length;
    const again = await ingest({
      organisations: [hooli(at(-5), { name: 'Hooli XYZ', alarmMonitoring: true }), hooli(at(-8), { name: 'Hooli Old' })],
      combinations: [{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', modifiedAt: at(-10) }],
      contracts: [
        {
          contractId: 'CT-HOOLI-1',
          endUserOrgId: 'ORG-HOOLI',
          soldToOrgId: 'ORG-HOOLI',
          status: 'terminated',
          modifiedAt: at(-10),
        },
      ],
    });
    expect(again).toMatchObject({ received: 4, stored: 0, unchanged: 4, rejected: 0 });
    for (const r of again.results) expect(r).toMatchObject({ outcome: 'unchanged', reason: 'not-newer' });
    expect((await deps.directory.getOrgs(['ORG-HOOLI']))[0].name).toBe('Hooli XYZ');
    const [combination] = await deps.directory.getCombinations([{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI' }]);
    expect(combination.contracts[0].status).toBe('active');
    expect(await listOrgEvents(ref(), 'ORG-HOOLI')).toHaveLength(events);
  });

  it('ACC-1: bad entries are answered one by one (section, index, reason) and the good ones in the same batch are stored', async () => {
    const parsed = parseDirectory({
      organisations: [
        { ...hooli(at(-1)), orgId: 'ORG-PIED', name: 'Pied Piper', timeZone: 'Mars/Olympus' },
        { ...hooli(at(-1)), orgId: 'ORG-RAVIGA', name: 'Raviga', managedBy: 'ORG-ACME' },
        { ...hooli(at(-1)), orgId: 'ORG-ENDFRAME', name: 'Endframe' },
      ],
      combinations: [{ endUserOrgId: 'ORG-NOWHERE', soldToOrgId: 'ORG-ACME', modifiedAt: at(-1) }],
      contracts: [
        // Already Hooli's: a contract does not move to another combination.
        { contractId: 'CT-HOOLI-1', endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', status: 'active', modifiedAt: at(-1) },
        {
          contractId: 'CT-FUTURE',
          endUserOrgId: 'ORG-ENDFRAME',
          soldToOrgId: 'ORG-ENDFRAME',
          status: 'active',
          modifiedAt: at(60),
        },
        {
          contractId: 'CT-ENDFRAME-1',
          endUserOrgId: 'ORG-ENDFRAME',
          soldToOrgId: 'ORG-ENDFRAME',
          status: 'active',
          modifiedAt: at(-1),
        },
      ],
    });
    const report = await ingestDirectory(deps, await as('crm', 'machine'), parsed);
    const byId = Object.fromEntries(report.results.map((r) => [`${r.section}:${r.id}`, r]));
    expect(byId['organisations:ORG-PIED']).toMatchObject({ index: 0, outcome: 'rejected', reason: 'invalid' });
    expect(byId['organisations:ORG-PIED'].errors).toEqual([
      { path: 'organisations.0.timeZone', message: expect.stringContaining('time zone') },
    ]);
    // ACC-7: only a partner manages an end user.
    expect(byId['organisations:ORG-RAVIGA']).toMatchObject({ index: 1, outcome: 'rejected', reason: 'unknown-partner' });
    expect(byId['organisations:ORG-ENDFRAME']).toMatchObject({ index: 2, outcome: 'created' });
    expect(byId['combinations:ORG-NOWHERE/ORG-ACME']).toMatchObject({ outcome: 'rejected', reason: 'unknown-organisation' });
    expect(byId['contracts:CT-HOOLI-1']).toMatchObject({ outcome: 'rejected', reason: 'contract-elsewhere' });
    expect(byId['contracts:CT-FUTURE']).toMatchObject({ outcome: 'rejected', reason: 'invalid' });
    // A contract brings its combination with it when both organisations are known.
    expect(byId['contracts:CT-ENDFRAME-1']).toMatchObject({ index: 2, outcome: 'created' });
    expect(report).toMatchObject({ received: 7, stored: 2, unchanged: 0, rejected: 5 });
    await expect(deps.directory.getOrgs(['ORG-PIED', 'ORG-RAVIGA'])).resolves.toEqual([]);
  });

  it('ACC-1: only a machine client with the ingest scope may ingest', async () => {
    await expect(ingestDirectory(deps, await as('u-adam'), batch({ organisations: [hooli(at(0))] }))).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe('contracts gate access (ACC-4) and the shortfall that follows (ACC-5)', () => {
  it('ACC-4: a terminated contract leaves its Designated Contact read-only on the very next request; reinstated, designated again', async () => {
    const adam = await as('u-adam');
    const greta = await as('u-greta');
    const globex = greta.orgs.get('ORG-GLOBEX')!;
    expect(caseAccess(greta, globex)).toBe('write');
    now = new Date(Date.parse(at(1)));
    const terminated = await setContractStatus(deps, adam, 'CT-ORG-GLOBEX-ORG-GLOBEX', 'terminated');
    expect(terminated).toMatchObject({
      contract: { contractId: 'CT-ORG-GLOBEX-ORG-GLOBEX', endUserOrgId: 'ORG-GLOBEX', status: 'terminated' },
      designatedContacts: 0,
      shortfall: true,
    });
    const next = await as('u-greta');
    expect(levelOn(next, 'ORG-GLOBEX')).toBe('read_only');
    expect(caseAccess(next, globex)).toBe('read');
    now = new Date(Date.parse(at(2)));
    const reinstated = await setContractStatus(deps, adam, 'CT-ORG-GLOBEX-ORG-GLOBEX', 'active');
    expect(reinstated).toMatchObject({ contract: { status: 'active' }, designatedContacts: 1, shortfall: true });
    const after = await as('u-greta');
    expect(levelOn(after, 'ORG-GLOBEX')).toBe('designated');
    expect(caseAccess(after, globex)).toBe('write');
  });

  it('ACC-4: setting the status a contract already has changes nothing and records nothing', async () => {
    const adam = await as('u-adam');
    const before = await listOrgEvents(ref(), 'ORG-GLOBEX');
    await expect(setContractStatus(deps, adam, 'CT-ORG-GLOBEX-ORG-GLOBEX', 'active')).resolves.toMatchObject({
      contract: { status: 'active' },
    });
    expect(await listOrgEvents(ref(), 'ORG-GLOBEX')).toEqual(before);
  });

  it('ACC-5: a termination that leaves Acme under two Designated Contacts records it and the shortfall, for its approvers', async () => {
    const adam = await as('u-adam');
    const before = (await listOrgEvents(ref(), 'ORG-ACME')).length;
    now = new Date(Date.parse(at(3)));
    const res = await setContractStatus(deps, adam, 'CT-ORG-ACME-ORG-ACME', 'terminated');
    expect(res).toMatchObject({ designatedContacts: 0, shortfall: true });
    const events = (await listOrgEvents(ref(), 'ORG-ACME')).slice(before);
    expect(events.map((e) => e.type)).toEqual(['contract-status-changed', 'designated-shortfall']);
    expect(events[0]).toMatchObject({
      actorId: 'u-adam',
      contract: { contractId: 'CT-ORG-ACME-ORG-ACME', soldToOrgId: 'ORG-ACME', from: 'active', to: 'terminated' },
    });
    // dana is Acme's Designated Approver: the notifier tells her (ACC-5), from this event.
    expect(events[1]).toMatchObject({ designatedContacts: 0, approvers: ['u-dana'], actorId: 'u-adam' });
    // Every Designated Contact of Acme is read-only now: none may open a case.
    for (const who of ['u-dana', 'u-dave']) expect(levelOn(await as(who), 'ORG-ACME')).toBe('read_only');
    now = new Date(Date.parse(at(4)));
    const back = await setContractStatus(deps, adam, 'CT-ORG-ACME-ORG-ACME', 'active');
    expect(back).toMatchObject({ designatedContacts: 3, shortfall: false });
    // Back above two: no shortfall event, only the contract's change.
    expect((await listOrgEvents(ref(), 'ORG-ACME')).slice(before + 2).map((e) => e.type)).toEqual(['contract-status-changed']);
  });

  it('ACC-4: the CRM terminates and reinstates too; a later admin change wins over an older CRM record, a newer CRM record wins over it', async () => {
    now = new Date(Date.parse(at(10)));
    const events = async () => (await listOrgEvents(ref(), 'ORG-INITECH')).map((e) => e.type);
    const seeded = (await events()).length;
    const crm = (status: ContractInput['status'], modifiedAt: string) =>
      ingest({
        contracts: [
          {
            contractId: 'CT-ORG-INITECH-ORG-INITECH',
            endUserOrgId: 'ORG-INITECH',
            soldToOrgId: 'ORG-INITECH',
            status,
            modifiedAt,
          },
        ],
      });
    expect((await crm('terminated', at(5))).results[0]).toMatchObject({ outcome: 'updated' });
    expect(levelOn(await as('u-fred'), 'ORG-INITECH')).toBe('read_only');
    // Initech had one Designated Contact: it was already under two, so no new shortfall event.
    expect((await events()).slice(seeded)).toEqual(['contract-status-changed']);
    await setContractStatus(deps, await as('u-adam'), 'CT-ORG-INITECH-ORG-INITECH', 'active'); // at(10)
    expect((await crm('terminated', at(8))).results[0]).toMatchObject({ outcome: 'unchanged', reason: 'not-newer' });
    expect(levelOn(await as('u-fred'), 'ORG-INITECH')).toBe('designated');
    expect((await crm('active', at(11))).results[0]).toMatchObject({ outcome: 'updated' });
    expect((await events()).slice(seeded)).toEqual(['contract-status-changed', 'contract-status-changed']);
  });

  it('ACC-4: only portal admins change a contract; one that does not exist is 404', async () => {
    await expect(setContractStatus(deps, await as('u-eric'), 'CT-ORG-ACME-ORG-ACME', 'terminated')).rejects.toMatchObject({
      status: 403,
    });
    await expect(setContractStatus(deps, await as('u-adam'), 'CT-NOBODY', 'terminated')).rejects.toMatchObject({ status: 404 });
    // PRIV-2: on the mobile app a FedRAMP organisation's contract does not exist either.
    await expect(
      setContractStatus(deps, await as('u-adam', 'mobile'), 'CT-ORG-INITECH-ORG-INITECH', 'terminated'),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('ACC-5: two contracts terminated at once, each leaving two Designated Contacts, record the crossing under two once', async () => {
    // Hooli: three Designated Contacts, each on a combination of its own (Hooli sold by itself, by Acme, by Globex).
    now = new Date(Date.parse(at(30)));
    const pairs = ['ORG-HOOLI', 'ORG-ACME', 'ORG-GLOBEX'].map((soldToOrgId, i) => ({
      endUserOrgId: 'ORG-HOOLI',
      soldToOrgId,
      contractId: `CT-HOOLI-RACE-${i}`,
      userId: `u-hooli-${i}`,
    }));
    const made = await ingest({
      contracts: pairs.map((p) => ({ ...p, status: 'active' as const, modifiedAt: at(30) })),
    });
    expect(made.stored).toBe(3);
    for (const p of pairs) {
      await putMembership(ref(), {
        userId: p.userId,
        orgId: p.endUserOrgId,
        soldToOrgId: p.soldToOrgId,
        level: 'designated',
        via: 'direct',
      });
    }
    const adam = await as('u-adam');
    const shortfalls = async () =>
      (await listOrgEvents(ref(), 'ORG-HOOLI')).filter((e) => e.type === 'designated-shortfall').length;
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
        saveCombination: async (c, events, guard, contractIds) => {
          if (!gated.has(c.soldToOrgId)) {
            gated.add(c.soldToOrgId);
            if (++arrived === 2) release();
            await bothRead;
          }
          return deps.directory.saveCombination(c, events, guard, contractIds);
        },
      },
    };
    const results = await Promise.all([
      setContractStatus(racing, adam, 'CT-HOOLI-RACE-1', 'terminated'),
      setContractStatus(racing, adam, 'CT-HOOLI-RACE-2', 'terminated'),
    ]);
    expect(results.map((r) => r.designatedContacts).sort()).toEqual([1, 2]);
    expect((await shortfalls()) - before).toBe(1);
  });
});
