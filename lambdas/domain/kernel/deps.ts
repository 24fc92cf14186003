/**
 * What the domain needs from the outside world. lambdas/data implements the repositories over
 * DynamoDB, lambdas/adapters the rest; tests pass their own.
 */
import type { IdempotencyRecord, IdempotencyWrite } from './idempotency';
import type { Rendered } from './views';
import type { OutboundMail } from '../mail/compose';
import type { MailJob, MailLogEntry } from '../mail/outbound';
import type { Favorite, FavoriteKind } from '../access/favorites';
import type { MonitoringRepo } from '../monitoring/monitoring';
import type {
  CaseSubscription,
  OrgCategory,
  OrgNotifyMirror,
  OrgSubscription,
  OrgSubscriptionChoice,
  SubscriptionSource,
} from '../notifications/subscriptions';
import type { Availability, Chat, ChatClaims, ChatConnection, ChatMessage, ChatTimer } from '../chat/chat-types';
import type { NotificationType } from '../notifications/notifications';
import type {
  AccessRequest,
  AuditEvent,
  Case,
  CaseKind,
  CaseUpdate,
  Combination,
  Membership,
  Org,
  OrgEvent,
  Severity,
  Status,
  User,
  UserSettings,
} from './types';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** Time-ordered id for updates and audit events. */
  next(): string;
  /** Unguessable token, unrelated to the case number (MAIL-1). */
  referenceId(): string;
  /** ACC-6: a one-time code of 6 random digits (uniform, from a CSPRNG). */
  oneTimeCode(): string;
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
  /** One value or a set (LIST-3: `severity=high,critical`). */
  severity?: Severity | readonly Severity[];
  status?: Status | readonly Status[];
  kind?: CaseKind | readonly CaseKind[];
  /** LIST-2: only cases this user is the contact of (customers) or owns (staff). */
  contactId?: string;
  ownerId?: string;
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
  createCase(c: Case, idempotency?: IdempotencyWrite, events?: AuditEvent[]): Promise<void>;
  getCase(caseNumber: string): Promise<Case | undefined>;
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  listOrgCases(f: CaseFilter, page: PageRequest): Promise<Page<Case>>;
  listContactCases(userId: string, f: Omit<CaseFilter, 'orgIds' | 'sort'>, page: PageRequest): Promise<Page<Case>>;
  /**
   * Appends the update and touches the case in one transaction, only while the case still has
   * the status and severity of `current`; undefined when the case changed meanwhile.
   * Throws IdempotencyKeyTaken as createCase does.
   */
  appendUpdate(
    u: CaseUpdate,
    current: Case,
    idempotency?: IdempotencyWrite,
    /** Issue 23: mail the update causes, written in the same transaction (the stream queues it). */
    mail?: readonly MailJob[],
  ): Promise<Case | undefined>;
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
    /** `mail`: issue 23, the intents of the mail this change causes, in the same transaction. */
    extra: { updates?: CaseUpdate[]; events?: AuditEvent[]; idempotency?: IdempotencyWrite; mail?: readonly MailJob[] },
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
  send(mail: Rendered<OutboundMail>): Promise<string | undefined | void>;
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

export type InboundOutcomeKind = 'attached' | 'duplicate' | 'rejected' | 'held';

/**
 * MAIL-4: a reply from a known person that did not prove its sender (no reply token issued to
 * that address, or failed SES checks): kept whole for staff review, attached only when released.
 */
export interface HeldReply {
  senderId: string;
  subject: string;
  body: string;
  /** 'whole' when no new text could be told from the history (MAIL-2): shown collapsed. */
  textQuality?: 'whole';
  fullText: string;
  attachments: { name: string; contentType: string; size: number }[];
  contentHash: string;
}

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
  /** Data of a FedRAMP organisation (or unknown): never shown on the mobile app (PRIV-2). */
  fedrampData?: boolean;
  /** Outcome `held`: what a release attaches. */
  held?: HeldReply;
  /** A held message released by staff (its outcome is then `attached`). */
  releasedBy?: string;
  releasedAt?: string;
}

