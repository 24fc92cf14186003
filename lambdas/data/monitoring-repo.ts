/**
 * Alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2): one exported function per
 * access pattern. Each record is one item keyed by the source's id; a write is one conditional
 * put that only replaces an older version, so resends never duplicate and a stale one changes
 * nothing. Alarm lists are Queries on the by-modified index (keys.ts alarmIndexKeys), never a Scan.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type {
  Alarm,
  AlarmFilter,
  CloudIncident,
  MaintenanceAlert,
  MonitoringRepo,
  StoreResult,
} from '../domain/monitoring/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { fromItem } from './items';
import {
  alarmIndexKeys,
  alarmsPartition,
  alarmTimeRange,
  incidentIndexKeys,
  incidentsPartition,
  maintenanceEntryKeys,
  maintenancePartition,
  monitoringKeys,
} from './keys';
import { mergedPage, queryPage } from './paging';
import { TABLE } from './table';

const index = TABLE.indexes.byModified;

/** Lower-cased origin, so the excludeOrigins filter compares case-insensitively in DynamoDB. */
const ORIGIN_KEY = 'originKey';

const alarmItem = (a: Alarm) => ({
  ...monitoringKeys.alarm(a.orgId, a.id),
  ...alarmIndexKeys(a),
  entity: 'alarm',
  ...a,
  [ORIGIN_KEY]: a.origin.toLowerCase(),
});

const alarmOf = (item: Record<string, unknown>): Alarm => {
  const { [ORIGIN_KEY]: _o, ...rest } = fromItem<Alarm & { [ORIGIN_KEY]?: string }>(item);
  return rest;
};

/** Replaces the item only when it is new or older than `modifiedAt`; says which it was. */
const putIfNewer = async (ref: TableRef, item: Record<string, unknown> & { modifiedAt: string }): Promise<StoreResult> =>
  (await putIfNewerWithOld(ref, item)).result;

const putIfNewerWithOld = async (
  ref: TableRef,
  item: Record<string, unknown> & { modifiedAt: string },
): Promise<{ result: StoreResult; old?: Record<string, unknown> }> => {
  try {
    const res = await ref.doc.send(
      new PutCommand({
        TableName: ref.table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #modifiedAt < :modifiedAt',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#modifiedAt': 'modifiedAt' },
        ExpressionAttributeValues: { ':modifiedAt': item.modifiedAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return res.Attributes ? { result: 'updated', old: res.Attributes } : { result: 'created' };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return { result: 'not-newer' };
    throw err;
  }
};

export const putAlarm = (ref: TableRef, a: Alarm): Promise<StoreResult> => putIfNewer(ref, alarmItem(a));

export const putIncident = (ref: TableRef, i: CloudIncident): Promise<StoreResult> =>
  putIfNewer(ref, { ...monitoringKeys.incident(i.orgId, i.id), ...incidentIndexKeys(i), entity: 'cloud-incident', ...i });

/**
 * The alert, then one entry per organisation it names (and per organisation an older version
 * named, so a dropped organisation's entry carries the new orgIds and the list leaves it out),
 * each replacing only an older version: a retry after a partial failure completes the set.
 */
export const putMaintenance = async (ref: TableRef, m: MaintenanceAlert): Promise<StoreResult> => {
  const { result, old } = await putIfNewerWithOld(ref, { ...monitoringKeys.maintenance(m.id), entity: 'maintenance', ...m });
  const orgIds = new Set([...m.orgIds, ...((old?.orgIds as string[] | undefined) ?? [])]);
  await Promise.all(
    [...orgIds].map((orgId) => putIfNewer(ref, { ...maintenanceEntryKeys(orgId, m), entity: 'maintenance-entry', ...m })),
  );
  return result;
};

const recordOf = <T>(item: Record<string, unknown>): T => {
  const { entity: _e, ...rest } = fromItem<T & { entity?: string }>(item);
  return rest as T;
};

const byOrgQuery = (
  partition: string,
  range: { from?: string; to?: string },
  extra?: { filter: string; names: Record<string, string>; values: Record<string, unknown> },
) => {
  const { low, high } = alarmTimeRange(range);
  return {
    IndexName: index.name,
    KeyConditionExpression: '#ipk = :ipk AND #isk BETWEEN :low AND :high',
    ...(extra ? { FilterExpression: extra.filter } : {}),
    ExpressionAttributeNames: { '#ipk': index.partitionKey, '#isk': index.sortKey, ...extra?.names },
    ExpressionAttributeValues: { ':ipk': partition, ':low': low, ':high': high, ...extra?.values },
  };
};

/** The times the index's 13-digit newest-first key can hold; a range outside them is cut to them (a fuzz find: 500). */
const KEY_MIN = '1970-01-01T00:00:00.000Z';
const KEY_MAX = '2286-11-20T17:46:39.999Z';
const keyRange = (r: { from?: string; to?: string }): { from?: string; to?: string } | undefined => {
  if ((r.from && r.from > KEY_MAX) || (r.to && r.to < KEY_MIN)) return undefined;
  return { from: r.from && r.from > KEY_MIN ? r.from : undefined, to: r.to && r.to < KEY_MAX ? r.to : undefined };
};

/** ALARM-2: an organisation's cloud incidents, newest modified first. */
export const listIncidents = async (
  ref: TableRef,
  orgId: string,
  range: { from?: string; to?: string },
  page: PageRequest,
): Promise<Page<CloudIncident>> => {
  const cut = keyRange(range);
  if (!cut) return { items: [], next: null };
  const res = await queryPage(ref, byOrgQuery(incidentsPartition(orgId), cut), page);
  return { items: res.items.map((i) => recordOf<CloudIncident>(i)), next: res.next };
};

/** ALARM-2: the maintenance alerts naming an organisation (now), newest modified first. */
export const listMaintenance = async (
  ref: TableRef,
  orgId: string,
  range: { from?: string; to?: string },
  page: PageRequest,
): Promise<Page<MaintenanceAlert>> => {
  const cut = keyRange(range);
  if (!cut) return { items: [], next: null };
  const res = await queryPage(
    ref,
    byOrgQuery(maintenancePartition(orgId), cut, {
      filter: 'contains(#orgIds, :org)',
      names: { '#orgIds': 'orgIds' },
      values: { ':org': orgId },
    }),
    page,
  );
  return { items: res.items.map((i) => recordOf<MaintenanceAlert>(i)), next: res.next };
};

export const getAlarm = async (ref: TableRef, orgId: string, id: string): Promise<Alarm | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: monitoringKeys.alarm(orgId, id) }));
  return res.Item ? alarmOf(res.Item) : undefined;
};

