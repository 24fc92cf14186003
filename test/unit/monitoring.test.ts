/**
 * ALARM-1, ALARM-2 as pure rules: per-entry validation and rejection reasons of an ingest batch,
 * idempotent merge by source id (a resend updates, a stale one changes nothing), the events a
 * stored change means, the stream mapping, and what reaches integrations (PRIV-1).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { matchesStreamFilters, tableChange } from '../../lambdas/data/stream-records';
import { alarmTimeRange, monitoringKeys } from '../../lambdas/data/keys';
import { ingestAlarms, ingestIncidents, ingestMaintenance, listAlarms } from '../../lambdas/domain/monitoring/monitoring';
import type { Alarm, CloudIncident, MaintenanceAlert, MonitoringRepo, StoreResult } from '../../lambdas/domain/monitoring/ports';
import { deriveEvents } from '../../lambdas/domain/notifications/notifications';
import { topicMessage } from '../../lambdas/domain/notifications/notifier';
import { INGEST_SCOPE, type Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { Org } from '../../lambdas/domain/kernel/types';
import { viewFor } from '../../lambdas/domain/kernel/views';
import { AlarmsQuery, parseAlarms, parseIncidents, parseMaintenance } from '../../lambdas/schemas/monitoring';
import { caller, org } from '../helpers/demo-caller';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const machine: Caller = {
  kind: 'machine',
  id: 'monitoring',
  client: 'machine',
  scopes: [INGEST_SCOPE],
  memberships: [],
  orgs: new Map(),
  combinations: [],
  termsAccepted: true,
};

const ORGS: Org[] = [
  org('ORG-ACME', { alarmMonitoring: true }),
  org('ORG-GLOBEX', { alarmMonitoring: false }),
  org('ORG-UMBRELLA', {
    alarmMonitoring: true,
    deployments: [{ productLine: 'PureConnect On-Premises', hosting: 'on_premises' }],
  }),
  org('ORG-VENDOR', { type: 'vendor' }),
];

/** The repository's contract (monitoring-repo.ts): a put wins only over an older modifiedAt. */
const memoryStore = () => {
  const items = new Map<string, { modifiedAt: string }>();
  const put = async (key: string, value: { modifiedAt: string }): Promise<StoreResult> => {
    const old = items.get(key);
    if (old && old.modifiedAt >= value.modifiedAt) return 'not-newer';
    items.set(key, value);
    return old ? 'updated' : 'created';
  };
  const repo: MonitoringRepo = {
    putAlarm: (a) => put(`A#${a.orgId}#${a.id}`, a),
    putIncident: (i) => put(`I#${i.orgId}#${i.id}`, i),
    putMaintenance: (m) => put(`M#${m.id}`, m),
    getAlarm: async (orgId, id) => items.get(`A#${orgId}#${id}`) as Alarm | undefined,
    listAlarms: async () => ({ items: [...items.values()] as Alarm[], next: null }),
    listIncidents: async () => ({ items: [], next: null }),
    listMaintenance: async () => ({ items: [], next: null }),
  };
  return { items, repo };
};

const depsWith = (repo: MonitoringRepo) =>
  ({
    clock: { now: () => NOW },
    directory: { getOrgs: async (ids: string[]) => ORGS.filter((o) => ids.includes(o.orgId)) },
    monitoring: repo,
  }) as unknown as Pick<Deps, 'directory' | 'monitoring' | 'clock'>;

const alarm = (extra: Record<string, unknown> = {}) => ({
  id: 'ALM-1',
  orgId: 'ORG-ACME',
  severity: 'critical',
  server: 'pbx-01',
  appName: 'Engage',
  origin: 'SNMP',
  description: 'Trunk down',
  status: 'active',
  modifiedAt: '2026-11-24T09:00:00.000Z',
  ...extra,
});

