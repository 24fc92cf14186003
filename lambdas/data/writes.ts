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
  accessRequest: ACCESSREQ,
  rateLimit: RATE,
  chatTicket: WSTICKET,
  connection: WSCONN,
  chat: CHAT,
  availability: AVAIL,
  inbox: INBOX,
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
  /** directory-repo acceptTerms (ACC-9). */
  acceptTerms: { UpdateItem: [USER] },
  /** subscription-repo saveSettings (NOTE-4): the profile's settings. */
  updateSettings: { UpdateItem: [USER] },
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
  /** directory-repo saveMembership (ACC-5): the membership (user partition) and the org's events. */
  saveMembership: { PutItem: [USER, ORG] },
  /** ACC-5: the per-organisation count of Designated Contacts kept with a membership change. */
  memberCount: { PutItem: [ORG], UpdateItem: [ORG] },
  /** rate-limit-repo takeRateToken (issue 13): the caller's count in the current window. */
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
  /** outbox-repo claim, finish and release (issue 10): the notifier's once-only ledger. */
  outbox: { PutItem: [OUTBOX], UpdateItem: [OUTBOX], DeleteItem: [OUTBOX] },
  /** monitoring-repo putAlarm/putIncident/putMaintenance (ALARM-1, ALARM-2): a conditional put per source id. */
  monitoringRecord: { PutItem: [MONITOR] },
  /** notification-repo putInboxItem (NOTE-1, NOTE-3): INBOX#<user> / NOTE#<at>#<eventId>, with its TTL. */
  inboxItem: { PutItem: [INBOX] },
  /** notification-repo putDevice (NOTE-1): DEVICE#<id>, owned by whoever registered its token last. */
  registerDevice: { PutItem: [DEVICE] },
  /** notification-repo deleteDevice (NOTE-1): the owner's DELETE, or the notifier when SNS reports it disabled. */
  removeDevice: { DeleteItem: [DEVICE] },
  /** access-request-repo open (ACC-6): the request, both rate-limit counters and the code mail's intent (issue 23) in one transaction. */
  openAccessRequest: { PutItem: [ACCESSREQ, MAILJOB], UpdateItem: [RATE] },
  /**
   * outbox-repo mailIntentPuts (issue 23): MAILJOB#<key> intents written in the transaction of the
   * change that causes the mail (closure decline, approvers, decision, chat transcript and
   * callback alert, MAIL-3 answer); the stream carries them to the mail queue.
   */
  mailIntent: { PutItem: [MAILJOB] },
  /** outbox-repo mail log (issue 23): per case, what became of each mail job. */
  mailLog: { PutItem: [MAILLOG] },
  /** access-request-repo countAttempt and confirm (ACC-6): the request, and the admin case with its Reference ID. */
  confirmAccessRequest: { UpdateItem: [ACCESSREQ], PutItem: [CASE, REF] },
  /** access-request-repo decide (ACC-6): the request, the user and memberships granted, the admin case closed with its update and event. */
  decideAccessRequest: { UpdateItem: [ACCESSREQ, USER], PutItem: [USER, CASE] },
  /** access-request-repo flagOverdue and unflag (FLAG-2). */
  flagAccessRequest: { UpdateItem: [ACCESSREQ] },
  /** chat-repo putTicket (issue 12): POST /chat/tickets stores the ticket, hashed, with a TTL. */
  issueChatTicket: { PutItem: [WSTICKET] },
  /** chat-repo consumeTicket: the $connect authorizer deletes it (conditionally), so it works once. */
  consumeChatTicket: { DeleteItem: [WSTICKET] },
  /** chat-repo connections: put at $connect, the chat it joined, deleted at $disconnect or on 410 Gone. */
  chatConnection: { PutItem: [WSCONN], UpdateItem: [WSCONN], DeleteItem: [WSCONN] },
  /** chat-repo chats (CHAT-1..3): the chat, its messages, its open-chat pointer and queue entry. */
  chatState: { PutItem: [CHAT], UpdateItem: [CHAT], DeleteItem: [CHAT] },
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
];
export const SWEEP_WRITES: readonly WritePattern[] = ['flagNeedsAction', 'flagAccessRequest'];

/**
 * The stream notifier's writes (lib/constructs/notifier.ts): its ledger, inbox items, and devices
 * SNS reports disabled; it changes no case and sends no mail (it queues mail jobs, issue 23).
 */
export const NOTIFIER_WRITES: readonly WritePattern[] = ['outbox', 'inboxItem', 'removeDevice', 'mailLog'];

/** The mail queue's consumer (issue 23): its once-only ledger, SES's ids of the mail it sends, the per-case mail log. */
export const SEND_MAIL_WRITES: readonly WritePattern[] = ['outbox', 'recordOutboundMail', 'mailLog'];

/** Chat (issue 12): the WebSocket function and the chat timer's consumer (CHAT-2 callback, CHAT-3 transcript). */
export const CHAT_WRITES: readonly WritePattern[] = [
  'chatConnection',
  'chatState',
  'chatAvailability',
  'appendUpdate',
  'saveCase',
  'mailIntent',
];
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
