/**
 * Every key format of the single table. Repositories build keys only through these functions,
 * so a key layout change happens here and nowhere else.
 */
import { createHash } from 'node:crypto';
import type { Case, Severity } from '../domain/kernel/types';
import { TABLE } from './table';

const { byPriority, byModified, byCreated, byPerson, waiting } = TABLE.indexes;

export const SEVERITY_RANK: Record<Severity, number> = { critical: 1, high: 2, medium: 3, low: 4 };

/** Sorts most recently modified first on an ascending index key. */
const newestFirst = (iso: string): string => String(9_999_999_999_999 - Date.parse(iso)).padStart(13, '0');

/**
 * The leading (partition) key prefixes of the table's items. IAM fences every function's writes
 * by them (dynamodb:LeadingKeys, lambdas/data/writes.ts), so every PK below starts with one.
 */
export const KEY_PREFIX = {
  case: 'CASE#',
  reference: 'REF#',
  counter: 'COUNTER#',
  idempotency: 'IDEMPOTENCY#',
  user: 'USER#',
  org: 'ORG#',
  session: 'SESSION#',
  inbound: 'INBOUND#',
  messageId: 'MSGID#',
  content: 'CONTENT#',
  autoReply: 'AUTOREPLY#',
  /** The notifier's once-only ledger. */
  outbox: 'OUTBOX#',
  /** A mail intent written in the transaction of the change that causes it (the stream carries it to the mail queue). */
  mailJob: 'MAILJOB#',
  /** Per case, what became of each mail the case sent (staff see undelivered mail). */
  mailLog: 'MAILLOG#',
  /** ALARM-1, ALARM-2: alarms, cloud incidents and maintenance alerts, one item per source id. */
  monitoring: 'MONITOR#',
  /** NOTE-1: a registered push device (one per platform and token, whoever holds it now). */
  device: 'DEVICE#',
  /**
   * NOTE-1: a user's devices in one item, kept in the transaction of every device write, so
   * delivery reads them with the recipients' caller snapshots in one BatchGetItem.
   */
  deviceList: 'DEVICELIST#',
  /** ACC-6: access requests, one partition each. */
  accessRequest: 'ACCESSREQ#',
  /** Fixed-window rate-limit counters with a TTL: per user, and per hashed address or source of access requests (ACC-6). */
  rateLimit: 'RATE#',
  /** Chat: single-use WebSocket tickets (hashed), connections, chats, analyst availability. */
  chatTicket: 'WSTICKET#',
  connection: 'WSCONN#',
  chat: 'CHAT#',
  availability: 'AVAIL#',
  /**
   * NOTE-1, NOTE-3: a user's inbox, a partition of its own: the notifier's
   * PutItem is fenced to INBOX# by dynamodb:LeadingKeys, never to USER# (profiles, staff roles).
   */
  inbox: 'INBOX#',
  /**
   * ACC-4, ACC-5, ACC-9: one item per user holding everything that resolves them as a caller, with
   * a generation every directory write that changes it bumps. A partition of its own, so the
   * functions that cache it are granted this prefix and nothing of USER# or ORG#.
   */
  callerSnapshot: 'CALLER#',
  /**
   * ACC-4: a contract's pointer to the combination that holds it (contracts live in their
   * combination's item), so a contract is found by its id with one GetItem.
   */
  contract: 'CONTRACT#',
} as const;
export type KeyPrefix = (typeof KEY_PREFIX)[keyof typeof KEY_PREFIX];

const {
  case: CASE,
  reference: REF,
  counter: COUNTER,
  idempotency: IDEMPOTENCY,
  user: USER,
  org: ORG,
  session: SESSION,
  inbound: INBOUND,
  messageId: MSGID,
  content: CONTENT,
  autoReply: AUTOREPLY,
} = KEY_PREFIX;

/** Session items are the only ones a read-only route may write (IAM dynamodb:LeadingKeys). */
export const SESSION_KEY_PREFIX = SESSION;