type QueryInput = Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;

/** The Query of one status partition: status and time interval by key condition, severity and origins by filter. */
const alarmQuery = (orgId: string, status: 'active' | 'closed', f: AlarmFilter): QueryInput => {
  const { low, high } = alarmTimeRange(f);
  const names: Record<string, string> = { '#ipk': index.partitionKey, '#isk': index.sortKey };
  const values: Record<string, unknown> = { ':ipk': alarmsPartition(orgId, status), ':low': low, ':high': high };
  const filters: string[] = [];
  if (f.severities?.length) {
    names['#severity'] = 'severity';
    f.severities.forEach((s, i) => (values[`:sev${i}`] = s));
    filters.push(`#severity IN (${f.severities.map((_, i) => `:sev${i}`).join(', ')})`);
  }
  if (f.excludeOrigins?.length) {
    names['#origin'] = ORIGIN_KEY;
    f.excludeOrigins.forEach((o, i) => (values[`:origin${i}`] = o.toLowerCase()));
    filters.push(`NOT (#origin IN (${f.excludeOrigins.map((_, i) => `:origin${i}`).join(', ')}))`);
  }
  return {
    IndexName: index.name,
    KeyConditionExpression: '#ipk = :ipk AND #isk BETWEEN :low AND :high',
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

const indexPosition = (item: Record<string, unknown>) => ({
  [TABLE.partitionKey]: item[TABLE.partitionKey],
  [TABLE.sortKey]: item[TABLE.sortKey],
  [index.partitionKey]: item[index.partitionKey],
  [index.sortKey]: item[index.sortKey],
});

/**
 * ALARM-1: newest first. `active` and `closed` read one partition each; `all` merges the two by
 * the index sort key (mergedPage). Severity and excluded origins are filtered by DynamoDB after
 * the read, so a page may hold fewer than `limit` alarms while another page follows.
 */
export const listAlarms = async (ref: TableRef, orgId: string, f: AlarmFilter, page: PageRequest): Promise<Page<Alarm>> => {
  const statuses = f.type === 'all' ? (['active', 'closed'] as const) : [f.type];
  const partitions = statuses.map((status) => ({ id: status, input: alarmQuery(orgId, status, f) }));
  const res = await mergedPage(ref, partitions, indexPosition, (i) => String(i[index.sortKey]), page);
  return { items: res.items.map(alarmOf), next: res.next };
};

export const monitoringRepo = (ref: TableRef): MonitoringRepo => ({
  putAlarm: (a) => putAlarm(ref, a),
  putIncident: (i) => putIncident(ref, i),
  putMaintenance: (m) => putMaintenance(ref, m),
  getAlarm: (orgId, id) => getAlarm(ref, orgId, id),
  listAlarms: (orgId, f, page) => listAlarms(ref, orgId, f, page),
  listIncidents: (orgId, range, page) => listIncidents(ref, orgId, range, page),
  listMaintenance: (orgId, range, page) => listMaintenance(ref, orgId, range, page),
});
