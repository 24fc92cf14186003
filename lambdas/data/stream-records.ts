/**
 * The table's stream as the notifier reads it. One declaration of which records are
 * relevant: CDK turns STREAM_FILTERS into the event source's FilterCriteria, and local mode's
 * poller applies the same patterns with `matchesStreamFilters`, so both drop the same records.
 *
 * Only INSERT and MODIFY of case items, INSERT of updates and of organisation events, and INSERT
 * and MODIFY of alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2) reach the
 * notifier. No REMOVE passes at all, so TTL deletions (REMOVE by userIdentity Service) are
 * dropped at the source; the handler drops them again should a filter ever let one through.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { TableChange } from '../domain/notifications/notifications';
import type { Alarm, CloudIncident, MaintenanceAlert } from '../domain/monitoring/ports';
import type { Case, CaseUpdate, OrgEvent } from '../domain/kernel/types';
import type { MailJob } from '../domain/mail/ports';
import { fromItem } from './items';
import { KEY_PREFIX, keys, MONITORING_SORT_KEYS } from './keys';
import { TABLE } from './table';

type Pattern = Record<string, unknown>;

const key = (pk: unknown, sk: unknown): Pattern => ({
  [TABLE.partitionKey]: { S: pk },
  [TABLE.sortKey]: { S: sk },
});

/** Lambda event filter patterns (at most 5 per event source); a record matching any one passes. */
export const STREAM_FILTERS: readonly Pattern[] = [
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: key([{ prefix: KEY_PREFIX.case }], ['CASE']) } },
  { eventName: ['INSERT'], dynamodb: { Keys: key([{ prefix: KEY_PREFIX.case }], [{ prefix: keys.updatePrefix }]) } },
  { eventName: ['INSERT'], dynamodb: { Keys: key([{ prefix: KEY_PREFIX.org }], [{ prefix: keys.orgEventPrefix }]) } },
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { Keys: key([{ prefix: KEY_PREFIX.monitoring }], Object.values(MONITORING_SORT_KEYS)) },
  },
  // Mail intents written with the change that causes them (the fifth and last filter a source takes).
  { eventName: ['INSERT'], dynamodb: { Keys: key([{ prefix: KEY_PREFIX.mailJob }], ['MAILJOB']) } },
];

/** The mail job of an intent item's INSERT; undefined for any other record. Throws on one it cannot read. */
export const mailJobOf = (r: DynamoDBRecord): MailJob | undefined => {
  if (r.eventName !== 'INSERT' || !(r.dynamodb?.Keys?.[TABLE.partitionKey]?.S ?? '').startsWith(KEY_PREFIX.mailJob)) {
    return undefined;
  }
  const item = r.dynamodb?.NewImage ? (unmarshall(r.dynamodb.NewImage as never) as { job?: unknown }) : {};
  const job = typeof item.job === 'string' ? (JSON.parse(item.job) as MailJob) : undefined;
  if (!job?.key || !job.kind) throw new Error(`stream record ${r.eventID}: not a mail job`);
  return job;
};

/** The subset of Lambda's filter syntax STREAM_FILTERS uses: exact values and `prefix`. */
const matches = (pattern: unknown, value: unknown): boolean => {
  if (Array.isArray(pattern)) {
    return pattern.some((p) =>
      typeof p === 'object' && p !== null && 'prefix' in p
        ? typeof value === 'string' && value.startsWith(String((p as { prefix: unknown }).prefix))
        : p === value,
    );
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof value !== 'object' || value === null) return false;
    return Object.entries(pattern).every(([k, p]) => matches(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
};

export const matchesStreamFilters = (record: DynamoDBRecord): boolean => STREAM_FILTERS.some((p) => matches(p, record));

/** A TTL deletion: DynamoDB itself removed the item. */
export const isTtlDeletion = (r: DynamoDBRecord): boolean =>
  r.eventName === 'REMOVE' && (r as { userIdentity?: { type?: string } }).userIdentity?.type === 'Service';

const image = <T>(img: Record<string, LambdaAttributeValue> | undefined): T | undefined =>
  img ? fromItem<T>(unmarshall(img as never)) : undefined;

/** ALARM-1, ALARM-2: an alarm, cloud incident or maintenance alert, with its previous version if any. */
const monitoringChange = (r: DynamoDBRecord, sk: string, next: Record<string, LambdaAttributeValue>): TableChange => {
  const old = r.eventName === 'MODIFY' ? r.dynamodb?.OldImage : undefined;
  const bad = (what: string) => new Error(`stream record ${r.eventID}: not ${what}`);
  switch (sk) {
    case MONITORING_SORT_KEYS.alarm: {
      const a = image<Alarm>(next)!;
      if (!a.id || !a.orgId || !a.modifiedAt || !a.status) throw bad('an alarm');
      return { kind: 'alarm', new: a, ...(old ? { old: image<Alarm>(old) } : {}) };
    }
    case MONITORING_SORT_KEYS.incident: {
      const i = image<CloudIncident>(next)!;
      if (!i.id || !i.orgId || !i.modifiedAt || !i.status) throw bad('a cloud incident');
      return { kind: 'incident', new: i, ...(old ? { old: image<CloudIncident>(old) } : {}) };
    }
    case MONITORING_SORT_KEYS.maintenance: {
      const m = image<MaintenanceAlert>(next)!;
      if (!m.id || !Array.isArray(m.orgIds) || !m.modifiedAt || !m.window) throw bad('a maintenance alert');
      return { kind: 'maintenance', new: m, ...(old ? { old: image<MaintenanceAlert>(old) } : {}) };
    }
    default:
      throw bad('a monitoring record');
  }
};

/**
 * What a record says changed. Throws on a record that claims to be one of ours and cannot be
 * read (a poison record: the event source retries it, then sends it to the failure destination).
 */
export const tableChange = (r: DynamoDBRecord): TableChange => {
  if (r.eventName === 'REMOVE' || !matchesStreamFilters(r)) return { kind: 'other' };
  const sk = r.dynamodb?.Keys?.[TABLE.sortKey]?.S ?? '';
  const pk = r.dynamodb?.Keys?.[TABLE.partitionKey]?.S ?? '';
  const next = r.dynamodb?.NewImage;
  if (!next) throw new Error(`stream record ${r.eventID} has no new image (is the stream NEW_AND_OLD_IMAGES?)`);
  if (pk.startsWith(KEY_PREFIX.mailJob)) return { kind: 'other' };
  if (pk.startsWith(KEY_PREFIX.monitoring)) return monitoringChange(r, sk, next);
  if (pk.startsWith(KEY_PREFIX.org)) {
    const e = image<OrgEvent>(next)!;
    if (!e.orgId || !e.eventId || !e.type) throw new Error(`stream record ${r.eventID}: not an organisation event`);
    return { kind: 'orgEvent', change: 'insert', new: e };
  }
  if (sk === 'CASE') {
    const c = image<Case>(next)!;
    if (!c.caseNumber || !c.orgId || typeof c.version !== 'number') throw new Error(`stream record ${r.eventID}: not a case`);
    return r.eventName === 'INSERT'
      ? { kind: 'case', change: 'insert', new: c }
      : { kind: 'case', change: 'modify', old: image<Case>(r.dynamodb?.OldImage), new: c };
  }
  const u = image<CaseUpdate>(next)!;
  if (!u.caseNumber || !u.updateId) throw new Error(`stream record ${r.eventID}: not an update`);
  return { kind: 'update', change: 'insert', new: u };
};
