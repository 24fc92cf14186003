/**
 * Cases, their updates, Reference IDs and idempotency records: one exported function per access
 * pattern. No Scan anywhere: every list is a Query on an index designed for it (table.ts).
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseFilter, CaseRepo } from '../domain/cases/ports';
import type { IdempotencyRecord, IdempotencyWrite, Page, PageRequest } from '../domain/kernel/ports';
import type { AuditEvent, Case, CaseUpdate, Severity } from '../domain/kernel/types';
import type { MailJob } from '../domain/mail/ports';
import { mailIntentPuts } from './outbox-repo';
import type { TableRef } from './client';
import { caseIndexKeys, keys, orgCasesPartition, orgCreatedPartition, personCasesPartition, SEVERITY_RANK } from './keys';
import { appendPut, eventItem, fromItem, idempotencyPut, lostRace, throwIfKeyTaken, updateItem, versionedPut } from './items';
import { inIndexPartition, inPartition, mergedPage, queryPage, type PartitionQuery } from './paging';
import { TABLE } from './table';

const { byPriority, byModified, byPerson } = TABLE.indexes;

export const nextCaseNumber = async (ref: TableRef): Promise<number> => {
  const res = await ref.doc.send(
    new UpdateCommand({
      TableName: ref.table,
      Key: keys.counter('case'),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(res.Attributes?.value);
};

export const caseItem = (c: Case) => ({ ...keys.case(c.caseNumber), ...caseIndexKeys(c), entity: 'case', ...c });

/**
 * The case, its Reference ID entry and the idempotency record are written in one transaction: a
 * retry can never find the key without the case, nor create a second case.
 */
export const createCase = async (
  ref: TableRef,
  c: Case,
  idempotency?: IdempotencyWrite,
  events: AuditEvent[] = [],
): Promise<void> => {
  const notExists = 'attribute_not_exists(#pk)';
  const names = { '#pk': TABLE.partitionKey };
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: ref.table, Item: caseItem(c), ConditionExpression: notExists, ExpressionAttributeNames: names } },
          {
            Put: {
              TableName: ref.table,
              Item: { ...keys.reference(c.referenceId), entity: 'reference', caseNumber: c.caseNumber },
              ConditionExpression: notExists,
              ExpressionAttributeNames: names,
            },
          },
          ...(idempotency ? [idempotencyPut(ref.table, idempotency, c.createdAt)] : []),
          // After the idempotency record, so the index throwIfKeyTaken reads stays 2.
          ...events.map((e) => appendPut(ref.table, eventItem(e))),
        ],
      }),
    );
  } catch (err) {
    if (idempotency) throwIfKeyTaken(err, 2, true);
    throw err;
  }
};

export const getCase = async (ref: TableRef, caseNumber: string, consistent = false): Promise<Case | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: keys.case(caseNumber), ConsistentRead: consistent }),
  );
  return res.Item ? fromItem<Case>(res.Item) : undefined;
};

export const getCaseNumberByReference = async (ref: TableRef, referenceId: string): Promise<string | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.reference(referenceId) }));
  return res.Item?.caseNumber as string | undefined;
};

export const getIdempotency = async (ref: TableRef, scope: string, key: string): Promise<IdempotencyRecord | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: keys.idempotency(scope, key), ConsistentRead: true }),
  );
  if (!res.Item) return undefined;
  const { requestHash, status, ref: created } = res.Item;
  return { requestHash, status, ref: created } as IdempotencyRecord;
};

const listOf = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as T]);

/** With priority order, one severity is a key condition on the index; several are a filter. */
const severityInKey = (f: CaseFilter): Severity | undefined => {
  const severities = listOf(f.severity);
  return f.sort === 'priority' && severities.length === 1 ? severities[0] : undefined;
};

/** Filters that are not part of an index key are applied by DynamoDB after the Query reads. */
const filterExpression = (f: CaseFilter) => {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const add = (field: string, value: unknown) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    clauses.push(`#${field} = :${field}`);
  };
  /** LIST-3: any of several values (`severity=high,critical`). */
  const anyOf = (field: string, list: readonly unknown[]) => {
    if (list.length === 0) return;
    if (list.length === 1) return add(field, list[0]);
    names[`#${field}`] = field;
    list.forEach((v, i) => (values[`:${field}${i}`] = v));
    clauses.push(`#${field} IN (${list.map((_, i) => `:${field}${i}`).join(', ')})`);
  };
  anyOf('status', listOf(f.status));
  anyOf('kind', listOf(f.kind));
  if (f.contactId) add('contactId', f.contactId);
  if (f.ownerId) add('ownerId', f.ownerId);
  if (f.productLine) add('productLine', f.productLine);
  if (f.needsAction !== undefined) add('needsAction', f.needsAction);
  if (!severityInKey(f)) anyOf('severity', listOf(f.severity));
  if (f.createdFrom || f.createdTo) {
    names['#createdAt'] = 'createdAt';
    values[':createdFrom'] = f.createdFrom ?? '0000';
    values[':createdTo'] = f.createdTo ?? '9999';
    clauses.push('#createdAt BETWEEN :createdFrom AND :createdTo');
  }
  return clauses.length
    ? { FilterExpression: clauses.join(' AND '), names, values }
    : { FilterExpression: undefined, names, values };
};

