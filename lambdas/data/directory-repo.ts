/**
 * Organisations, combinations, users and memberships: one exported function per access pattern.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CallerSource, ContractRef, DirectoryGuard, DirectoryRepo, MembershipGuard } from '../domain/access/ports';
import type { Combination, Membership, Org, OrgEvent, User } from '../domain/kernel/types';
import type { TableRef } from './client';
import {
  keys,
  membershipIndexKeys,
  orgIndexKeys,
  soldToMemberIndexKeys,
  soldToMembersPartition,
  staffGroupKeys,
  staffRoleIndexKeys,
  userIndexKeys,
} from './keys';
import { fromItem, guardedPut, lostRace } from './items';
import { inIndexPartition, inPartition, queryAll } from './paging';
import { TABLE } from './table';

const BATCH_GET_LIMIT = 100;

/** Every item of `itemKeys` that exists, 100 keys a call; the one place that retries UnprocessedKeys. */
export const batchGet = async (
  ref: TableRef,
  itemKeys: Record<string, string>[],
  consistent = false,
): Promise<Record<string, unknown>[]> => {
  const unique = [...new Map(itemKeys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let request: Record<string, unknown>[] | undefined = unique.slice(i, i + BATCH_GET_LIMIT);
    // UnprocessedKeys come back under throttling; retry them rather than losing items.
    for (let attempt = 0; request && request.length > 0 && attempt < 5; attempt++) {
      const res = await ref.doc.send(
        new BatchGetCommand({
          RequestItems: { [ref.table]: { Keys: request, ...(consistent ? { ConsistentRead: true } : {}) } },
        }),
      );
      out.push(...(res.Responses?.[ref.table] ?? []));
      request = res.UnprocessedKeys?.[ref.table]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
};

/** Profile and memberships share the user's partition: one Query reads both. */
export const getUserWithMemberships = async (
  ref: TableRef,
  userId: string,
  consistent = false,
): Promise<{ user: User; memberships: Membership[] } | undefined> => {
  const res = await ref.doc.send(
    new QueryCommand({
      TableName: ref.table,
      ...(consistent ? { ConsistentRead: true } : {}),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.userPartition(userId) },
    }),
  );
  const items = res.Items ?? [];
  const profile = items.find((i) => i.SK === keys.user(userId).SK);
  if (!profile) return undefined;
  return {
    user: fromItem<User>(profile),
    memberships: items.filter((i) => String(i.SK).startsWith(keys.membershipPrefix)).map((i) => fromItem<Membership>(i)),
  };
};

export const getOrgs = async (ref: TableRef, orgIds: string[], opts: { consistent?: boolean } = {}): Promise<Org[]> =>
  (await batchGet(ref, orgIds.map(keys.org), opts.consistent)).map((i) => fromItem<Org>(i));

export const getOrg = async (ref: TableRef, orgId: string): Promise<Org | undefined> => (await getOrgs(ref, [orgId]))[0];

export const getCombinations = async (
  ref: TableRef,
  pairs: { endUserOrgId: string; soldToOrgId: string }[],
  opts: { consistent?: boolean } = {},
): Promise<Combination[]> =>
  (
    await batchGet(
      ref,
      pairs.map((p) => keys.combination(p.endUserOrgId, p.soldToOrgId)),
      opts.consistent,
    )
  ).map((i) => fromItem<Combination>(i));

/*
 * The caller snapshot (ACC-4, ACC-5, ACC-9: access changes take effect on the next request).
 *
 * CALLER#<user> holds, as one JSON attribute, everything that resolves the user as a caller (the
 * profile, the memberships, the organisations and combinations they name), and `gen`, a count
 * every write to one of those sources bumps in the same transaction as that write, removing the
 * snapshot. A request reads the item (one strongly consistent GetItem); with a snapshot it is done.
 * Without one it reads the sources as before, strongly consistently, and stores them only if
 * `gen` is still what it read: a write that landed in between fails the condition, and the rebuilt
 * caller serves this request only, so a stale rebuild is never cached.
 *
 * A write that would touch more snapshots than a transaction holds (an organisation with many
 * members) marks them `pending` first, writes, then clears the mark (writeInvalidating): while a
 * mark is on, readers neither use nor store a snapshot. A writer that dies between mark and clear
 * leaves its users uncached (correct, slower) until an operator removes the mark.
 *
 * What the item cannot see, and so the age limit bounds: a membership written so close to a change
 * of its organisation that the members index did not yet show it when the organisation's members
 * were looked up (index propagation, usually well under a second).
 */
export const SNAPSHOT_FORMAT = 1;
/** A snapshot older than this is rebuilt whatever its generation (the bound above). */
export const SNAPSHOT_MAX_AGE_MS = 10 * 60_000;
/** Far below DynamoDB's 400 KB item limit; a caller larger than this (hundreds of memberships) is not cached. */
const SNAPSHOT_MAX_CHARS = 300_000;
const TRANSACT_LIMIT = 100;
const PENDING_CONCURRENCY = 10;

/** The sources read as they are now, strongly consistently (what a snapshot is built from). */
export const readCallerSource = async (ref: TableRef, userId: string): Promise<CallerSource | undefined> => {
  const found = await getUserWithMemberships(ref, userId, true);
  if (!found) return undefined;
  const { user, memberships } = found;
  const orgIds = [...new Set(memberships.flatMap((m) => [m.orgId, m.soldToOrgId]))];
  const [orgs, combinations] = await Promise.all([
    getOrgs(ref, orgIds, { consistent: true }),
    getCombinations(
      ref,
      memberships.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId })),
      { consistent: true },
    ),
  ]);
  return { user, memberships, orgs, combinations };
};