export interface AttachInbound {
  record: InboundRecord;
  claimId: string;
  contentHash: string;
  next: Case;
  expectedVersion: number;
  updates: CaseUpdate[];
  events: AuditEvent[];
  /** A staff release of a held message: the record must still be `held` (not a live claim). */
  releasing?: boolean;
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
  /** MAIL-3: claims the day's one answer and, in the same transaction, writes its mail intent (issue 23). */
  claimAutoReply(sender: string, day: string, kind: string, ttlSeconds: number, mail?: MailJob): Promise<boolean>;
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

/**
 * Issue 23: the mail queue. Jobs carry ids and the recipient, never rendered text (but `notice`);
 * the consumer renders and sends each once (the ledger), retrying with backoff.
 */
export interface MailQueue {
  enqueue(jobs: MailJob[]): Promise<void>;
}

/** Issue 23: per case, what became of each mail (staff see undelivered mail). */
export interface MailLogRepo {
  record(entry: MailLogEntry): Promise<void>;
  /** Issue 23: `queued`, only where the case's log has no entry for the job yet. */
  queued(entry: MailLogEntry): Promise<void>;
  list(caseNumber: string): Promise<MailLogEntry[]>;
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
  publishBatch(messages: Rendered<TopicMessage>[]): Promise<{ failed: string[] }>;
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

/** NOTE-1, NOTE-3: one notification in a user's inbox, as the notifier rendered it for them. */
export interface InboxItem {
  userId: string;
  /** The event's id: one item per event and user, however often the event is delivered. */
  notificationId: string;
  eventType: NotificationType;
  at: string;
  orgId: string;
  caseNumber?: string;
  severity?: Severity;
  /** Case numbers, enums and organisation names only (the restricted view keeps it). */
  title: string;
  /** May carry personal data (the case's subject, an alarm's text): full views only (PRIV-1). */
  body: string;
  /** PRIV-2: the organisation is FedRAMP, so mobile tokens are never served the item. */
  fedramp: boolean;
  /** NOTE-3: after this the item is gone (DynamoDB TTL deletes lazily, so reads compare too). */
  keepUntil: string;
}

export type PushPlatform = 'apns' | 'fcm';

/** NOTE-1: a device registered for push (POST /devices), owned by whoever registered its token last. */
export interface Device {
  deviceId: string;
  userId: string;
  platform: PushPlatform;
  /** The SNS platform endpoint. */
  endpointArn: string;
  createdAt: string;
}

export interface NotificationRepo {
  /** Writes the item unless it is there already (a replayed event): true when written now. */
  putInboxItem(item: Rendered<InboxItem>): Promise<boolean>;
  /** The user's items newest first, without those whose keepUntil is not after `now`. */
  listInbox(userId: string, now: string, page: PageRequest): Promise<Page<InboxItem>>;
  /** Creates or takes over the device (the token's previous owner loses it). */
  putDevice(d: Device): Promise<void>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  /** Deletes the device only while `userId` still owns it; false when not (gone, or taken over). */
  deleteDevice(deviceId: string, userId: string): Promise<boolean>;
  userDevices(userId: string): Promise<Device[]>;
}

/** What a push shows: title and body as the recipient may see them, and ids for the app to open. */
export interface PushMessage {
  title: string;
  body: string;
  data: Record<string, string>;
}

/** NOTE-1: mobile push (SNS platform endpoints for APNs and FCM; locally the push stand-in). */
export interface PushService {
  /** Whether this deployment has a platform application for it (a CDK parameter). */
  offers(platform: PushPlatform): boolean;
  /**
   * The platform endpoint for this token, created or reused (the same token registered again,
   * by this or another user, gets the same endpoint, enabled and marked as the user's).
   */
  createEndpoint(platform: PushPlatform, token: string, userId: string): Promise<string>;
  /** One push; `disabled` when the endpoint is disabled (the token is no longer valid). */
  publish(endpointArn: string, platform: PushPlatform, message: Rendered<PushMessage>): Promise<'sent' | 'disabled'>;
  deleteEndpoint(endpointArn: string): Promise<void>;
}

/** ACC-6: a fixed-window counter a new access request must stay under. */
export interface RateLimit {
  kind: 'email' | 'ip';
  subject: string;
  /** Start of the current window (ISO), part of the counter's key. */
  windowStart: string;
  max: number;
  /** When DynamoDB may delete the counter (epoch seconds). */
  expiresAt: number;
}

/** The directory writes an approval makes, all or nothing (ACC-6). */
export interface AccessGrant {
  /** Written only if the user is new (if_not_exists on every field). */
  user: User;
  /** One per combination requested, replacing any membership of that combination. */
  memberships: Membership[];
  /** The admin case, closed, at the version read; with its update and audit events. */
  closedCase: Case;
  caseVersion: number;
  updates: CaseUpdate[];
  events: AuditEvent[];
}

/** ACC-6, FLAG-2: access requests and what they write. */
export interface AccessRequestRepo {
  /**
   * The request and the rate-limit counters in one transaction: `limited` (with the counter that
   * refused) when one is at its maximum, `exists` when a request with this id is already stored.
   */
  /** With `mail`, the code mail's intent is written in the same transaction (issue 23): it cannot be lost. */
  open(
    r: AccessRequest,
    limits: RateLimit[],
    expiresAt: number,
    mail?: MailJob,
  ): Promise<'created' | 'exists' | { limited: RateLimit }>;
  get(requestId: string): Promise<AccessRequest | undefined>;
  /**
   * Counts one confirmation attempt BEFORE the code is compared (so no more than `max` codes are
   * ever compared, however many arrive at once): the request as counted, or undefined when it is
   * no longer unconfirmed, its code has expired, or its attempts are used up.
   */
  countAttempt(requestId: string, max: number, now: string): Promise<AccessRequest | undefined>;
  /** Unconfirmed -> pending with the admin case (and its `created` event) opened, all or nothing; false when no longer unconfirmed. */
  confirm(r: AccessRequest, adminCase: Case, events?: AuditEvent[], mail?: readonly MailJob[]): Promise<boolean>;
  /** Pending -> decided with its grant (approval) and the admin case closed; false when no longer pending. */
  decide(
    r: AccessRequest,
    grant: AccessGrant | undefined,
    closing: Omit<AccessGrant, 'user' | 'memberships'>,
    mail?: readonly MailJob[],
  ): Promise<boolean>;
  /** A company's confirmed requests, newest first (or every company's, for portal admins). */
  listFor(
    decidingOrgId: string | 'ALL',
    status: AccessRequest['status'] | undefined,
    page: PageRequest,
  ): Promise<Page<AccessRequest>>;
  /** FLAG-2: pending requests confirmed before `before`, not yet flagged, oldest first (the sparse index). */
  duePending(before: string, page: PageRequest): Promise<Page<AccessRequest>>;
  /** FLAG-2: marks the request flagged (out of the sparse index) if still pending and unflagged. */
  flagOverdue(r: AccessRequest, at: string): Promise<boolean>;
  /** FLAG-2: undoes a flag whose mail could not be sent, so the next run tries again. */
  unflagOverdue(r: AccessRequest, at: string): Promise<void>;
  /** The Designated Approvers of an organisation, with their profiles (members index, by Query). */
  approversOf(orgId: string): Promise<User[]>;
  /** Portal admins (staff role `admin`), by Query on their index partition. */
  portalAdmins(): Promise<User[]>;
  userIdByEmail(email: string): Promise<string | undefined>;
}

/**
 * ACC-6: the sign-in directory. In AWS the Cognito user pool (AdminCreateUser, or
 * AdminUpdateUserAttributes for a known user), whose `sub` is the user's id; locally the local
 * issuer signs tokens for directory users, so the local adapter only finds or makes the id.
 */
export interface UserAccounts {
  /** The user id (token `sub`) of the person with this verified address, created if new. */
  ensureUser(u: { email: string; name: string }): Promise<string>;
}

/** One caller's count in one window of one rate limit (lambdas/domain/rate-limits.ts). */
export interface RateWindow {
  callerId: string;
  name: string;
  windowStart: Date;
  limit: number;
  expiresAt: Date;
}

export interface RateLimitStore {
  /** Counts one request in the window; false (and nothing counted) when it already holds `limit`. */
  take(w: RateWindow): Promise<boolean>;
  /** Gives back one request counted by `take` (never below zero): a refused request uses up nothing. */
  giveBack(w: RateWindow): Promise<void>;
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
  post(connectionId: string, frame: Rendered<object>): Promise<'sent' | 'gone'>;
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
  /** Issue 23: the mail queue and the per-case mail log. */
  mailQueue: MailQueue;
  mailLog: MailLogRepo;
  integration: IntegrationTopic;
  /** ALARM-1, ALARM-2: alarms, cloud incidents, maintenance alerts. */
  monitoring: MonitoringRepo;
  /** NOTE-1, NOTE-3: inbox items and push devices. */
  notes: NotificationRepo;
  push: PushService;
  /** ACC-6, FLAG-2. */
  accessRequests: AccessRequestRepo;
  /** ACC-6: the sign-in directory (Cognito in AWS; locally the directory itself). */
  userAccounts: UserAccounts;
  rateLimits: RateLimitStore;
}
