/**
 * A case's files (MAIL-2, CASE-6): one item per file in the case's partition (ATTACH#), and per
 * uploader the attachment set they are filling (ATTSET#: its opening time and file count).
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AttachmentRepo } from '../domain/cases/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { CaseAttachment } from '../domain/kernel/types';
import type { TableRef } from './client';
import { appendPut, attachmentItem, cancellation, fromItem, ttlIn } from './items';
import { keys } from './keys';
import { inPartition, queryPage } from './paging';
import { TABLE } from './table';

/** An upload never made leaves no record behind: a pending one expires a day later (settling keeps it). */
const PENDING_TTL_SECONDS = 24 * 3600;

/**
 * The pending file and its count in the uploader's set, together. The set item is counted up
 * while its set is open and not full, or started again once the set has closed; whichever way,
 * the condition holds at the write, so concurrent uploads never make a fourth file.
 */
export const createUpload = async (
  ref: TableRef,
  a: CaseAttachment,
  set: { max: number; since: string; now: string },
): Promise<'created' | 'set-full'> => {
  const setKey = keys.attachmentSet(a.caseNumber, a.uploaderId);
  const countUp = {
    UpdateExpression: 'ADD #count :one',
    ConditionExpression: '#openedAt >= :since AND #count < :max',
    ExpressionAttributeValues: { ':one': 1, ':since': set.since, ':max': set.max },
  };
  const startAgain = {
    UpdateExpression: 'SET #openedAt = :now, #count = :one, entity = :entity',
    ConditionExpression: 'attribute_not_exists(#openedAt) OR #openedAt < :since',
    ExpressionAttributeValues: { ':one': 1, ':since': set.since, ':now': set.now, ':entity': 'attachment-set' },
  };
  // An open set is the common case; a closed or missing one is started again; a full one refuses.
  for (const change of [countUp, startAgain, countUp]) {
    try {
      await ref.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            appendPut(ref.table, { ...attachmentItem(a), [TABLE.ttlAttribute]: ttlIn(new Date(set.now), PENDING_TTL_SECONDS) }),
            {
              Update: {
                TableName: ref.table,
                Key: setKey,
                ...change,
                ExpressionAttributeNames: { '#openedAt': 'openedAt', '#count': 'count' },
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (err) {
      const c = cancellation(err);
      if (!c || c.failed(0)) throw err;
      if (!c.failed(1) && !c.conflicted) throw err;
    }
  }
  return 'set-full';
};

export const getAttachment = async (ref: TableRef, caseNumber: string, attachmentId: string) => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.attachment(caseNumber, attachmentId) }));
  return res.Item ? fromItem<CaseAttachment>(res.Item) : undefined;
};

export const listAttachments = async (
  ref: TableRef,
  caseNumber: string,
  opts: { publicOnly: boolean },
  page: PageRequest,
): Promise<Page<CaseAttachment>> => {
  const res = await queryPage(
    ref,
    // Internal files are staff's (CASE-6): filtered before they leave DynamoDB, as updates are.
    inPartition(
      keys.casePartition(caseNumber),
      keys.attachmentPrefix,
      opts.publicOnly
        ? { expression: '#visibility = :public', names: { '#visibility': 'visibility' }, values: { ':public': 'public' } }
        : undefined,
    ),
    page,
  );
  return { items: res.items.map((i) => fromItem<CaseAttachment>(i)), next: res.next };
};

/** pending → available or quarantined, once. */
export const settle = async (
  ref: TableRef,
  caseNumber: string,
  attachmentId: string,
  to: { status: 'available' | 'quarantined'; reason?: string; key: string; checkedAt: string },
): Promise<boolean> => {
  try {
    await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: keys.attachment(caseNumber, attachmentId),
        UpdateExpression: `SET #status = :to, #key = :key, checkedAt = :at${to.reason ? ', #reason = :reason' : ''} REMOVE #ttl`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#key': 'key',
          '#ttl': TABLE.ttlAttribute,
          ...(to.reason ? { '#reason': 'reason' } : {}),
        },
        ExpressionAttributeValues: {
          ':to': to.status,
          ':key': to.key,
          ':at': to.checkedAt,
          ':pending': 'pending',
          ...(to.reason ? { ':reason': to.reason } : {}),
        },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

export const attachmentRepo = (ref: TableRef): AttachmentRepo => ({
  createUpload: (a, set) => createUpload(ref, a, set),
  getAttachment: (n, id) => getAttachment(ref, n, id),
  listAttachments: (n, opts, page) => listAttachments(ref, n, opts, page),
  settle: (n, id, to) => settle(ref, n, id, to),
});