const indexKey = (index: { partitionKey: string; sortKey: string }) => (item: Record<string, unknown>) => ({
  [TABLE.partitionKey]: item[TABLE.partitionKey],
  [TABLE.sortKey]: item[TABLE.sortKey],
  [index.partitionKey]: item[index.partitionKey],
  [index.sortKey]: item[index.sortKey],
});

/** LIST-1, LIST-3: open (or closed) cases of one or more organisations, by priority or last modified. */
export const listOrgCases = async (ref: TableRef, f: CaseFilter, page: PageRequest): Promise<Page<Case>> => {
  const index = f.sort === 'priority' ? byPriority : byModified;
  const filter = filterExpression(f);
  const bySeverity = severityInKey(f);
  const partitions: PartitionQuery[] = f.orgIds.map((orgId) => ({
    id: orgId,
    input: {
      IndexName: index.name,
      KeyConditionExpression: bySeverity ? '#ipk = :ipk AND begins_with(#isk, :sev)' : '#ipk = :ipk',
      FilterExpression: filter.FilterExpression,
      ExpressionAttributeNames: { '#ipk': index.partitionKey, ...(bySeverity ? { '#isk': index.sortKey } : {}), ...filter.names },
      ExpressionAttributeValues: {
        ':ipk': orgCasesPartition(orgId, f.closed),
        ...(bySeverity ? { ':sev': `${SEVERITY_RANK[bySeverity]}#` } : {}),
        ...filter.values,
      },
    },
  }));
  const res = await mergedPage(ref, partitions, indexKey(index), (i) => String(i[index.sortKey]), page);
  return { items: res.items.map((i) => fromItem<Case>(i)), next: res.next };
};

/**
 * LIST-2: the cases a contact opened, most recently modified first; closed or not closed as the
 * default list (LIST-1: `closed` is a filter here, the person index holds both).
 */
export const listContactCases = async (
  ref: TableRef,
  userId: string,
  f: Omit<CaseFilter, 'orgIds' | 'sort'>,
  page: PageRequest,
): Promise<Page<Case>> => {
  const filter = filterExpression({ ...f, orgIds: [], sort: 'lastModified' });
  filter.names['#state'] = 'status';
  filter.values[':closedState'] = 'closed';
  const closedClause = f.closed ? '#state = :closedState' : '#state <> :closedState';
  filter.FilterExpression = filter.FilterExpression ? `${filter.FilterExpression} AND ${closedClause}` : closedClause;
  const res = await queryPage(
    ref,
    inIndexPartition(byPerson, personCasesPartition('contact', userId), {
      expression: filter.FilterExpression,
      names: filter.names,
      values: filter.values,
    }),
    page,
  );
  return { items: res.items.map((i) => fromItem<Case>(i)), next: res.next };
};

/**
 * CASE-6: updates are append-only. The update and the case's touch (updatedAt, version and the
 * index keys derived from them) commit together. The condition on severity keeps the priority
 * index key consistent if a staff member changed severity in between; the one on status keeps
 * the caller's decision to only append (CASE-4, CASE-8: a customer's reply to a case that has
 * just entered a waiting state must move it back to open, so it is decided again).
 */
export const appendUpdate = async (
  ref: TableRef,
  u: CaseUpdate,
  current: Case,
  idempotency?: IdempotencyWrite,
  mail?: readonly MailJob[],
): Promise<Case | undefined> => {
  const next: Case = { ...current, updatedAt: u.createdAt, version: current.version + 1 };
  const idx = caseIndexKeys(next);
  const touched = [byPriority.sortKey, byModified.sortKey, byPerson.sortKey];
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          appendPut(ref.table, updateItem(u)),
          {
            Update: {
              TableName: ref.table,
              Key: keys.case(u.caseNumber),
              UpdateExpression: `SET #updatedAt = :updatedAt, #version = #version + :one, ${touched.map((_, i) => `#k${i} = :k${i}`).join(', ')}`,
              ConditionExpression:
                'attribute_exists(#pk) AND #severity = :severity AND #status = :status AND #updatedAt <= :updatedAt',
              ExpressionAttributeNames: {
                '#pk': TABLE.partitionKey,
                '#updatedAt': 'updatedAt',
                '#version': 'version',
                '#severity': 'severity',
                '#status': 'status',
                ...Object.fromEntries(touched.map((k, i) => [`#k${i}`, k])),
              },
              ExpressionAttributeValues: {
                ':updatedAt': u.createdAt,
                ':one': 1,
                ':severity': current.severity,
                ':status': current.status,
                ...Object.fromEntries(touched.map((k, i) => [`:k${i}`, idx[k]])),
              },
            },
          },
          ...(idempotency ? [idempotencyPut(ref.table, idempotency, u.createdAt)] : []),
          // The mail this update causes, in its own transaction (last: positions above stay).
          ...mailIntentPuts(ref.table, mail, u.createdAt),
        ],
      }),
    );
  } catch (err) {
    if (idempotency) throwIfKeyTaken(err, 2);
    // The case moved on underneath us (severity or status changed, a later update landed): the caller re-reads and retries.
    if (lostRace(err, 1)) return undefined;
    throw err;
  }
  return (await getCase(ref, u.caseNumber, true)) ?? next;
};

