/**
 * NOTE-2 subscriptions: one exported function per access pattern.
 *
 * Access patterns (all Query or key reads; no index needed):
 * | pattern                                   | key                                                     |
 * | ----------------------------------------- | ------------------------------------------------------- |
 * | who follows a case (notifier)             | Query PK=CASE#<n>, SK begins_with SUB#                  |
 * | who wants a category of an org (notifier) | Query PK=ORG#<orgId>, SK begins_with SUB#, filter on it |
 * | one user's subscription to a case / org   | GetItem CASE#<n> / SUB#<userId>, ORG#<orgId> / SUB#<u>  |
 *
 * A case subscription holds a string set `sources` (`explicit`, `favorite`): removing a favorite
 * takes away its source only, and the entry goes when no source is left. An entry without
 * `sources` (possible only if a writer died between two steps it never takes) is not a
 * subscription: caseSubscribers skips it.
 *
 * An organisation subscription holds the four categories as booleans, and the mirror of the
 * user's alarm and maintenance settings: `alarms` ({ severity, excludeOrigins }) and
 * `maintenance` (true) are present only while the user wants them there.
 *
 * These items carry `entity` ('case-subscription', 'org-subscription'): stream consumers tell
 * them from the events they notify.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type SubscriptionRepo,
  ORG_CATEGORIES,
  type CaseSubscription,
  type OrgCategory,
  type OrgNotifyMirror,
  type OrgSubscription,
  type OrgSubscriptionChoice,
  type SubscriptionSource,
} from '../domain/notifications/ports';
import type { UserSettings } from '../domain/kernel/types';
import type { TableRef } from './client';
import { fromItem } from './items';
import { keys } from './keys';
import { inPartition, queryAll } from './paging';
import { TABLE } from './table';
import { writeInvalidating } from './directory-repo';

/** DynamoDB string sets arrive as Set; the domain speaks arrays, sorted for stable answers. */
const caseSubscriptionOf = (item: Record<string, unknown>): CaseSubscription => {
  const raw = fromItem<Record<string, unknown>>(item);
  const sources = raw.sources instanceof Set ? [...raw.sources] : Array.isArray(raw.sources) ? raw.sources : [];
  return { ...(raw as unknown as CaseSubscription), sources: (sources as SubscriptionSource[]).sort() };
};

/**
 * The update that adds `source` to a case subscription (creating it): shared with the favorites
 * transaction, which adds the `favorite` source in the same transaction as the favorite.
 */
export const addCaseSourceUpdate = (
  ref: TableRef,
  s: { caseNumber: string; userId: string; orgId: string },
  source: SubscriptionSource,
  at: string,
) => ({
  TableName: ref.table,
  Key: keys.caseSubscription(s.caseNumber, s.userId),
  UpdateExpression:
    'ADD #sources :source SET #entity = :entity, #caseNumber = :caseNumber, #userId = :userId, #orgId = :orgId, ' +
    '#createdAt = if_not_exists(#createdAt, :at), #updatedAt = :at',
  ExpressionAttributeNames: {
    '#sources': 'sources',
    '#entity': 'entity',
    '#caseNumber': 'caseNumber',
    '#userId': 'userId',
    '#orgId': 'orgId',
    '#createdAt': 'createdAt',
    '#updatedAt': 'updatedAt',
  },
  ExpressionAttributeValues: {
    ':source': new Set([source]),
    ':entity': 'case-subscription',
    ':caseNumber': s.caseNumber,
    ':userId': s.userId,
    ':orgId': s.orgId,
    ':at': at,
  },
});

export const addCaseSource = async (
  ref: TableRef,
  s: { caseNumber: string; userId: string; orgId: string },
  source: SubscriptionSource,
  at: string,
): Promise<CaseSubscription> => {
  const out = await ref.doc.send(new UpdateCommand({ ...addCaseSourceUpdate(ref, s, source, at), ReturnValues: 'ALL_NEW' }));
  return caseSubscriptionOf(out.Attributes ?? {});
};

export const deleteCaseSubscription = async (ref: TableRef, caseNumber: string, userId: string): Promise<void> => {
  await ref.doc.send(new DeleteCommand({ TableName: ref.table, Key: keys.caseSubscription(caseNumber, userId) }));
};

export const getCaseSubscription = async (
  ref: TableRef,
  caseNumber: string,
  userId: string,
  consistent = false,
): Promise<CaseSubscription | undefined> => {
  const out = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: keys.caseSubscription(caseNumber, userId), ConsistentRead: consistent }),
  );
  return out.Item ? caseSubscriptionOf(out.Item) : undefined;
};

/** The notifier's read for a case event: one Query on the case's partition. */
export const caseSubscribers = async (ref: TableRef, caseNumber: string): Promise<CaseSubscription[]> =>
  (
    await queryAll(
      ref,
      inPartition(keys.casePartition(caseNumber), keys.subscriptionPrefix, {
        expression: 'attribute_exists(#sources)',
        names: { '#sources': 'sources' },
      }),
    )
  ).map(caseSubscriptionOf);

const orgSubscriptionOf = (item: Record<string, unknown>): OrgSubscription => fromItem<OrgSubscription>(item);

