import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TABLE } from './table';
import { ALL_INDEX_ATTRIBUTES } from './keys';

const STORAGE_ATTRIBUTES = new Set([TABLE.partitionKey, TABLE.sortKey, TABLE.ttlAttribute, 'entity', ...ALL_INDEX_ATTRIBUTES]);

/** Strips keys and bookkeeping so only the domain object leaves the data module. */
export const fromItem = <T>(item: Record<string, unknown>): T => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STORAGE_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
};

export const ttlIn = (now: Date, seconds: number): number => Math.floor(now.getTime() / 1000) + seconds;

/**
 * A conditional transaction lost to another writer: its condition at `index` failed, or (on AWS,
 * never on DynamoDB Local) it overlapped another transaction on the same item. The SDK does not
 * retry TransactionConflict, so callers re-read and decide again.
 */
export const lostRace = (err: unknown, index: number): boolean =>
  err instanceof TransactionCanceledException &&
  (err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed' ||
    (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'));