export const keys = {
  rateWindow: (callerId: string, name: string, windowStart: string) => ({
    PK: `${KEY_PREFIX.rateLimit}${callerId}`,
    SK: `${name}#${windowStart}`,
  }),
  counter: (name: string) => ({ PK: `${COUNTER}${name}`, SK: 'COUNTER' }),
  user: (userId: string) => ({ PK: `${USER}${userId}`, SK: 'PROFILE' }),
  userPartition: (userId: string) => `${USER}${userId}`,
  membership: (userId: string, orgId: string, soldToOrgId: string) => ({
    PK: `${USER}${userId}`,
    SK: `MEMBER#${orgId}#${soldToOrgId}`,
  }),
  membershipPrefix: 'MEMBER#',
  callerSnapshot: (userId: string) => ({ PK: `${KEY_PREFIX.callerSnapshot}${userId}`, SK: 'CALLER' }),
  org: (orgId: string) => ({ PK: `${ORG}${orgId}`, SK: 'ORG' }),
  orgEvent: (orgId: string, eventId: string) => ({ PK: `${ORG}${orgId}`, SK: `EVENT#${eventId}` }),
  orgEventPrefix: 'EVENT#',
  combination: (endUserOrgId: string, soldToOrgId: string) => ({
    PK: `${ORG}${endUserOrgId}`,
    SK: `COMBINATION#${soldToOrgId}`,
  }),
  case: (caseNumber: string) => ({ PK: `${CASE}${caseNumber}`, SK: 'CASE' }),
  casePartition: (caseNumber: string) => `${CASE}${caseNumber}`,
  reference: (referenceId: string) => ({ PK: `${REF}${referenceId}`, SK: 'REF' }),
  update: (caseNumber: string, updateId: string) => ({ PK: `${CASE}${caseNumber}`, SK: `UPDATE#${updateId}` }),
  updatePrefix: 'UPDATE#',
  /** MAIL-2, CASE-6: a case's files, and each uploader's open attachment set, in the case's partition. */
  attachment: (caseNumber: string, attachmentId: string) => ({ PK: `${CASE}${caseNumber}`, SK: `ATTACH#${attachmentId}` }),
  attachmentPrefix: 'ATTACH#',
  attachmentSet: (caseNumber: string, uploaderId: string) => ({ PK: `${CASE}${caseNumber}`, SK: `ATTSET#${uploaderId}` }),
  event: (caseNumber: string, eventId: string) => ({ PK: `${CASE}${caseNumber}`, SK: `EVENT#${eventId}` }),
  eventPrefix: 'EVENT#',
  session: (sessionId: string) => ({ PK: `${SESSION}${sessionId}`, SK: 'SESSION' }),
  /** The scope (caller, client, route) is hashed: fixed length, and no user id in a key. */
  idempotency: (scope: string, key: string) => ({
    PK: `${IDEMPOTENCY}${createHash('sha256').update(scope).digest('base64url')}#${key}`,
    SK: 'IDEMPOTENCY',
  }),
  contract: (contractId: string) => ({ PK: `${KEY_PREFIX.contract}${contractId}`, SK: 'CONTRACT' }),
  /**
   * ACC-5: bumped by every change that can move the organisation's effective levels (a member's
   * level, the organisation itself, a combination's contracts), so concurrent changes serialise.
   */
  membersVersion: (orgId: string) => ({ PK: `${ORG}${orgId}`, SK: 'MEMBERS-VERSION' }),
  /**
   * NOTE-2: subscriptions live in the SUBJECT's item collection, so the notifier finds every
   * recipient of a case or organisation event with one Query on its partition (never a Scan).
   */
  caseSubscription: (caseNumber: string, userId: string) => ({ PK: `${CASE}${caseNumber}`, SK: `SUB#${userId}` }),
  orgSubscription: (orgId: string, userId: string) => ({ PK: `${ORG}${orgId}`, SK: `SUB#${userId}` }),
  subscriptionPrefix: 'SUB#',
  /** LIST-5: a user's favorites sit in the user's partition, with their count beside them. */
  favorite: (userId: string, kind: string, id: string) => ({ PK: `${USER}${userId}`, SK: `FAV#${kind}#${id}` }),
  favoritePrefix: 'FAV#',
  favoriteCount: (userId: string) => ({ PK: `${USER}${userId}`, SK: 'FAVORITE-COUNT' }),
  /** NOTE-1, NOTE-3: an inbox item in the user's inbox partition, newest last in key order (read backwards). */
  inboxItem: (userId: string, at: string, eventId: string) => ({
    PK: `${KEY_PREFIX.inbox}${userId}`,
    SK: `NOTE#${at}#${eventId}`,
  }),
  inboxPartition: (userId: string) => `${KEY_PREFIX.inbox}${userId}`,
  inboxPrefix: 'NOTE#',
  /**
   * NOTE-1: a device is keyed by its platform and token (hashed), not by its user, so a token that
   * changes hands has one owner: the user who registered it last (the index below follows).
   */
  device: (deviceId: string) => ({ PK: `${KEY_PREFIX.device}${deviceId}`, SK: 'DEVICE' }),
  /** NOTE-1: the devices a user holds now, in one item of their own (read by key, batched in delivery). */
  deviceList: (userId: string) => ({ PK: `${KEY_PREFIX.deviceList}${userId}`, SK: 'DEVICES' }),
  /** NOTE-1: written once every user with a device has a list (bin/backfill-device-lists.ts); never removed. */
  deviceListsComplete: () => ({ PK: KEY_PREFIX.deviceList, SK: 'COMPLETE' }),
} as const;

