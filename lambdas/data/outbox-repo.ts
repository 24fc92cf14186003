/**
 * The notifier's once-only ledger (issue 10): one item per side effect, `OUTBOX#<key>`. The
 * claim is a conditional put; a claim whose lease has run out belongs to a run that died and
 * may be taken over. Items expire after the stream's retention and then some: a record older
 * than that can no longer be replayed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxClaim, OutboxRepo } from '../domain/ports';
import type { TableRef } from './client';
import { ttlIn } from './items';
import { outboxKey } from './keys';
import { TABLE } from './table';

/** DynamoDB streams keep records 24 hours; the ledger outlives any replay of them. */
const LEDGER_TTL_SECONDS = 7 * 24 * 3600;

const conditionFailed = (err: unknown) => err instanceof ConditionalCheckFailedException;

export const claimOutbox = async (
  ref: TableRef,
  key: string,
  claimId: string,
  now: string,
  leaseUntil: string,
): Promise<OutboxClaim> => {
  try {
    await ref.doc.send(
      new PutCommand({
        TableName: ref.table,
        Item: {
          ...outboxKey(key),
          entity: 'outbox',
          state: 'claimed',
          claimId,
          claimedAt: now,
          leaseUntil,
          [TABLE.ttlAttribute]: ttlIn(new Date(now), LEDGER_TTL_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR (#state = :claimed AND #lease < :now)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#state': 'state', '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
      }),
    );
    return 'claimed';
  } catch (err) {
    if (!conditionFailed(err)) throw err;
    const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: outboxKey(key), ConsistentRead: true }));
    // Released between our put and this read: the caller's retry claims it.
    return res.Item?.state === 'done' ? 'done' : 'busy';
  }
};

const ours = {
  ConditionExpression: '#state = :claimed AND #claimId = :claimId',
  ExpressionAttributeNames: { '#state': 'state', '#claimId': 'claimId' },
};

export const finishOutbox = async (ref: TableRef, key: string, claimId: string, at: string, outcome: string) => {
  const cond = ours;
  try {
    await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: outboxKey(key),
        UpdateExpression: 'SET #state = :done, #doneAt = :at, #outcome = :outcome REMOVE #lease',
        ConditionExpression: cond.ConditionExpression,
        ExpressionAttributeNames: {
          ...cond.ExpressionAttributeNames,
          '#doneAt': 'doneAt',
          '#outcome': 'outcome',
          '#lease': 'leaseUntil',
        },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':claimId': claimId,
          ':done': 'done',
          ':at': at,
          ':outcome': outcome,
        },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
};

export const releaseOutbox = async (ref: TableRef, key: string, claimId: string) => {
  try {
    await ref.doc.send(
      new DeleteCommand({
        TableName: ref.table,
        Key: outboxKey(key),
        ...ours,
        ExpressionAttributeValues: { ':claimed': 'claimed', ':claimId': claimId },
      }),
    );
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
};

export const outboxRepo = (ref: TableRef): OutboxRepo => ({
  claim: (key, claimId, now, leaseUntil) => claimOutbox(ref, key, claimId, now, leaseUntil),
  finish: (key, claimId, at, outcome) => finishOutbox(ref, key, claimId, at, outcome),
  release: (key, claimId) => releaseOutbox(ref, key, claimId),
});
