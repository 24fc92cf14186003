/**
 * What each write access pattern of the data module writes: per DynamoDB action, the leading key
 * prefixes (keys.ts) of the items it touches. Routes (lambdas/http/routes.ts) and the sweep name
 * the patterns they use; CDK grants exactly the union, fenced by dynamodb:LeadingKeys
 * (lib/constructs/casework-function.ts bindTable). The write-grants e2e test records every write
 * each route really sends and fails if one falls outside its declaration, so this map cannot
 * quietly drift from the repositories.
 *
 * Transactions need no permission of their own: each Put/Update/Delete/ConditionCheck inside one
 * is authorized as PutItem/UpdateItem/DeleteItem/ConditionCheckItem on its item.
 */
import { KEY_PREFIX, type KeyPrefix } from './keys';
import type { IndexName } from './table';

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
  outbox: OUTBOX,
  mailJob: MAILJOB,
  mailLog: MAILLOG,
  monitoring: MONITOR,
  device: DEVICE,
  deviceList: DEVICELIST,
  accessRequest: ACCESSREQ,
  rateLimit: RATE,
  chatTicket: WSTICKET,
  connection: WSCONN,
  chat: CHAT,
  availability: AVAIL,
  inbox: INBOX,
  callerSnapshot: CALLER_SNAPSHOT,
  contract: CONTRACT,
} = KEY_PREFIX;

export const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];

/** Reads every table function may make; none of them is Scan (no Scan, ever, on a request or schedule path). */
export const READ_ACTIONS = ['GetItem', 'BatchGetItem', 'Query'] as const;
/** On the indexes, named one by one: queries only. */
export const INDEX_ACTIONS = ['Query'] as const;

export type WriteGrant = Partial<Record<WriteAction, readonly KeyPrefix[]>>;

