/** Rate-limit windows (lambdas/domain/kernel/rate-limits.ts): one counter item per subject, limit and window. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimitStore, RateWindow } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { keys } from './keys';
import { TABLE } from './table';

/**
 * Adds one to the window's count unless it already holds `limit`: one conditional update, alone
 * (`takeRateToken`) or in the transaction of what it counts (an access request), so concurrent
 * requests (any container) can never together pass the limit.
 */
export const takeRateTokenUpdate = (table: string, w: RateWindow) => ({
  TableName: table,
  Key: keys.rateWindow(w.callerId, w.name, w.windowStart.toISOString()),
  UpdateExpression: 'ADD #count :one SET #exp = if_not_exists(#exp, :exp), #entity = :entity',
  ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
  ExpressionAttributeNames: { '#count': 'count', '#exp': TABLE.ttlAttribute, '#entity': 'entity' },
  ExpressionAttributeValues: {
    ':one': 1,
    ':limit': w.limit,
    ':exp': Math.floor(w.expiresAt.getTime() / 1000),
    ':entity': 'rate-window',
  },
});

/** One request counted in its window; false (nothing counted) when the window is full. */
export const takeRateToken = async (ref: TableRef, w: RateWindow): Promise<boolean> => {
  try {
    await ref.doc.send(new UpdateCommand(takeRateTokenUpdate(ref.table, w)));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

/** One request given back to its window, only while the window counts one or more. */
export const giveBackRateToken = async (ref: TableRef, w: RateWindow): Promise<void> => {
  try {
    await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: keys.rateWindow(w.callerId, w.name, w.windowStart.toISOString()),
        UpdateExpression: 'ADD #count :minusOne',
        ConditionExpression: '#count > :zero',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
};

export const rateLimitRepo = (ref: TableRef): RateLimitStore => ({
  take: (w) => takeRateToken(ref, w),
  giveBack: (w) => giveBackRateToken(ref, w),
});
