/**
 * ACC-6 (with ACC-3, ACC-7, PRIV-1) and FLAG-2: the pure rules of access requests.
 */
import { oneTimeCode } from '../../lambdas/adapters/ids';
import {
  approverOrgIds,
  checkRequest,
  decidingOrgOf,
  grantedMemberships,
  hashCode,
} from '../../lambdas/domain/access/access-requests';
import { RATE_LIMITS, rateWindow } from '../../lambdas/domain/kernel/rate-limits';
import { Problem } from '../../lambdas/domain/kernel/errors';
import { mayCall, type Caller } from '../../lambdas/domain/kernel/policy';
import type { AccessRequest, Membership, Org, StaffProfile } from '../../lambdas/domain/kernel/types';
import { viewFor } from '../../lambdas/domain/kernel/views';

const org = (o: Partial<Org> & Pick<Org, 'orgId'>): Org => ({
  name: o.orgId,
  type: 'customer',
  region: 'US',
  timeZone: 'UTC',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: false,
  deployments: [],
  ...o,
});
const ACME = org({ orgId: 'ORG-ACME', name: 'Acme Corp' });
const UMBRELLA = org({ orgId: 'ORG-UMBRELLA', name: 'Umbrella Ltd', managedBy: 'ORG-NORTHWIND' });
const ACME_COMBO = [{ endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME' }];
const ask = (
  email: string,
  level: AccessRequest['level'] = 'read_only',
  combinations = [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME' }],
) => ({
  email,
  name: 'Nina New',
  level,
  combinations,
});

const caller = (memberships: Partial<Membership>[], staff?: StaffProfile): Caller => ({
  kind: 'user',
  id: 'u-x',
  client: 'web',
  scopes: [],
  user: {
    userId: 'u-x',
    email: 'x@acme.example',
    name: 'X',
    timeZone: 'UTC',
    settings: { defaultList: 'all', notifications: {} },
    staff,
  },
  memberships: memberships.map((m) => ({
    userId: 'u-x',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    level: 'designated',
    via: 'direct',
    ...m,
  })),
  orgs: new Map([[ACME.orgId, ACME]]),
  combinations: [],
  termsAccepted: true,
});

const request: AccessRequest = {
  requestId: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
  email: 'nina.new@globex.example',
  name: 'Nina New',
  level: 'read_only',
  orgId: 'ORG-GLOBEX',
  orgName: 'Globex GmbH',
  combinations: [{ orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX' }],
  decidingOrgId: 'ORG-GLOBEX',
  status: 'rejected',
  createdAt: '2026-11-30T10:00:00.000Z',
  codeHash: 'h',
  codeExpiresAt: '2026-11-30T10:15:00.000Z',
  attempts: 1,
  requestHash: 'idem',
  confirmedAt: '2026-11-30T10:05:00.000Z',
  caseNumber: '00000042',
  decision: {
    approve: false,
    comment: 'Nina left',
    decidedBy: 'u-greta',
    decidedAt: '2026-11-30T11:00:00.000Z',
    requestHash: 'd',
  },
};

describe('access requests (ACC-6)', () => {
  it.each(['nina@gmail.com', 'nina@outlook.com', 'support@acme.example', 'noreply@acme.example'])(
    'ACC-3: %s is refused with the corporate-email problem, naming the field',
    (email) => {
      const res = checkRequest(ask(email), ACME, ACME_COMBO);
      expect(res).toBeInstanceOf(Problem);
      expect(res).toMatchObject({ status: 403, type: '/problems/corporate-email-required', errors: [{ path: 'email' }] });
    },
  );

  it('ACC-6: an individual corporate address asking for a level on an existing combination passes', () => {
    expect(checkRequest(ask('nina.new@acme.example', 'designated'), ACME, ACME_COMBO)).toEqual([]);
  });

  it('ACC-6: one organisation per request; a combination that does not exist is named', () => {
    const two = checkRequest(
      ask('nina@acme.example', 'read_only', [
        { orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME' },
        { orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX' },
      ]),
      ACME,
      ACME_COMBO,
    );
    expect(two).toEqual([{ path: 'combinations.1.orgId', message: expect.any(String) }]);
    const missing = checkRequest(
      ask('nina@acme.example', 'read_only', [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-NORTHWIND' }]),
      ACME,
      ACME_COMBO,
    );
    expect(missing).toEqual([{ path: 'combinations.0', message: expect.any(String) }]);
    expect(checkRequest(ask('nina@acme.example'), undefined, [])).toEqual([
      { path: 'combinations.0.orgId', message: 'no such organisation' },
    ]);
    expect(checkRequest(ask('nina@acme.example'), org({ orgId: 'ORG-ACME', type: 'vendor' }), ACME_COMBO)).toHaveLength(1);
  });

  it("ACC-7: an end user managed by a partner is decided by the partner's approvers; its own people may ask for read_only at most", () => {
    expect(decidingOrgOf(UMBRELLA)).toBe('ORG-NORTHWIND');
    expect(decidingOrgOf(ACME)).toBe('ORG-ACME');
    const combos = [{ orgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND' }];
    const existing = [{ endUserOrgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND' }];
    expect(checkRequest(ask('uma2@umbrella.example', 'designated', combos), UMBRELLA, existing)).toEqual([
      { path: 'level', message: expect.stringContaining('read_only at most') },
    ]);
    expect(checkRequest(ask('uma2@umbrella.example', 'read_only', combos), UMBRELLA, existing)).toEqual([]);
  });

  it('ACC-6: the code is 6 digits; only its hash, bound to the request, is kept', () => {
    for (let i = 0; i < 200; i++) expect(oneTimeCode()).toMatch(/^\d{6}$/);
    expect(hashCode('A', '123456')).not.toContain('123456');
    expect(hashCode('A', '123456')).not.toBe(hashCode('B', '123456'));
    expect(hashCode('A', '123456')).toBe(hashCode('A', '123456'));
  });

  it('ACC-6: rate limits are hourly windows; Retry-After is the time left in the window', () => {
    const { accessRequestsPerAddress: perAddress, accessRequestsPerSourceIp: perIp } = RATE_LIMITS;
    expect(perAddress).toMatchObject({ limit: 3, windowSeconds: 3600 });
    expect(perIp.limit).toBeGreaterThan(perAddress.limit);
    expect(perIp.windowSeconds).toBe(3600);
    const w = rateWindow('accessRequestsPerAddress', 'a', new Date('2026-12-01T09:59:30.000Z'));
    expect(w).toMatchObject({ window: { windowStart: new Date('2026-12-01T09:00:00.000Z') }, retryAfter: 30 });
    expect(rateWindow('accessRequestsPerAddress', 'a', new Date('2026-12-01T09:00:00.000Z')).retryAfter).toBe(3600);
    // The counter outlives its window, then DynamoDB's TTL removes it.
    expect(w.window.expiresAt).toEqual(new Date('2026-12-01T11:00:00.000Z'));
  });

  it('ACC-6: approval sets the level on each combination, keeping what an existing membership holds besides (approver, via)', () => {
    const r = { ...request, level: 'designated' as const, combinations: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME' }] };
    const held: Membership = {
      userId: 'u-dana',
      orgId: 'ORG-ACME',
      soldToOrgId: 'ORG-ACME',
      level: 'read_only',
      via: 'direct',
      approver: true,
    };
    expect(grantedMemberships(r, 'u-dana', [held])).toEqual([{ ...held, level: 'designated' }]);
    expect(grantedMemberships(r, 'u-new', [])).toEqual([
      { userId: 'u-new', orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' },
    ]);
  });

  it('ACC-6: approvers and portal admins may call the approvers’ routes; other customers and staff may not', () => {
    expect(mayCall(caller([{ approver: true }]), 'approve')).toBe(true);
    expect(mayCall(caller([{}]), 'approve')).toBe(false);
    expect(mayCall(caller([], { role: 'admin', region: 'EU', supportGroups: [] }), 'approve')).toBe(true);
    expect(mayCall(caller([], { role: 'analyst', region: 'US', supportGroups: [] }), 'approve')).toBe(false);
    expect(approverOrgIds(caller([{ approver: true }, { orgId: 'ORG-GLOBEX' }]))).toEqual(['ORG-ACME']);
  });

  it('ACC-6, PRIV-1: a request leaves without its code hash, attempts or idempotency hashes; restricted staff see no person', () => {
    const full = viewFor('accessRequest', request, 'write') as unknown as Record<string, unknown>;
    expect(full).toMatchObject({ email: request.email, name: 'Nina New', decision: { approve: false, comment: 'Nina left' } });
    expect(JSON.stringify(full)).not.toMatch(/codeHash|attempts|requestHash/);
    const restricted = viewFor('accessRequest', request, 'restricted') as unknown as Record<string, unknown>;
    expect(restricted).toMatchObject({ requestId: request.requestId, status: 'rejected', restricted: true });
    expect(JSON.stringify(restricted)).not.toMatch(/nina|Nina|u-greta|codeHash|attempts/);
    expect(restricted.decision).toEqual({ approve: false, decidedAt: request.decision!.decidedAt });
  });
});
