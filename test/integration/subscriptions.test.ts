/**
 * Favorites (LIST-5), subscriptions (NOTE-2) and settings mirrors over a real DynamoDB Local
 * table seeded with the demo data. Every read is a Query or a key read (the meter refuses Scan).
 */
import { putMembership } from '../../lambdas/data/directory-repo';
import { caseSubscribers, getCaseSubscription, orgSubscribers } from '../../lambdas/data/subscription-repo';
import { countFavorites } from '../../lambdas/data/favorite-repo';
import { getAccount, listAccounts, subscribeToOrg } from '../../lambdas/domain/access/accounts';
import { formatCaseNumber } from '../../lambdas/domain/cases/cases';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { addFavorite, listFavorites, removeFavorite } from '../../lambdas/domain/access/favorites';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { updateSettings } from '../../lambdas/domain/access/settings';
import { subscribeToCase, unsubscribeFromCase } from '../../lambdas/domain/notifications/subscriptions';
import type { Case, Client } from '../../lambdas/domain/kernel/types';
import { seedDemo } from '../helpers/seed-cache';
import { instrument, testDeps, type Meter } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let meter: Meter;
const ref = () => ({ doc: db.doc, table: db.tableName });
const as = async (userId: string, client: Client = 'web'): Promise<Caller> =>
  (await resolveCaller(deps, { sub: userId, client, scopes: [] }))!;

/** Cases of an organisation, opened straight through the repository (numbers from the counter). */
const openCases = async (orgId: string, orgName: string, contactId: string, n: number): Promise<string[]> => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const now = new Date().toISOString();
    const c: Case = {
      caseNumber: formatCaseNumber(await deps.cases.nextCaseNumber()),
      referenceId: deps.ids.referenceId(),
      kind: 'support',
      subject: `Subject ${i} of ${contactId}`,
      description: 'personal text',
      severity: 'low',
      status: 'open',
      orgId,
      soldToOrgId: orgId === 'ORG-UMBRELLA' ? 'ORG-NORTHWIND' : orgId,
      orgName,
      productLine: 'Genesys Cloud CX',
      supportGroup: 'Cloud CX Support',
      contactId,
      contactName: 'Contact Person',
      contactEmail: 'contact@example.com',
      createdAt: now,
      updatedAt: now,
      version: 1,
      needsAction: false,
    };
    await deps.cases.createCase(c);
    out.push(c.caseNumber);
  }
  return out;
};

let acmeCases: string[];
let globexCase: string;
let initechCase: string;

beforeAll(async () => {
  db = await startTestDynamo();
  meter = instrument(db.doc);
  deps = testDeps(db.doc, db.tableName);
  await seedDemo({ ref: ref() });
  acmeCases = await openCases('ORG-ACME', 'Acme Corp', 'u-dana', 50);
  [globexCase] = await openCases('ORG-GLOBEX', 'Globex GmbH', 'u-greta', 1);
  [initechCase] = await openCases('ORG-INITECH', 'Initech Federal', 'u-fred', 1);
});
afterAll(async () => db?.stop());

