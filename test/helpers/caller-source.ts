/**
 * A hand-made directory's getCallerSource, from its own profile, organisation and combination
 * answers, composed the way the DynamoDB directory rebuilds a caller (lambdas/data/directory-repo.ts).
 */
import type { CallerSource } from '../../lambdas/domain/access/ports';
import type { Combination, Membership, Org, User } from '../../lambdas/domain/kernel/types';

/** As loosely typed as the unit tests' fakes are (partial fixtures, cast where the deps are assembled). */
interface Sources {
  getUserWithMemberships(userId: string): Promise<unknown>;
  getOrgs(orgIds: string[]): Promise<unknown[]>;
  getCombinations(pairs: { endUserOrgId: string; soldToOrgId: string }[]): Promise<unknown[]>;
}

export const withCallerSource = <D extends Sources>(
  directory: D,
): D & {
  getCallerSource(userId: string): Promise<CallerSource | undefined>;
  getCallerSources(userIds: string[]): Promise<Map<string, CallerSource>>;
} => {
  const one = async (userId: string): Promise<CallerSource | undefined> => {
    const found = (await directory.getUserWithMemberships(userId)) as { user: User; memberships: Membership[] } | undefined;
    if (!found) return undefined;
    const { user, memberships } = found;
    const [orgs, combinations] = await Promise.all([
      directory.getOrgs([...new Set(memberships.flatMap((m) => [m.orgId, m.soldToOrgId]))]),
      directory.getCombinations(memberships.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId }))),
    ]);
    return { user, memberships, orgs: orgs as Org[], combinations: combinations as Combination[] };
  };
  return {
    ...directory,
    getCallerSource: one,
    getCallerSources: async (userIds: string[]) => {
      const out = new Map<string, CallerSource>();
      for (const userId of userIds) {
        const found = await one(userId);
        if (found) out.set(userId, found);
      }
      return out;
    },
  };
};
