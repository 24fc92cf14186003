/**
 * The caller in one read: a warm caller snapshot is one GetItem, and every access change still
 * takes effect on the very next request (ACC-4, ACC-5, ACC-7, ACC-9), over DynamoDB Local.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getOrg, putOrg, writeInvalidating } from '../../lambdas/data/directory-repo';
import { keys } from '../../lambdas/data/keys';
import { acceptTerms } from '../../lambdas/domain/access/terms';
import { setMemberLevel } from '../../lambdas/domain/access/shortfall';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { levelOn } from '../../lambdas/domain/kernel/policy';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
/** Every command the directory sends, by name, for the calls a resolution costs. */
let sent: string[] = [];
/** Runs just before a command is sent (a test's interleaved write), once. */
let before: ((command: { constructor: { name: string }; input: unknown }) => Promise<void>) | undefined;

const counting = (doc: DynamoDBDocumentClient): DynamoDBDocumentClient =>
  new Proxy(doc, {
    get: (target, prop, receiver) =>
      prop === 'send'
        ? async (command: { constructor: { name: string }; input: unknown }) => {
            sent.push(command.constructor.name);
            await before?.(command);
            return target.send(command as never);
          }
        : Reflect.get(target, prop, receiver),
  });

const as = async (sub: string) => (await resolveCaller(deps, { sub, client: 'web', scopes: [] }))!;
const snapshotItem = async (userId: string) =>
  (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.callerSnapshot(userId), ConsistentRead: true }))).Item;
const ref = () => ({ doc: db.doc, table: db.tableName });

/** Resolves the caller until its snapshot is stored, then checks the next resolution is one GetItem. */
const warm = async (sub: string) => {
  await as(sub);
  expect(typeof (await snapshotItem(sub))?.snapshot).toBe('string');
  sent = [];
  const caller = await as(sub);
  expect(sent).toEqual(['GetCommand']);
  sent = [];
  return caller;
};

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(counting(db.doc), db.tableName);
  await seedDemo({ ref: ref() });
});
afterAll(async () => db?.stop());
beforeEach(() => {
  sent = [];
  before = undefined;
});

describe('the caller snapshot', () => {
  it('a warm caller is one GetItem of one item; a cold one is rebuilt from its sources and stored', async () => {
    // The seed resolved everyone once; an invalidation (any write to eric's sources) makes him cold.
    await writeInvalidating(ref(), [], ['u-eric']);
    expect((await snapshotItem('u-eric'))?.snapshot).toBeUndefined();
    sent = [];
    const cold = await as('u-eric');
    // Staff hold no memberships: no organisation or combination to read.
    expect(sent).toEqual(['GetCommand', 'QueryCommand', 'PutCommand']);
    const hit = await warm('u-eric');
    expect(hit).toEqual(cold);
  });

  it('ACC-5: a level change takes effect on the very next request of a warm caller', async () => {
    const dave = await warm('u-dave');
    expect(levelOn(dave, 'ORG-ACME')).toBe('designated');
    const adam = await as('u-adam');
    await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'read_only');
    try {
      expect(levelOn(await as('u-dave'), 'ORG-ACME')).toBe('read_only');
    } finally {
      await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'designated');
    }
    expect(levelOn(await as('u-dave'), 'ORG-ACME')).toBe('designated');
  });

  it('ACC-9: accepting the Terms takes effect on the very next request of a warm caller', async () => {
    const tina = await warm('u-tina');
    expect(tina.termsAccepted).toBe(false);
    await acceptTerms(deps, tina, CURRENT_TERMS.version);
    expect((await as('u-tina')).termsAccepted).toBe(true);
  });

  it("ACC-7: a change to the organisation that sold a membership reaches its holder's warm caller", async () => {
    // uma's membership on Umbrella was sold by Northwind: Northwind's item is in her caller.
    await warm('u-uma');
    const northwind = (await getOrg(ref(), 'ORG-NORTHWIND'))!;
    await putOrg(ref(), { ...northwind, name: 'Northwind Renamed' });
    try {
      expect((await as('u-uma')).orgs.get('ORG-NORTHWIND')?.name).toBe('Northwind Renamed');
    } finally {
      await putOrg(ref(), northwind);
    }
  });

  it("ACC-7: an end user leaving its partner takes the partner's membership to basic on the next request", async () => {
    expect(levelOn(await warm('u-paula'), 'ORG-UMBRELLA')).toBe('designated');
    expect(levelOn(await warm('u-uma'), 'ORG-UMBRELLA')).toBe('read_only');
    const umbrella = (await getOrg(ref(), 'ORG-UMBRELLA'))!;
    const { managedBy: _partner, ...alone } = umbrella;
    await putOrg(ref(), alone);
    try {
      expect(levelOn(await as('u-paula'), 'ORG-UMBRELLA')).toBe('basic');
    } finally {
      await putOrg(ref(), umbrella);
    }
    expect(levelOn(await as('u-paula'), 'ORG-UMBRELLA')).toBe('designated');
  });

  it('ACC-5: a rebuild that a level change overtakes serves only its own request and is not stored', async () => {
    await warm('u-dave');
    const adam = await as('u-adam');
    // Another request of dave's finds the snapshot invalidated (a settings change) and rebuilds.
    await deps.subscriptions.saveSettings('u-dave', (await as('u-dave')).user!.settings, [], new Date().toISOString());
    // Between its read of dave's memberships and its store, an admin demotes him.
    before = async (command) => {
      if (command.constructor.name !== 'BatchGetCommand') return;
      before = undefined;
      await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'read_only');
    };
    try {
      const raced = await as('u-dave');
      expect(levelOn(raced, 'ORG-ACME')).toBe('designated'); // read before the change: this request only
      expect((await snapshotItem('u-dave'))?.snapshot).toBeUndefined();
      expect(levelOn(await as('u-dave'), 'ORG-ACME')).toBe('read_only');
    } finally {
      before = undefined;
      await setMemberLevel(deps, adam, 'ORG-ACME', 'u-dave', 'designated');
    }
  });

  it('a write over more snapshots than a transaction holds marks them pending: no caller is stored meanwhile', async () => {
    await warm('u-dana');
    const genBefore = Number((await snapshotItem('u-dana'))?.gen);
    const others = Array.from({ length: 120 }, (_, i) => `u-bulk-${i}`);
    const danaProfile = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.user('u-dana') }))).Item!;
    let during: { stored: unknown; pending: unknown } | undefined;
    const bulk = { doc: counting(db.doc), table: db.tableName };
    before = async (command) => {
      if (command.constructor.name !== 'TransactWriteCommand') return;
      before = undefined;
      await as('u-dana');
      const item = await snapshotItem('u-dana');
      during = { stored: item?.snapshot, pending: item?.pending };
    };
    await writeInvalidating(
      bulk,
      [{ Put: { TableName: db.tableName, Item: { ...danaProfile, phone: '+15550100' } } }],
      ['u-dana', ...others],
    );
    expect(during).toEqual({ stored: undefined, pending: 1 });
    const after = await snapshotItem('u-dana');
    expect(after).toMatchObject({ pending: 0, gen: genBefore + 2 });
    expect(after?.snapshot).toBeUndefined();
    expect((await as('u-dana')).user?.phone).toBe('+15550100');
    expect(typeof (await snapshotItem('u-dana'))?.snapshot).toBe('string');
  });
});
