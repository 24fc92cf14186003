/**
 * ACC-5: every customer organisation should have at least two Designated Contacts. Counted from
 * the members index on each read, so the answer is never stale.
 */
import type { Deps } from '../kernel/deps';
import { notFound } from '../kernel/errors';
import { LOST_RACE, retryOptimistic } from '../kernel/optimistic';
import { combinationOf, membershipLevel } from '../kernel/levels';
import { accountAccess, staffOf, type Caller } from '../kernel/policy';
import { forbidden } from '../kernel/errors';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewFor, type View } from '../kernel/views';
import type { Combination, Level, Membership, Org, OrgEvent } from '../kernel/types';
import type { ShortfallView } from './ports';

export const MIN_DESIGNATED = 2;

/**
 * Effective Designated Contacts of one organisation, given its memberships: each membership is
 * judged by the policy's own function, from its own combination (ACC-4, ACC-7).
 */
export const designatedCount = async (deps: Pick<Deps, 'directory'>, org: Org, members: Membership[]): Promise<number> =>
  countDesignated(org, members, await membersCombinations(deps, members));

/** The combinations the memberships are held on. */
export const membersCombinations = (
  deps: Pick<Deps, 'directory'>,
  members: Membership[],
  opts: { consistent?: boolean } = {},
): Promise<Combination[]> =>
  deps.directory.getCombinations(
    members.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId })),
    opts,
  );

/** The same count from combinations already read (a change counts before and after from one read). */
export const countDesignated = (org: Org, members: Membership[], combinations: readonly Combination[]): number =>
  new Set(members.filter((m) => membershipLevel(m, org, combinationOf(combinations, m)) === 'designated').map((m) => m.userId))
    .size;

const approversOf = (members: Membership[]) => members.filter((m) => m.approver).map((m) => m.userId);

/**
 * ACC-5: the `designated-shortfall` event of a change that takes a customer organisation from two
 * or more Designated Contacts to fewer (a member's level, a contract, the organisation's partner),
 * or none. The table stream carries it to the organisation's Designated Approvers.
 */
export const shortfallEvent = (
  deps: Pick<Deps, 'ids'>,
  change: { org: Org; members: Membership[]; before: number; after: number; actorId: string; at: string },
): OrgEvent | undefined =>
  change.org.type === 'customer' && change.before >= MIN_DESIGNATED && change.after < MIN_DESIGNATED
    ? {
        orgId: change.org.orgId,
        eventId: deps.ids.next(),
        at: change.at,
        type: 'designated-shortfall',
        actorId: change.actorId,
        designatedContacts: change.after,
        approvers: approversOf(change.members),
      }
    : undefined;

export const orgsInShortfall = async (deps: Pick<Deps, 'directory'>): Promise<ShortfallView[]> => {
  const orgs = (await deps.directory.listOrgs()).filter((o) => o.type === 'customer');
  const out: ShortfallView[] = [];
  for (const org of orgs) {
    const members = await deps.directory.listOrgMembers(org.orgId);
    const count = await designatedCount(deps, org, members);
    if (count < MIN_DESIGNATED) {
      out.push({
        orgId: org.orgId,
        orgName: org.name,
        designatedContacts: count,
        required: MIN_DESIGNATED,
        approvers: approversOf(members),
      });
    }
  }
  return out;
};

/**
 * GET /admin/orgs/shortfall (ACC-5) for one staff member on one client: organisations the
 * caller may not be shown are left out (PRIV-2: FedRAMP on the mobile app), the rest go through
 * the shortfall view (PRIV-1: US staff see no EU/EEA approver).
 */
export const listShortfall = async (deps: Pick<Deps, 'directory'>, caller: Caller): Promise<View<'shortfall'>[]> => {
  if (!staffOf(caller)) throw forbidden('Only staff list organisations in shortfall.');
  const rows = await orgsInShortfall(deps);
  const orgs = new Map((await deps.directory.getOrgs(rows.map((r) => r.orgId))).map((o) => [o.orgId, o]));
  const out: View<'shortfall'>[] = [];
  for (const row of rows) {
    const org = orgs.get(row.orgId);
    const access = org ? accountAccess(caller, org) : 'none';
    if (access !== 'none') out.push(viewFor('shortfall', row, access));
  }
  return out;
};

/**
 * A portal admin changes the level a contact holds on an organisation (ACC-2, ACC-8). When the
 * change takes the organisation below two Designated Contacts, a `designated-shortfall` event is
 * written with the membership (ACC-5): the table stream carries it to the approvers.
 * The count is taken from strongly consistent reads at the organisation's membership version,
 * and the write holds only while that version and the membership's level are unchanged: of two
 * concurrent demotions, the second is decided again from the first's result, so a crossing under
 * two is always seen by exactly one of them.
 */
export const setMemberLevel = async (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  caller: Caller,
  orgId: string,
  userId: string,
  level: Level,
): Promise<Rendered<{ membership: Membership; designatedContacts: number; shortfall: boolean }>> => {
  const [org] = await deps.directory.getOrgs([orgId]);
  // PRIV-2 (and PRIV-3): an organisation the caller's client may not be shown does not exist for them.
  if (!org || org.type !== 'customer' || accountAccess(caller, org) === 'none') throw notFound();
  return retryOptimistic('organisation', async () => {
    const membersVersion = await deps.directory.getMembersVersion(orgId);
    const members = await deps.directory.listOrgMembers(orgId, { consistent: true });
    const current = members.find((m) => m.userId === userId);
    // Granting a first membership is an access request's job (ACC-6); this only changes levels.
    if (!current) throw notFound();
    const changed: Membership = { ...current, level };
    // Contracts and the partner move levels too, and bump the same version (directory.ts).
    const combinations = await membersCombinations(deps, members, { consistent: true });
    const before = countDesignated(org, members, combinations);
    const after = countDesignated(
      org,
      members.map((m) => (m === current ? changed : m)),
      combinations,
    );
    const at = deps.clock.now().toISOString();
    const events: OrgEvent[] = [
      {
        orgId,
        eventId: deps.ids.next(),
        at,
        type: 'membership-level-changed',
        actorId: caller.id,
        userId,
        from: current.level,
        to: level,
      },
    ];
    const shortfall = shortfallEvent(deps, { org, members, before, after, actorId: caller.id, at });
    if (shortfall) events.push(shortfall);
    return (await deps.directory.saveMembership(changed, events, { fromLevel: current.level, membersVersion }))
      ? // For the caller who may see the organisation (accountAccess above): the answer of the change.
        renderFor('http', accountAccess(caller, org), {
          membership: changed,
          designatedContacts: after,
          shortfall: after < MIN_DESIGNATED,
        })
      : LOST_RACE;
  });
};
