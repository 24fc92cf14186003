/** GET /me: the caller as the apps show them (NOTE-4: name, email and time zone are read-only). */
import { effectiveLevel, hiddenOnClient, type Caller } from '../kernel/policy';
import { settingsView, type SettingsView } from './settings';
import type { Level } from '../kernel/types';

export interface MeView {
  userId: string;
  email: string;
  name: string;
  timeZone: string;
  client: Caller['client'];
  memberships: { orgId: string; orgName: string; level: Level; via: string; approver: boolean }[];
  staff: { role: string; region: string; supportGroups: string[] } | null;
  termsAccepted: boolean;
  settings: SettingsView;
}

export const describeMe = (caller: Caller): MeView => {
  const user = caller.user!;
  return {
    userId: user.userId,
    email: user.email,
    name: user.name,
    timeZone: user.timeZone,
    client: caller.client,
    memberships: caller.memberships
      // PRIV-2: the mobile app never learns of FedRAMP organisations.
      .filter((m) => {
        const org = caller.orgs.get(m.orgId);
        return !(org && hiddenOnClient(caller.client, org));
      })
      .map((m) => ({
        orgId: m.orgId,
        orgName: caller.orgs.get(m.orgId)?.name ?? m.orgId,
        level: effectiveLevel(caller, m),
        via: m.via === 'partner' ? `partner:${m.partnerOrgId}` : 'direct',
        approver: m.approver ?? false,
      })),
    staff: user.staff ? { role: user.staff.role, region: user.staff.region, supportGroups: user.staff.supportGroups } : null,
    termsAccepted: caller.termsAccepted,
    settings: settingsView(user.settings),
  };
};