export const WRITE_PATTERNS = {
  /** case-repo nextCaseNumber: ADD on the case counter. */
  nextCaseNumber: { UpdateItem: [COUNTER] },
  /** case-repo createCase: case, Reference ID entry and idempotency record in one transaction. */
  createCase: { PutItem: [CASE, REF, IDEMPOTENCY] },
  /** case-repo appendUpdate: the update's Put and the case's touch. */
  appendUpdate: { PutItem: [CASE], UpdateItem: [CASE] },
  /** case-repo saveCase: the case, its new updates and audit events (all in its partition). */
  saveCase: { PutItem: [CASE] },
  /**
   * The idempotency record a creating POST stores with its change (API.md, Idempotency-Key):
   * createCase writes its own; the other creating routes declare this one.
   */
  idempotencyRecord: { PutItem: [IDEMPOTENCY] },
  /** directory-repo acceptTerms (ACC-9), and the caller snapshot it invalidates. */
  acceptTerms: { UpdateItem: [USER, CALLER_SNAPSHOT] },
  /** subscription-repo saveSettings (NOTE-4): the profile's settings, and the caller snapshot it invalidates. */
  updateSettings: { UpdateItem: [USER, CALLER_SNAPSHOT] },
  /** subscription-repo saveSettings (NOTE-2): alarm and maintenance choices copied onto each organisation's entry. */
  settingsMirror: { UpdateItem: [ORG] },
  /** subscription-repo case subscriptions (NOTE-2): CASE#<n> / SUB#<user>. */
  caseSubscription: { UpdateItem: [CASE], DeleteItem: [CASE] },
  /** subscription-repo organisation subscriptions (NOTE-2): ORG#<org> / SUB#<user>. */
  orgSubscription: { UpdateItem: [ORG] },
  /** favorite-repo add (LIST-5): the favorite, the per-user count and the case subscription it makes. */
  addFavorite: { PutItem: [USER], UpdateItem: [USER, CASE] },
  /** favorite-repo remove (LIST-5): the favorite, the count and only the subscription share it made. */
  removeFavorite: { DeleteItem: [USER, CASE], UpdateItem: [USER, CASE] },
  /** directory-repo saveMembership (ACC-5): the membership (user partition), the org's events, the member's caller snapshot invalidated. */
  saveMembership: { PutItem: [USER, ORG], UpdateItem: [CALLER_SNAPSHOT] },
  /** directory-repo saveOrganisation (ACC-1): the organisation, its events, its membership version, its callers' snapshots invalidated. */
  saveOrganisation: { PutItem: [ORG], UpdateItem: [ORG, CALLER_SNAPSHOT] },
  /**
   * directory-repo saveCombination (ACC-1, ACC-4): the combination with its contracts' statuses,
   * each contract's pointer (CONTRACT#), the end user's events and membership version, and the
   * caller snapshots of the members holding a membership on it invalidated.
   */
  saveCombination: { PutItem: [ORG, CONTRACT], UpdateItem: [ORG, CALLER_SNAPSHOT] },
  /** ACC-5: the per-organisation count of Designated Contacts kept with a membership change. */
  memberCount: { PutItem: [ORG], UpdateItem: [ORG] },
  /**
   * directory-repo getCallerSource: the caller snapshot a signed-in call stores when it had to
   * rebuild it (a conditional PutItem on CALLER#<user>, nothing else). Every function that resolves
   * a user as a caller has it.
   */
  callerSnapshot: { PutItem: [CALLER_SNAPSHOT] },
  /** rate-limit-repo takeRateToken: the caller's count in the current window. */
  rateLimit: { UpdateItem: [RATE] },
  /** session-repo touchSession (ACC-10): every authenticated request of a mobile client. */
  touchSession: { UpdateItem: [SESSION] },
  /** waiting-repo flagNeedsAction (FLAG-1): the case's flag and its audit event. */
  flagNeedsAction: { PutItem: [CASE], UpdateItem: [CASE] },
  /** mail-repo recordOutbound (MAIL-1): the id SES gave a case mail, so In-Reply-To finds the case. */
  recordOutboundMail: { PutItem: [MSGID] },
  /** mail-repo claimInbound/releaseInbound/putOutcome (MAIL-4, MAIL-5): the once-only claim and its outcome. */
  inboundOutcome: { PutItem: [INBOUND], DeleteItem: [INBOUND] },
  /** mail-repo attach (MAIL-2): outcome, content fingerprint, the case, its update and audit events. */
  attachInbound: { PutItem: [INBOUND, CONTENT, CASE] },
  /** mail-repo claimAutoReply (MAIL-3): one explanatory reply per sender, kind and day. */
  autoReplyOnce: { PutItem: [AUTOREPLY] },
  /** outbox-repo claim, finish and release: the notifier's once-only ledger. */
  outbox: { PutItem: [OUTBOX], UpdateItem: [OUTBOX], DeleteItem: [OUTBOX] },
  /** monitoring-repo putAlarm/putIncident/putMaintenance (ALARM-1, ALARM-2): a conditional put per source id. */
  monitoringRecord: { PutItem: [MONITOR] },
  /** notification-repo putInboxItems (NOTE-1, NOTE-3): a delivery chunk's INBOX#<user> / NOTE#<at>#<eventId>, with their TTL. */
  inboxItems: { BatchWriteItem: [INBOX] },
  /**
   * notification-repo putDevice (NOTE-1): DEVICE#<id>, owned by whoever registered its token last,
   * with the device lists (DEVICELIST#<user>) of its new owner and of the one it was taken from, the
   * new owner's oldest devices past the cap deleted, and a list seeded from the index checked device by device.
   */
  registerDevice: {
    PutItem: [DEVICE, DEVICELIST],
    UpdateItem: [DEVICELIST],
    DeleteItem: [DEVICE],
    ConditionCheckItem: [DEVICE, DEVICELIST],
  },
  /**
   * notification-repo deleteDevice (NOTE-1): the owner's DELETE, or the delivery function when SNS
   * reports it disabled; with its entry in the owner's list (or a check that they have no list).
   */
  removeDevice: { DeleteItem: [DEVICE], UpdateItem: [DEVICELIST], ConditionCheckItem: [DEVICELIST] },
  /** access-request-repo open (ACC-6): the request, both rate-limit counters and the code mail's intent in one transaction. */
  openAccessRequest: { PutItem: [ACCESSREQ, MAILJOB], UpdateItem: [RATE] },
  /**
   * outbox-repo mailIntentPuts: MAILJOB#<key> intents written in the transaction of the
   * change that causes the mail (closure decline, approvers, decision, chat transcript and
   * callback alert, MAIL-3 answer); the stream carries them to the mail queue.
   */
  mailIntent: { PutItem: [MAILJOB] },
  /** outbox-repo mail log: per case, what became of each mail job. */
  mailLog: { PutItem: [MAILLOG] },
  /** access-request-repo countAttempt and confirm (ACC-6): the request, and the admin case with its Reference ID. */
  confirmAccessRequest: { UpdateItem: [ACCESSREQ], PutItem: [CASE, REF] },
  /**
   * access-request-repo decide (ACC-6): the request, the user and memberships granted (and their
   * caller snapshot invalidated), the admin case closed with its update and event.
   */
  decideAccessRequest: { UpdateItem: [ACCESSREQ, USER, CALLER_SNAPSHOT], PutItem: [USER, CASE] },
  /** access-request-repo flagOverdue and unflag (FLAG-2). */
  flagAccessRequest: { UpdateItem: [ACCESSREQ] },
  /** attachment-repo createUpload (MAIL-2, CASE-6): the pending file and its count in the uploader's set. */
  createUpload: { PutItem: [CASE], UpdateItem: [CASE] },
  /** attachment-repo settle: a checked upload becomes available or quarantined. */
  settleAttachment: { UpdateItem: [CASE] },
  /** chat-repo putTicket: POST /chat/tickets stores the ticket, hashed, with a TTL. */
  issueChatTicket: { PutItem: [WSTICKET] },
  /** chat-repo consumeTicket: the $connect authorizer deletes it (conditionally), so it works once. */
  consumeChatTicket: { DeleteItem: [WSTICKET] },
  /** chat-repo connections: put at $connect, the chat it joined, deleted at $disconnect or on 410 Gone. */
  chatConnection: { PutItem: [WSCONN], UpdateItem: [WSCONN], DeleteItem: [WSCONN] },
  /** chat-repo chats (CHAT-1..3): the chat, its messages, its open-chat pointer and queue entry. */
  chatState: { PutItem: [CHAT], UpdateItem: [CHAT], DeleteItem: [CHAT] },
  /** chat-repo putChatWaiting (CHAT-1, NOTE-1): ORG#<org> / EVENT#chat-waiting#<chat>, which the stream carries to the notifier. */
  chatWaitingEvent: { PutItem: [ORG] },
  /** chat-repo availability (CHAT-1): an analyst's item and one per support group. */
  chatAvailability: { PutItem: [AVAIL], DeleteItem: [AVAIL] },
} as const satisfies Record<string, WriteGrant>;

