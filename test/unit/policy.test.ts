import { caseAccess, effectiveLevel, mayCall, readableOrgIds } from '../../lambdas/domain/kernel/policy';
import { membershipLevel } from '../../lambdas/domain/kernel/levels';
import { caller, org } from '../helpers/demo-caller';

const acme = org('ORG-ACME');
const globex = org('ORG-GLOBEX', { gdpr: true, region: 'EU' });
const initech = org('ORG-INITECH', { fedramp: true });
const northwind = org('ORG-NORTHWIND', { type: 'partner', deployments: [] });
const umbrella = org('ORG-UMBRELLA', { managedBy: 'ORG-NORTHWIND' });

const contact = (orgId: string, level: 'basic' | 'read_only' | 'designated', extra = {}) =>
  caller({
    memberships: [{ orgId, soldToOrgId: orgId, level, via: 'direct' }],
    orgs: [acme, globex, initech, umbrella, northwind],
    ...extra,
  });

describe('access policy', () => {
  it('ACC-2: basic sees no cases, read-only reads, designated writes', () => {
    expect(caseAccess(contact('ORG-ACME', 'basic'), acme)).toBe('none');
    expect(caseAccess(contact('ORG-ACME', 'read_only'), acme)).toBe('read');
    expect(caseAccess(contact('ORG-ACME', 'designated'), acme)).toBe('write');
    expect(mayCall(contact('ORG-ACME', 'basic'), 'readCases')).toBe(false);
    expect(mayCall(contact('ORG-ACME', 'read_only'), 'readCases')).toBe(true);
    expect(mayCall(contact('ORG-ACME', 'read_only'), 'createCases')).toBe(false);
    expect(mayCall(contact('ORG-ACME', 'designated'), 'createCases')).toBe(true);
  });

  it('ACC-2: nobody sees another organisation (deny by default)', () => {
    expect(caseAccess(contact('ORG-ACME', 'designated'), globex)).toBe('none');
  });

  it('ACC-4: designated access falls to read-only once every contract is terminated', () => {
    const terminated = contact('ORG-ACME', 'designated', {
      combinations: [
        { endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', contracts: [{ contractId: 'x', status: 'terminated' }] },
      ],
    });
    expect(caseAccess(terminated, acme)).toBe('read');
    expect(mayCall(terminated, 'createCases')).toBe(false);
    const oneActive = contact('ORG-ACME', 'designated', {
      combinations: [
        {
          endUserOrgId: 'ORG-ACME',
          soldToOrgId: 'ORG-ACME',
          contracts: [
            { contractId: 'x', status: 'terminated' },
            { contractId: 'y', status: 'active' },
          ],
        },
      ],
    });
    expect(caseAccess(oneActive, acme)).toBe('write');
  });

  it("ACC-7: a partner's designated contact acts for the end user; the end user's own people read at most", () => {
    const paula = caller({
      memberships: [
        {
          orgId: 'ORG-UMBRELLA',
          soldToOrgId: 'ORG-NORTHWIND',
          level: 'designated',
          via: 'partner',
          partnerOrgId: 'ORG-NORTHWIND',
        },
      ],
      orgs: [umbrella, northwind],
    });
    expect(caseAccess(paula, umbrella)).toBe('write');
    const own = caller({
      memberships: [{ orgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND', level: 'designated', via: 'direct' }],
      orgs: [umbrella, northwind],
    });
    expect(effectiveLevel(own, own.memberships[0])).toBe('read_only');
    expect(caseAccess(own, umbrella)).toBe('read');
  });

  it('ACC-4, ACC-7: a membership is judged by its own combination; another active one does not keep it designated', () => {
    const paula = caller({
      memberships: [
        {
          orgId: 'ORG-UMBRELLA',
          soldToOrgId: 'ORG-NORTHWIND',
          level: 'designated',
          via: 'partner',
          partnerOrgId: 'ORG-NORTHWIND',
        },
        { orgId: 'ORG-NORTHWIND', soldToOrgId: 'ORG-NORTHWIND', level: 'designated', via: 'direct' },
      ],
      orgs: [umbrella, northwind],
      combinations: [
        { endUserOrgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND', contracts: [{ contractId: 'u', status: 'terminated' }] },
        { endUserOrgId: 'ORG-NORTHWIND', soldToOrgId: 'ORG-NORTHWIND', contracts: [{ contractId: 'n', status: 'active' }] },
      ],
    });
    expect(effectiveLevel(paula, paula.memberships[0])).toBe('read_only');
    expect(caseAccess(paula, umbrella)).toBe('read');
    expect(effectiveLevel(paula, paula.memberships[1])).toBe('designated');
  });

  it('ACC-7: a partner membership counts only while the end user is managed by that partner', () => {
    const m = {
      orgId: 'ORG-UMBRELLA',
      soldToOrgId: 'ORG-NORTHWIND',
      level: 'designated' as const,
      via: 'partner' as const,
      partnerOrgId: 'ORG-NORTHWIND',
    };
    const selfManaged = org('ORG-UMBRELLA');
    const otherPartner = org('ORG-UMBRELLA', { managedBy: 'ORG-OTHER' });
    expect(
      membershipLevel({ ...m, userId: 'p' }, umbrella, {
        endUserOrgId: m.orgId,
        soldToOrgId: m.soldToOrgId,
        contracts: [{ contractId: 'c', status: 'active' }],
      }),
    ).toBe('designated');
    expect(caseAccess(caller({ memberships: [m], orgs: [selfManaged, northwind] }), selfManaged)).toBe('none');
    expect(caseAccess(caller({ memberships: [m], orgs: [otherPartner, northwind] }), otherPartner)).toBe('none');
  });

  it('ACC-8: staff reach every organisation', () => {
    const eric = caller({ staff: { role: 'analyst', region: 'EU', supportGroups: [] } });
    expect(caseAccess(eric, acme)).toBe('staff');
    expect(caseAccess(eric, globex)).toBe('staff');
    expect(mayCall(eric, 'staff')).toBe(true);
    expect(mayCall(contact('ORG-ACME', 'designated'), 'staff')).toBe(false);
  });

  it('PRIV-1: US staff are restricted on EU/EEA organisations', () => {
    const alice = caller({ staff: { role: 'analyst', region: 'US', supportGroups: [] } });
    expect(caseAccess(alice, globex)).toBe('restricted');
    expect(caseAccess(alice, acme)).toBe('staff');
  });

  it('PRIV-1: a staff region that is not exactly a known one fails closed on EU/EEA organisations', () => {
    for (const region of ['us', 'US-East', '', 'eu', 'EU-West', undefined]) {
      const staff = caller({ staff: { role: 'analyst', region: region as string, supportGroups: [] } });
      expect(caseAccess(staff, globex)).toBe('restricted');
    }
    const eric = caller({ staff: { role: 'analyst', region: 'EU', supportGroups: [] } });
    expect(caseAccess(eric, globex)).toBe('staff');
  });

  it('PRIV-2: the mobile client never sees FedRAMP organisations', () => {
    const fredWeb = contact('ORG-INITECH', 'designated');
    const fredMobile = contact('ORG-INITECH', 'designated', { client: 'mobile' });
    expect(caseAccess(fredWeb, initech)).toBe('write');
    expect(caseAccess(fredMobile, initech)).toBe('none');
    expect(readableOrgIds(fredMobile)).toEqual([]);
    const staffMobile = caller({ client: 'mobile', staff: { role: 'analyst', region: 'US', supportGroups: [] } });
    expect(caseAccess(staffMobile, initech)).toBe('none');
  });

  it('machine clients reach only ingest routes', () => {
    const machine = {
      ...caller({}),
      kind: 'machine' as const,
      client: 'machine' as const,
      user: undefined,
      scopes: ['casework/ingest'],
    };
    expect(mayCall(machine, 'ingest')).toBe(true);
    expect(mayCall(machine, 'signedIn')).toBe(false);
    expect(caseAccess(machine, acme)).toBe('none');
    expect(mayCall(contact('ORG-ACME', 'designated'), 'ingest')).toBe(false);
  });
});
