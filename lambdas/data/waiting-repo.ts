/**
 * The sparse waiting index (FLAG-1): only cases support waits on, not yet flagged, have its keys.
 * The sweep reads due entries with one Query, so its cost follows the cases waiting, never the
 * table. Access requests (FLAG-2) sit in their own partition of the same index.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { WaitingRepo } from '../domain/cases/ports';
import type { AuditEvent, Case } from '../domain/kernel/types';
import type { TableRef } from './client';
import { keys, WAITING_PARTITION } from './keys';
import { appendPut, eventItem, fromItem, lostRace } from './items';
import { queryPage } from './paging';
import { TABLE } from './table';

const { waiting } = TABLE.indexes;

/** Entries of one partition of the waiting index that came due before `before`, oldest first. */
export const dueIn = async (
  ref: TableRef,
  partition: string,
  before: string,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> =>
  queryPage(
    ref,
    {
      IndexName: waiting.name,
      KeyConditionExpression: '#ipk = :ipk AND #isk < :before',
      ExpressionAttributeNames: { '#ipk': waiting.partitionKey, '#isk': waiting.sortKey },
      ExpressionAttributeValues: { ':ipk': partition, ':before': before },
    },
    page,
  );

export const dueCases = async (ref: TableRef, before: string, page: PageRequest): Promise<Page<Case>> => {
  const res = await dueIn(ref, WAITING_PARTITION, before, page);
  return { items: res.items.map((i) => fromItem<Case>(i)), next: res.next };
};

/** One transaction: the flag (conditional on the same waiting period) and its audit event. */
export const flagNeedsAction = async (ref: TableRef, c: Case, at: string, event: AuditEvent): Promise<boolean> => {
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ref.table,
              Key: keys.case(c.caseNumber),
              UpdateExpression: 'SET #na = :true, #nas = :at, #version = #version + :one REMOVE #wpk, #wsk',
              ConditionExpression: '#ws = :ws AND #na = :false',
              ExpressionAttributeNames: {
                '#na': 'needsAction',
                '#nas': 'needsActionSince',
                '#ws': 'waitingSince',
                '#version': 'version',
                '#wpk': waiting.partitionKey,
                '#wsk': waiting.sortKey,
              },
              ExpressionAttributeValues: { ':true': true, ':false': false, ':at': at, ':ws': c.waitingSince, ':one': 1 },
            },
          },
          appendPut(ref.table, eventItem(event)),
        ],
      }),
    );
    return true;
  } catch (err) {
    // Another sweep or the customer got there first; on a conflict the case stays due for the next run.
    if (lostRace(err, 0)) return false;
    throw err;
  }
};

export const waitingRepo = (ref: TableRef): WaitingRepo => ({
  dueCases: (before, page) => dueCases(ref, before, page),
  flagNeedsAction: (c, at, event) => flagNeedsAction(ref, c, at, event),
});
