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
import type { ContractRef, DirectoryGuard, DirectoryRepo, MembershipGuard } from '../domain/access/ports';
import type { Combination, Membership, Org, OrgEvent, User } from '../domain/kernel/types';
import type { TableRef } from './client';
import { keys, membershipIndexKeys, orgIndexKeys, staffGroupKeys, staffRoleIndexKeys, userIndexKeys } from './keys';
import { fromItem, lostRace } from './items';
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
): Promise<{ user: User; memberships: Membership[] } | undefined> => {
  const res = await ref.doc.send(
    new QueryCommand({
      TableName: ref.table,
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

const orgItem = (org: Org) => ({ ...keys.org(org.orgId), ...orgIndexKeys(org.name, org.orgId), entity: 'org', ...org });
const combinationItem = (c: Combination) => ({ ...keys.combination(c.endUserOrgId, c.soldToOrgId), entity: 'combination', ...c });

/** An organisation as is, unguarded: for tests that set the directory up (the API writes through saveOrganisation). */
export const putOrg = (ref: TableRef, org: Org) => ref.doc.send(new PutCommand({ TableName: ref.table, Item: orgItem(org) }));

/** A combination as is, unguarded: for tests that set the directory up (the API writes through saveCombination). */
export const putCombination = (ref: TableRef, c: Combination) =>
  ref.doc.send(new PutCommand({ TableName: ref.table, Item: combinationItem(c) }));

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

/** Runs a transaction; false when one of the `guarded` items' conditions failed (another change got there first). */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const guardedWrite = async (ref: TableRef, items: TransactItem[], guarded: number[]): Promise<boolean> => {
  try {
    await ref.doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (err) {
    if (guarded.some((i) => lostRace(err, i))) return false;
    throw err;
  }
};

/**
 * ACC-1: the organisation and its events, at the membership version read (bumped): a change of
 * the organisation (its partner, ACC-7) can move its levels, so it serialises with level changes.
 */
export const saveOrganisation = (ref: TableRef, org: Org, events: OrgEvent[], guard: DirectoryGuard): Promise<boolean> =>
  guardedWrite(
    ref,
    [
      bumpMembersVersion(ref, org.orgId, guard.membersVersion),
      { Put: { TableName: ref.table, Item: orgItem(org) } },
      ...events.map((e) => orgEventPut(ref, e)),
    ],
    [0],
  );

/**
 * ACC-1, ACC-4: the combination with its contracts (a contract's status is a field of its
 * combination, so terminating or reinstating one is this write), each contract's pointer, and
 * the events, at the end user's membership version read (bumped). A pointer is written only
 * while it is new or already names this combination: a contract never silently moves.
 */
export const saveCombination = (
  ref: TableRef,
  c: Combination,
  events: OrgEvent[],
  guard: DirectoryGuard,
  contractIds: string[],
): Promise<boolean> =>
  guardedWrite(
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
    [0, ...contractIds.map((_, i) => i + 2)],
  );

export const putUser = async (ref: TableRef, user: User) => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: {
        ...keys.user(user.userId),
        ...userIndexKeys(user.email),
        // FLAG-2, CHAT-2: staff are found by role (portal admins, managers) with a Query.
        ...(user.staff ? staffRoleIndexKeys(user.staff.role, user.userId) : {}),
        entity: 'user',
        ...user,
      },
    }),
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
  ref.doc.send(new PutCommand({ TableName: ref.table, Item: membershipItem(m) }));

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
  await ref.doc.send(
    new UpdateCommand({
      TableName: ref.table,
      Key: keys.user(userId),
      UpdateExpression: 'SET #v = :v, #at = :at',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#v': 'termsVersion', '#at': 'termsAcceptedAt', '#pk': TABLE.partitionKey },
      ExpressionAttributeValues: { ':v': version, ':at': at },
    }),
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
    ? {
        Put: {
          TableName: ref.table,
          Item: membershipItem(m),
          ConditionExpression: '#level = :from',
          ExpressionAttributeNames: { '#level': 'level' },
          ExpressionAttributeValues: { ':from': guard.fromLevel },
        },
      }
    : { Put: { TableName: ref.table, Item: membershipItem(m) } };
  const items = [
    membership,
    ...(guard ? [bumpMembersVersion(ref, m.orgId, guard.membersVersion)] : []),
    ...events.map((e) => orgEventPut(ref, e)),
  ];
  return guardedWrite(ref, items, guard ? [0, 1] : []);
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