/** Index entries of a device: the devices of a user (GSI4, the person index), for delivery. */
export const deviceIndexKeys = (userId: string, createdAt: string, deviceId: string) => ({
  [byPerson.partitionKey]: `DEVICES#${userId}`,
  [byPerson.sortKey]: `${createdAt}#${deviceId}`,
});

/** Index entries of a user: found by email (sign-up, inbound mail senders). */
export const userIndexKeys = (email: string) => ({
  [byPriority.partitionKey]: `EMAIL#${email.toLowerCase()}`,
  [byPriority.sortKey]: 'USER',
});

/** Index entries of a membership: the members of an organisation (ACC-5). */
export const membershipIndexKeys = (orgId: string, userId: string) => ({
  [byCreated.partitionKey]: `MEMBERS#${orgId}`,
  [byCreated.sortKey]: userId,
});

/**
 * Index entries of a membership sold by another organisation: the people whose caller carries that
 * seller (its organisation item is among theirs), found when the seller changes. A membership on an
 * organisation that sold to itself needs none: the members index finds it.
 */
export const soldToMembersPartition = (soldToOrgId: string): string => `SOLDTO-MEMBERS#${soldToOrgId}`;

export const soldToMemberIndexKeys = (m: { orgId: string; soldToOrgId: string; userId: string }) =>
  m.soldToOrgId === m.orgId
    ? {}
    : { [byModified.partitionKey]: soldToMembersPartition(m.soldToOrgId), [byModified.sortKey]: `${m.userId}#${m.orgId}` };

/** Index entries of an organisation: name prefix search (LIST-4). */
export const orgIndexKeys = (name: string, orgId: string) => ({
  [byPriority.partitionKey]: 'ORGS',
  [byPriority.sortKey]: `${name.toLowerCase()}#${orgId}`,
});

export const orgCasesPartition = (orgId: string, closed: boolean): string => `ORGCASES#${orgId}#${closed ? 'CLOSED' : 'OPEN'}`;

export const orgCreatedPartition = (orgId: string): string => `ORGCREATED#${orgId}`;

export const personCasesPartition = (kind: 'contact' | 'owner', userId: string): string =>
  `${kind === 'contact' ? 'CONTACT' : 'OWNER'}#${userId}`;

export const WAITING_PARTITION = 'WAITING#CASE';

