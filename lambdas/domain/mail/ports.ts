/** What mail needs from outside (the mailer, MIME parsing, the inbound store, the outbox, the mail queue and log) and the mail it moves. */
import type { Page, PageRequest } from '../kernel/ports';
import type { Rendered } from '../kernel/rendered';
import type { AuditEvent, Case, CaseAttachment, CaseUpdate, Status } from '../kernel/types';
import type { NotificationEvent } from '../notifications/notifications';
import type { Reason } from '../notifications/ports';

export interface OutboundMail {
  from: string;
  to: string[];
  replyTo: string;
  subject: string;
  text: string;
  /** Message id the case's thread hangs from; sent as References. */
  references: string;
  /** Extra headers (Auto-Submitted, X-Loop), sent as given. */
  headers: Record<string, string>;
}

interface JobBase {
  /** Once-only key of this send (the outbox ledger claims `mail#<key>`); the same change derives the same key. */
  key: string;
  /** When the change that caused it committed. */
  at: string;
}

/** Every mail that leaves, by what it says. Only ids and enums: the text is rendered at send time. */
export type MailJob = JobBase &
  (
    | { kind: 'case-update'; caseNumber: string; updateId: string; userId: string }
    | { kind: 'case-status'; caseNumber: string; status: Status; version: number; userId: string }
    | { kind: 'reminder'; caseNumber: string; waitingSince: string; userId: string }
    /** CASE-7: whoever asked to close the case hears that staff declined, and why. */
    | { kind: 'closure-declined'; caseNumber: string; userId: string; comment?: string }
    | { kind: 'notification'; event: NotificationEvent; userId: string; reasons: Reason[] }
    /** CHAT-3: the transcript saved on the case as update `updateId`, mailed to the chat's customer. */
    | { kind: 'chat-transcript'; caseNumber: string; updateId: string; userId: string }
    /**
     * Mail rendered by the change itself: to an address with no account behind it (the
     * access-request code, a MAIL-3 answer), or per recipient's access by the change (approvers,
     * CHAT-2 alerts, FLAG-2). `caseNumber` when it is mail of a case: its SES id is recorded
     * against the case (MAIL-1) and it shows in the case's mail log.
     */
    | { kind: 'notice'; mail: Rendered<OutboundMail>; requestId?: string; caseNumber?: string }
  );

export type MailJobKind = MailJob['kind'];

/** How a job ended, or why it will be tried again. */
export type MailOutcome = 'sent' | 'already-sent' | 'not-allowed' | 'superseded';

/** The record of one case mail's delivery that staff see per case (undelivered mail is visible). */
export interface MailLogEntry {
  caseNumber: string;
  key: string;
  kind: MailJobKind;
  /**
   * `queued` when the notifier queued it; `retrying` after a failed try, until it is sent;
   * `dead-lettered` after the last try (the whole job is in the DLQ).
   */
  state: 'queued' | 'retrying' | 'sent' | 'not-allowed' | 'superseded' | 'dead-lettered';
  attempts: number;
  at: string;
  /** The recipient's user id (never an address: this is read by staff whatever their region). */
  userId?: string;
  error?: string;
  /** The failure in a word (lambdas/domain/mail/mail-log.ts), what staff are shown of `error`. */
  errorClass?: MailErrorClass;
}

/** A mail's delivery as staff read it. */
export type CaseMailStatus = 'queued' | 'sent' | 'failed' | 'dead-lettered' | 'not-sent';

/** Why a failure happened, in a word: never the transport's own message (hosts, addresses, internals). */
export type MailErrorClass = 'connection' | 'timeout' | 'throttled' | 'rejected' | 'busy' | 'other';

export interface CaseMail {
  /** Opaque and stable per mail (derived from its once-only key, which is not shown). */
  mailId: string;
  kind: MailJobKind;
  /** `failed`: the last try failed and the queue tries again later; `dead-lettered`: it no longer does. */
  status: CaseMailStatus;
  /** With `not-sent`: the recipient may no longer receive it, or what it said no longer holds. */
  reason?: 'not-allowed' | 'superseded';
  attempts: number;
  lastAttemptAt: string;
  lastErrorClass?: MailErrorClass;
  recipientId?: string;
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
  /** The file's bytes (MAIL-2 keeps them downloadable). */
  content?: Uint8Array;
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
  /** MAIL-2: the files of the message kept downloadable, recorded with the update. */
  files?: CaseAttachment[];
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
  /** MAIL-3: claims the day's one answer and, in the same transaction, writes its mail intent. */
  claimAutoReply(sender: string, day: string, kind: string, ttlSeconds: number, mail?: MailJob): Promise<boolean>;
  listInbound(now: string, page: PageRequest): Promise<Page<InboundRecord>>;
}

export type OutboxClaim = 'claimed' | 'done' | 'busy';

/**
 * The notifier's once-only ledger: one item per side effect (an event's publication,
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
  /** `claim` for many keys at once (a chunk of recipients), in few calls: each key's state. */
  claimAll(keys: string[], claimId: string, now: string, leaseUntil: string): Promise<Map<string, OutboxClaim>>;
  /** `finish` for many keys of this run at once. */
  finishAll(keys: string[], claimId: string, at: string, outcome: string): Promise<void>;
}

/**
 * The mail queue. Jobs carry ids and the recipient, never rendered text (but `notice`);
 * the consumer renders and sends each once (the ledger), retrying with backoff.
 */
export interface MailQueue {
  enqueue(jobs: MailJob[]): Promise<void>;
}

/** Per case, what became of each mail (staff see undelivered mail). */
export interface MailLogRepo {
  record(entry: MailLogEntry): Promise<void>;
  /** `queued`, only where the case's log has no entry for the job yet. */
  queued(entry: MailLogEntry): Promise<void>;
  list(caseNumber: string): Promise<MailLogEntry[]>;
}