describe('LIST-5 favorites', () => {
  it('LIST-5: 50 concurrent adds by one user: exactly 20 succeed, 30 get 409 /problems/favorites-limit', async () => {
    const dave = await as('u-dave');
    const results = await Promise.allSettled(acmeCases.map((n) => addFavorite(deps, dave, 'case', n)));
    const added = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(added).toHaveLength(20);
    expect(added.every((r) => (r as PromiseFulfilledResult<{ status: number }>).value.status === 201)).toBe(true);
    expect(refused).toHaveLength(30);
    expect(refused.every((r) => r.reason?.status === 409 && r.reason?.type === '/problems/favorites-limit')).toBe(true);
    expect(await countFavorites(ref(), 'u-dave')).toBe(20);
    const listed = await listFavorites(deps, dave, { limit: 100 });
    expect(listed.items).toHaveLength(20);
    // Each favorite a Designated Contact made subscribed them; the refused ones did not.
    const subscribed = await Promise.all(acmeCases.map((n) => getCaseSubscription(ref(), n, 'u-dave')));
    expect(subscribed.filter(Boolean)).toHaveLength(20);
  });

  it('LIST-5: re-adding a favorite is 200 and counts once, even at the limit; after a removal the next add fits', async () => {
    const dave = await as('u-dave');
    const [first] = (await listFavorites(deps, dave, { limit: 1 })).items;
    const again = await addFavorite(deps, dave, 'case', first.id);
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(first.createdAt);
    expect(await countFavorites(ref(), 'u-dave')).toBe(20);
    await expect(addFavorite(deps, dave, 'account', 'ORG-ACME')).rejects.toMatchObject({ status: 409 });
    await removeFavorite(deps, dave, 'case', first.id);
    await removeFavorite(deps, dave, 'case', first.id); // idempotent: counted down once
    expect(await countFavorites(ref(), 'u-dave')).toBe(19);
    await expect(addFavorite(deps, dave, 'account', 'ORG-ACME')).resolves.toMatchObject({ status: 201 });
    expect(await countFavorites(ref(), 'u-dave')).toBe(20);
  });

  it('LIST-5: favoriting a case subscribes; removing it removes only the subscription it made', async () => {
    const dana = await as('u-dana');
    const [a, b] = acmeCases;
    await addFavorite(deps, dana, 'case', a);
    expect((await caseSubscribers(ref(), a)).find((s) => s.userId === 'u-dana')).toMatchObject({ sources: ['favorite'] });
    await removeFavorite(deps, dana, 'case', a);
    expect((await caseSubscribers(ref(), a)).find((s) => s.userId === 'u-dana')).toBeUndefined();

    // Subscribed explicitly as well: removing the favorite leaves the explicit subscription.
    await subscribeToCase(deps, dana, b);
    await addFavorite(deps, dana, 'case', b);
    expect((await caseSubscribers(ref(), b)).find((s) => s.userId === 'u-dana')?.sources).toEqual(['explicit', 'favorite']);
    await removeFavorite(deps, dana, 'case', b);
    expect((await caseSubscribers(ref(), b)).find((s) => s.userId === 'u-dana')?.sources).toEqual(['explicit']);
    await unsubscribeFromCase(deps, dana, b);
    expect((await caseSubscribers(ref(), b)).find((s) => s.userId === 'u-dana')).toBeUndefined();
  });

  it('LIST-5, ACC-2: a read-only favorite and an account favorite make no subscription', async () => {
    const rita = await as('u-rita');
    const fav = await addFavorite(deps, rita, 'case', acmeCases[2]);
    expect(fav.status).toBe(201);
    expect(await getCaseSubscription(ref(), acmeCases[2], 'u-rita')).toBeUndefined();
    const dana = await as('u-dana');
    await addFavorite(deps, dana, 'account', 'ORG-ACME');
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'newCritical')).some((s) => s.userId === 'u-dana')).toBe(false);
  });

  it('PRIV-3: a case or account the caller may not see cannot be favorited (404, as if missing)', async () => {
    const dana = await as('u-dana');
    await expect(addFavorite(deps, dana, 'case', globexCase)).rejects.toMatchObject({ status: 404 });
    await expect(addFavorite(deps, dana, 'case', '99999999')).rejects.toMatchObject({ status: 404 });
    await expect(addFavorite(deps, dana, 'account', 'ORG-GLOBEX')).rejects.toMatchObject({ status: 404 });
    await expect(addFavorite(deps, dana, 'account', 'ORG-VENDOR')).rejects.toMatchObject({ status: 404 });
  });

  it('PRIV-2: a FedRAMP favorite made on the web is not shown to the mobile app, nor can the app add one', async () => {
    const fredWeb = await as('u-fred');
    await addFavorite(deps, fredWeb, 'case', initechCase);
    await addFavorite(deps, fredWeb, 'account', 'ORG-INITECH');
    expect((await listFavorites(deps, fredWeb, { limit: 25 })).items.map((f) => f.id).sort()).toEqual(
      [initechCase, 'ORG-INITECH'].sort(),
    );
    const fredMobile = await as('u-fred', 'mobile');
    expect((await listFavorites(deps, fredMobile, { limit: 25 })).items).toEqual([]);
    await expect(addFavorite(deps, fredMobile, 'case', initechCase)).rejects.toMatchObject({ status: 404 });
  });

  it('PRIV-1: a US analyst favorites an EU case and sees it without subject or contact; an EU analyst sees it whole', async () => {
    const alice = await as('u-alice');
    await addFavorite(deps, alice, 'case', globexCase);
    const [row] = (await listFavorites(deps, alice, { limit: 25 })).items;
    expect(row.case).toMatchObject({ caseNumber: globexCase, restricted: true });
    expect(row.case).not.toHaveProperty('subject');
    expect(JSON.stringify(row)).not.toMatch(/Contact Person|contact@example|personal text/);
    const eric = await as('u-eric');
    await addFavorite(deps, eric, 'case', globexCase);
    expect((await listFavorites(deps, eric, { limit: 25 })).items[0].case).toMatchObject({ subject: `Subject 0 of u-greta` });
    // Staff favorites make no subscription (subscriptions are the Designated Contacts').
    expect(await getCaseSubscription(ref(), globexCase, 'u-eric')).toBeUndefined();
  });

  it('PRIV-3: a favorite whose subject the caller lost access to shows nothing of it, and can still be removed', async () => {
    const uma = await as('u-uma');
    const [umbrellaCase] = await openCases('ORG-UMBRELLA', 'Umbrella Ltd', 'u-paula', 1);
    await addFavorite(deps, uma, 'case', umbrellaCase);
    await putMembership(ref(), {
      userId: 'u-uma',
      orgId: 'ORG-UMBRELLA',
      soldToOrgId: 'ORG-NORTHWIND',
      level: 'basic',
      via: 'direct',
    });
    const lost = await as('u-uma');
    expect((await listFavorites(deps, lost, { limit: 25 })).items).toEqual([
      { kind: 'case', id: umbrellaCase, createdAt: expect.any(String), available: false },
    ]);
    await removeFavorite(deps, lost, 'case', umbrellaCase);
    expect((await listFavorites(deps, lost, { limit: 25 })).items).toEqual([]);
    expect(await countFavorites(ref(), 'u-uma')).toBe(0);
  });
});