/**
 * Index entries of a case, all derived from its fields. Whenever severity, status, owner or
 * updatedAt change, the repository rewrites these together with the fields.
 */
export const caseIndexKeys = (c: Case): Record<string, string> => {
  const closed = c.status === 'closed';
  const entries: Record<string, string> = {
    [byPriority.partitionKey]: orgCasesPartition(c.orgId, closed),
    [byPriority.sortKey]: `${SEVERITY_RANK[c.severity]}#${newestFirst(c.updatedAt)}#${c.caseNumber}`,
    [byModified.partitionKey]: orgCasesPartition(c.orgId, closed),
    [byModified.sortKey]: `${newestFirst(c.updatedAt)}#${c.caseNumber}`,
    [byCreated.partitionKey]: orgCreatedPartition(c.orgId),
    [byCreated.sortKey]: `${c.createdAt}#${c.caseNumber}`,
    [byPerson.partitionKey]: personCasesPartition('contact', c.contactId),
    [byPerson.sortKey]: `${newestFirst(c.updatedAt)}#${c.caseNumber}`,
  };
  // Sparse: only cases support is waiting on, and not yet flagged, sit in the sweep's index.
  if (c.waitingSince && !c.needsAction) {
    entries[waiting.partitionKey] = WAITING_PARTITION;
    entries[waiting.sortKey] = `${c.waitingSince}#${c.caseNumber}`;
  }
  return entries;
};

export const ALL_INDEX_ATTRIBUTES: string[] = Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]);

/** One ledger item per side effect of the notifier (a publication, a reminder). */
export const outboxKey = (key: string) => ({ PK: `${KEY_PREFIX.outbox}${key}`, SK: 'OUTBOX' });

/** A mail intent item, and a case's mail log entry (one per job key, overwritten as it progresses). */
export const mailJobKey = (key: string) => ({ PK: `${KEY_PREFIX.mailJob}${key}`, SK: 'MAILJOB' });
export const mailLogKey = (caseNumber: string, key: string) => ({ PK: `${KEY_PREFIX.mailLog}${caseNumber}`, SK: `MAIL#${key}` });

/** Inbound mail: claims and outcomes, outbound message ids, content fingerprints, MAIL-3 replies. */
export const mailKeys = {
  /** MAIL-4/5: one item per transport id (SES messageId); its conditional put is the once-only guard. */
  inbound: (transportId: string) => ({ PK: `${INBOUND}${transportId}`, SK: 'INBOUND' }),
  /** MAIL-1: a message id we sent for a case (SES's, or our own thread id). */
  messageId: (id: string) => ({ PK: `${MSGID}${id}`, SK: 'MSGID' }),
  /** MAIL-5: normalized From + Date + Message-ID + body, hashed. */
  content: (hash: string) => ({ PK: `${CONTENT}${hash}`, SK: 'CONTENT' }),
  /** MAIL-3: one explanatory reply per sender, kind and day. */
  autoReply: (sender: string, day: string, kind: string) => ({ PK: `${AUTOREPLY}${sender.toLowerCase()}#${day}`, SK: kind }),
} as const;

/** The admin list of inbound mail (MAIL-4): one partition per month, newest first. */
export const inboundLogPartition = (receivedAt: string): string => `INBOUNDLOG#${receivedAt.slice(0, 7)}`;

export const inboundLogIndexKeys = (receivedAt: string, transportId: string) => ({
  [byModified.partitionKey]: inboundLogPartition(receivedAt),
  [byModified.sortKey]: `${newestFirst(receivedAt)}#${transportId}`,
});

/**
 * ALARM-1, ALARM-2: one item per record of the monitoring source, keyed by the source's own id
 * (alarms and incidents within their organisation), so a resend finds and replaces it. All sit
 * under one prefix: one IAM fence for ingestion, one stream filter for the notifier.
 */