export const getOrgSubscription = async (ref: TableRef, orgId: string, userId: string): Promise<OrgSubscription | undefined> => {
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.orgSubscription(orgId, userId) }));
  return out.Item ? orgSubscriptionOf(out.Item) : undefined;
};

/**
 * One UpdateItem on ORG#<orgId> / SUB#<userId>: the categories given are set, the others keep
 * their value (false for a new entry), and the mirror's alarms and maintenance are set or removed.
 */
const orgSubscriptionUpdate = (
  ref: TableRef,
  s: { orgId: string; userId: string },
  change: Partial<OrgSubscriptionChoice>,
  mirror: OrgNotifyMirror,
  at: string,
) => {
  const names: Record<string, string> = {
    '#entity': 'entity',
    '#orgId': 'orgId',
    '#userId': 'userId',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = { ':entity': 'org-subscription', ':orgId': s.orgId, ':userId': s.userId, ':at': at };
  const set = ['#entity = :entity', '#orgId = :orgId', '#userId = :userId', '#updatedAt = :at'];
  const remove: string[] = [];
  for (const category of ORG_CATEGORIES) {
    names[`#${category}`] = category;
    const given = change[category];
    if (given === undefined) {
      // Only when used: DynamoDB refuses an unused value (every category given was a 500; found by the fuzz).
      values[':false'] = false;
      set.push(`#${category} = if_not_exists(#${category}, :false)`);
    } else {
      values[`:${category}`] = given;
      set.push(`#${category} = :${category}`);
    }
  }
  names['#alarms'] = 'alarms';
  names['#maintenance'] = 'maintenance';
  if (mirror.alarms) {
    values[':alarms'] = mirror.alarms;
    set.push('#alarms = :alarms');
  } else remove.push('#alarms');
  if (mirror.maintenance) {
    values[':maintenance'] = true;
    set.push('#maintenance = :maintenance');
  } else remove.push('#maintenance');
  return {
    TableName: ref.table,
    Key: keys.orgSubscription(s.orgId, s.userId),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

export const putOrgSubscription = async (
  ref: TableRef,
  s: { orgId: string; userId: string },
  change: Partial<OrgSubscriptionChoice>,
  mirror: OrgNotifyMirror,
  at: string,
): Promise<OrgSubscription> => {
  const out = await ref.doc.send(
    new UpdateCommand({ ...orgSubscriptionUpdate(ref, s, change, mirror, at), ReturnValues: 'ALL_NEW' }),
  );
  return orgSubscriptionOf(out.Attributes ?? {});
};

/** The notifier's read for an organisation event: one Query on the organisation's partition. */
export const orgSubscribers = async (
  ref: TableRef,
  orgId: string,
  category: OrgCategory | 'alarms' | 'maintenance',
): Promise<OrgSubscription[]> =>
  (
    await queryAll(
      ref,
      inPartition(keys.org(orgId).PK, keys.subscriptionPrefix, {
        expression: category === 'alarms' ? 'attribute_exists(#c)' : '#c = :true',
        names: { '#c': category },
        values: category === 'alarms' ? {} : { ':true': true },
      }),
    )
  ).map(orgSubscriptionOf);

/**
 * NOTE-4: the settings on the profile and, when alarm or maintenance choices changed, their
 * mirror on each organisation entry, in one transaction (categories untouched).
 */
export const saveSettings = async (
  ref: TableRef,
  userId: string,
  settings: UserSettings,
  mirrors: OrgNotifyMirror[],
  at: string,
): Promise<void> => {
  const profile = {
    TableName: ref.table,
    Key: keys.user(userId),
    UpdateExpression: 'SET #s = :s',
    ConditionExpression: 'attribute_exists(#pk)',
    ExpressionAttributeNames: { '#s': 'settings', '#pk': TABLE.partitionKey },
    ExpressionAttributeValues: { ':s': settings },
  };
  // The caller carries the settings (ACC-9's profile, NOTE-4's defaults): its snapshot goes with them.
  await writeInvalidating(
    ref,
    [{ Update: profile }, ...mirrors.map((m) => ({ Update: orgSubscriptionUpdate(ref, { orgId: m.orgId, userId }, {}, m, at) }))],
    [userId],
  );
};

export const subscriptionRepo = (ref: TableRef): SubscriptionRepo => ({
  addCaseSource: (s, source, at) => addCaseSource(ref, s, source, at),
  deleteCaseSubscription: (caseNumber, userId) => deleteCaseSubscription(ref, caseNumber, userId),
  getCaseSubscription: (caseNumber, userId) => getCaseSubscription(ref, caseNumber, userId),
  caseSubscribers: (caseNumber) => caseSubscribers(ref, caseNumber),
  getOrgSubscription: (orgId, userId) => getOrgSubscription(ref, orgId, userId),
  putOrgSubscription: (s, change, mirror, at) => putOrgSubscription(ref, s, change, mirror, at),
  orgSubscribers: (orgId, category) => orgSubscribers(ref, orgId, category),
  saveSettings: (userId, settings, mirrors, at) => saveSettings(ref, userId, settings, mirrors, at),
});
