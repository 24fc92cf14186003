/**
 * What the domain needs from the outside world. lambdas/data implements the repositories over
 * DynamoDB, lambdas/adapters the rest; tests pass their own.
 */
import type { IdempotencyRecord, IdempotencyWrite } from './idempotency';
import type { OutboundMail } from './mail';
import type { Favorite, FavoriteKind } from './favorites';
import type {
  CaseSubscription,
  OrgCategory,
  OrgNotifyMirror,
  OrgSubscription,
  OrgSubscriptionChoice,
  SubscriptionSource,
} from './subscriptions';
import type { Availability, Chat, ChatClaims, ChatConnection, ChatMessage, ChatTimer } from './chat-types';
import type { AuditEvent, Case, CaseUpdate, Combination, Membership, Org, OrgEvent, User, UserSettings } from './types';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** Time-ordered id for updates and audit events. */
  next(): string;
  /** Unguessable token, unrelated to the case number (MAIL-1). */
  referenceId(): string;
}

export interface Page<T> {
  items: T[];
  /** Opaque position for the next page, or null on the last page. */
  next: unknown | null;
}

export interface PageRequest {
  limit: number;
  /** A position previously returned as Page.next, already verified by the cursor codec. */
  after?: unknown;
}

export type { IdempotencyRecord, IdempotencyWrite };

export interface DirectoryRepo {
  /** Profile and memberships in one read. */
  getUserWithMemberships(userId: string): Promise<{ user: User; memberships: Membership[] } | undefined>;
  getOrgs(orgIds: string[]): Promise<Org[]>;
  acceptTerms(userId: string, version: string, at: string): Promise<void>;
  /** Every organisation (staff lists span them all). */
  listOrgs(namePrefix?: string): Promise<Org[]>;
  updateSettings(userId: string, settings: User['settings']): Promise<void>;
  /** With `consistent`, every level is read strongly consistently (not from the members index). */
  listOrgMembers(orgId: string, opts?: { consistent?: boolean }): Promise<Membership[]>;
  /**
   * Writes a membership and its organisation events together. With `guard`, only if the
   * membership still holds `fromLevel` and the organisation's membership version is still
   * `membersVersion` (which the write then bumps); false when another change got there first.
   */
  saveMembership(m: Membership, events: OrgEvent[], guard?: MembershipGuard): Promise<boolean>;
  /** The organisation's membership version (0 before its first level change), read consistently. */
  getMembersVersion(orgId: string): Promise<number>;
  getCombinations(pairs: { endUserOrgId: string; soldToOrgId: string }[]): Promise<Combination[]>;
}

export interface MembershipGuard {
  fromLevel: Membership['level'];
  membersVersion: number;
}

export interface CaseFilter {
  orgIds: string[];
  closed: boolean;
  sort: 'priority' | 'lastModified';
  severity?: string;
  status?: string;
  productLine?: string;
  needsAction?: boolean;
  createdFrom?: string;
  createdTo?: string;
}

export interface CaseRepo {
  nextCaseNumber(): Promise<number>;
  /**
   * Writes the case, its Reference ID entry and (if given) the idempotency record atomically.
   * Throws IdempotencyKeyTaken when the key's record exists or is being written concurrently.
   */
  createCase(c: Case, idempotency?: IdempotencyWrite): Promise<void>;
  getCase(caseNumber: string): Promise<Case | undefined>;
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  listOrgCases(f: CaseFilter, page: PageRequest): Promise<Page<Case>>;
  listContactCases(userId: string, f: Omit<CaseFilter, 'orgIds' | 'sort'>, page: PageRequest): Promise<Page<Case>>;
  /**
   * Appends the update and touches the case in one transaction, only while the case still has
   * the status and severity of `current`; undefined when the case changed meanwhile.
   * Throws IdempotencyKeyTaken as createCase does.
   */
  appendUpdate(u: CaseUpdate, current: Case, idempotency?: IdempotencyWrite): Promise<Case | undefined>;
  listUpdates(caseNumber: string, opts: { publicOnly: boolean }, page: PageRequest): Promise<Page<CaseUpdate>>;
  getUpdate(caseNumber: string, updateId: string): Promise<CaseUpdate | undefined>;
  /**
   * Replaces the case if its version is still `expectedVersion`, with its new updates and audit
   * events (and idempotency record), all or nothing. False when another writer got there first;
   * throws IdempotencyKeyTaken as createCase does.
   */
  saveCase(
    next: Case,
    expectedVersion: number,
    extra: { updates?: CaseUpdate[]; events?: AuditEvent[]; idempotency?: IdempotencyWrite },
  ): Promise<boolean>;
  listEvents(caseNumber: string, page: PageRequest): Promise<Page<AuditEvent>>;
  listOrgCasesCreated(orgId: string, from: string, to: string, limit: number): Promise<Case[]>;
}

