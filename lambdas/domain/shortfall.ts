/**
 * ACC-5: every customer organisation should have at least two Designated Contacts. Counted from
 * the members index on each read, so the answer is never stale.
 */
import type { Deps } from './ports';
import type { Membership, Org } from './types';

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

export const orgsInShortfall = async (deps: Pick<Deps, 'directory'>): Promise<ShortfallView[]> => {
  const orgs = (await deps.directory.listOrgs()).filter((o) => o.type === 'customer');
  const out: ShortfallView[] = [];
  for (const org of orgs) {
    const members = await deps.directory.listOrgMembers(org.orgId);
    const combos = await deps.directory.getCombinations(
      members.map((m) => ({ endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId })),
    );
    const active = new Set(
      combos.filter((c) => c.contracts.some((k) => k.status === 'active')).map((c) => `${c.endUserOrgId}|${c.soldToOrgId}`),
    );
    const designated = new Set(
      members.filter((m) => countsAsDesignated(m, org, active.has(`${m.orgId}|${m.soldToOrgId}`))).map((m) => m.userId),
    );
    if (designated.size < MIN_DESIGNATED) {
      out.push({
        orgId: org.orgId,
        orgName: org.name,
        designatedContacts: designated.size,
        required: MIN_DESIGNATED,
        approvers: members.filter((m) => m.approver).map((m) => m.userId),
      });
    }
  }
  return out;
};
