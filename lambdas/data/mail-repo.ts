/**
 * Inbound and outbound mail bookkeeping: one exported function per access pattern.
 * The once-only guarantees are conditional writes: the transport id's item (MAIL-5 redelivery),
 * the content fingerprint (MAIL-5 resends), the MAIL-3 reply of the day.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AttachInbound, InboundRecord, MailRepo, MailJob } from '../domain/mail/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { Case } from '../domain/kernel/types';
import { mailIntentPuts } from './outbox-repo';
import type { TableRef } from './client';
import { appendPut, cancellation, eventItem, fromItem, ttlIn, updateItem, versionedPut } from './items';
import { caseIndexKeys, inboundLogIndexKeys, inboundLogPartition, keys, mailKeys, userIndexKeys } from './keys';
import { inIndexPartition } from './paging';
import { TABLE } from './table';

const MESSAGE_ID_TTL_SECONDS = 400 * 24 * 3600;
const CONTENT_TTL_SECONDS = 90 * 24 * 3600;
/** The admin list looks back this many months (one partition each). */
const LOG_MONTHS = 13;

const notExists = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': TABLE.partitionKey } };

const inboundItem = (r: InboundRecord) => ({
  ...mailKeys.inbound(r.transportId),
  ...inboundLogIndexKeys(r.receivedAt, r.transportId),
  entity: 'inbound-mail',
  ...r,
});

/** Same item as the case repository writes: the index keys follow the fields. */
const caseItem = (c: Case) => ({ ...keys.case(c.caseNumber), ...caseIndexKeys(c), entity: 'case', ...c });

export const getInbound = async (ref: TableRef, transportId: string): Promise<InboundRecord | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: mailKeys.inbound(transportId), ConsistentRead: true }),
  );
  if (!res.Item || res.Item.outcome === 'processing') return undefined;
  const { claimId: _c, claimedAt: _a, ...record } = fromItem<InboundRecord & { claimId?: string; claimedAt?: string }>(res.Item);
  return record;
};

/** The claim's condition: the item is still ours (not finished, not taken over). */
const ours = (claimId: string) => ({
  ConditionExpression: '#claimId = :claimId AND #outcome = :processing',
  ExpressionAttributeNames: { '#claimId': 'claimId', '#outcome': 'outcome' },
  ExpressionAttributeValues: { ':claimId': claimId, ':processing': 'processing' },
});

/** A staff release (MAIL-4): the message is still held, so two releases attach it once. */
const stillHeld = {
  ConditionExpression: '#outcome = :held',
  ExpressionAttributeNames: { '#outcome': 'outcome' },
  ExpressionAttributeValues: { ':held': 'held' },
};

export const claimInbound = async (
  ref: TableRef,
  transportId: string,
  claimId: string,
  at: string,
  staleBefore: string,
): Promise<boolean> => {
  try {
    await ref.doc.send(
      new PutCommand({
        TableName: ref.table,
        Item: {
          ...mailKeys.inbound(transportId),
          entity: 'inbound-claim',
          transportId,
          outcome: 'processing',
          claimId,
          claimedAt: at,
        },
        // A claim left by a crashed run (older than staleBefore) may be taken over.
        ConditionExpression: 'attribute_not_exists(#pk) OR (#outcome = :processing AND #claimedAt < :stale)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#outcome': 'outcome', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: { ':processing': 'processing', ':stale': staleBefore },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

export const releaseInbound = async (ref: TableRef, transportId: string, claimId: string): Promise<void> => {
  try {
    await ref.doc.send(new DeleteCommand({ TableName: ref.table, Key: mailKeys.inbound(transportId), ...ours(claimId) }));
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
};

export const putOutcome = async (ref: TableRef, record: InboundRecord, claimId: string): Promise<boolean> => {
  try {
    await ref.doc.send(new PutCommand({ TableName: ref.table, Item: inboundItem(record), ...ours(claimId) }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

const contentOwner = async (ref: TableRef, hash: string): Promise<string> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: mailKeys.content(hash), ConsistentRead: true }));
  return String(res.Item?.transportId ?? '');
};

/**
 * MAIL-2, MAIL-5: the outcome, the content fingerprint, the case (at the version read), its
 * update and audit events, all or nothing. A redelivery finds the outcome; a resend with
 * another transport id finds the fingerprint; neither can leave an update without an outcome.
 */
export const attach = async (ref: TableRef, a: AttachInbound) => {
  const now = new Date(a.record.receivedAt);
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: ref.table, Item: inboundItem(a.record), ...(a.releasing ? stillHeld : ours(a.claimId)) } },
          {
            Put: {
              TableName: ref.table,
              Item: {
                ...mailKeys.content(a.contentHash),
                entity: 'inbound-content',
                transportId: a.record.transportId,
                [TABLE.ttlAttribute]: ttlIn(now, CONTENT_TTL_SECONDS),
              },
              ...notExists,
            },
          },
          versionedPut(ref.table, caseItem(a.next), a.expectedVersion),
          ...a.updates.map((u) => appendPut(ref.table, updateItem(u))),
          ...a.events.map((e) => appendPut(ref.table, eventItem(e))),
        ],
      }),
    );
    return { result: 'attached' as const };
  } catch (err) {
    const c = cancellation(err);
    if (!c) throw err;
    if (c.failed(0)) return { result: 'duplicate' as const, of: a.record.transportId };
    if (c.failed(1)) return { result: 'content-duplicate' as const, of: await contentOwner(ref, a.contentHash) };
    if (c.failed(2) || c.conflicted) return { result: 'conflict' as const };
    throw err;
  }
};

