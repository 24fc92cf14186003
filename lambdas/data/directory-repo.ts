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
} from '@aws-sdk/lib-dynamodb';
import type { DirectoryRepo, MembershipGuard } from '../domain/access/ports';
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

export const getOrgs = async (ref: TableRef, orgIds: string[]): Promise<Org[]> =>
  (await batchGet(ref, orgIds.map(keys.org))).map((i) => fromItem<Org>(i));

export const getOrg = async (ref: TableRef, orgId: string): Promise<Org | undefined> => (await getOrgs(ref, [orgId]))[0];

export const getCombinations = async (
  ref: TableRef,
  pairs: { endUserOrgId: string; soldToOrgId: string }[],
): Promise<Combination[]> =>
  (
    await batchGet(
      ref,
      pairs.map((p) => keys.combination(p.endUserOrgId, p.soldToOrgId)),
    )
  ).map((i) => fromItem<Combination>(i));

export const putOrg = (ref: TableRef, org: Org) =>
  ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: { ...keys.org(org.orgId), ...orgIndexKeys(org.name, org.orgId), entity: 'org', ...org },
    }),
  );

export const putCombination = (ref: TableRef, c: Combination) =>
  ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: { ...keys.combination(c.endUserOrgId, c.soldToOrgId), entity: 'combination', ...c },
    }),
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
  const guarded = guard
    ? [
        {
          Put: {
            TableName: ref.table,
            Item: membershipItem(m),
            ConditionExpression: '#level = :from',
            ExpressionAttributeNames: { '#level': 'level' },
            ExpressionAttributeValues: { ':from': guard.fromLevel },
          },
        },
        {
          Update: {
            TableName: ref.table,
            Key: keys.membersVersion(m.orgId),
            UpdateExpression: 'SET #version = :next, #entity = :entity',
            ConditionExpression: guard.membersVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :read',
            ExpressionAttributeNames: { '#version': 'version', '#entity': 'entity' },
            ExpressionAttributeValues: {
              ':next': guard.membersVersion + 1,
              ':entity': 'members-version',
              ...(guard.membersVersion === 0 ? {} : { ':read': guard.membersVersion }),
            },
          },
        },
      ]
    : [{ Put: { TableName: ref.table, Item: membershipItem(m) } }];
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          ...guarded,
          ...events.map((e) => ({
            Put: { TableName: ref.table, Item: { ...keys.orgEvent(e.orgId, e.eventId), entity: 'org-event', ...e } },
          })),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (guard && (lostRace(err, 0) || lostRace(err, 1))) return false;
    throw err;
  }
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
  getOrgs: (orgIds) => getOrgs(ref, orgIds),
  getCombinations: (pairs) => getCombinations(ref, pairs),
  listOrgs: (prefix) => listOrgs(ref, prefix),
  listOrgMembers: (orgId, opts) => listOrgMembers(ref, orgId, opts),
  saveMembership: (m, events, guard) => saveMembership(ref, m, events, guard),
  getMembersVersion: (orgId) => getMembersVersion(ref, orgId),
  acceptTerms: (userId, version, at) => acceptTerms(ref, userId, version, at),
});
