/**
 * The notifier's once-only ledger: one item per side effect, `OUTBOX#<key>`. The
 * claim is a conditional put; a claim whose lease has run out belongs to a run that died and
 * may be taken over. Items expire after the stream's retention and then some: a record older
 * than that can no longer be replayed.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MailJob, MailLogEntry, MailLogRepo, OutboxClaim, OutboxRepo } from '../domain/mail/ports';
import type { TableRef } from './client';
import { appendPut, fromItem, ttlIn } from './items';
import { mailJobKey, mailLogKey, outboxKey } from './keys';
import { TABLE } from './table';

/** DynamoDB streams keep records 24 hours; the ledger outlives any replay of them. */
const LEDGER_TTL_SECONDS = 7 * 24 * 3600;

const conditionFailed = (err: unknown) => err instanceof ConditionalCheckFailedException;

/** A claim of this run, leased until `leaseUntil`. */
const claimItem = (key: string, claimId: string, now: string, leaseUntil: string) => ({
  ...outboxKey(key),
  entity: 'outbox',
  state: 'claimed',
  claimId,
  claimedAt: now,
  leaseUntil,
  [TABLE.ttlAttribute]: ttlIn(new Date(now), LEDGER_TTL_SECONDS),
});

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
        Item: claimItem(key, claimId, now, leaseUntil),
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

/** The update that marks this run's claim done, alone or in a transaction. */
const finished = (ref: TableRef, key: string, claimId: string, at: string, outcome: string) => ({
  TableName: ref.table,
  Key: outboxKey(key),
  UpdateExpression: 'SET #state = :done, #doneAt = :at, #outcome = :outcome REMOVE #lease',
  ConditionExpression: ours.ConditionExpression,
  ExpressionAttributeNames: {
    ...ours.ExpressionAttributeNames,
    '#doneAt': 'doneAt',
    '#outcome': 'outcome',
    '#lease': 'leaseUntil',
  },
  ExpressionAttributeValues: { ':claimed': 'claimed', ':claimId': claimId, ':done': 'done', ':at': at, ':outcome': outcome },
});