describe('NOTE-2 subscriptions', () => {
  it('NOTE-2: organisation categories are chosen separately and found by one Query on the organisation', async () => {
    const dana = await as('u-dana');
    expect(await subscribeToOrg(deps, dana, 'ORG-ACME', { newCritical: true })).toEqual({
      orgId: 'ORG-ACME',
      newEscalations: false,
      newCritical: true,
      newHigh: false,
      cloudIncidents: false,
    });
    await subscribeToOrg(deps, dana, 'ORG-ACME', { newHigh: true, cloudIncidents: true });
    const dave = await as('u-dave');
    await subscribeToOrg(deps, dave, 'ORG-ACME', { newEscalations: true });
    meter.reset();
    const critical = await orgSubscribers(ref(), 'ORG-ACME', 'newCritical');
    expect(meter.calls).toEqual({ QueryCommand: 1 });
    expect(critical.map((s) => s.userId)).toEqual(['u-dana']);
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'newHigh')).map((s) => s.userId)).toEqual(['u-dana']);
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'newEscalations')).map((s) => s.userId)).toEqual(['u-dave']);
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'cloudIncidents')).map((s) => s.userId)).toEqual(['u-dana']);
    expect((await getAccount(deps, dana, 'ORG-ACME')).subscription).toEqual({
      newEscalations: false,
      newCritical: true,
      newHigh: true,
      cloudIncidents: true,
    });
  });

  it('NOTE-2: cloud incidents are refused for an organisation without a cloud deployment (400 on cloudIncidents)', async () => {
    const paula = await as('u-paula');
    await expect(subscribeToOrg(deps, paula, 'ORG-UMBRELLA', { cloudIncidents: true })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'cloudIncidents', message: expect.stringContaining('no cloud deployment') }],
    });
    await expect(subscribeToOrg(deps, paula, 'ORG-UMBRELLA', { newHigh: true, cloudIncidents: false })).resolves.toMatchObject({
      newHigh: true,
      cloudIncidents: false,
    });
    expect(await orgSubscribers(ref(), 'ORG-UMBRELLA', 'cloudIncidents')).toEqual([]);
  });

  it('NOTE-2, ACC-2: read-only and staff see but may not change subscriptions (403); others get 404', async () => {
    const rita = await as('u-rita');
    await expect(subscribeToOrg(deps, rita, 'ORG-ACME', { newHigh: true })).rejects.toMatchObject({ status: 403 });
    await expect(subscribeToCase(deps, rita, acmeCases[3])).rejects.toMatchObject({ status: 403 });
    const eric = await as('u-eric');
    await expect(subscribeToOrg(deps, eric, 'ORG-ACME', { newHigh: true })).rejects.toMatchObject({ status: 403 });
    const greta = await as('u-greta');
    await expect(subscribeToOrg(deps, greta, 'ORG-ACME', { newHigh: true })).rejects.toMatchObject({ status: 404 });
    await expect(subscribeToCase(deps, greta, acmeCases[3])).rejects.toMatchObject({ status: 404 });
    const fredMobile = await as('u-fred', 'mobile');
    await expect(subscribeToOrg(deps, fredMobile, 'ORG-INITECH', { newHigh: true })).rejects.toMatchObject({ status: 404 });
  });

  it('NOTE-2: a contact who lost designated access can no longer change the subscription', async () => {
    const [umbrellaCase] = await openCases('ORG-UMBRELLA', 'Umbrella Ltd', 'u-paula', 1);
    const paula = await as('u-paula');
    await subscribeToCase(deps, paula, umbrellaCase);
    await putMembership(ref(), {
      userId: 'u-paula',
      orgId: 'ORG-UMBRELLA',
      soldToOrgId: 'ORG-NORTHWIND',
      level: 'read_only',
      via: 'partner',
      partnerOrgId: 'ORG-NORTHWIND',
    });
    const demoted = await as('u-paula');
    await expect(subscribeToCase(deps, demoted, umbrellaCase)).rejects.toMatchObject({ status: 403 });
    await expect(subscribeToOrg(deps, demoted, 'ORG-UMBRELLA', { newHigh: true })).rejects.toMatchObject({ status: 403 });
  });

  it('NOTE-2: alarm and maintenance settings are mirrored onto the organisation, found by one Query, and removed when turned off', async () => {
    const dana = await as('u-dana');
    await updateSettings(deps, dana, {
      notifications: { alarms: true, maintenance: true },
      alarms: { severity: 'major', excludeOrigins: ['lab'] },
    });
    const alarms = await orgSubscribers(ref(), 'ORG-ACME', 'alarms');
    expect(alarms.find((s) => s.userId === 'u-dana')).toMatchObject({ alarms: { severity: 'major', excludeOrigins: ['lab'] } });
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'maintenance')).map((s) => s.userId)).toContain('u-dana');
    // The categories chosen before are untouched by the settings.
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'newCritical')).map((s) => s.userId)).toEqual(['u-dana']);

    const after = await as('u-dana');
    expect(after.user!.settings).toMatchObject({
      notifications: { alarms: true, maintenance: true },
      alarms: { severity: 'major' },
    });
    await updateSettings(deps, after, { notifications: { alarms: false } });
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'alarms')).map((s) => s.userId)).not.toContain('u-dana');
    expect((await orgSubscribers(ref(), 'ORG-ACME', 'maintenance')).map((s) => s.userId)).toContain('u-dana');
  });
});

