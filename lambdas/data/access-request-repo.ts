/**
 * ACC-6 access requests and FLAG-2's pending partition: one exported function per access pattern.
 * A request is its own partition (ACCESSREQ#<id>); once confirmed it carries the deciding
 * company's list keys (GSI2), the admins' list keys (GSI3) and, while pending and unflagged, the
 * sparse waiting index keys (GSI5), so every list and the sweep are Queries.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessGrant, AccessRequestRepo } from '../domain/access/ports';
import type { Page, PageRequest, RateWindow } from '../domain/kernel/ports';
import { takeRateTokenUpdate } from './rate-limit-repo';
import type { AccessRequest, AuditEvent, User } from '../domain/kernel/types';
import type { MailJob } from '../domain/mail/ports';
import { mailIntentPuts, mailJobPut } from './outbox-repo';
import type { TableRef } from './client';
import { caseItem } from './case-repo';
import { batchGet, callerInvalidation, listOrgMembers, membershipItem } from './directory-repo';
import {
  accessKeys,
  accessRequestIndexKeys,
  accessRequestListPartition,
  keys,
  staffRoleIndexKeys,
  userIndexKeys,
  WAITING_ACCESS_PARTITION,
} from './keys';
import { appendPut, cancellation, eventItem, fromItem, lostRace, updateItem } from './items';
import { userIdByEmail } from './mail-repo';
import { staffByRole } from './directory-repo';
import { dueIn } from './waiting-repo';
import { inIndexPartition, queryPage } from './paging';
import { TABLE } from './table';

const { byModified, byCreated, waiting } = TABLE.indexes;

const requestItem = (r: AccessRequest, expiresAt: number) => ({
  ...accessKeys.request(r.requestId),
  entity: 'access-request',
  ...r,
  [TABLE.ttlAttribute]: expiresAt,
});

/** ACC-6: the request and every rate-limit counter, all or nothing. */
export const openRequest = async (
  ref: TableRef,
  r: AccessRequest,
  limits: RateWindow[],
  expiresAt: number,
  mail?: MailJob,
): Promise<'created' | 'exists' | { limited: RateWindow }> => {
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          appendPut(ref.table, requestItem(r, expiresAt)),
          ...limits.map((w) => ({ Update: takeRateTokenUpdate(ref.table, w) })),
          // Last, so the cancellation reasons above keep their positions.
          ...(mail ? [mailJobPut(ref.table, mail, expiresAt)] : []),
        ],
      }),
    );
    return 'created';
  } catch (err) {
    const c = cancellation(err);
    if (!c) throw err;
    // A replay (the same Idempotency-Key) is answered as such, even when a counter is full now.
    if (c.failed(0)) return 'exists';
    const full = limits.findIndex((_, i) => c.failed(i + 1));
    if (full >= 0) return { limited: limits[full] };
    throw err;
  }
};

export const getRequest = async (ref: TableRef, requestId: string): Promise<AccessRequest | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: accessKeys.request(requestId), ConsistentRead: true }),
  );
  return res.Item ? fromItem<AccessRequest>(res.Item) : undefined;
};

