import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TABLE } from './table';
import { IdempotencyKeyTaken } from '../domain/kernel/idempotency';
import type { IdempotencyWrite } from '../domain/kernel/ports';
import type { AuditEvent, CaseAttachment, CaseUpdate } from '../domain/kernel/types';
import { ALL_INDEX_ATTRIBUTES, keys } from './keys';

const STORAGE_ATTRIBUTES = new Set([TABLE.partitionKey, TABLE.sortKey, TABLE.ttlAttribute, 'entity', ...ALL_INDEX_ATTRIBUTES]);

/** Strips keys and bookkeeping so only the domain object leaves the data module. */
export const fromItem = <T>(item: Record<string, unknown>): T => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STORAGE_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
};

export const ttlIn = (now: Date, seconds: number): number => Math.floor(now.getTime() / 1000) + seconds;

/** Why a transaction was cancelled, item by item (the positions of its TransactItems). */
export interface Cancellation {
  /** The reason code of the item at `index` (`ConditionalCheckFailed`, `TransactionConflict`, `None`). */
  code(index: number): string | undefined;
  /** The condition of the item at `index` failed. */
  failed(index: number): boolean;
  /** Some item overlapped another transaction (AWS only, never DynamoDB Local; the SDK does not retry it). */
  readonly conflicted: boolean;
  /** The condition of some item failed. */
  readonly anyFailed: boolean;
}

/** The one decoder of TransactionCanceledException; undefined for any other error. */
export const cancellation = (err: unknown): Cancellation | undefined => {
  if (!(err instanceof TransactionCanceledException)) return undefined;
  const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
  return {
    code: (index) => codes[index],
    failed: (index) => codes[index] === 'ConditionalCheckFailed',
    conflicted: codes.includes('TransactionConflict'),
    anyFailed: codes.includes('ConditionalCheckFailed'),
  };
};

/**
 * A conditional transaction lost to another writer: its condition at `index` failed, or (on AWS,
 * never on DynamoDB Local) it overlapped another transaction on the same item. The SDK does not
 * retry TransactionConflict, so callers re-read and decide again.
 */
export const lostRace = (err: unknown, index: number): boolean => {
  const c = cancellation(err);
  return Boolean(c && (c.failed(index) || c.conflicted));
};

/** A transaction Put of a new item (an update, an audit event, a request, a mail intent): it must not exist yet. */
export const appendPut = (table: string, Item: Record<string, unknown>) => ({
  Put: {
    TableName: table,
    Item,
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
  },
});

/** A transaction Put that replaces an item only while `attribute` still holds what it was read with. */
export const guardedPut = (table: string, Item: Record<string, unknown>, attribute: string, expected: unknown) => ({
  Put: {
    TableName: table,
    Item,
    ConditionExpression: '#guarded = :expected',
    ExpressionAttributeNames: { '#guarded': attribute },
    ExpressionAttributeValues: { ':expected': expected },
  },
});

/** A transaction Put of a record written only at the version it was read at (optimistic writes). */
export const versionedPut = (table: string, Item: Record<string, unknown>, expectedVersion: number) =>
  guardedPut(table, Item, 'version', expectedVersion);

export const updateItem = (u: CaseUpdate) => ({ ...keys.update(u.caseNumber, u.updateId), entity: 'update', ...u });
export const attachmentItem = (a: CaseAttachment) => ({
  ...keys.attachment(a.caseNumber, a.attachmentId),
  entity: 'attachment',
  ...a,
});
export const eventItem = (e: AuditEvent) => ({ ...keys.event(e.caseNumber, e.eventId), entity: 'event', ...e });

/** The idempotency record as a transaction Put: the key must not be taken yet. */
export const idempotencyPut = (table: string, w: IdempotencyWrite, at: string) =>
  appendPut(table, {
    ...keys.idempotency(w.scope, w.key),
    entity: 'idempotency',
    ...w.record,
    [TABLE.ttlAttribute]: ttlIn(new Date(at), w.ttlSeconds),
  });

/**
 * Rethrows a cancelled transaction as IdempotencyKeyTaken when the idempotency Put at `index`
 * failed its condition or (in AWS) overlapped a concurrent transaction on the same key; with
 * `anyConflict`, a TransactionConflict on any item counts (the other items are new, so only a
 * request with the same key can be in their way).
 */
export const throwIfKeyTaken = (err: unknown, index: number, anyConflict = false): void => {
  const c = cancellation(err);
  if (!c) return;
  if (c.failed(index) || c.code(index) === 'TransactionConflict' || (anyConflict && c.conflicted)) {
    throw new IdempotencyKeyTaken();
  }
};