export interface SessionRepo {
  /** Records activity; false when the session has been idle since before `idleSince`. */
  touch(sessionId: string, now: Date, idleSince: Date, keepUntil: Date): Promise<boolean>;
}

export interface Mailer {
  /** Resolves to the transport's message id (SES MessageId), when it reports one (MAIL-1). */
  send(mail: OutboundMail): Promise<string | undefined | void>;
}

/** MAIL-1: the HMAC keys of reply tokens; `current` signs, any known id verifies (rotation). */
export interface ReplyKeyring {
  current: { id: string; secret: Uint8Array };
  byId(id: string): Uint8Array | undefined;
}

export interface MailAddress {
  /** Lower-cased address; empty when the header had none. */
  address: string;
  name: string;
}

export interface ParsedAttachment {
  name: string;
  contentType: string;
  size: number;
  disposition: string | null;
  /** Referenced from the HTML by Content-ID (an inline image). */
  related: boolean;
}

/** What the domain reads of an inbound message, whatever MIME library produced it. */
export interface ParsedMail {
  /** Lower-cased header names; every occurrence, in order. */
  headers: Record<string, string[]>;
  /** Top-level Content-Type, lower-cased, without parameters. */
  contentType: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  date?: string;
  returnPath?: string;
  text?: string;
  html?: string;
  attachments: ParsedAttachment[];
}

export interface MimeParser {
  /** Bounded parse (nesting, header size); rejects on malformed input rather than hanging. */
  parse(raw: Uint8Array): Promise<ParsedMail>;
}

export type InboundOutcomeKind = 'attached' | 'duplicate' | 'rejected';

/** MAIL-4: one inbound message and what became of it. */
export interface InboundRecord {
  transportId: string;
  rawKey: string;
  receivedAt: string;
  size: number;
  from?: string;
  subject?: string;
  outcome: InboundOutcomeKind;
  reason?: string;
  caseNumber?: string;
  updateId?: string;
  /** Transport id of the message this one duplicates. */
  of?: string;
  /** The explanatory reply (MAIL-3) was sent. */
  replied?: boolean;
  /** Personal data of an EU/EEA organisation (or unknown): hidden from US staff (PRIV-1). */
  euData: boolean;
}

export interface AttachInbound {
  record: InboundRecord;
  claimId: string;
  contentHash: string;
  next: Case;
  expectedVersion: number;
  updates: CaseUpdate[];
  events: AuditEvent[];
}

export interface MailRepo {
  getInbound(transportId: string): Promise<InboundRecord | undefined>;
  /**
   * MAIL-5: claims a transport id for processing (conditional put); false when it already has an
   * outcome or another delivery holds a claim newer than `staleBefore`.
   */
  claimInbound(transportId: string, claimId: string, at: string, staleBefore: string): Promise<boolean>;
  /** Gives a claim back after a failure, so a redelivery processes the message again. */
  releaseInbound(transportId: string, claimId: string): Promise<void>;
  /** MAIL-4: replaces our claim with the final outcome; false when the claim was lost. */
  putOutcome(record: InboundRecord, claimId: string): Promise<boolean>;
  /**
   * MAIL-2/5: the update, the case change, the outcome and the content fingerprint in one
   * transaction. `duplicate`/`content-duplicate` when another delivery got there first
   * (with the transport id it recorded), `conflict` when the case changed meanwhile.
   */
  attach(
    a: AttachInbound,
  ): Promise<{ result: 'attached' | 'conflict' } | { result: 'duplicate' | 'content-duplicate'; of: string }>;
  /** MAIL-1: a message id we sent for the case, so In-Reply-To/References find it. */
  recordOutbound(messageId: string, caseNumber: string, at: string): Promise<void>;
  caseByMessageId(messageId: string): Promise<string | undefined>;
  caseByReference(referenceId: string): Promise<string | undefined>;
  userIdByEmail(email: string): Promise<string | undefined>;
  /** MAIL-3: true once per sender, kind and day (conditional put). */
  claimAutoReply(sender: string, day: string, kind: string, ttlSeconds: number): Promise<boolean>;
  listInbound(now: string, page: PageRequest): Promise<Page<InboundRecord>>;
}