describe('ALARM-1: ingesting alarms', () => {
  it('ALARM-1: a resend updates the stored alarm (active -> closed, later modified time), never duplicates it', async () => {
    const { items, repo } = memoryStore();
    const deps = depsWith(repo);
    const first = await ingestAlarms(deps, machine, parseAlarms([alarm()]));
    expect(first.results).toEqual([{ index: 0, id: 'ALM-1', outcome: 'created' }]);
    const resend = await ingestAlarms(
      deps,
      machine,
      parseAlarms([alarm({ status: 'closed', modifiedAt: '2026-11-24T09:30:00Z' })]),
    );
    expect(resend.results).toEqual([{ index: 0, id: 'ALM-1', outcome: 'updated' }]);
    expect(items.size).toBe(1);
    expect(items.get('A#ORG-ACME#ALM-1')).toMatchObject({ status: 'closed', modifiedAt: '2026-11-24T09:30:00.000Z' });
  });

  it('ALARM-1: a stale resend (older or same modified time) changes nothing and says so', async () => {
    const { items, repo } = memoryStore();
    const deps = depsWith(repo);
    await ingestAlarms(deps, machine, parseAlarms([alarm({ status: 'closed', modifiedAt: '2026-11-24T09:30:00.000Z' })]));
    const stale = await ingestAlarms(deps, machine, parseAlarms([alarm(), alarm({ modifiedAt: '2026-11-24T09:30:00.000Z' })]));
    expect(stale.results.map((r) => [r.outcome, r.reason])).toEqual([
      ['unchanged', 'not-newer'],
      ['unchanged', 'not-newer'],
    ]);
    expect(stale).toMatchObject({ received: 2, stored: 0, unchanged: 2, rejected: 0 });
    expect(items.get('A#ORG-ACME#ALM-1')).toMatchObject({ status: 'closed' });
  });

  it('ALARM-1: open and close of one alarm in one batch end closed, whatever the order of their writes', async () => {
    const { items, repo } = memoryStore();
    await ingestAlarms(
      depsWith(repo),
      machine,
      parseAlarms([alarm({ status: 'closed', modifiedAt: '2026-11-24T09:10:00.000Z' }), alarm()]),
    );
    expect(items.get('A#ORG-ACME#ALM-1')).toMatchObject({ status: 'closed' });
  });

  it('ALARM-1: a batch with bad entries stores the good ones and answers each bad one with index, id and reason', async () => {
    const { items, repo } = memoryStore();
    const report = await ingestAlarms(
      depsWith(repo),
      machine,
      parseAlarms([
        alarm({ id: 'GOOD-1' }),
        alarm({ id: 'BAD-SEV', severity: 'catastrophic' }),
        alarm({ id: 'NO-RAM', orgId: 'ORG-GLOBEX' }),
        alarm({ id: 'NOBODY', orgId: 'ORG-NOPE' }),
        alarm({ id: 'VENDOR', orgId: 'ORG-VENDOR' }),
        alarm({ id: 'EXTRA', colour: 'red' }),
        'not an object',
        alarm({ id: 'FUTURE', modifiedAt: '2026-11-24T11:00:00.000Z' }),
        alarm({ id: 'GOOD-2', orgId: 'ORG-UMBRELLA', modifiedAt: '2026-11-24T10:03:00+01:00' }),
      ]),
    );
    expect(report).toMatchObject({ received: 9, stored: 2, unchanged: 0, rejected: 7 });
    const byIndex = Object.fromEntries(report.results.map((r) => [r.index, r]));
    expect(byIndex[0]).toEqual({ index: 0, id: 'GOOD-1', outcome: 'created' });
    expect(byIndex[1]).toMatchObject({
      id: 'BAD-SEV',
      outcome: 'rejected',
      reason: 'invalid',
      errors: [{ path: 'alarms.1.severity' }],
    });
    expect(byIndex[2]).toMatchObject({ id: 'NO-RAM', outcome: 'rejected', reason: 'no-alarm-monitoring' });
    expect(byIndex[3]).toMatchObject({ id: 'NOBODY', outcome: 'rejected', reason: 'unknown-organisation' });
    expect(byIndex[4]).toMatchObject({ id: 'VENDOR', outcome: 'rejected', reason: 'unknown-organisation' });
    expect(byIndex[5]).toMatchObject({ id: 'EXTRA', reason: 'invalid', errors: [{ path: 'alarms.5.colour' }] });
    expect(byIndex[6]).toMatchObject({ outcome: 'rejected', reason: 'invalid' });
    expect(byIndex[6].id).toBeUndefined();
    expect(byIndex[7]).toMatchObject({ id: 'FUTURE', reason: 'invalid', errors: [{ path: 'alarms.7.modifiedAt' }] });
    expect(byIndex[8]).toMatchObject({ id: 'GOOD-2', outcome: 'created' });
    expect([...items.keys()].sort()).toEqual(['A#ORG-ACME#GOOD-1', 'A#ORG-UMBRELLA#GOOD-2']);
    // Times with an offset are stored in UTC, so stored times compare as strings.
    expect(items.get('A#ORG-UMBRELLA#GOOD-2')!.modifiedAt).toBe('2026-11-24T09:03:00.000Z');
  });

  it('ALARM-1: only a machine client with the ingest scope may ingest', async () => {
    const { repo } = memoryStore();
    await expect(
      ingestAlarms(depsWith(repo), caller({ staff: { role: 'admin', region: 'US', supportGroups: [] } }), []),
    ).rejects.toMatchObject({
      status: 403,
    });
    await expect(ingestAlarms(depsWith(repo), { ...machine, scopes: [] }, [])).rejects.toMatchObject({ status: 403 });
  });
});

