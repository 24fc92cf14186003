// LOCAL-MODE-HELPER TEMPORARY STUB (2 users only). It overwrote the lead's demo-data.ts by accident at 02:11; the helper deletes it when done. NOT the real seed.
import { defaultTable } from '../../lambdas/data/client';
import { putCombination, putMembership, putOrg, putUser } from '../../lambdas/data/directory-repo';
import { CURRENT_TERMS } from '../../lambdas/domain/catalogue';

export const DEMO_USERS: { email: string; userId: string; name: string; role: string }[] = [
  { email: 'dana@acme.example', userId: 'u-dana', name: 'Dana', role: 'Designated Contact and Approver of Acme' },
  { email: 'alice@vendor.example', userId: 'u-alice', name: 'Alice', role: 'analyst, region US' },
];

export const seedDemo = async (_options: { now?: Date } = {}): Promise<void> => {
  const ref = defaultTable();
  await putOrg(ref, { orgId: 'ORG-ACME', name: 'Acme Corp', type: 'direct' as never, region: 'US', timeZone: 'America/New_York', gdpr: false, fedramp: false, alarmMonitoring: true, deployments: [] });
  await putCombination(ref, { endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', contracts: [{ contractId: 'K1', status: 'active' }] });
  await putUser(ref, { userId: 'u-dana', email: 'dana@acme.example', name: 'Dana', timeZone: 'America/New_York', termsVersion: CURRENT_TERMS.version, settings: { defaultList: 'all', notifications: {} } });
  await putMembership(ref, { userId: 'u-dana', orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct', approver: true });
};