/** The sweep's view of the sparse waiting index (FLAG-1, FLAG-2). */
export interface WaitingRepo {
  /** Cases support has waited on since before `before` and not yet flagged, oldest first. */
  dueCases(before: string, page: PageRequest): Promise<Page<Case>>;
  /** Flags the case if it is still in the same waiting period and unflagged; false otherwise. */
  flagNeedsAction(c: Case, at: string, event: AuditEvent): Promise<boolean>;
}

export type OutboxClaim = 'claimed' | 'done' | 'busy';

/**
 * The notifier's once-only ledger (issue 10): one item per side effect (an event's publication,
 * a reminder), claimed before the effect and marked done after it.
 */
export interface OutboxRepo {
  /**
   * Claims `key` until `leaseUntil`: `done` when the effect already happened, `busy` while
   * another run's claim is unexpired. An expired claim (its run died) is taken over.
   */
  claim(key: string, claimId: string, now: string, leaseUntil: string): Promise<OutboxClaim>;
  /** Marks the effect done; false when the claim was lost meanwhile. */
  finish(key: string, claimId: string, at: string, outcome: string): Promise<boolean>;
  /** Gives a claim back after a failed effect, so the stream's retry may claim it at once. */
  release(key: string, claimId: string): Promise<void>;
}

/** One message for the integration topic; `id` is unique within a batch. */
export interface TopicMessage {
  id: string;
  body: string;
  attributes: Record<string, string>;
}

/** NOTE-1: the SNS topic integrations subscribe to. */
export interface IntegrationTopic {
  /** At most 10 messages (SNS PublishBatch); resolves to the ids SNS refused. Throws when the call fails. */
  publishBatch(messages: TopicMessage[]): Promise<{ failed: string[] }>;
}

/**
 * NOTE-2 subscriptions, in the subject's partition (CASE#<n> or ORG#<orgId>, SK SUB#<userId>):
 * the notifier finds an event's recipients with one Query (caseSubscribers, orgSubscribers).
 */
export interface SubscriptionRepo {
  /** Adds a source to the user's subscription of the case, creating it if needed. */
  addCaseSource(
    s: { caseNumber: string; userId: string; orgId: string },
    source: SubscriptionSource,
    at: string,
  ): Promise<CaseSubscription>;
  /** Removes the subscription whatever its sources (notifications off). */
  deleteCaseSubscription(caseNumber: string, userId: string): Promise<void>;
  getCaseSubscription(caseNumber: string, userId: string): Promise<CaseSubscription | undefined>;
  /** Every live subscription of a case (entries with no source left are skipped). */
  caseSubscribers(caseNumber: string): Promise<CaseSubscription[]>;
  getOrgSubscription(orgId: string, userId: string): Promise<OrgSubscription | undefined>;
  /** Sets the given categories (others keep their value, false when new) and the settings mirror. */
  putOrgSubscription(
    s: { orgId: string; userId: string },
    change: Partial<OrgSubscriptionChoice>,
    mirror: OrgNotifyMirror,
    at: string,
  ): Promise<OrgSubscription>;
  /** Users subscribed to one category of an organisation's events (alarms and maintenance included). */
  orgSubscribers(orgId: string, category: OrgCategory | 'alarms' | 'maintenance'): Promise<OrgSubscription[]>;
  /** NOTE-4: the user's settings and their mirror on each organisation, all or nothing. */
  saveSettings(userId: string, settings: UserSettings, mirrors: OrgNotifyMirror[], at: string): Promise<void>;
}