export type WritePattern = keyof typeof WRITE_PATTERNS;

/** The scheduled sweep's writes (lib/constructs/schedules.ts); routes declare theirs in the route table. */

/** The inbound mail function's writes (lib/constructs/inbound-mail.ts). */
export const RECEIVE_MAIL_WRITES: readonly WritePattern[] = [
  'inboundOutcome',
  'attachInbound',
  'autoReplyOnce',
  'recordOutboundMail',
  'mailIntent',
  'callerSnapshot',
];
export const SWEEP_WRITES: readonly WritePattern[] = ['flagNeedsAction', 'flagAccessRequest', 'mailIntent'];

/**
 * The stream notifier's writes (lib/constructs/notifier.ts): its ledger and the `queued` entries of
 * the mail it queues; it changes no case, sends no mail and tells no recipient (the delivery function does).
 */
export const NOTIFIER_WRITES: readonly WritePattern[] = ['outbox', 'mailLog'];

/**
 * The delivery function (lib/constructs/delivery-queue.ts): its ledger, inbox items, devices SNS
 * reports disabled, and the `queued` entries of the mail it queues.
 */
export const DELIVER_WRITES: readonly WritePattern[] = ['outbox', 'inboxItems', 'removeDevice', 'mailLog'];

/** The mail queue's consumer: its once-only ledger, SES's ids of the mail it sends, the per-case mail log. */
export const SEND_MAIL_WRITES: readonly WritePattern[] = ['outbox', 'recordOutboundMail', 'mailLog', 'callerSnapshot'];

/** Chat: the WebSocket function and the chat timer's consumer (CHAT-2 callback, CHAT-3 transcript). */
export const CHAT_WRITES: readonly WritePattern[] = [
  'chatConnection',
  'chatState',
  'chatAvailability',
  'chatWaitingEvent',
  'appendUpdate',
  'saveCase',
  'mailIntent',
  'callerSnapshot',
];
/** The check of stored uploads, on S3's "object created" events: it settles their status. */
export const CHECK_ATTACHMENT_WRITES: readonly WritePattern[] = ['settleAttachment'];

/** The $connect authorizer: it only consumes tickets. */
export const CHAT_AUTHORIZER_WRITES: readonly WritePattern[] = ['consumeChatTicket'];

