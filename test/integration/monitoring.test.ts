/**
 * ALARM-1, ALARM-2 over a real DynamoDB Local table: idempotent conditional writes by source id
 * (resends, stale resends, racing resends), and the alarm list by Query on the by-modified index:
 * newest first, type/severity/from/to/excludeOrigins, cursor pages that neither skip nor repeat.
 * The meter records every command: no Scan, ever.
 */
import { putMembership, putOrg, putUser } from '../../lambdas/data/directory-repo';
import { getAlarm, listAlarms as queryAlarms, putAlarm } from '../../lambdas/data/monitoring-repo';
import { TABLE } from '../../lambdas/data/table';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { ingestAlarms, listAlarms } from '../../lambdas/domain/monitoring/monitoring';
import type { Alarm, AlarmFilter, AlarmSeverity } from '../../lambdas/domain/monitoring/ports';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { Org } from '../../lambdas/domain/kernel/types';
import { parseAlarms } from '../../lambdas/schemas/monitoring';
import { instrument, testDeps, type Meter } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let deps: Deps;
let meter: Meter;
const ref = () => ({ doc: db.doc, table: db.tableName });

const ORG: Org = {
  orgId: 'ORG-MON',
  name: 'Monitored Inc',
  type: 'customer',
  region: 'US',
  timeZone: 'UTC',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: true,
  deployments: [{ productLine: 'Engage On-Premise', hosting: 'on_premises' }],
};
const OTHER: Org = { ...ORG, orgId: 'ORG-MON-2', name: 'Other Monitored' };

const BASE = Date.parse('2026-11-20T00:00:00.000Z');
const SEVERITIES: AlarmSeverity[] = ['critical', 'major', 'minor'];
const ORIGINS = ['SNMP', 'Syslog', 'snmp-v3', 'WMI'];

/** 40 alarms, one every hour; every third closed; severities and origins in rotation. */
const SEEDED: Alarm[] = Array.from({ length: 40 }, (_, i) => ({
  id: `A-${String(i).padStart(3, '0')}`,
  orgId: ORG.orgId,
  severity: SEVERITIES[i % 3],
  server: `srv-${i % 5}`,
  appName: 'Engage',
  origin: ORIGINS[i % 4],
  description: `alarm ${i}`,
  status: i % 3 === 0 ? 'closed' : 'active',
  modifiedAt: new Date(BASE + i * 3600_000).toISOString(),
  receivedAt: new Date(BASE + i * 3600_000 + 1000).toISOString(),
}));

/** What a correct list holds: the seeded alarms the filter keeps, newest modified first. */
const expected = (f: AlarmFilter): string[] =>
  SEEDED.filter(
    (a) =>
      (f.type === 'all' || a.status === f.type) &&
      (!f.severities || f.severities.includes(a.severity)) &&
      (!f.from || a.modifiedAt >= f.from) &&
      (!f.to || a.modifiedAt <= f.to) &&
      !(f.excludeOrigins ?? []).some((o) => o.toLowerCase() === a.origin.toLowerCase()),
  )
    .sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : -1))
    .map((a) => a.id);

/** Every page of a list, following the cursor position. */
const allPages = async (f: AlarmFilter, limit: number): Promise<{ ids: string[]; pages: number }> => {
  const ids: string[] = [];
  let after: unknown;
  let pages = 0;
  do {
    // The position goes through JSON, as it does inside a cursor.
    const page = await queryAlarms(ref(), ORG.orgId, f, {
      limit,
      after: after === undefined ? undefined : JSON.parse(JSON.stringify(after)),
    });
    ids.push(...page.items.map((a) => a.id));
    after = page.next ?? undefined;
    pages++;
    if (pages > 200) throw new Error('the cursor never ends');
  } while (after !== undefined);
  return { ids, pages };
};

beforeAll(async () => {
  db = await startTestDynamo();
  meter = instrument(db.doc);
  deps = testDeps(db.doc, db.tableName);
  await putOrg(ref(), ORG);
  await putOrg(ref(), OTHER);
  await putUser(ref(), {
    userId: 'u-mon',
    email: 'mo@monitored.example',
    name: 'Mo Nitor',
    timeZone: 'UTC',
    termsVersion: '2026-10-01',
    settings: { defaultList: 'all', notifications: {} },
  });
  await putMembership(ref(), { userId: 'u-mon', orgId: ORG.orgId, soldToOrgId: ORG.orgId, level: 'basic', via: 'direct' });
  for (const a of SEEDED) expect(await putAlarm(ref(), a)).toBe('created');
  // Another organisation's alarms never show in this one's list.
  await putAlarm(ref(), { ...SEEDED[39], orgId: OTHER.orgId, id: 'OTHER-1' });
});
afterAll(async () => db?.stop());
beforeEach(() => meter.reset());
afterEach(() => expect(meter.scans).toEqual([]));

