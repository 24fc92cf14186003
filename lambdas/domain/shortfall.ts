/**
 * ACC-5: every customer organisation should have at least two Designated Contacts. Counted from
 * the members index on each read, so the answer is never stale.
 */
import type { Deps } from './ports';
import { notFound } from './errors';
import type { Caller } from './policy';
import type { Level, Membership, Org, OrgEvent } from './types';

export const MIN_DESIGNATED = 2;

export interface ShortfallView {
  orgId: string;
  orgName: string;
  designatedContacts: number;
  required: number;
  approvers: string[];
}

const countsAsDesignated = (m: Membership, org: Org, activeCombination: boolean) =>
  m.level === 'designated' && activeCombination && !(org.managedBy && m.via === 'direct');

/** Effective Designated Contacts of one organisation, given its memberships. */
const designatedCount = async (deps: Pick<Deps, 'directory'>, org: Org, members: Membership[]): Promise<number> => {
  const combos = await deps.directory.getCombinations(
    members.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId })),
  );
  const active = new Set(
    combos.filter((c) => c.contracts.some((k) => k.status === 'active')).map((c) => `${c.endUserOrgId}|${c.soldToOrgId}`),
  );
  return new Set(
    members.filter((m) => countsAsDesignated(m, org, active.has(`${m.orgId}|${m.soldToOrgId}`))).map((m) => m.userId),
  ).size;
};

const approversOf = (members: Membership[]) => members.filter((m) => m.approver).map((m) => m.userId);

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
 * A portal admin changes the level a contact holds on an organisation (ACC-2, ACC-8). When the
 * change takes the organisation below two Designated Contacts, a `designated-shortfall` event is
 * written with the membership (ACC-5): the table stream carries it to the approvers.
 */
export const setMemberLevel = async (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  caller: Caller,
  orgId: string,
  userId: string,
  level: Level,
): Promise<{ membership: Membership; designatedContacts: number; shortfall: boolean }> => {
  const [org] = await deps.directory.getOrgs([orgId]);
  if (!org || org.type !== 'customer') throw notFound();
  const members = await deps.directory.listOrgMembers(orgId);
  const current = members.find((m) => m.userId === userId);
  // Granting a first membership is an access request's job (ACC-6); this only changes levels.
  if (!current) throw notFound();
  const changed: Membership = { ...current, level };
  const before = await designatedCount(deps, org, members);
  const afterMembers = members.map((m) => (m === current ? changed : m));
  const after = await designatedCount(deps, org, afterMembers);
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
  if (before >= MIN_DESIGNATED && after < MIN_DESIGNATED) {
    events.push({
      orgId,
      eventId: deps.ids.next(),
      at,
      type: 'designated-shortfall',
      actorId: caller.id,
      designatedContacts: after,
      approvers: approversOf(members),
    });
  }
  await deps.directory.saveMembership(changed, events);
  return { membership: changed, designatedContacts: after, shortfall: after < MIN_DESIGNATED };
};