describe('accounts', () => {
  it('PRIV-2: the mobile app never lists a FedRAMP organisation; the web does', async () => {
    expect((await listAccounts(deps, await as('u-fred'), { limit: 25 })).items.map((a) => a.orgId)).toEqual(['ORG-INITECH']);
    expect((await listAccounts(deps, await as('u-fred', 'mobile'), { limit: 25 })).items).toEqual([]);
    await expect(getAccount(deps, await as('u-fred', 'mobile'), 'ORG-INITECH')).rejects.toMatchObject({ status: 404 });
    const ericMobile = (await listAccounts(deps, await as('u-eric', 'mobile'), { limit: 25 })).items.map((a) => a.orgId);
    expect(ericMobile).not.toContain('ORG-INITECH');
  });

  it('GET /accounts: staff see every customer and partner organisation by name, paged; q is a case-insensitive prefix', async () => {
    const eric = await as('u-eric');
    const first = await listAccounts(deps, eric, { limit: 2 });
    expect(first.items.map((a) => a.orgId)).toEqual(['ORG-ACME', 'ORG-GLOBEX']);
    const second = await listAccounts(deps, eric, { limit: 10, after: first.next });
    expect(second.items.map((a) => a.orgId)).toEqual(['ORG-INITECH', 'ORG-NORTHWIND', 'ORG-UMBRELLA']);
    expect(second.next).toBeNull();
    expect((await listAccounts(deps, eric, { q: 'gLoB', limit: 25 })).items.map((a) => a.orgId)).toEqual(['ORG-GLOBEX']);
    expect((await listAccounts(deps, await as('u-dana'), { q: 'glob', limit: 25 })).items).toEqual([]);
  });

  it('PRIV-1: US staff get an EU/EEA organisation marked restricted; a partner contact sees the end users it manages', async () => {
    expect(await getAccount(deps, await as('u-alice'), 'ORG-GLOBEX')).toMatchObject({ orgId: 'ORG-GLOBEX', restricted: true });
    expect(await getAccount(deps, await as('u-eric'), 'ORG-GLOBEX')).not.toHaveProperty('restricted');
    const paula = (await listAccounts(deps, await as('u-paula'), { limit: 25 })).items.map((a) => a.orgId);
    expect(paula).toEqual(['ORG-NORTHWIND', 'ORG-UMBRELLA']);
    await expect(getAccount(deps, await as('u-dana'), 'ORG-GLOBEX')).rejects.toMatchObject({ status: 404 });
  });
});