/** ACC-6: one attempt counted atomically, before any comparison, only while attempts remain. */
export const countAttempt = async (
  ref: TableRef,
  requestId: string,
  max: number,
  now: string,
): Promise<AccessRequest | undefined> => {
  try {
    const res = await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: accessKeys.request(requestId),
        UpdateExpression: 'ADD #attempts :one',
        ConditionExpression: '#status = :unconfirmed AND #attempts < :max AND #expires > :now',
        ExpressionAttributeNames: { '#attempts': 'attempts', '#status': 'status', '#expires': 'codeExpiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':unconfirmed': 'unconfirmed', ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem<AccessRequest>(res.Attributes!);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
};

/** SET for every attribute given, for an UpdateExpression; names and values prefixed by `tag`. */
const setAll = (values: Record<string, unknown>, tag: string) => {
  const names: Record<string, string> = {};
  const vals: Record<string, unknown> = {};
  const parts = Object.entries(values).map(([k, v], i) => {
    names[`#${tag}${i}`] = k;
    vals[`:${tag}${i}`] = v;
    return `#${tag}${i} = :${tag}${i}`;
  });
  return { parts, names, vals };
};

/** ACC-6: unconfirmed -> pending, with its list and waiting index keys, and the admin case opened. */
export const confirmRequest = async (
  ref: TableRef,
  r: AccessRequest,
  adminCase: AccessGrant['closedCase'],
  events: AuditEvent[] = [],
  mail?: readonly MailJob[],
): Promise<boolean> => {
  const set = setAll(
    {
      status: 'pending',
      confirmedAt: r.confirmedAt,
      caseNumber: r.caseNumber,
      ...accessRequestIndexKeys({ ...r, confirmedAt: r.confirmedAt! }),
    },
    's',
  );
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ref.table,
              Key: accessKeys.request(r.requestId),
              // Confirmed requests are kept: the TTL only clears requests nobody confirmed.
              UpdateExpression: `SET ${set.parts.join(', ')} REMOVE #ttl`,
              ConditionExpression: '#status = :unconfirmed',
              ExpressionAttributeNames: { ...set.names, '#status': 'status', '#ttl': TABLE.ttlAttribute },
              ExpressionAttributeValues: { ...set.vals, ':unconfirmed': 'unconfirmed' },
            },
          },
          appendPut(ref.table, caseItem(adminCase)),
          appendPut(ref.table, {
            ...keys.reference(adminCase.referenceId),
            entity: 'reference',
            caseNumber: adminCase.caseNumber,
          }),
          ...events.map((e) => appendPut(ref.table, eventItem(e))),
          // The approvers' mail, written with the confirmation that causes it.
          ...mailIntentPuts(ref.table, mail, r.confirmedAt ?? adminCase.createdAt),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (lostRace(err, 0)) return false;
    throw err;
  }
};

/** A new user's profile, written field by field only where missing: an existing user keeps theirs. */
const ensureUserUpdate = (ref: TableRef, u: User) => {
  const fields: Record<string, unknown> = {
    ...userIndexKeys(u.email),
    ...(u.staff ? staffRoleIndexKeys(u.staff.role, u.userId) : {}),
    entity: 'user',
    ...u,
  };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(fields).map(([k, v], i) => {
    names[`#u${i}`] = k;
    values[`:u${i}`] = v;
    return `#u${i} = if_not_exists(#u${i}, :u${i})`;
  });
  return {
    Update: {
      TableName: ref.table,
      Key: keys.user(u.userId),
      UpdateExpression: `SET ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** ACC-6: pending -> decided, the grant and the admin case's closing, all or nothing. */
export const decideRequest = async (
  ref: TableRef,
  r: AccessRequest,
  grant: AccessGrant | undefined,
  closing: Omit<AccessGrant, 'user' | 'memberships'>,
  mail?: readonly MailJob[],
): Promise<boolean> => {
  const set = setAll({ status: r.status, decision: r.decision, ...(r.userId ? { userId: r.userId } : {}) }, 'd');
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ref.table,
              Key: accessKeys.request(r.requestId),
              UpdateExpression: `SET ${set.parts.join(', ')} REMOVE #wpk, #wsk`,
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: {
                ...set.names,
                '#status': 'status',
                '#wpk': waiting.partitionKey,
                '#wsk': waiting.sortKey,
              },
              ExpressionAttributeValues: { ...set.vals, ':pending': 'pending' },
            },
          },
          {
            Put: {
              TableName: ref.table,
              Item: caseItem(closing.closedCase),
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': closing.caseVersion },
            },
          },
          ...closing.updates.map((u) => appendPut(ref.table, updateItem(u))),
          ...closing.events.map((e) => appendPut(ref.table, eventItem(e))),
          ...(grant
            ? [
                ensureUserUpdate(ref, grant.user),
                ...grant.memberships.map((m) => ({ Put: { TableName: ref.table, Item: membershipItem(m) } })),
                // ACC-6: the levels granted take effect on the requester's next request.
                ...[...new Set([grant.user.userId, ...grant.memberships.map((m) => m.userId)])].map((u) =>
                  callerInvalidation(ref.table, u),
                ),
              ]
            : []),
          // The requester's decision mail, written with the decision.
          ...mailIntentPuts(ref.table, mail, closing.closedCase.updatedAt),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (lostRace(err, 0) || lostRace(err, 1)) return false;
    throw err;
  }
};