const snapshotOf = (item: Record<string, unknown>, now: number): CallerSource | undefined => {
  if (typeof item.snapshot !== 'string' || Number(item.pending ?? 0) > 0) return undefined;
  if (!(now - Number(item.builtAt ?? 0) < SNAPSHOT_MAX_AGE_MS)) return undefined;
  const parsed = JSON.parse(item.snapshot) as CallerSource & { format?: number };
  if (parsed.format !== SNAPSHOT_FORMAT) return undefined;
  const { user, memberships, orgs, combinations } = parsed;
  return { user, memberships, orgs, combinations };
};

/** Stores a rebuilt snapshot only if no write bumped the generation since `readGen` (undefined: no item then). */
const storeSnapshot = async (ref: TableRef, userId: string, source: CallerSource, readGen: number | undefined) => {
  const snapshot = JSON.stringify({ format: SNAPSHOT_FORMAT, ...source });
  if (snapshot.length > SNAPSHOT_MAX_CHARS) return;
  try {
    await ref.doc.send(
      new PutCommand({
        TableName: ref.table,
        Item: {
          ...keys.callerSnapshot(userId),
          entity: 'caller-snapshot',
          gen: readGen ?? 0,
          builtAt: Date.now(),
          snapshot,
        },
        ...(readGen === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
            }
          : {
              ConditionExpression: '#gen = :gen AND (attribute_not_exists(#pending) OR #pending <= :zero)',
              ExpressionAttributeNames: { '#gen': 'gen', '#pending': 'pending' },
              ExpressionAttributeValues: { ':gen': readGen, ':zero': 0 },
            }),
      }),
    );
  } catch (err) {
    // A write changed the caller after we read it: this request keeps its rebuild, nobody else does.
    if (err instanceof ConditionalCheckFailedException) return;
    throw err;
  }
};

/** The caller's sources: from the snapshot in one read, or rebuilt (and stored unless a write raced it). */
export const getCallerSource = async (ref: TableRef, userId: string): Promise<CallerSource | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: keys.callerSnapshot(userId), ConsistentRead: true }),
  );
  const item = res?.Item;
  const cached = item && snapshotOf(item, Date.now());
  if (cached) return cached;
  const source = await readCallerSource(ref, userId);
  const pending = Number(item?.pending ?? 0) > 0;
  if (source && !pending) await storeSnapshot(ref, userId, source, item ? Number(item.gen ?? 0) : undefined);
  return source;
};

/** Users' partitions read at once when their snapshots are missing or stale. */
const SOURCE_QUERY_CONCURRENCY = 16;

/**
 * Many users' caller sources (delivery of one event to a chunk of recipients): their snapshots by
 * BatchGetItem, 100 a call; those missing or stale are rebuilt from their partitions, with their
 * organisations and combinations read once for all of them (recipients of one event mostly share
 * them). A rebuilt source is not stored: the snapshot serves a user's next requests, which a
 * notification does not predict, and storing it would add a write per recipient.
 */
