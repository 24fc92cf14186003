/** Builds Callers for pure policy and domain tests, without any storage. */
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Combination, Membership, Org, User } from '../../lambdas/domain/kernel/types';

export const org = (orgId: string, extra: Partial<Org> = {}): Org => ({
  orgId,
  name: orgId.replace('ORG-', ''),
  type: 'customer',
  region: 'US',
  timeZone: 'UTC',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: false,
  deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
  ...extra,
});

export const user = (userId: string, extra: Partial<User> = {}): User => ({
  userId,
  email: `${userId}@example.com`,
  name: userId,
  timeZone: 'UTC',
  termsVersion: '2026-10-01',
  settings: { defaultList: 'all', notifications: {} },
  ...extra,
});

export const caller = (opts: {
  id?: string;
  client?: Caller['client'];
  staff?: User['staff'];
  memberships?: Omit<Membership, 'userId'>[];
  orgs?: Org[];
  combinations?: Combination[];
}): Caller => {
  const id = opts.id ?? 'u-test';
  const memberships = (opts.memberships ?? []).map((m) => ({ ...m, userId: id }));
  return {
    kind: 'user',
    id,
    client: opts.client ?? 'web',
    scopes: [],
    user: user(id, opts.staff ? { staff: opts.staff } : {}),
    memberships,
    orgs: new Map((opts.orgs ?? []).map((o) => [o.orgId, o])),
    combinations:
      opts.combinations ??
      memberships.map((m) => ({
        endUserOrgId: m.orgId,
        soldToOrgId: m.soldToOrgId,
        contracts: [{ contractId: 'c', status: 'active' }],
      })),
    termsAccepted: true,
  };
};
