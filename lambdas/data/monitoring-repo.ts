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
import { queryPage } from './paging';
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

type Key = Record<string, unknown>;

/**
 * ALARM-1: newest first. `active` and `closed` read one partition each; `all` merges the two by
 * the index sort key, one Query per unfinished partition, each one's position kept in the cursor.
 * Severity and excluded origins are filtered by DynamoDB after the read, so a page may hold
 * fewer than `limit` alarms while another page follows.
 *
 * Because of those filters a partition can stop (LastEvaluatedKey) before it returned `limit`
 * items, and what it has not read yet may sort before the other partition's items. So only
 * items up to the lowest stopping point of the partitions that stopped are taken: the rest wait
 * for the next page, and nothing is ever listed out of order, skipped or repeated.
 */
export const listAlarms = async (ref: TableRef, orgId: string, f: AlarmFilter, page: PageRequest): Promise<Page<Alarm>> => {
  if (f.type !== 'all') {
    const res = await queryPage(ref, alarmQuery(orgId, f.type, f), page);
    return { items: res.items.map(alarmOf), next: res.next };
  }
  const sortOf = (item: Key) => String(item[index.sortKey]);
  // Per partition: where it resumes ('start' before its first item), or null once it is finished.
  const positions = { active: 'start', closed: 'start', ...(page.after as object | undefined) } as Record<
    'active' | 'closed',
    Key | null | 'start'
  >;
  const live = (['active', 'closed'] as const).filter((status) => positions[status] !== null);
  const fetched = await Promise.all(
    live.map(async (status) => ({
      status,
      result: await queryPage(ref, alarmQuery(orgId, status, f), {
        limit: page.limit,
        after: positions[status] === 'start' ? undefined : positions[status],
      }),
    })),
  );
  const stops = fetched.flatMap(({ result }) => (result.next ? [sortOf(result.next as Key)] : []));
  const horizon = stops.length ? stops.sort()[0] : undefined;
  const candidates = fetched
    .flatMap(({ status, result }) => result.items.map((item) => ({ status, item })))
    .filter(({ item }) => horizon === undefined || sortOf(item) <= horizon)
    .sort((a, b) => (sortOf(a.item) < sortOf(b.item) ? -1 : sortOf(a.item) > sortOf(b.item) ? 1 : 0));
  const taken = candidates.slice(0, page.limit);
  const next = { ...positions };
  for (const { status, result } of fetched) {
    const mine = taken.filter((t) => t.status === status);
    if (mine.length === result.items.length) next[status] = (result.next as Key | null) ?? null;
    else if (mine.length > 0) next[status] = indexPosition(mine[mine.length - 1].item);
    // None of its items made this page: it keeps its old position.
  }
  const done = next.active === null && next.closed === null;
  return { items: taken.map((t) => alarmOf(t.item)), next: done ? null : next };
};

export const monitoringRepo = (ref: TableRef): MonitoringRepo => ({
  putAlarm: (a) => putAlarm(ref, a),
  putIncident: (i) => putIncident(ref, i),
  putMaintenance: (m) => putMaintenance(ref, m),
  getAlarm: (orgId, id) => getAlarm(ref, orgId, id),
  listAlarms: (orgId, f, page) => listAlarms(ref, orgId, f, page),
});