export const finishOutbox = async (ref: TableRef, key: string, claimId: string, at: string, outcome: string) => {
  try {
    await ref.doc.send(new UpdateCommand(finished(ref, key, claimId, at, outcome)));
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

/** A transaction holds at most 100 items. */
const TRANSACT_LIMIT = 100;

const CLAIM_CONDITION = {
  ConditionExpression: 'attribute_not_exists(#pk) OR (#state = :claimed AND #lease < :now)',
  ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#state': 'state', '#lease': 'leaseUntil' },
};

/** The states of keys whose claim failed its condition: done, or someone else's (busy). */
const statesOf = async (ref: TableRef, keys: string[]): Promise<Map<string, OutboxClaim>> => {
  const out = new Map<string, OutboxClaim>(keys.map((k) => [k, 'busy']));
  let request: Record<string, unknown>[] | undefined = keys.map(outboxKey);
  for (let attempt = 0; request?.length && attempt < 5; attempt++) {
    const res = await ref.doc.send(
      new BatchGetCommand({ RequestItems: { [ref.table]: { Keys: request, ConsistentRead: true } } }),
    );
    for (const item of res.Responses?.[ref.table] ?? []) {
      const key = String(item.PK).slice(outboxKey('').PK.length);
      if (item.state === 'done') out.set(key, 'done');
    }
    request = res.UnprocessedKeys?.[ref.table]?.Keys as Record<string, unknown>[] | undefined;
  }
  return out;
};

/**
 * Claims many keys at once (a chunk of an event's recipients): one transaction of conditional
 * puts per hundred keys, each with the condition of `claimOutbox`. A transaction is all or
 * nothing, so one that is cancelled says which puts failed their condition: those are read (done
 * or busy) and the others claimed again without them. Two runs racing for the same keys cancel
 * each other's transactions (TransactionConflict): such a run tries a few times, then throws.
 */
export const claimOutboxes = async (
  ref: TableRef,
  keys: string[],
  claimId: string,
  now: string,
  leaseUntil: string,
): Promise<Map<string, OutboxClaim>> => {
  const out = new Map<string, OutboxClaim>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += TRANSACT_LIMIT) {
    let pending = unique.slice(i, i + TRANSACT_LIMIT);
    for (let attempt = 0; pending.length; attempt++) {
      try {
        await ref.doc.send(
          new TransactWriteCommand({
            TransactItems: pending.map((key) => ({
              Put: {
                TableName: ref.table,
                Item: claimItem(key, claimId, now, leaseUntil),
                ...CLAIM_CONDITION,
                ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
              },
            })),
          }),
        );
        for (const key of pending) out.set(key, 'claimed');
        pending = [];
      } catch (err) {
        if (!(err instanceof TransactionCanceledException) || attempt >= 4) throw err;
        const reasons = err.CancellationReasons ?? [];
        const taken = pending.filter((_, j) => reasons[j]?.Code === 'ConditionalCheckFailed');
        if (taken.length) for (const [key, state] of await statesOf(ref, taken)) out.set(key, state);
        else await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
        pending = pending.filter((key) => !taken.includes(key));
      }
    }
  }
  return out;
};

/**
 * Marks many claims of this run done: a transaction of conditional updates per hundred keys; one
 * that is cancelled (a claim lost meanwhile) falls back to key by key, so the others still finish.
 */
export const finishOutboxes = async (ref: TableRef, keys: string[], claimId: string, at: string, outcome: string) => {
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += TRANSACT_LIMIT) {
    const batch = unique.slice(i, i + TRANSACT_LIMIT);
    try {
      await ref.doc.send(
        new TransactWriteCommand({
          TransactItems: batch.map((key) => ({
            Update: finished(ref, key, claimId, at, outcome),
          })),
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      for (const key of batch) await finishOutbox(ref, key, claimId, at, outcome);
    }
  }
};

export const outboxRepo = (ref: TableRef): OutboxRepo => ({
  claim: (key, claimId, now, leaseUntil) => claimOutbox(ref, key, claimId, now, leaseUntil),
  finish: (key, claimId, at, outcome) => finishOutbox(ref, key, claimId, at, outcome),
  release: (key, claimId) => releaseOutbox(ref, key, claimId),
  claimAll: (keys, claimId, now, leaseUntil) => claimOutboxes(ref, keys, claimId, now, leaseUntil),
  finishAll: (keys, claimId, at, outcome) => finishOutboxes(ref, keys, claimId, at, outcome),
});

/** Per case, one entry per mail job, overwritten as the job progresses (its key makes it idempotent). */
const MAIL_LOG_TTL_SECONDS = 90 * 24 * 3600;

/** Writes a case's mail log entry unless `condition` fails (a condition failure is not an error: the entry stands). */
const putMailLog = async (
  ref: TableRef,
  entry: MailLogEntry,
  condition: {
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues?: Record<string, string>;
  },
): Promise<void> => {
  await ref.doc
    .send(
      new PutCommand({
        TableName: ref.table,
        Item: {
          ...mailLogKey(entry.caseNumber, entry.key),
          entity: 'mail-log',
          ...entry,
          [TABLE.ttlAttribute]: ttlIn(new Date(entry.at), MAIL_LOG_TTL_SECONDS),
        },
        ...condition,
      }),
    )
    .catch((err: unknown) => {
      if (!conditionFailed(err)) throw err;
    });
};

export const recordMailLog = (ref: TableRef, entry: MailLogEntry): Promise<void> =>
  // A late `retrying` never overwrites a final state another delivery recorded.
  putMailLog(ref, entry, {
    ConditionExpression: 'attribute_not_exists(#pk) OR NOT (#state IN (:sent, :notAllowed, :superseded))',
    ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#state': 'state' },
    ExpressionAttributeValues: { ':sent': 'sent', ':notAllowed': 'not-allowed', ':superseded': 'superseded' },
  });

export const listMailLog = async (ref: TableRef, caseNumber: string): Promise<MailLogEntry[]> => {
  const { PK } = mailLogKey(caseNumber, '');
  const out: MailLogEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await ref.doc.send(
      new QueryCommand({
        TableName: ref.table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':pk': PK },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) out.push(fromItem<MailLogEntry>(item));
    start = res.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => (a.at < b.at ? 1 : -1));
};

/** The `queued` entry: written only where there is none (a consumer's later state is never overwritten). */
export const recordMailQueued = (ref: TableRef, entry: MailLogEntry): Promise<void> =>
  putMailLog(ref, entry, {
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
  });

export const mailLogRepo = (ref: TableRef): MailLogRepo => ({
  record: (entry) => recordMailLog(ref, entry),
  queued: (entry) => recordMailQueued(ref, entry),
  list: (caseNumber) => listMailLog(ref, caseNumber),
});

/** The transaction Put of a mail intent; it expires once nobody could still send it. */
export const mailJobPut = (table: string, job: MailJob, expiresAt: number) =>
  appendPut(table, { ...mailJobKey(job.key), entity: 'mail-job', job: JSON.stringify(job), [TABLE.ttlAttribute]: expiresAt });

/** A mail intent outlives the stream's 24-hour retention and the mail queue's retries. */
export const MAIL_INTENT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The intents of a change's mail, as Puts for the change's own transaction (put them
 * last, so the change's own items keep their cancellation-reason positions). The stream carries
 * each INSERT to the notifier, which queues the job; nothing can be lost between commit and queue.
 */
export const mailIntentPuts = (table: string, jobs: readonly MailJob[] | undefined, at: string) =>
  (jobs ?? []).map((job) => mailJobPut(table, job, ttlIn(new Date(at), MAIL_INTENT_TTL_SECONDS)));
