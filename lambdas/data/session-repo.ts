/** Mobile sessions (ACC-10): last activity per sign-in, kept by a conditional write. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionRepo } from '../domain/access/ports';
import type { TableRef } from './client';
import { keys } from './keys';
import { TABLE } from './table';

/**
 * Records activity unless the session went idle past `idleSince`. An expired session item stays
 * (until `expiresAt`) so that a token of that sign-in, refreshed or not, keeps failing.
 */
export const touchSession = async (
  ref: TableRef,
  sessionId: string,
  now: Date,
  idleSince: Date,
  keepUntil: Date,
): Promise<boolean> => {
  try {
    await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: keys.session(sessionId),
        UpdateExpression: 'SET #last = :now, #exp = :exp, #entity = :entity',
        ConditionExpression: 'attribute_not_exists(#pk) OR #last >= :idleSince',
        ExpressionAttributeNames: {
          '#pk': TABLE.partitionKey,
          '#last': 'lastActivity',
          '#exp': TABLE.ttlAttribute,
          '#entity': 'entity',
        },
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ':idleSince': idleSince.toISOString(),
          ':exp': Math.floor(keepUntil.getTime() / 1000),
          ':entity': 'session',
        },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

export const sessionRepo = (ref: TableRef): SessionRepo => ({
  touch: (id, now, idleSince, keepUntil) => touchSession(ref, id, now, idleSince, keepUntil),
});