/** LIST-5: favorites in the user's partition, at most FAVORITE_LIMIT, counted atomically. */
export interface FavoriteRepo {
  /**
   * Adds the favorite and counts it in one transaction (and, with `subscribe`, adds the favorite
   * source to the case's subscription in the same one): `exists` when it already was one (nothing
   * changes), `limit` when the user already has the maximum.
   */
  addFavorite(f: Favorite, limit: number): Promise<'added' | 'exists' | 'limit'>;
  getFavorite(userId: string, kind: FavoriteKind, id: string): Promise<Favorite | undefined>;
  /** Removes the favorite, its count and the subscription source it made, all or nothing; false when there was none. */
  removeFavorite(userId: string, kind: FavoriteKind, id: string): Promise<boolean>;
  listFavorites(userId: string, page: PageRequest): Promise<Page<Favorite>>;
  countFavorites(userId: string): Promise<number>;
}

/** Issue 12 (CHAT-1..3): chats, their connections, tickets and analyst availability. */
export interface ChatRepo {
  /** Stores a single-use ticket (hashed) for `claims`, deleted by TTL if never used. */
  putTicket(ticket: string, claims: ChatClaims, validUntil: string): Promise<void>;
  /** Deletes the ticket and answers its claims, once, if it is still valid at `now`. */
  consumeTicket(ticket: string, now: string): Promise<ChatClaims | undefined>;
  putConnection(c: ChatConnection): Promise<void>;
  getConnection(connectionId: string): Promise<ChatConnection | undefined>;
  setConnectionChat(connectionId: string, chatId: string): Promise<void>;
  deleteConnection(connectionId: string): Promise<void>;
  getChat(chatId: string): Promise<Chat | undefined>;
  /** The chat, its open-chat pointer and (when queued) its queue entry, all or nothing. */
  createChat(chat: Chat): Promise<void>;
  /**
   * Replaces the chat if it is still at `expectedVersion`; keeps its queue entry and pointer in
   * step with its status (dequeued once answered, both gone once ended). False when stale.
   */
  saveChat(next: Chat, expectedVersion: number): Promise<boolean>;
  /** The customer's unfinished chat on a case, if any. */
  openChat(caseNumber: string, userId: string): Promise<string | undefined>;
  appendMessage(m: ChatMessage): Promise<void>;
  /** Oldest first. */
  listMessages(chatId: string): Promise<ChatMessage[]>;
  putAvailability(a: Availability): Promise<void>;
  deleteAvailability(a: Pick<Availability, 'userId' | 'supportGroups'>): Promise<void>;
  getAvailability(userId: string): Promise<Availability | undefined>;
  availableInGroup(supportGroup: string): Promise<Availability[]>;
  /** Chat ids waiting in a group's queue, oldest first. */
  queuedChats(supportGroup: string, limit: number): Promise<string[]>;
  /** CHAT-2: the staff who get callback alerts (managers). */
  managers(): Promise<User[]>;
}

/** The API Gateway management API: frames to connected clients. */
export interface ChatConnections {
  /** `gone` when the client has left (410): the caller forgets the connection and carries on. */
  post(connectionId: string, frame: unknown): Promise<'sent' | 'gone'>;
}

/** CHAT-2 and the dropped-connection grace: one delayed message per timer, carrying the chat's version. */
export interface ChatTimers {
  start(timer: ChatTimer, delaySeconds: number): Promise<void>;
}

export interface Deps {
  clock: Clock;
  ids: Ids;
  directory: DirectoryRepo;
  cases: CaseRepo;
  sessions: SessionRepo;
  waiting: WaitingRepo;
  subscriptions: SubscriptionRepo;
  favorites: FavoriteRepo;
  mailer: Mailer;
  mailDomain: string;
  mail: MailRepo;
  mime: MimeParser;
  replyKeys: () => Promise<ReplyKeyring>;
  outbox: OutboxRepo;
  integration: IntegrationTopic;
}
