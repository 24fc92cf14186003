/**
 * What a caller refused at a route's door is told (403): the level or role the route needs and,
 * for customers, the best level they hold, so a read-only contact knows whom to ask (ACC-2, ACC-6).
 * Which callers pass is decided by policy.ts alone; this only words the refusal.
 */
import { effectiveLevel, staffOf, type Caller, type RoutePermission } from './policy';
import type { Level } from './types';

const NEEDS: Record<Exclude<RoutePermission, 'public' | 'signedIn'>, string> = {
  readCases: 'read-only access or higher to an organisation (ACC-2), or a vendor staff role',
  createCases: 'Designated Contact (designated) access to an organisation (ACC-2), or a vendor staff role',
  updateCases: 'Designated Contact (designated) access to an organisation (ACC-2), or a vendor staff role',
  staff: 'a vendor staff role (analyst, manager or portal admin, ACC-8)',
  admin: 'the portal admin role (ACC-8)',
  ingest: 'a machine client with the casework/ingest scope',
  approve: 'Designated Approver of a company, or the portal admin role (ACC-6)',
};

const RANK: Record<Level, number> = { basic: 0, read_only: 1, designated: 2 };
const LEVEL_WORDS: Record<Level, string> = { basic: 'basic', read_only: 'read-only', designated: 'designated' };

/** The detail of the 403 for a caller who may not call a route of this permission at all. */
export const routeRefusal = (caller: Caller, permission: RoutePermission): string => {
  if (permission === 'public' || permission === 'signedIn') return 'You may not call this route.';
  const needs = `This needs ${NEEDS[permission]}.`;
  if (caller.kind === 'machine') return `${needs} Machine clients call the ingest routes only.`;
  if (permission === 'ingest') return `${needs} User tokens cannot call it.`;
  const staff = staffOf(caller);
  if (staff) return `${needs} Your role is ${staff.role}.`;
  const best = caller.memberships
    .map((m) => effectiveLevel(caller, m))
    .reduce<Level | undefined>((a, l) => (!a || RANK[l] > RANK[a] ? l : a), undefined);
  const held = best ? `Your highest access level is ${LEVEL_WORDS[best]}` : 'You hold no access level yet';
  return `${needs} ${held}; a Designated Approver of your company can grant more (POST /access-requests).`;
};
