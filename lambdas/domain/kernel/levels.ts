/**
 * The level a membership really grants (ACC-2, ACC-4, ACC-7), decided from that membership's own
 * combination and organisation only. The access policy and the ACC-5 shortfall count both ask
 * this one function, so they cannot disagree.
 */
import type { Combination, Level, Membership, Org } from './types';

export const LEVEL_RANK: Record<Level, number> = { basic: 0, read_only: 1, designated: 2 };

const capAt = (level: Level, cap: Level): Level => (LEVEL_RANK[level] > LEVEL_RANK[cap] ? cap : level);

/** ACC-4: a combination serves designated access while one of its own contracts is active. */
export const hasActiveContract = (combination: Combination | undefined): boolean =>
  combination?.contracts.some((k) => k.status === 'active') ?? false;

/**
 * - ACC-7: a partner's membership on an end user counts only while that partner manages the end
 *   user (otherwise it grants nothing); the end user's own people read at most.
 * - ACC-4: designated needs an active contract on the membership's combination
 *   (`m.orgId|m.soldToOrgId`), whatever the contact's other combinations hold.
 */
export const membershipLevel = (m: Membership, org: Org | undefined, combination: Combination | undefined): Level => {
  let level = m.level;
  if (m.via === 'partner' && (!org || !m.partnerOrgId || org.managedBy !== m.partnerOrgId)) return 'basic';
  if (m.via === 'direct' && org?.managedBy) level = capAt(level, 'read_only');
  if (level === 'designated' && !hasActiveContract(combination)) level = 'read_only';
  return level;
};

/** The combination a membership is held on, among those read. */
export const combinationOf = (combinations: readonly Combination[], m: Membership): Combination | undefined =>
  combinations.find((c) => c.endUserOrgId === m.orgId && c.soldToOrgId === m.soldToOrgId);
