/**
 * Alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2): one exported function per
 * access pattern. Each record is one item keyed by the source's id; a write is one conditional
 * put that only replaces an older version, so resends never duplicate and a stale one changes
 * nothing. Alarm lists are Queries on the by-modified index (keys.ts alarmIndexKeys), never a Scan.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Alarm, AlarmFilter, CloudIncident, MaintenanceAlert, MonitoringRepo, StoreResult } from '../domain/monitoring';
import type { Page, PageRequest } from '../domain/ports';
import type { TableRef } from './client';
import { fromItem } from './items';
import { alarmIndexKeys, alarmsPartition, alarmTimeRange, monitoringKeys } from './keys';
import { mergedPage } from './paging';
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
const putIfNewer = async (ref: TableRef, item: Record<string, unknown> & { modifiedAt: string }): Promise<StoreResult> => {
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
    return res.Attributes ? 'updated' : 'created';
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return 'not-newer';
    throw err;
  }
};

export const putAlarm = (ref: TableRef, a: Alarm): Promise<StoreResult> => putIfNewer(ref, alarmItem(a));

export const putIncident = (ref: TableRef, i: CloudIncident): Promise<StoreResult> =>
  putIfNewer(ref, { ...monitoringKeys.incident(i.orgId, i.id), entity: 'cloud-incident', ...i });

export const putMaintenance = (ref: TableRef, m: MaintenanceAlert): Promise<StoreResult> =>
  putIfNewer(ref, { ...monitoringKeys.maintenance(m.id), entity: 'maintenance', ...m });

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
});