describe('ALARM-2: ingesting incidents and maintenance alerts', () => {
  const incident = (extra: Record<string, unknown> = {}) => ({
    id: 'INC-1',
    orgId: 'ORG-ACME',
    title: 'Degraded recording',
    status: 'investigating',
    modifiedAt: '2026-11-24T09:00:00.000Z',
    ...extra,
  });

  it('ALARM-2: cloud incidents only for organisations with a cloud deployment (of the product line named)', async () => {
    const { repo } = memoryStore();
    const report = await ingestIncidents(
      depsWith(repo),
      machine,
      parseIncidents([
        incident(),
        incident({ id: 'ONPREM', orgId: 'ORG-UMBRELLA' }),
        incident({ id: 'PL', productLine: 'Engage On-Premise' }),
        incident({ id: 'PL-OK', productLine: 'Genesys Cloud CX' }),
        incident({ id: 'BAD', status: 'Very Bad!' }),
      ]),
    );
    expect(report.results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['INC-1', 'created', undefined],
      ['ONPREM', 'rejected', 'no-cloud-deployment'],
      ['PL', 'rejected', 'product-line-not-deployed'],
      ['PL-OK', 'created', undefined],
      ['BAD', 'rejected', 'invalid'],
    ]);
  });

  it('ALARM-2: a maintenance alert names one organisation or several, all known; its window must not end before it starts', async () => {
    const { items, repo } = memoryStore();
    const window = { start: '2026-11-28T22:00:00.000Z', end: '2026-11-29T02:00:00.000Z' };
    const m = (extra: Record<string, unknown>) => ({
      id: 'MNT-1',
      title: 'Upgrade',
      window,
      modifiedAt: '2026-11-24T09:00:00.000Z',
      ...extra,
    });
    const report = await ingestMaintenance(
      depsWith(repo),
      machine,
      parseMaintenance([
        m({ orgIds: ['ORG-GLOBEX', 'ORG-ACME', 'ORG-ACME'] }),
        m({ id: 'ONE', orgId: 'ORG-UMBRELLA' }),
        m({ id: 'BOTH', orgId: 'ORG-ACME', orgIds: ['ORG-ACME'] }),
        m({ id: 'NEITHER' }),
        m({ id: 'UNKNOWN', orgIds: ['ORG-ACME', 'ORG-NOPE'] }),
        m({ id: 'BACKWARDS', orgId: 'ORG-ACME', window: { start: window.end, end: window.start } }),
      ]),
    );
    expect(report.results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['MNT-1', 'created', undefined],
      ['ONE', 'created', undefined],
      ['BOTH', 'rejected', 'invalid'],
      ['NEITHER', 'rejected', 'invalid'],
      ['UNKNOWN', 'rejected', 'unknown-organisation'],
      ['BACKWARDS', 'rejected', 'invalid'],
    ]);
    expect(report.results[5].errors).toEqual([expect.objectContaining({ path: 'maintenance.5.window.end' })]);
    expect(items.get('M#MNT-1')).toMatchObject({ orgIds: ['ORG-ACME', 'ORG-GLOBEX'], status: 'scheduled' });
  });
});