export const getCallerSources = async (ref: TableRef, userIds: string[]): Promise<Map<string, CallerSource>> => {
  const ids = [...new Set(userIds)];
  return callerSourcesFrom(ref, ids, await batchGet(ref, ids.map(keys.callerSnapshot), true));
};

/**
 * The users' caller sources from their snapshot items as a batch read them (strongly consistent),
 * the missing or stale rebuilt as getCallerSources says; for a read that batches other items with
 * the snapshots (a delivery chunk's device lists).
 */
export const callerSourcesFrom = async (
  ref: TableRef,
  ids: string[],
  snapshotItems: Record<string, unknown>[],
): Promise<Map<string, CallerSource>> => {
  const now = Date.now();
  const out = new Map<string, CallerSource>();
  for (const item of snapshotItems) {
    const userId = String(item.PK).slice(keys.callerSnapshot('').PK.length);
    const cached = snapshotOf(item, now);
    if (cached) out.set(userId, cached);
  }
  const misses = ids.filter((id) => !out.has(id));
  const found: { user: User; memberships: Membership[] }[] = [];
  for (let i = 0; i < misses.length; i += SOURCE_QUERY_CONCURRENCY) {
    const page = await Promise.all(
      misses.slice(i, i + SOURCE_QUERY_CONCURRENCY).map((id) => getUserWithMemberships(ref, id, true)),
    );
    for (const f of page) if (f) found.push(f);
  }
  if (!found.length) return out;
  const memberships = found.flatMap((f) => f.memberships);
  const [orgs, combinations] = await Promise.all([
    getOrgs(ref, [...new Set(memberships.flatMap((m) => [m.orgId, m.soldToOrgId]))], { consistent: true }),
    getCombinations(
      ref,
      memberships.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId })),
      { consistent: true },
    ),
  ]);
  for (const { user, memberships: own } of found) {
    const orgIds = new Set(own.flatMap((m) => [m.orgId, m.soldToOrgId]));
    const pairs = new Set(own.map((m) => `${m.orgId}|${m.soldToOrgId}`));
    out.set(user.userId, {
      user,
      memberships: own,
      orgs: orgs.filter((o) => orgIds.has(o.orgId)),
      combinations: combinations.filter((c) => pairs.has(`${c.endUserOrgId}|${c.soldToOrgId}`)),
    });
  }
  return out;
};

/** The transaction item that invalidates a user's snapshot: written with every change to its sources. */
export const callerInvalidation = (table: string, userId: string) => ({
  Update: {
    TableName: table,
    Key: keys.callerSnapshot(userId),
    UpdateExpression: 'SET #entity = :entity ADD #gen :one REMOVE #snapshot',
    ExpressionAttributeNames: { '#entity': 'entity', '#gen': 'gen', '#snapshot': 'snapshot' },
    ExpressionAttributeValues: { ':entity': 'caller-snapshot', ':one': 1 },
  },
});

const markPending = async (ref: TableRef, userIds: string[], delta: 1 | -1) => {
  for (let i = 0; i < userIds.length; i += PENDING_CONCURRENCY) {
    await Promise.all(
      userIds.slice(i, i + PENDING_CONCURRENCY).map((userId) =>
        ref.doc.send(
          new UpdateCommand({
            TableName: ref.table,
            Key: keys.callerSnapshot(userId),
            UpdateExpression: 'SET #entity = :entity ADD #gen :one, #pending :delta REMOVE #snapshot',
            ExpressionAttributeNames: { '#entity': 'entity', '#gen': 'gen', '#pending': 'pending', '#snapshot': 'snapshot' },
            ExpressionAttributeValues: { ':entity': 'caller-snapshot', ':one': 1, ':delta': delta },
          }),
        ),
      ),
    );
  }
};

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes `items` and invalidates the snapshots of `userIds` with them: in the same transaction when
 * it fits, otherwise marked pending around the write (see above). False when the condition of one
 * of the `guarded` items failed (another change got there first): nothing was written.
 */
export const writeInvalidating = async (
  ref: TableRef,
  items: TransactItem[],
  userIds: string[],
  guarded: number[] = [],
): Promise<boolean> => {
  const users = [...new Set(userIds)];
  const run = async (transactItems: TransactItem[]) => {
    try {
      await ref.doc.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return true;
    } catch (err) {
      if (guarded.some((i) => lostRace(err, i))) return false;
      throw err;
    }
  };
  // The invalidations go last, so the guarded items keep their positions.
  if (items.length + users.length <= TRANSACT_LIMIT)
    return run([...items, ...users.map((u) => callerInvalidation(ref.table, u))]);
  await markPending(ref, users, 1);
  try {
    return await run(items);
  } finally {
    await markPending(ref, users, -1);
  }
};