export const monitoringKeys = {
  alarm: (orgId: string, id: string) => ({ PK: `${KEY_PREFIX.monitoring}ALARM#${orgId}#${id}`, SK: 'ALARM' }),
  incident: (orgId: string, id: string) => ({ PK: `${KEY_PREFIX.monitoring}INCIDENT#${orgId}#${id}`, SK: 'INCIDENT' }),
  maintenance: (id: string) => ({ PK: `${KEY_PREFIX.monitoring}MAINTENANCE#${id}`, SK: 'MAINTENANCE' }),
} as const;
export const MONITORING_SORT_KEYS = { alarm: 'ALARM', incident: 'INCIDENT', maintenance: 'MAINTENANCE' } as const;

/**
 * ALARM-1: an organisation's alarms by status (active, closed), newest modified first, on the
 * by-modified index. The type filter picks the partition (both, merged, for `all`) and the time
 * interval is a range of the sort key: both are key conditions.
 */
export const alarmsPartition = (orgId: string, status: 'active' | 'closed'): string =>
  `ALARMS#${orgId}#${status === 'closed' ? 'CLOSED' : 'ACTIVE'}`;

export const alarmIndexKeys = (a: { orgId: string; status: 'active' | 'closed'; modifiedAt: string; id: string }) => ({
  [byModified.partitionKey]: alarmsPartition(a.orgId, a.status),
  [byModified.sortKey]: `${newestFirst(a.modifiedAt)}#${a.id}`,
});

/**
 * The sort-key range of alarms modified within [from, to] (either end open). The key is
 * newest-first, so `to` bounds it from below and `from` from above; `$` sorts after the `#` that
 * follows the time, so alarms modified exactly at `from` are inside.
 */
/**
 * ALARM-2: an organisation's cloud incidents, and its entries of maintenance alerts
 * (one per organisation an alert names, in the alert's partition), newest modified first on the
 * by-modified index.
 */
export const incidentIndexKeys = (i: { orgId: string; modifiedAt: string; id: string }) => ({
  [byModified.partitionKey]: `INCIDENTS#${i.orgId}`,
  [byModified.sortKey]: `${newestFirst(i.modifiedAt)}#${i.id}`,
});
export const maintenanceEntryKeys = (orgId: string, m: { modifiedAt: string; id: string }) => ({
  PK: `${KEY_PREFIX.monitoring}MAINTENANCE#${m.id}`,
  SK: `ORG#${orgId}`,
  [byModified.partitionKey]: `MAINTENANCE#${orgId}`,
  [byModified.sortKey]: `${newestFirst(m.modifiedAt)}#${m.id}`,
});
export const incidentsPartition = (orgId: string): string => `INCIDENTS#${orgId}`;
export const maintenancePartition = (orgId: string): string => `MAINTENANCE#${orgId}`;

export const alarmTimeRange = (range: { from?: string; to?: string }): { low: string; high: string } => ({
  low: range.to ? newestFirst(range.to) : '0',
  high: `${range.from ? newestFirst(range.from) : '9'.repeat(13)}$`,
});

/** ACC-6: an access request is its own partition (its rate-limit counters are `keys.rateWindow`). */
export const accessKeys = {
  request: (requestId: string) => ({ PK: `${KEY_PREFIX.accessRequest}${requestId}`, SK: 'REQUEST' }),
} as const;

/** FLAG-2: pending access requests, in their own partition of the sparse waiting index. */
export const WAITING_ACCESS_PARTITION = 'WAITING#ACCESSREQ';

/**
 * Index entries of a confirmed access request: the deciding company's list (GSI2, newest first)
 * and the portal admins' list of every request (GSI3, newest first); while pending, the sweep's
 * sparse index (GSI5).
 */
export const accessRequestIndexKeys = (r: {
  requestId: string;
  decidingOrgId: string;
  confirmedAt: string;
  status: string;
  overdueFlaggedAt?: string;
}): Record<string, string> => ({
  [byModified.partitionKey]: `ACCESSREQS#${r.decidingOrgId}`,
  [byModified.sortKey]: `${newestFirst(r.confirmedAt)}#${r.requestId}`,
  [byCreated.partitionKey]: 'ACCESSREQS#ALL',
  [byCreated.sortKey]: `${newestFirst(r.confirmedAt)}#${r.requestId}`,
  ...(r.status === 'pending' && !r.overdueFlaggedAt
    ? { [waiting.partitionKey]: WAITING_ACCESS_PARTITION, [waiting.sortKey]: `${r.confirmedAt}#${r.requestId}` }
    : {}),
});