describe('ALARM-1: the alarm list query', () => {
  it('ALARM-1: filters type, severity (one or several), from/to and excludeOrigins; to before from is refused', () => {
    expect(AlarmsQuery.parse({})).toMatchObject({ type: 'all', limit: 25 });
    expect(
      AlarmsQuery.parse({
        type: 'closed',
        severity: 'critical,major',
        excludeOrigins: 'SNMP, Syslog',
        from: '2026-11-01T00:00:00Z',
      }),
    ).toMatchObject({
      type: 'closed',
      severity: ['critical', 'major'],
      excludeOrigins: ['SNMP', 'Syslog'],
      from: '2026-11-01T00:00:00.000Z',
    });
    expect(AlarmsQuery.safeParse({ type: 'open' }).success).toBe(false);
    expect(AlarmsQuery.safeParse({ severity: 'high' }).success).toBe(false);
    const backwards = AlarmsQuery.safeParse({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0].path).toEqual(['to']);
  });

  it('ALARM-1: the time interval is a sort-key range of the newest-first index, both ends inside', () => {
    const sk = (iso: string, id: string) => `${String(9_999_999_999_999 - Date.parse(iso)).padStart(13, '0')}#${id}`;
    const { low, high } = alarmTimeRange({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    const inside = (k: string) => k >= low && k <= high;
    expect(inside(sk('2026-11-01T00:00:00.000Z', 'A'))).toBe(true);
    expect(inside(sk('2026-11-02T00:00:00.000Z', 'B'))).toBe(true);
    expect(inside(sk('2026-11-01T12:00:00.000Z', 'C'))).toBe(true);
    expect(inside(sk('2026-10-31T23:59:59.999Z', 'D'))).toBe(false);
    expect(inside(sk('2026-11-02T00:00:00.001Z', 'E'))).toBe(false);
  });

  it('ALARM-1: an organisation without Remote Alarm Monitoring has no alarms (404); PRIV-3: nor has one the caller may not see', async () => {
    const { repo } = memoryStore();
    const deps = depsWith(repo) as unknown as Pick<Deps, 'directory' | 'monitoring'>;
    const greta = caller({
      memberships: [{ orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX', level: 'designated', via: 'direct' }],
      orgs: ORGS,
    });
    await expect(listAlarms(deps, greta, 'ORG-GLOBEX', { type: 'all' }, { limit: 25 })).rejects.toMatchObject({ status: 404 });
    await expect(listAlarms(deps, greta, 'ORG-ACME', { type: 'all' }, { limit: 25 })).rejects.toMatchObject({ status: 404 });
    const fedOrg = org('ORG-FED', { fedramp: true, alarmMonitoring: true });
    const fedMobile = caller({
      client: 'mobile',
      memberships: [{ orgId: 'ORG-FED', soldToOrgId: 'ORG-FED', level: 'designated', via: 'direct' }],
      orgs: [fedOrg],
    });
    // PRIV-2: FedRAMP organisations are never served to the mobile app.
    await expect(listAlarms(deps, fedMobile, 'ORG-FED', { type: 'all' }, { limit: 25 })).rejects.toMatchObject({ status: 404 });
  });
});

const storedAlarm: Alarm = {
  id: 'ALM-1',
  orgId: 'ORG-ACME',
  severity: 'critical',
  server: 'pbx-01',
  appName: 'Engage',
  origin: 'SNMP',
  description: 'Trunk to Müller GmbH down',
  status: 'active',
  modifiedAt: '2026-11-24T09:00:00.000Z',
  receivedAt: '2026-11-24T09:00:01.000Z',
};

describe('ALARM-1, ALARM-2: events from stored changes', () => {
  it('ALARM-1: a new alarm is one alarm event whose id is the source id and modified time', () => {
    const events = deriveEvents({ kind: 'alarm', new: storedAlarm });
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'alarm#ORG-ACME#ALM-1#2026-11-24T09:00:00.000Z',
        eventType: 'alarm',
        orgId: 'ORG-ACME',
        notice: expect.objectContaining({
          kind: 'alarm',
          id: 'ALM-1',
          status: 'active',
          alarmSeverity: 'critical',
          origin: 'SNMP',
        }),
      }),
    ]);
    // A replay of the same record derives the same id.
    expect(deriveEvents({ kind: 'alarm', new: storedAlarm })[0].eventId).toBe(events[0].eventId);
  });

  it('ALARM-1: closing is an event with a new id; a store that changed nothing the notice says is none', () => {
    const closed = { ...storedAlarm, status: 'closed' as const, modifiedAt: '2026-11-24T09:30:00.000Z' };
    expect(deriveEvents({ kind: 'alarm', old: storedAlarm, new: closed })).toEqual([
      expect.objectContaining({
        eventId: 'alarm#ORG-ACME#ALM-1#2026-11-24T09:30:00.000Z',
        notice: expect.objectContaining({ status: 'closed' }),
      }),
    ]);
    expect(deriveEvents({ kind: 'alarm', old: storedAlarm, new: { ...storedAlarm, receivedAt: NOW.toISOString() } })).toEqual([]);
  });

  it('ALARM-2: a cloud incident is a cloud-incident event with its product line', () => {
    const i: CloudIncident = {
      id: 'INC-1',
      orgId: 'ORG-ACME',
      title: 'Degraded',
      status: 'investigating',
      productLine: 'Genesys Cloud CX',
      modifiedAt: '2026-11-24T09:00:00.000Z',
      receivedAt: '2026-11-24T09:00:00.000Z',
    };
    expect(deriveEvents({ kind: 'incident', new: i })).toEqual([
      expect.objectContaining({ eventType: 'cloud-incident', orgId: 'ORG-ACME', productLine: 'Genesys Cloud CX' }),
    ]);
    expect(deriveEvents({ kind: 'incident', old: i, new: { ...i } })).toEqual([]);
  });

  it('ALARM-2: a maintenance alert is one event per organisation; an organisation added later gets its own, the others none', () => {
    const m: MaintenanceAlert = {
      id: 'MNT-1',
      orgIds: ['ORG-ACME', 'ORG-GLOBEX'],
      title: 'Upgrade',
      status: 'scheduled',
      window: { start: '2026-11-28T22:00:00.000Z', end: '2026-11-29T02:00:00.000Z' },
      modifiedAt: '2026-11-24T09:00:00.000Z',
      receivedAt: '2026-11-24T09:00:00.000Z',
    };
    expect(deriveEvents({ kind: 'maintenance', new: m }).map((e) => [e.eventType, e.orgId])).toEqual([
      ['maintenance', 'ORG-ACME'],
      ['maintenance', 'ORG-GLOBEX'],
    ]);
    const widened = { ...m, orgIds: [...m.orgIds, 'ORG-UMBRELLA'] };
    expect(deriveEvents({ kind: 'maintenance', old: m, new: widened }).map((e) => e.orgId)).toEqual(['ORG-UMBRELLA']);
    // The window as stored comes back with its keys in another order: still no change.
    const reordered = { ...m, window: { end: m.window.end, start: m.window.start } };
    expect(deriveEvents({ kind: 'maintenance', old: m, new: reordered })).toEqual([]);
  });

  it('PRIV-1: integration messages carry the notice ids, enums and times, never its free-text title', () => {
    const [e] = deriveEvents({ kind: 'alarm', new: storedAlarm });
    const body = JSON.parse(topicMessage(e, 'm0').body);
    expect(body.notice).toEqual({
      kind: 'alarm',
      id: 'ALM-1',
      orgId: 'ORG-ACME',
      status: 'active',
      modifiedAt: '2026-11-24T09:00:00.000Z',
      alarmSeverity: 'critical',
      origin: 'SNMP',
    });
    expect(JSON.stringify(body)).not.toContain('Müller');
  });

  it('PRIV-1: an alarm row hides its description from restricted staff; full access sees only the named fields', () => {
    const stored = { ...storedAlarm, originKey: 'snmp' } as Alarm;
    expect(viewFor('alarm', stored, 'restricted')).not.toHaveProperty('description');
    expect(viewFor('alarm', stored, 'restricted')).toMatchObject({ restricted: true, severity: 'critical' });
    expect(viewFor('alarm', stored, 'read')).toEqual(storedAlarm);
  });
});