/** The members index partition of the organisation's sales to others: who holds a membership it sold. */
const soldToMemberIds = async (ref: TableRef, orgId: string): Promise<string[]> => {
  const index = TABLE.indexes.byModified;
  const items = await queryAll(ref, inIndexPartition(index, soldToMembersPartition(orgId)));
  return items.map((i) => String(i.userId));
};

/** Whose caller carries the organisation: its members, and the holders of memberships it sold. */
export const callersOfOrg = async (ref: TableRef, orgId: string): Promise<string[]> => {
  const [members, buyers] = await Promise.all([listOrgMembers(ref, orgId), soldToMemberIds(ref, orgId)]);
  return [...new Set([...members.map((m) => m.userId), ...buyers])];
};

/** Whose caller carries the combination: the members holding a membership on it. */
export const callersOfCombination = async (ref: TableRef, c: Pick<Combination, 'endUserOrgId' | 'soldToOrgId'>) =>
  (await listOrgMembers(ref, c.endUserOrgId)).filter((m) => m.soldToOrgId === c.soldToOrgId).map((m) => m.userId);

const orgItem = (org: Org) => ({ ...keys.org(org.orgId), ...orgIndexKeys(org.name, org.orgId), entity: 'org', ...org });
const combinationItem = (c: Combination) => ({ ...keys.combination(c.endUserOrgId, c.soldToOrgId), entity: 'combination', ...c });

/** An organisation as is, with its callers invalidated: the seed, tests and operators (the API writes through saveOrganisation). */
export const putOrg = async (ref: TableRef, org: Org) =>
  writeInvalidating(
    ref,
    [
      {
        Put: {
          TableName: ref.table,
          Item: orgItem(org),
        },
      },
    ],
    await callersOfOrg(ref, org.orgId),
  );

/** A combination as is, with its callers invalidated: the seed, tests and operators (the API writes through saveCombination). */
export const putCombination = async (ref: TableRef, c: Combination) =>
  writeInvalidating(
    ref,
    [
      {
        Put: { TableName: ref.table, Item: combinationItem(c) },
      },
    ],
    await callersOfCombination(ref, c),
  );

/** ACC-4: where a contract lives, by its id. */
export const findContract = async (ref: TableRef, contractId: string): Promise<ContractRef | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.contract(contractId), ConsistentRead: true }));
  return res.Item ? fromItem<ContractRef>(res.Item) : undefined;
};

/**
 * ACC-5: the transaction item that moves the organisation's membership version from the one a
 * change was decided at to the next; its condition fails when another change got there first.
 */
const bumpMembersVersion = (ref: TableRef, orgId: string, read: number) => ({
  Update: {
    TableName: ref.table,
    Key: keys.membersVersion(orgId),
    UpdateExpression: 'SET #version = :next, #entity = :entity',
    ConditionExpression: read === 0 ? 'attribute_not_exists(#version)' : '#version = :read',
    ExpressionAttributeNames: { '#version': 'version', '#entity': 'entity' },
    ExpressionAttributeValues: { ':next': read + 1, ':entity': 'members-version', ...(read === 0 ? {} : { ':read': read }) },
  },
});

const orgEventPut = (ref: TableRef, e: OrgEvent) => ({
  Put: { TableName: ref.table, Item: { ...keys.orgEvent(e.orgId, e.eventId), entity: 'org-event', ...e } },
});

/**
 * ACC-1: the organisation and its events, at the membership version read (bumped): a change of
 * the organisation (its partner, ACC-7) can move its levels, so it serialises with level changes.
 */
export const saveOrganisation = async (ref: TableRef, org: Org, events: OrgEvent[], guard: DirectoryGuard): Promise<boolean> =>
  writeInvalidating(
    ref,
    [
      bumpMembersVersion(ref, org.orgId, guard.membersVersion),
      { Put: { TableName: ref.table, Item: orgItem(org) } },
      ...events.map((e) => orgEventPut(ref, e)),
    ],
    await callersOfOrg(ref, org.orgId),
    [0],
  );

