/**
 * Who may do what: the one place that decides access. Deny by default. Routes name a
 * RoutePermission (checked before any handler code runs); domain functions ask for the caller's
 * access to a concrete target (an organisation or a case) before reading or writing it.
 */
import { combinationOf, membershipLevel } from './levels';
import {
  parseRegion,
  type Client,
  type Combination,
  type Level,
  type Membership,
  type Org,
  type Region,
  type StaffProfile,
  type User,
} from './types';

export interface Caller {
  kind: 'user' | 'machine';
  /** Cognito `sub` (users) or client id (machine clients). */
  id: string;
  client: Client;
  scopes: string[];
  user?: User;
  memberships: Membership[];
  /** Organisations named by the memberships, by Org ID. */
  orgs: Map<string, Org>;
  combinations: Combination[];
  termsAccepted: boolean;
}

export type RoutePermission =
  | 'public'
  | 'signedIn'
  | 'readCases'
  | 'createCases'
  | 'updateCases'
  | 'staff'
  | 'admin'
  | 'ingest'
  /** ACC-6: Designated Approvers (of some company) and portal admins. */
  | 'approve';

export const INGEST_SCOPE = 'casework/ingest';

const LEVEL_RANK: Record<Level, number> = { basic: 0, read_only: 1, designated: 2 };

export const staffOf = (caller: Caller): StaffProfile | undefined => caller.user?.staff;

/** The level a membership really grants, after partners (ACC-7) and its own combination's contracts (ACC-4). */
export const effectiveLevel = (caller: Caller, m: Membership): Level =>
  membershipLevel(m, caller.orgs.get(m.orgId), combinationOf(caller.combinations, m));

/** The highest effective level the caller holds on an organisation's cases. */
export const levelOn = (caller: Caller, orgId: string): Level | undefined => {
  let best: Level | undefined;
  for (const m of caller.memberships) {
    if (m.orgId !== orgId) continue;
    const level = effectiveLevel(caller, m);
    if (!best || LEVEL_RANK[level] > LEVEL_RANK[best]) best = level;
  }
  return best;
};

/** Organisations whose cases the caller may read as a customer (read-only or better). */
export const readableOrgIds = (caller: Caller): string[] =>
  [...new Set(caller.memberships.map((m) => m.orgId))].filter((orgId) => {
    const org = caller.orgs.get(orgId);
    if (!org || org.type === 'partner') return false;
    if (hiddenOnClient(caller.client, org)) return false;
    const level = levelOn(caller, orgId);
    return level !== undefined && LEVEL_RANK[level] >= LEVEL_RANK.read_only;
  });

const bestLevel = (caller: Caller): Level | undefined =>
  caller.memberships
    .map((m) => effectiveLevel(caller, m))
    .reduce<Level | undefined>((a, l) => (!a || LEVEL_RANK[l] > LEVEL_RANK[a] ? l : a), undefined);

/** Route-level gate: may this caller call a route of this permission at all? */
export const mayCall = (caller: Caller | undefined, permission: RoutePermission): boolean => {
  if (permission === 'public') return true;
  if (!caller) return false;
  if (permission === 'ingest') return caller.kind === 'machine' && caller.scopes.includes(INGEST_SCOPE);
  if (caller.kind !== 'user' || !caller.user) return false;
  const staff = staffOf(caller);
  switch (permission) {
    case 'signedIn':
      return true;
    case 'staff':
      return staff !== undefined;
    case 'admin':
      return staff?.role === 'admin';
    case 'approve':
      return staff?.role === 'admin' || (!staff && caller.memberships.some((m) => m.approver === true));
    case 'readCases':
      // Levels only: a FedRAMP contact on the mobile app passes the gate and then finds nothing
      // (PRIV-2 answers 404 per case, an empty list), exactly as for a case that does not exist.
      return staff !== undefined || (bestLevel(caller) !== undefined && bestLevel(caller) !== 'basic');
    case 'createCases':
    case 'updateCases':
      return staff !== undefined || bestLevel(caller) === 'designated';
  }
};

/**
 * What the caller may do with one case of `org`:
 * - `none`: it does not exist for them (PRIV-3 answers 404);
 * - `read`: customer read-only; `write`: designated contact;
 * - `staff`: full staff access; `restricted`: staff who may see the case exists but not its
 *   personal data, nor write to it (PRIV-1).
 */
export type CaseAccess = 'none' | 'read' | 'write' | 'staff' | 'restricted';

/** PRIV-1: the regions whose staff see EU/EEA organisations' personal data. */
export const GDPR_REGIONS: readonly Region[] = ['EU'];

/**
 * PRIV-1, failing closed: on an EU/EEA organisation, only staff whose region is exactly one of
 * GDPR_REGIONS see personal data; 'US', 'us', 'US-East', '' and no region at all are restricted.
 */
export const staffAccess = (staff: StaffProfile, org: Pick<Org, 'gdpr'>): 'staff' | 'restricted' => {
  if (!org.gdpr) return 'staff';
  const region = parseRegion(staff.region);
  return region !== undefined && GDPR_REGIONS.includes(region) ? 'staff' : 'restricted';
};

/**
 * PRIV-2: the mobile app never sees a FedRAMP organisation (nor its cases, requests, inbox items
 * or pushes), whoever holds the token. A client not known to be the web counts as the mobile app.
 * Every check of client and FedRAMP asks this.
 */
export const hiddenOnClient = (client: Client | undefined, org: Pick<Org, 'fedramp'>): boolean => client !== 'web' && org.fedramp;

/**
 * PRIV-1 and PRIV-2 for a staff member on a client: what every staff-facing channel asks (a chat
 * offered to an analyst's socket, an admin list row). A client not known to be the web counts as
 * the mobile app.
 */
export const staffAccessOn = (
  staff: StaffProfile,
  client: Client | undefined,
  org: Pick<Org, 'gdpr' | 'fedramp'>,
): 'none' | 'staff' | 'restricted' => (hiddenOnClient(client, org) ? 'none' : staffAccess(staff, org));

export const caseAccess = (caller: Caller, org: Org): CaseAccess => {
  if (caller.kind !== 'user') return 'none';
  if (hiddenOnClient(caller.client, org)) return 'none';
  const staff = staffOf(caller);
  if (staff) return staffAccess(staff, org);
  const level = levelOn(caller, org.orgId);
  if (level === 'designated') return 'write';
  if (level === 'read_only') return 'read';
  return 'none';
};

export const canSeeInternal = (access: CaseAccess): boolean => access === 'staff' || access === 'restricted';
export const canWrite = (access: CaseAccess): boolean => access === 'write' || access === 'staff';

/**
 * What the caller may do with an organisation itself (GET /accounts, favorites of accounts):
 * its members at any level and staff see it; the mobile app never sees a FedRAMP organisation
 * (PRIV-2); US staff see an EU/EEA one `restricted` (PRIV-1). Vendor staff's own organisation is
 * nobody's account.
 */
export const accountAccess = (caller: Caller, org: Org): CaseAccess => {
  if (caller.kind !== 'user' || org.type === 'vendor') return 'none';
  if (hiddenOnClient(caller.client, org)) return 'none';
  const staff = staffOf(caller);
  if (staff) return staffAccess(staff, org);
  const level = levelOn(caller, org.orgId);
  if (level === undefined) return 'none';
  return level === 'designated' ? 'write' : 'read';
};

/** ACC-2, NOTE-2: notification subscriptions are the Designated Contacts' (effective level, ACC-4). */
export const mayChangeSubscriptions = (caller: Caller, org: Org): boolean =>
  org.type !== 'partner' && caseAccess(caller, org) === 'write';