export const recordOutbound = async (ref: TableRef, messageId: string, caseNumber: string, at: string): Promise<void> => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: {
        ...mailKeys.messageId(messageId),
        entity: 'outbound-message',
        caseNumber,
        at,
        [TABLE.ttlAttribute]: ttlIn(new Date(at), MESSAGE_ID_TTL_SECONDS),
      },
    }),
  );
};

export const caseByMessageId = async (ref: TableRef, messageId: string): Promise<string | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: mailKeys.messageId(messageId) }));
  return res.Item?.caseNumber as string | undefined;
};

export const caseByReference = async (ref: TableRef, referenceId: string): Promise<string | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.reference(referenceId) }));
  return res.Item?.caseNumber as string | undefined;
};

/** The directory's user by email (the EMAIL# entry of the name/email index). */
export const userIdByEmail = async (ref: TableRef, email: string): Promise<string | undefined> => {
  const index = TABLE.indexes.byPriority;
  const entry = userIndexKeys(email);
  const res = await ref.doc.send(
    new QueryCommand({
      TableName: ref.table,
      IndexName: index.name,
      KeyConditionExpression: '#ipk = :ipk AND #isk = :isk',
      ExpressionAttributeNames: { '#ipk': index.partitionKey, '#isk': index.sortKey },
      ExpressionAttributeValues: { ':ipk': entry[index.partitionKey], ':isk': entry[index.sortKey] },
      Limit: 1,
    }),
  );
  return res.Items?.[0]?.userId as string | undefined;
};

export const claimAutoReply = async (
  ref: TableRef,
  sender: string,
  day: string,
  kind: string,
  ttlSeconds: number,
  mail?: MailJob,
): Promise<boolean> => {
  const claim = {
    TableName: ref.table,
    Item: {
      ...mailKeys.autoReply(sender, day, kind),
      entity: 'auto-reply',
      [TABLE.ttlAttribute]: ttlIn(new Date(`${day}T00:00:00Z`), ttlSeconds),
    },
    ...notExists,
  };
  try {
    if (!mail) await ref.doc.send(new PutCommand(claim));
    // The claim and the answer's mail intent together: a claimed answer is always sent.
    else
      await ref.doc.send(
        new TransactWriteCommand({ TransactItems: [{ Put: claim }, ...mailIntentPuts(ref.table, [mail], mail.at)] }),
      );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    if (cancellation(err)?.failed(0)) return false;
    throw err;
  }
};

const monthsBack = (now: string, n: number): string => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString();
};

interface LogCursor {
  m: number;
  k?: Record<string, unknown>;
}

/** MAIL-4: every inbound message with its outcome, newest first, month partition by month partition. */
export const listInbound = async (ref: TableRef, now: string, page: PageRequest): Promise<Page<InboundRecord>> => {
  const index = TABLE.indexes.byModified;
  const cursor = (page.after as LogCursor | undefined) ?? { m: 0 };
  const items: InboundRecord[] = [];
  let m = cursor.m;
  let key = cursor.k;
  while (m < LOG_MONTHS && items.length < page.limit) {
    const res = await ref.doc.send(
      new QueryCommand({
        TableName: ref.table,
        ...inIndexPartition(index, inboundLogPartition(monthsBack(now, m))),
        Limit: page.limit - items.length,
        ExclusiveStartKey: key,
      }),
    );
    items.push(...(res.Items ?? []).map((i) => fromItem<InboundRecord>(i)));
    if (res.LastEvaluatedKey) key = res.LastEvaluatedKey;
    else {
      m++;
      key = undefined;
    }
  }
  return { items, next: m < LOG_MONTHS ? { m, ...(key ? { k: key } : {}) } : null };
};

export const mailRepo = (ref: TableRef): MailRepo => ({
  getInbound: (id) => getInbound(ref, id),
  claimInbound: (id, claimId, at, stale) => claimInbound(ref, id, claimId, at, stale),
  releaseInbound: (id, claimId) => releaseInbound(ref, id, claimId),
  putOutcome: (r, claimId) => putOutcome(ref, r, claimId),
  attach: (a) => attach(ref, a),
  recordOutbound: (id, caseNumber, at) => recordOutbound(ref, id, caseNumber, at),
  caseByMessageId: (id) => caseByMessageId(ref, id),
  caseByReference: (r) => caseByReference(ref, r),
  userIdByEmail: (email) => userIdByEmail(ref, email),
  claimAutoReply: (sender, day, kind, ttl, mail) => claimAutoReply(ref, sender, day, kind, ttl, mail),
  listInbound: (now, page) => listInbound(ref, now, page),
});