/**
 * ACC-1, ACC-4: the combination with its contracts (a contract's status is a field of its
 * combination, so terminating or reinstating one is this write), each contract's pointer, and
 * the events, at the end user's membership version read (bumped). A pointer is written only
 * while it is new or already names this combination: a contract never silently moves.
 */
export const saveCombination = async (
  ref: TableRef,
  c: Combination,
  events: OrgEvent[],
  guard: DirectoryGuard,
  contractIds: string[],
): Promise<boolean> =>
  writeInvalidating(
    ref,
    [
      bumpMembersVersion(ref, c.endUserOrgId, guard.membersVersion),
      { Put: { TableName: ref.table, Item: combinationItem(c) } },
      ...contractIds.map((contractId) => ({
        Put: {
          TableName: ref.table,
          Item: {
            ...keys.contract(contractId),
            entity: 'contract',
            contractId,
            endUserOrgId: c.endUserOrgId,
            soldToOrgId: c.soldToOrgId,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR (#e = :e AND #s = :s)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#e': 'endUserOrgId', '#s': 'soldToOrgId' },
          ExpressionAttributeValues: { ':e': c.endUserOrgId, ':s': c.soldToOrgId },
        },
      })),
      ...events.map((e) => orgEventPut(ref, e)),
    ],
    await callersOfCombination(ref, c),
    [0, ...contractIds.map((_, i) => i + 2)],
  );

export const putUser = async (ref: TableRef, user: User) => {
  await writeInvalidating(
    ref,
    [
      {
        Put: {
          TableName: ref.table,
          Item: {
            ...keys.user(user.userId),
            ...userIndexKeys(user.email),
            // FLAG-2, CHAT-2: staff are found by role (portal admins, managers) with a Query.
            ...(user.staff ? staffRoleIndexKeys(user.staff.role, user.userId) : {}),
            entity: 'user',
            ...user,
          },
        },
      },
    ],
    [user.userId],
  );
  // NOTE-1: and analysts by support group. An entry left from a group the user has left is
  // harmless: the notifier re-reads the profile and checks the group there.
  for (const group of user.staff?.supportGroups ?? []) {
    await ref.doc.send(
      new PutCommand({
        TableName: ref.table,
        Item: { ...staffGroupKeys(group, user.userId), entity: 'staff-group', userId: user.userId, supportGroup: group },
      }),
    );
  }
};

export const putMembership = (ref: TableRef, m: Membership) =>
  writeInvalidating(ref, [{ Put: { TableName: ref.table, Item: membershipItem(m) } }], [m.userId]);

/** Every organisation, by name (the ORGS partition of the name index; organisations are few). */
export const listOrgs = async (ref: TableRef, namePrefix = ''): Promise<Org[]> => {
  const index = TABLE.indexes.byPriority;
  const items = await queryAll(ref, {
    IndexName: index.name,
    // DynamoDB refuses an empty begins_with operand: no prefix means the whole partition.
    KeyConditionExpression: namePrefix ? '#ipk = :ipk AND begins_with(#isk, :prefix)' : '#ipk = :ipk',
    ExpressionAttributeNames: { '#ipk': index.partitionKey, ...(namePrefix ? { '#isk': index.sortKey } : {}) },
    ExpressionAttributeValues: { ':ipk': 'ORGS', ...(namePrefix ? { ':prefix': namePrefix.toLowerCase() } : {}) },
  });
  return items.map((i) => fromItem<Org>(i));
};

/** ACC-9: the version of the Terms the user accepted, and when. */
export const acceptTerms = async (ref: TableRef, userId: string, version: string, at: string): Promise<void> => {
  await writeInvalidating(
    ref,
    [
      {
        Update: {
          TableName: ref.table,
          Key: keys.user(userId),
          UpdateExpression: 'SET #v = :v, #at = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#v': 'termsVersion', '#at': 'termsAcceptedAt', '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: { ':v': version, ':at': at },
        },
      },
    ],
    [userId],
  );
};

/**
 * ACC-5: the memberships held on an organisation (the members index). The index is eventually
 * consistent; with `consistent`, the memberships it names are re-read from the table.
 */
export const listOrgMembers = async (
  ref: TableRef,
  orgId: string,
  opts: { consistent?: boolean } = {},
): Promise<Membership[]> => {
  const index = TABLE.indexes.byCreated;
  const items = await queryAll(ref, inIndexPartition(index, membershipIndexKeys(orgId, '')[index.partitionKey]));
  const found = items.map((i) => fromItem<Membership>(i));
  if (!opts.consistent || found.length === 0) return found;
  const fresh = await batchGet(
    ref,
    found.map((m) => keys.membership(m.userId, m.orgId, m.soldToOrgId)),
    true,
  );
  return fresh.map((i) => fromItem<Membership>(i));
};

/** ACC-5: the organisation's membership version, 0 before its first guarded level change. */
export const getMembersVersion = async (ref: TableRef, orgId: string): Promise<number> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.membersVersion(orgId), ConsistentRead: true }));
  return Number(res.Item?.version ?? 0);
};