/** The union of some patterns' grants: per action, its prefixes sorted and without repeats. */
export const grantsOf = (patterns: readonly WritePattern[]): WriteGrant => {
  const merged = new Map<WriteAction, Set<KeyPrefix>>();
  for (const pattern of patterns) {
    const grant: WriteGrant = WRITE_PATTERNS[pattern];
    for (const action of WRITE_ACTIONS) {
      for (const prefix of grant[action] ?? []) merged.set(action, (merged.get(action) ?? new Set()).add(prefix));
    }
  }
  return Object.fromEntries(WRITE_ACTIONS.filter((a) => merged.has(a)).map((a) => [a, [...merged.get(a)!].sort()]));
};

/**
 * What each function reads: the item prefixes its GetItem, BatchGetItem and
 * Query of the table may touch, fenced by dynamodb:LeadingKeys like the writes, and the indexes
 * it may Query, named one by one. An index Query is granted per index, not per key: an index
 * partition (an organisation's cases, the users by email, a person's devices) holds items of
 * several prefixes, so the index name is the fence. No function reads the whole table.
 *
 * Where these come from: every function's requests were recorded on the wire, each under the
 * function that sent it, with the table's stream on, so the notifier and the mail consumer ran
 * on every kind of event beside the routes (test/e2e/function-grants.test.ts; the route-by-route
 * scenario is test/e2e/write-grants.test.ts); both fail if a request leaves its declaration.
 * Reads on paths those scenarios do not take were added from the repositories (an
 * Idempotency-Key replay reads IDEMPOTENCY#; an In-Reply-To reads MSGID#; a resend's fingerprint
 * CONTENT#; a ledger claim that finds its key taken reads OUTBOX#; the admins' list byCreated;
 * the case lists every sort).
 */
export interface ReadGrant {
  /** Item prefixes (table reads). */
  readonly items: readonly KeyPrefix[];
  readonly indexes: readonly IndexName[];
}

/**
 * Every signed-in call resolves its caller: its snapshot (CALLER#) and, when that must be rebuilt,
 * the user's partition (profile, memberships, staff role) and their organisations.
 */
const CALLER: readonly KeyPrefix[] = [CALLER_SNAPSHOT, USER, ORG];
const reads = (items: readonly KeyPrefix[], indexes: readonly IndexName[] = []): ReadGrant => ({
  items: [...new Set(items)].sort(),
  indexes: [...new Set(indexes)].sort(),
});
/** A case route: the caller, the case's partition (the case, its updates, events, subscriptions). */
const CASE_ROUTE = reads([...CALLER, CASE]);
/** A creating case route: the same, and the Idempotency-Key record a retry is answered from. */
const CASE_WRITE = reads([...CALLER, CASE, IDEMPOTENCY]);