/** A company's confirmed requests (GSI2) or every company's (GSI3), newest first. */
export const listFor = async (
  ref: TableRef,
  decidingOrgId: string | 'ALL',
  status: AccessRequest['status'] | undefined,
  page: PageRequest,
): Promise<Page<AccessRequest>> => {
  const index = decidingOrgId === 'ALL' ? byCreated : byModified;
  const res = await queryPage(
    ref,
    inIndexPartition(
      index,
      accessRequestListPartition(decidingOrgId),
      status ? { expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': status } } : undefined,
    ),
    page,
  );
  return { items: res.items.map((i) => fromItem<AccessRequest>(i)), next: res.next };
};

/** FLAG-2: the pending partition of the sparse waiting index: cost follows the requests pending. */
export const duePending = async (ref: TableRef, before: string, page: PageRequest): Promise<Page<AccessRequest>> => {
  const res = await dueIn(ref, WAITING_ACCESS_PARTITION, before, page);
  return { items: res.items.map((i) => fromItem<AccessRequest>(i)), next: res.next };
};

/**
 * FLAG-2: flags a pending request as overdue, with the admins' mail intents in the same
 * transaction: a flag is never without its mail, and of two runs only one writes both.
 */
export const flagOverdue = async (
  ref: TableRef,
  r: AccessRequest,
  at: string,
  mail: readonly MailJob[] = [],
): Promise<boolean> => {
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ref.table,
              Key: accessKeys.request(r.requestId),
              UpdateExpression: 'SET #flagged = :at REMOVE #wpk, #wsk',
              ConditionExpression: '#status = :pending AND attribute_not_exists(#flagged)',
              ExpressionAttributeNames: {
                '#flagged': 'overdueFlaggedAt',
                '#status': 'status',
                '#wpk': waiting.partitionKey,
                '#wsk': waiting.sortKey,
              },
              ExpressionAttributeValues: { ':at': at, ':pending': 'pending' },
            },
          },
          ...mailIntentPuts(ref.table, mail, at),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (cancellation(err)?.failed(0)) return false;
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

const profiles = async (ref: TableRef, userIds: string[]): Promise<User[]> =>
  (
    await batchGet(
      ref,
      userIds.map((id) => keys.user(id)),
    )
  ).map((item) => fromItem<User>(item));

/** Designated Approvers: the organisation's members (GSI3 Query) flagged approver, with their profiles. */
export const approversOf = async (ref: TableRef, orgId: string): Promise<User[]> =>
  profiles(
    ref,
    (await listOrgMembers(ref, orgId)).filter((m) => m.approver).map((m) => m.userId),
  );

export const portalAdmins = (ref: TableRef): Promise<User[]> => staffByRole(ref, 'admin');

export const accessRequestRepo = (ref: TableRef): AccessRequestRepo => ({
  open: (r, limits, expiresAt, mail) => openRequest(ref, r, limits, expiresAt, mail),
  get: (id) => getRequest(ref, id),
  countAttempt: (id, max, now) => countAttempt(ref, id, max, now),
  confirm: (r, c, events, mail) => confirmRequest(ref, r, c, events, mail),
  decide: (r, grant, closing, mail) => decideRequest(ref, r, grant, closing, mail),
  listFor: (org, status, page) => listFor(ref, org, status, page),
  duePending: (before, page) => duePending(ref, before, page),
  flagOverdue: (r, at, mail) => flagOverdue(ref, r, at, mail),
  approversOf: (orgId) => approversOf(ref, orgId),
  portalAdmins: () => portalAdmins(ref),
  userIdByEmail: (email) => userIdByEmail(ref, email),
});