export const membershipItem = (m: Membership) => ({
  ...keys.membership(m.userId, m.orgId, m.soldToOrgId),
  ...membershipIndexKeys(m.orgId, m.userId),
  ...soldToMemberIndexKeys(m),
  entity: 'membership',
  ...m,
});

/**
 * ACC-5: the membership and the organisation's events it causes, all or nothing. With `guard`,
 * only while the membership holds `fromLevel` and the organisation is at `membersVersion`,
 * which this write bumps; false when a concurrent change got there first.
 */
export const saveMembership = async (
  ref: TableRef,
  m: Membership,
  events: OrgEvent[],
  guard?: MembershipGuard,
): Promise<boolean> => {
  const membership = guard
    ? guardedPut(ref.table, membershipItem(m), 'level', guard.fromLevel)
    : { Put: { TableName: ref.table, Item: membershipItem(m) } };
  const items = [
    membership,
    ...(guard ? [bumpMembersVersion(ref, m.orgId, guard.membersVersion)] : []),
    ...events.map((e) => orgEventPut(ref, e)),
  ];
  return writeInvalidating(ref, items, [m.userId], guard ? [0, 1] : []);
};

/** ACC-5: an organisation's events, oldest first (what the notifications fan-out will read). */
export const listOrgEvents = async (ref: TableRef, orgId: string): Promise<OrgEvent[]> =>
  (await queryAll(ref, inPartition(keys.org(orgId).PK, keys.orgEventPrefix))).map((i) => fromItem<OrgEvent>(i));

/** FLAG-2, CHAT-2: staff of one role (portal admins, managers), by Query on their partition of the person index. */
export const staffByRole = async (ref: TableRef, role: string): Promise<User[]> => {
  const index = TABLE.indexes.byPerson;
  const items = await queryAll(ref, inIndexPartition(index, staffRoleIndexKeys(role, '')[index.partitionKey]));
  return items.map((i) => fromItem<User>(i));
};

/** NOTE-1: the ids of the staff in one support group, by Query on its partition of the person index. */
export const staffOfGroup = async (ref: TableRef, group: string): Promise<string[]> => {
  const index = TABLE.indexes.byPerson;
  const items = await queryAll(ref, {
    IndexName: index.name,
    KeyConditionExpression: '#ipk = :ipk',
    ExpressionAttributeNames: { '#ipk': index.partitionKey },
    ExpressionAttributeValues: { ':ipk': staffGroupKeys(group, '')[index.partitionKey] },
  });
  return [...new Set(items.map((i) => String(i.userId)))];
};

export const directoryRepo = (ref: TableRef): DirectoryRepo => ({
  getUserWithMemberships: (userId) => getUserWithMemberships(ref, userId),
  getCallerSource: (userId) => getCallerSource(ref, userId),
  getCallerSources: (userIds) => getCallerSources(ref, userIds),
  getOrgs: (orgIds, opts) => getOrgs(ref, orgIds, opts),
  getCombinations: (pairs, opts) => getCombinations(ref, pairs, opts),
  findContract: (contractId) => findContract(ref, contractId),
  saveOrganisation: (org, events, guard) => saveOrganisation(ref, org, events, guard),
  saveCombination: (c, events, guard, contractIds) => saveCombination(ref, c, events, guard, contractIds),
  listOrgs: (prefix) => listOrgs(ref, prefix),
  listOrgMembers: (orgId, opts) => listOrgMembers(ref, orgId, opts),
  saveMembership: (m, events, guard) => saveMembership(ref, m, events, guard),
  getMembersVersion: (orgId) => getMembersVersion(ref, orgId),
  acceptTerms: (userId, version, at) => acceptTerms(ref, userId, version, at),
});