/** CASE-6: updates newest first (update ids are time-ordered ULIDs). */
export const listUpdates = async (
  ref: TableRef,
  caseNumber: string,
  opts: { publicOnly: boolean },
  page: PageRequest,
): Promise<Page<CaseUpdate>> => {
  const res = await queryPage(
    ref,
    {
      // Customers never see internal updates (CASE-6): they are filtered before they leave DynamoDB.
      ...inPartition(
        keys.casePartition(caseNumber),
        keys.updatePrefix,
        opts.publicOnly
          ? { expression: '#visibility = :public', names: { '#visibility': 'visibility' }, values: { ':public': 'public' } }
          : undefined,
      ),
      ScanIndexForward: false,
    },
    page,
  );
  return { items: res.items.map((i) => fromItem<CaseUpdate>(i)), next: res.next };
};

export const getUpdate = async (ref: TableRef, caseNumber: string, updateId: string): Promise<CaseUpdate | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.update(caseNumber, updateId) }));
  return res.Item ? fromItem<CaseUpdate>(res.Item) : undefined;
};

/** DynamoDB's limit on items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * Optimistic concurrency: the case is replaced only at the version the caller read, together
 * with its updates and audit events. Every index key is recomputed from the new fields.
 */
export const saveCase = async (
  ref: TableRef,
  next: Case,
  expectedVersion: number,
  extra: { updates?: CaseUpdate[]; events?: AuditEvent[]; idempotency?: IdempotencyWrite; mail?: readonly MailJob[] },
): Promise<boolean> => {
  const puts = [...(extra.updates ?? []).map(updateItem), ...(extra.events ?? []).map(eventItem)];
  if (puts.length + 2 + (extra.mail?.length ?? 0) > MAX_TRANSACTION_ITEMS) throw new Error('Too many items for one case change');
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          versionedPut(ref.table, caseItem(next), expectedVersion),
          ...(extra.idempotency ? [idempotencyPut(ref.table, extra.idempotency, next.updatedAt)] : []),
          ...puts.map((item) => appendPut(ref.table, item)),
          // The mail this change causes, written with it.
          ...mailIntentPuts(ref.table, extra.mail, next.updatedAt),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (extra.idempotency) throwIfKeyTaken(err, 1);
    if (lostRace(err, 0)) return false;
    throw err;
  }
};

/** CASE-9: audit events, oldest first (event ids are time-ordered). */
export const listEvents = async (ref: TableRef, caseNumber: string, page: PageRequest): Promise<Page<AuditEvent>> => {
  const res = await queryPage(ref, inPartition(keys.casePartition(caseNumber), keys.eventPrefix), page);
  return { items: res.items.map((i) => fromItem<AuditEvent>(i)), next: res.next };
};

/** LIST-4: cases of an organisation created within a range, newest first. */
export const listOrgCasesCreated = async (
  ref: TableRef,
  orgId: string,
  from: string,
  to: string,
  limit: number,
): Promise<Case[]> => {
  const index = TABLE.indexes.byCreated;
  const res = await queryPage(
    ref,
    {
      IndexName: index.name,
      KeyConditionExpression: '#ipk = :ipk AND #isk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#ipk': index.partitionKey, '#isk': index.sortKey },
      // The sort key is `<createdAt>#<caseNumber>`: '~' sorts after every case number.
      ExpressionAttributeValues: { ':ipk': orgCreatedPartition(orgId), ':from': from, ':to': `${to}~` },
      ScanIndexForward: false,
    },
    { limit },
  );
  return res.items.map((i) => fromItem<Case>(i));
};

export const caseRepo = (ref: TableRef): CaseRepo => ({
  nextCaseNumber: () => nextCaseNumber(ref),
  createCase: (c, idem, events) => createCase(ref, c, idem, events),
  getCase: (n) => getCase(ref, n),
  getIdempotency: (scope, key) => getIdempotency(ref, scope, key),
  listOrgCases: (f, page) => listOrgCases(ref, f, page),
  listContactCases: (userId, f, page) => listContactCases(ref, userId, f, page),
  appendUpdate: (u, current, idem, mail) => appendUpdate(ref, u, current, idem, mail),
  listUpdates: (n, opts, page) => listUpdates(ref, n, opts, page),
  getUpdate: (n, id) => getUpdate(ref, n, id),
  saveCase: (next, expected, extra) => saveCase(ref, next, expected, extra),
  listEvents: (n, page) => listEvents(ref, n, page),
  listOrgCasesCreated: (orgId, from, to, limit) => listOrgCasesCreated(ref, orgId, from, to, limit),
});