describe('ALARM-1, ALARM-2: the stream records of monitoring items', () => {
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', key: { PK: string; SK: string }, item: object, old?: object) =>
    ({
      eventID: 'e1',
      eventName,
      dynamodb: {
        Keys: marshall(key),
        NewImage: marshall({ ...key, ...item }, { removeUndefinedValues: true }) as never,
        ...(old ? { OldImage: marshall({ ...key, ...old }, { removeUndefinedValues: true }) as never } : {}),
      },
    }) as DynamoDBRecord;

  it('ALARM-1: an alarm insert and modify pass the stream filters and map to alarm changes with the old image', () => {
    const key = monitoringKeys.alarm('ORG-ACME', 'ALM-1');
    const insert = record('INSERT', key, storedAlarm);
    expect(matchesStreamFilters(insert)).toBe(true);
    expect(tableChange(insert)).toEqual({ kind: 'alarm', new: storedAlarm });
    const closed = { ...storedAlarm, status: 'closed' };
    const mod = record('MODIFY', key, closed, storedAlarm);
    expect(tableChange(mod)).toEqual({ kind: 'alarm', old: storedAlarm, new: closed });
    expect(tableChange(record('REMOVE', key, storedAlarm))).toEqual({ kind: 'other' });
  });

  it('ALARM-2: incidents and maintenance alerts map to their kinds; an unreadable one is a poison record', () => {
    const inc = record('INSERT', monitoringKeys.incident('ORG-ACME', 'INC-1'), {
      id: 'INC-1',
      orgId: 'ORG-ACME',
      title: 't',
      status: 'investigating',
      modifiedAt: storedAlarm.modifiedAt,
    });
    expect(tableChange(inc).kind).toBe('incident');
    const mnt = record('INSERT', monitoringKeys.maintenance('MNT-1'), {
      id: 'MNT-1',
      orgIds: ['ORG-ACME'],
      title: 't',
      status: 'scheduled',
      window: { start: 'a', end: 'b' },
      modifiedAt: storedAlarm.modifiedAt,
    });
    expect(tableChange(mnt).kind).toBe('maintenance');
    expect(() => tableChange(record('INSERT', monitoringKeys.alarm('ORG-ACME', 'X'), { id: 'X' }))).toThrow(/not an alarm/);
  });
});
