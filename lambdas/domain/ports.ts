/**
 * What the domain needs from the outside world. lambdas/data implements the repositories over
 * DynamoDB, lambdas/adapters the rest; tests pass their own.
 */
import type { OutboundMail } from './mail';
import type { AuditEvent, Case, CaseUpdate, Combination, Membership, Org, OrgEvent, User } from './types';

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

export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  body: unknown;
}

export interface DirectoryRepo {
  /** Profile and memberships in one read. */
  getUserWithMemberships(userId: string): Promise<{ user: User; memberships: Membership[] } | undefined>;
  getOrgs(orgIds: string[]): Promise<Org[]>;
  acceptTerms(userId: string, version: string, at: string): Promise<void>;
  /** Every organisation (staff lists span them all). */
  listOrgs(namePrefix?: string): Promise<Org[]>;
  updateSettings(userId: string, settings: User['settings']): Promise<void>;
  listOrgMembers(orgId: string): Promise<Membership[]>;
  /** Writes a membership and its organisation events together. */
  saveMembership(m: Membership, events: OrgEvent[]): Promise<void>;
  getCombinations(pairs: { endUserOrgId: string; soldToOrgId: string }[]): Promise<Combination[]>;
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
  /** Writes the case, its Reference ID entry and (if given) the idempotency record atomically. */
  createCase(
    c: Case,
    idempotency?: { scope: string; key: string; record: IdempotencyRecord; ttlSeconds: number },
  ): Promise<'created' | 'duplicate'>;
  getCase(caseNumber: string): Promise<Case | undefined>;
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  listOrgCases(f: CaseFilter, page: PageRequest): Promise<Page<Case>>;
  listContactCases(userId: string, f: Omit<CaseFilter, 'orgIds' | 'sort'>, page: PageRequest): Promise<Page<Case>>;
  /** Appends the update and touches the case in one transaction; undefined when the case changed meanwhile. */
  appendUpdate(u: CaseUpdate, current: Case): Promise<Case | undefined>;
  listUpdates(caseNumber: string, opts: { publicOnly: boolean }, page: PageRequest): Promise<Page<CaseUpdate>>;
  getUpdate(caseNumber: string, updateId: string): Promise<CaseUpdate | undefined>;
  /**
   * Replaces the case if its version is still `expectedVersion`, with its new updates and audit
   * events, all or nothing. False when another writer got there first.
   */
  saveCase(next: Case, expectedVersion: number, extra: { updates?: CaseUpdate[]; events?: AuditEvent[] }): Promise<boolean>;
  listEvents(caseNumber: string, page: PageRequest): Promise<Page<AuditEvent>>;
  listOrgCasesCreated(orgId: string, from: string, to: string, limit: number): Promise<Case[]>;
}

export interface SessionRepo {
  /** Records activity; false when the session has been idle since before `idleSince`. */
  touch(sessionId: string, now: Date, idleSince: Date, keepUntil: Date): Promise<boolean>;
}

export interface Mailer {
  send(mail: OutboundMail): Promise<void>;
}

/** The sweep's view of the sparse waiting index (FLAG-1, FLAG-2). */
export interface WaitingRepo {
  /** Cases support has waited on since before `before` and not yet flagged, oldest first. */
  dueCases(before: string, page: PageRequest): Promise<Page<Case>>;
  /** Flags the case if it is still in the same waiting period and unflagged; false otherwise. */
  flagNeedsAction(c: Case, at: string, event: AuditEvent): Promise<boolean>;
  /** Undoes a flag whose reminder could not be sent, so the next sweep tries again. */
  unflagNeedsAction(c: Case, at: string, event: AuditEvent): Promise<void>;
}

export interface Deps {
  clock: Clock;
  ids: Ids;
  directory: DirectoryRepo;
  cases: CaseRepo;
  sessions: SessionRepo;
  waiting: WaitingRepo;
  mailer: Mailer;
  mailDomain: string;
}