describe('ALARM-1: the alarm list by Query', () => {
  const FILTERS: [string, AlarmFilter][] = [
    ['all', { type: 'all' }],
    ['active', { type: 'active' }],
    ['closed', { type: 'closed' }],
    ['critical only', { type: 'all', severities: ['critical'] }],
    ['major and minor, active', { type: 'active', severities: ['major', 'minor'] }],
    ['from/to, both ends inside', { type: 'all', from: SEEDED[10].modifiedAt, to: SEEDED[20].modifiedAt }],
    ['from only, closed', { type: 'closed', from: SEEDED[30].modifiedAt }],
    ['to only', { type: 'all', to: SEEDED[5].modifiedAt }],
    ['excludeOrigins, case-insensitive', { type: 'all', excludeOrigins: ['snmp', 'WMI'] }],
    [
      'everything at once',
      {
        type: 'all',
        severities: ['critical', 'minor'],
        from: SEEDED[3].modifiedAt,
        to: SEEDED[33].modifiedAt,
        excludeOrigins: ['SYSLOG'],
      },
    ],
  ];

  it.each(FILTERS)('ALARM-1: %s: newest modified first, exactly the alarms the filter keeps, in one page', async (_name, f) => {
    const page = await queryAlarms(ref(), ORG.orgId, f, { limit: 100 });
    expect(page.items.map((a) => a.id)).toEqual(expected(f));
    expect(page.next).toBeNull();
  });

  it.each(FILTERS)('ALARM-1: %s: cursor pages of 3 neither skip, repeat nor reorder', async (_name, f) => {
    const { ids, pages } = await allPages(f, 3);
    expect(ids).toEqual(expected(f));
    expect(pages).toBeGreaterThan(1);
  });

  it('ALARM-1: every read is a Query of the by-modified index (key condition on type and time), none a Scan', async () => {
    await queryAlarms(ref(), ORG.orgId, { type: 'all', from: SEEDED[1].modifiedAt, severities: ['major'] }, { limit: 10 });
    expect(Object.keys(meter.calls)).toEqual(['QueryCommand']);
    expect(meter.calls.QueryCommand).toBe(2);
  });

  it('ALARM-1: a listed alarm carries its fields, none of the storage keys', async () => {
    const [first] = (await queryAlarms(ref(), ORG.orgId, { type: 'all' }, { limit: 1 })).items;
    expect(first).toEqual(SEEDED[39]);
    for (const k of [TABLE.partitionKey, TABLE.sortKey, TABLE.indexes.byModified.partitionKey, 'originKey', 'entity'])
      expect(first).not.toHaveProperty(k);
  });

  it('ALARM-1: through the domain: a basic member reads it; another organisation without membership is 404 (PRIV-3)', async () => {
    const mo = (await resolveCaller(deps, { sub: 'u-mon', client: 'web', scopes: [] }))!;
    const page = await listAlarms(deps, mo, ORG.orgId, { type: 'active', severities: ['critical'] }, { limit: 100 });
    expect(page.items.map((a) => a.id)).toEqual(expected({ type: 'active', severities: ['critical'] }));
    await expect(listAlarms(deps, mo, OTHER.orgId, { type: 'all' }, { limit: 10 })).rejects.toMatchObject({ status: 404 });
  });
});

describe('ALARM-1: idempotent ingestion by source id', () => {
  const machine = async () => (await resolveCaller(deps, { sub: 'monitoring', client: 'machine', scopes: [INGEST_SCOPE] }))!;
  const entry = (extra: Partial<Alarm>) => ({
    id: 'RESEND-1',
    orgId: OTHER.orgId,
    severity: 'major',
    server: 'srv',
    appName: 'Engage',
    origin: 'SNMP',
    description: 'resend',
    status: 'active',
    modifiedAt: '2026-11-21T10:00:00.000Z',
    ...extra,
  });
  const listed = async (type: AlarmFilter['type']) =>
    (await queryAlarms(ref(), OTHER.orgId, { type }, { limit: 100 })).items.filter((a) => a.id === 'RESEND-1');

  it('ALARM-1: a resend closes the stored alarm: one item, moved from the active list to the closed list', async () => {
    const m = await machine();
    expect((await ingestAlarms(deps, m, parseAlarms([entry({})]))).results[0].outcome).toBe('created');
    expect(await listed('active')).toHaveLength(1);
    const closed = await ingestAlarms(
      deps,
      m,
      parseAlarms([entry({ status: 'closed', modifiedAt: '2026-11-21T11:00:00.000Z' })]),
    );
    expect(closed.results[0].outcome).toBe('updated');
    expect(await listed('active')).toEqual([]);
    expect(await listed('closed')).toEqual([
      expect.objectContaining({ status: 'closed', modifiedAt: '2026-11-21T11:00:00.000Z' }),
    ]);
    expect(await listed('all')).toHaveLength(1);
  });

  it('ALARM-1: a stale resend changes nothing: the stored alarm keeps its newer status and time', async () => {
    const m = await machine();
    const stale = await ingestAlarms(
      deps,
      m,
      parseAlarms([entry({ description: 'stale', modifiedAt: '2026-11-21T10:30:00.000Z' })]),
    );
    expect(stale.results[0]).toMatchObject({ outcome: 'unchanged', reason: 'not-newer' });
    expect(await getAlarm(ref(), OTHER.orgId, 'RESEND-1')).toMatchObject({ status: 'closed', description: 'resend' });
  });

  it('ALARM-1: racing resends of one alarm leave exactly one item, the newest', async () => {
    const versions = Array.from({ length: 12 }, (_, i) =>
      entry({ id: 'RACE-1', modifiedAt: new Date(Date.parse('2026-11-22T00:00:00.000Z') + i * 60_000).toISOString() }),
    );
    const results = await Promise.all(
      [...versions].reverse().map(async (v) => putAlarm(ref(), { ...(v as Alarm), receivedAt: v.modifiedAt })),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(await getAlarm(ref(), OTHER.orgId, 'RACE-1')).toMatchObject({ modifiedAt: versions[11].modifiedAt });
    const all = (await queryAlarms(ref(), OTHER.orgId, { type: 'all' }, { limit: 100 })).items.filter((a) => a.id === 'RACE-1');
    expect(all).toHaveLength(1);
  });
});