export const FUNCTION_READS: Readonly<Record<string, ReadGrant>> = {
  'get-health': reads([]),
  'get-openapi': reads([]),
  'get-terms': reads([]),
  'accept-terms': reads(CALLER),
  'update-settings': reads(CALLER),
  'get-me': reads(CALLER),
  // LIST-1..3: by priority, by last modified, closed by created time, "mine" by person.
  'list-cases': reads(CALLER, ['byPriority', 'byModified', 'byCreated', 'byPerson']),
  // LIST-4: a case number (its Reference ID entry and the case), organisations by name, cases by created time.
  'search-cases': reads([...CALLER, CASE, REF], ['byPriority', 'byCreated']),
  'create-case': CASE_WRITE,
  'get-case': CASE_ROUTE,
  'patch-case': CASE_ROUTE,
  'list-updates': CASE_ROUTE,
  'get-update': CASE_ROUTE,
  'list-history': CASE_ROUTE,
  // The case's mail log (MAILLOG#<case>), staff only.
  'list-case-mail': reads([...CALLER, CASE, MAILLOG]),
  'create-update': CASE_WRITE,
  'request-escalation': CASE_WRITE,
  'decide-escalation': CASE_WRITE,
  'request-closure': CASE_WRITE,
  'decide-closure': CASE_WRITE,
  'reopen-case': CASE_WRITE,
  'create-attachment': CASE_ROUTE,
  'list-attachments': CASE_ROUTE,
  'get-attachment': CASE_ROUTE,
  // The file's record in its case's partition.
  'check-attachment': reads([CASE]),
  'get-case-subscription': CASE_ROUTE,
  'put-case-subscription': CASE_ROUTE,
  'delete-case-subscription': CASE_ROUTE,
  // ACC-5: organisations by name, and each one's members.
  'list-shortfall': reads(CALLER, ['byPriority', 'byCreated']),
  'set-member-level': reads(CALLER, ['byCreated']),
  // ACC-4: the contract's pointer, its combination, the organisation's members (and their memberships).
  'set-contract-status': reads([...CALLER, CONTRACT], ['byCreated']),
  // MAIL-4: the inbound log is an index partition per day.
  'list-inbound-mail': reads(CALLER, ['byModified']),
  'release-inbound-mail': reads([...CALLER, CASE, INBOUND]),
  'list-accounts': reads(CALLER, ['byPriority']),
  'get-account': reads(CALLER),
  'put-account-subscription': reads(CALLER),
  'list-favorites': reads([...CALLER, CASE]),
  'put-favorite': reads([...CALLER, CASE]),
  'delete-favorite': reads([...CALLER, CASE]),
  'list-alarms': reads(CALLER, ['byModified']),
  'list-incidents': reads(CALLER, ['byModified']),
  'list-maintenance': reads(CALLER, ['byModified']),
  // Machine clients: the organisations named, and the stored record a newer modifiedAt replaces.
  'ingest-alarms': reads([ORG, MONITOR]),
  'ingest-incidents': reads([ORG, MONITOR]),
  'ingest-maintenance': reads([ORG, MONITOR]),
  // ACC-1, ACC-4: organisations and combinations, contracts' pointers, members (index, then their
  // memberships), and the holders of memberships an organisation sold (byModified), whose callers it invalidates.
  'ingest-directory': reads([ORG, CONTRACT, USER], ['byCreated', 'byModified']),
  'list-notifications': reads([...CALLER, INBOX]),
  // The device and the lists it changes; a user without a list yet has it seeded from the person index.
  'register-device': reads([...CALLER, DEVICE, DEVICELIST], ['byPerson']),
  'delete-device': reads([...CALLER, DEVICE, DEVICELIST]),
  // The caller's list; the person index for a user whose devices predate lists.
  'list-devices': reads([...CALLER, DEVICELIST], ['byPerson']),
  // ACC-6, anonymous: the organisation and its combinations; an Idempotency-Key replay reads the request.
  'create-access-request': reads([ORG, ACCESSREQ]),
  // The request; the requester's user by email; the deciding company's approvers (members).
  'confirm-access-request': reads([USER, ACCESSREQ], ['byPriority', 'byCreated']),
  // Approvers: their company's list (byModified); portal admins: every request (byCreated).
  'list-access-requests': reads(CALLER, ['byModified', 'byCreated']),
  'decide-access-request': reads([...CALLER, ACCESSREQ, CASE], ['byPriority', 'byCreated']),
  'create-chat-ticket': reads(CALLER),
  // FLAG-1, FLAG-2: the waiting indexes, the portal admins (byPerson: staff by role), their organisations.
  sweep: reads([ORG, CASE, USER], ['byPerson', 'waiting']),
  // The case and recipient as they are at send time; the ledger.
  'send-mail': reads([...CALLER, CASE, OUTBOX]),
  // MAIL-2..5: the claim, In-Reply-To (MSGID#), the Reference ID, the case, the sender by email, the fingerprint.
  'receive-mail': reads([...CALLER, CASE, REF, INBOUND, MSGID, CONTENT], ['byPriority']),
  // The $connect authorizer consumes its ticket with a conditional delete: it reads nothing.
  'chat-authorize': reads([]),
  // CHAT-1..3: connections, chats, availability, the case, the staff by role (byPerson).
  'chat-socket': reads([...CALLER, CASE, CHAT, WSCONN, AVAIL], ['byPerson']),
  'chat-timer': reads([...CALLER, CASE, CHAT, WSCONN, AVAIL], ['byPerson']),
  // NOTE-1, NOTE-2: an event's case (and its subscriptions), the organisation (and its
  // subscriptions), the staff of a group or role (byPerson), the ledger.
  notify: reads([...CALLER, CASE, OUTBOX], ['byPerson']),
  // NOTE-1, NOTE-2: the organisation, each recipient as a caller now with their device list (by
  // the person index when they have none), the ledger.
  deliver: reads([...CALLER, DEVICELIST, OUTBOX], ['byPerson']),
};

export const readsOf = (fn: string): ReadGrant => {
  const grant = FUNCTION_READS[fn];
  if (!grant) throw new Error(`${fn}: no read declaration in lambdas/data/writes.ts FUNCTION_READS`);
  return grant;
};
