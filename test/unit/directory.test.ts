/** The CRM's directory batches as the HTTP layer parses them (ACC-1, ACC-4): the batch whole, then each entry. */
import { DirectoryBatchBody, parseDirectory } from '../../lambdas/schemas/directory';

const org = {
  orgId: 'ORG-HOOLI',
  name: 'Hooli Inc',
  type: 'customer',
  region: 'US',
  timeZone: 'America/Los_Angeles',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: false,
  modifiedAt: '2026-11-24T10:00:00+01:00',
};

describe('POST /ingest/directory body (ACC-1)', () => {
  it('ACC-1: a batch holds 1-100 entries over its three sections; other fields are refused', () => {
    expect(DirectoryBatchBody.safeParse({}).success).toBe(false);
    expect(DirectoryBatchBody.safeParse({ organisations: [] }).success).toBe(false);
    expect(DirectoryBatchBody.safeParse({ organisations: [org] }).success).toBe(true);
    const fifty = Array.from({ length: 50 }, () => ({}));
    expect(DirectoryBatchBody.safeParse({ organisations: fifty, contracts: fifty }).success).toBe(true);
    expect(DirectoryBatchBody.safeParse({ organisations: fifty, contracts: [...fifty, {}] }).success).toBe(false);
    expect(DirectoryBatchBody.safeParse({ organisations: [org], users: [{}] }).success).toBe(false);
  });

  it('ACC-1: each entry is checked on its own, its errors named by section and index, its id taken from the record', () => {
    const parsed = parseDirectory({
      organisations: [org, { ...org, orgId: 'ORG#1', type: 'vendor', extra: 1 }],
      combinations: [{ endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-ACME', modifiedAt: '2026-11-24T09:00:00Z' }],
      contracts: [{ contractId: 'CT-1', endUserOrgId: 'ORG-HOOLI', soldToOrgId: 'ORG-HOOLI', status: 'paused' }],
    });
    // Times are stored as UTC with milliseconds, so stored times compare as strings.
    expect(parsed.organisations[0]).toEqual({
      index: 0,
      id: 'ORG-HOOLI',
      value: { ...org, deployments: [], modifiedAt: '2026-11-24T09:00:00.000Z' },
    });
    const bad = parsed.organisations[1] as { index: number; id?: string; errors: { path: string }[] };
    expect(bad.index).toBe(1);
    expect(bad.id).toBe('ORG#1');
    expect(bad.errors.map((e) => e.path).sort()).toEqual([
      'organisations.1.extra',
      'organisations.1.orgId',
      'organisations.1.type',
    ]);
    expect(parsed.combinations[0]).toMatchObject({ index: 0, id: 'ORG-HOOLI/ORG-ACME' });
    const contract = parsed.contracts[0] as { id?: string; errors: { path: string }[] };
    expect(contract.id).toBe('CT-1');
    expect(contract.errors.map((e) => e.path).sort()).toEqual(['contracts.0.modifiedAt', 'contracts.0.status']);
  });
});
