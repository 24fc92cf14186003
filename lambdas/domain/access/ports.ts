/** What access needs from outside: the directory, sessions, favorites, access requests, sign-in accounts. */
import type { Page, PageRequest, RateWindow } from '../kernel/ports';
import type {
  AccessRequest,
  AuditEvent,
  CallerSource,
  Case,
  CaseUpdate,
  Combination,
  Membership,
  Org,
  OrgEvent,
  User,
} from '../kernel/types';
import type { MailJob } from '../mail/ports';

export const FAVORITE_KINDS = ['case', 'account'] as const;
export type FavoriteKind = (typeof FAVORITE_KINDS)[number];

export const FAVORITE_LIMIT = 20;

/** USER#<userId> / FAV#<kind>#<id>. */
export interface Favorite {
  userId: string;
  kind: FavoriteKind;
  /** Case number or Org ID. */
  id: string;
  /** The organisation it belongs to (the account itself, or the case's): access is checked on it. */
  orgId: string;
  createdAt: string;
  /** A case favorite that added the `favorite` source to the user's case subscription. */
  subscribed: boolean;
}

export interface ShortfallView {
  orgId: string;
  orgName: string;
  designatedContacts: number;
  required: number;
  approvers: string[];
}

export type { CallerSource };

export interface DirectoryRepo {
  /** Profile and memberships in one read. */
  getUserWithMemberships(userId: string): Promise<{ user: User; memberships: Membership[] } | undefined>;
  /**
   * The caller's sources as of now: every write that changes one takes effect on the next call
   * (ACC-4, ACC-5, ACC-9). Undefined for a user the directory does not know.
   */
  getCallerSource(userId: string): Promise<CallerSource | undefined>;
  /** The same for many users at once (a chunk of an event's recipients), by user id; unknown users are absent. */
  getCallerSources(userIds: string[]): Promise<Map<string, CallerSource>>;
  /** With `consistent`, read strongly consistently (a change decided from them). */
  getOrgs(orgIds: string[], opts?: { consistent?: boolean }): Promise<Org[]>;
  acceptTerms(userId: string, version: string, at: string): Promise<void>;
  /** Every organisation (staff lists span them all). */
  listOrgs(namePrefix?: string): Promise<Org[]>;
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
  getCombinations(
    pairs: { endUserOrgId: string; soldToOrgId: string }[],
    opts?: { consistent?: boolean },
  ): Promise<Combination[]>;
  /** ACC-4: the combination that holds a contract, by the contract's id (read consistently). */
  findContract(contractId: string): Promise<ContractRef | undefined>;
  /**
   * ACC-1: the organisation and the events its change causes, all or nothing, only while the
   * organisation's membership version is still `guard.membersVersion` (which the write bumps);
   * false when another change got there first.
   */
  saveOrganisation(org: Org, events: OrgEvent[], guard: DirectoryGuard): Promise<boolean>;
  /**
   * ACC-1, ACC-4: the combination (with its contracts' statuses), a pointer from each of
   * `contractIds` to it, and the events the change causes, all or nothing, only while the end
   * user's membership version is still `guard.membersVersion` (which the write bumps) and no
   * pointer names another combination; false when either no longer holds.
   */
  saveCombination(c: Combination, events: OrgEvent[], guard: DirectoryGuard, contractIds: string[]): Promise<boolean>;
}

/** Where a contract lives: its combination (ACC-4). */
export interface ContractRef {
  contractId: string;
  endUserOrgId: string;
  soldToOrgId: string;
}

/** The organisation's membership version a directory change was decided at (ACC-5). */
export interface DirectoryGuard {
  membersVersion: number;
}

export interface MembershipGuard {
  fromLevel: Membership['level'];
  membersVersion: number;
}

export interface SessionRepo {
  /** Records activity; false when the session has been idle since before `idleSince`. */
  touch(sessionId: string, now: Date, idleSince: Date, keepUntil: Date): Promise<boolean>;
}

/** LIST-5: favorites in the user's partition, at most FAVORITE_LIMIT, counted atomically. */
export interface FavoriteRepo {
  /**
   * Adds the favorite and counts it in one transaction (and, with `subscribe`, adds the favorite
   * source to the case's subscription in the same one): `exists` when it already was one (nothing
   * changes), `limit` when the user already has the maximum, `raced` when a concurrent
   * transaction on the same items won (AWS TransactionConflict): nothing was written, try again.
   */
  addFavorite(f: Favorite, limit: number): Promise<'added' | 'exists' | 'limit' | 'raced'>;
  getFavorite(userId: string, kind: FavoriteKind, id: string): Promise<Favorite | undefined>;
  /**
   * Removes the favorite, its count and the subscription source it made, all or nothing; false
   * when there was none, `raced` when a concurrent change won (nothing was written, try again).
   */
  removeFavorite(userId: string, kind: FavoriteKind, id: string): Promise<boolean | 'raced'>;
  listFavorites(userId: string, page: PageRequest): Promise<Page<Favorite>>;
  countFavorites(userId: string): Promise<number>;
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
   * With `mail`, the code mail's intent is written in the same transaction: it cannot be lost.
   */
  open(
    r: AccessRequest,
    limits: RateWindow[],
    expiresAt: number,
    mail?: MailJob,
  ): Promise<'created' | 'exists' | { limited: RateWindow }>;
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
  /**
   * FLAG-2: marks the request flagged (out of the sparse index) if still pending and unflagged,
   * with the admins' mail intents in the same transaction; false when already flagged or no longer
   * pending.
   */
  flagOverdue(r: AccessRequest, at: string, mail: readonly MailJob[]): Promise<boolean>;
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