export const accessRequestListPartition = (decidingOrgId: string | 'ALL'): string => `ACCESSREQS#${decidingOrgId}`;

/** FLAG-2, CHAT-2: staff by role (portal admins, managers), by Query on their own partition of the person index (GSI4). */
export const staffRoleIndexKeys = (role: string, userId: string) => ({
  [byPerson.partitionKey]: `STAFF#${role}`,
  [byPerson.sortKey]: userId,
});

/**
 * NOTE-1: staff by support group (analysts told of their group's critical cases, escalations and
 * waiting chats). An analyst works in several groups, so each group is an item of its own in the
 * user's partition (`USER#<id>` / `STAFFGROUP#<group>`), each with its entry in the person index.
 */
export const staffGroupKeys = (group: string, userId: string) => ({
  PK: `${KEY_PREFIX.user}${userId}`,
  SK: `STAFFGROUP#${group}`,
  [byPerson.partitionKey]: `STAFFGROUP#${group}`,
  [byPerson.sortKey]: userId,
});

/**
 * CHAT-1, NOTE-1: a chat waiting for an analyst, as an organisation event (the stream carries it to
 * the notifier, which tells the case's owner and group). Ids only; gone after a week.
 */
export const chatWaitingEventKey = (orgId: string, chatId: string) => keys.orgEvent(orgId, `chat-waiting#${chatId}`);

/**
 * Chat (CHAT-1..3). A chat's state and its messages share its partition; its queue
 * entry sits in its support group's partition (an analyst who becomes available takes the oldest
 * with one Query); availability has one item per analyst and one per (group, analyst).
 */
export const chatKeys = {
  /** Stored hashed: a leaked table item cannot be replayed as a ticket. */
  ticket: (ticket: string) => ({
    PK: `${KEY_PREFIX.chatTicket}${createHash('sha256').update(ticket).digest('base64url')}`,
    SK: 'TICKET',
  }),
  connection: (connectionId: string) => ({ PK: `${KEY_PREFIX.connection}${connectionId}`, SK: 'CONN' }),
  chat: (chatId: string) => ({ PK: `${KEY_PREFIX.chat}${chatId}`, SK: 'CHAT' }),
  chatPartition: (chatId: string) => `${KEY_PREFIX.chat}${chatId}`,
  message: (chatId: string, messageId: string) => ({ PK: `${KEY_PREFIX.chat}${chatId}`, SK: `MSG#${messageId}` }),
  messagePrefix: 'MSG#',
  /** The customer's unfinished chat on a case, so a reconnecting customer finds it again. */
  openChat: (caseNumber: string, userId: string) => ({ PK: `${KEY_PREFIX.chat}OPEN#${caseNumber}#${userId}`, SK: 'OPEN' }),
  queuePartition: (supportGroup: string) => `${KEY_PREFIX.chat}QUEUE#${supportGroup}`,
  queueEntry: (supportGroup: string, queuedAt: string, chatId: string) => ({
    PK: `${KEY_PREFIX.chat}QUEUE#${supportGroup}`,
    SK: `${queuedAt}#${chatId}`,
  }),
  analyst: (userId: string) => ({ PK: `${KEY_PREFIX.availability}USER#${userId}`, SK: 'AVAIL' }),
  groupPartition: (supportGroup: string) => `${KEY_PREFIX.availability}GROUP#${supportGroup}`,
  groupAnalyst: (supportGroup: string, userId: string) => ({
    PK: `${KEY_PREFIX.availability}GROUP#${supportGroup}`,
    SK: userId,
  }),
} as const;
