/** What cases need from outside: the case repository and the waiting index. */
import type { IdempotencyRecord, IdempotencyWrite, Page, PageRequest } from '../kernel/ports';
import type { AuditEvent, Case, CaseAttachment, CaseKind, CaseUpdate, Severity, Status } from '../kernel/types';
import type { MailJob } from '../mail/ports';

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
    /** Mail the update causes, written in the same transaction (the stream queues it). */
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
    /** `mail`: the intents of the mail this change causes, in the same transaction. */
    extra: { updates?: CaseUpdate[]; events?: AuditEvent[]; idempotency?: IdempotencyWrite; mail?: readonly MailJob[] },
  ): Promise<boolean>;
  listEvents(caseNumber: string, page: PageRequest): Promise<Page<AuditEvent>>;
  listOrgCasesCreated(orgId: string, from: string, to: string, limit: number): Promise<Case[]>;
}

/** The sweep's view of the sparse waiting index (FLAG-1, FLAG-2). */
export interface WaitingRepo {
  /** Cases support has waited on since before `before` and not yet flagged, oldest first. */
  dueCases(before: string, page: PageRequest): Promise<Page<Case>>;
  /** Flags the case if it is still in the same waiting period and unflagged; false otherwise. */
  flagNeedsAction(c: Case, at: string, event: AuditEvent): Promise<boolean>;
}

/** A case's files (MAIL-2, CASE-6): their records in the case's partition. */
export interface AttachmentRepo {
  /**
   * Records a pending upload and counts it into the uploader's open attachment set on the case
   * (at most `max` files in a set opened after `since`), in one transaction: 'set-full' when the
   * set already holds `max`.
   */
  createUpload(a: CaseAttachment, set: { max: number; since: string; now: string }): Promise<'created' | 'set-full'>;
  getAttachment(caseNumber: string, attachmentId: string): Promise<CaseAttachment | undefined>;
  listAttachments(caseNumber: string, opts: { publicOnly: boolean }, page: PageRequest): Promise<Page<CaseAttachment>>;
  /** Moves a pending attachment to its checked status; false when it is no longer pending. */
  settle(
    caseNumber: string,
    attachmentId: string,
    to: { status: 'available' | 'quarantined'; reason?: string; key: string; checkedAt: string },
  ): Promise<boolean>;
}

/** What the checks read of a stored object: its size, its stored type and its first bytes. */
export interface StoredObject {
  size: number;
  contentType?: string;
  head: Uint8Array;
}

/** The attachments bucket (S3): presigned URLs, the object a check reads, quarantine. */
export interface AttachmentFiles {
  /** A presigned PUT that S3 accepts only with exactly this Content-Type and Content-Length. */
  uploadUrl(key: string, o: { contentType: string; size: number; expiresInSeconds: number }): Promise<string>;
  /** A presigned GET whose answer is a download (`Content-Disposition: attachment`) under this name. */
  downloadUrl(key: string, o: { fileName: string; contentType: string; expiresInSeconds: number }): Promise<string>;
  /** Undefined when there is no such object. */
  inspect(key: string, headBytes: number): Promise<StoredObject | undefined>;
  /** Moves the object to the quarantine prefix; returns its new key. */
  quarantine(key: string): Promise<string>;
  /** Stores a file kept from inbound mail. */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
}
