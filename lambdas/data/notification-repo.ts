/**
 * NOTE-1, NOTE-3: inbox items and push devices, one exported function per access pattern.
 *
 * | pattern                                | key                                                          |
 * | -------------------------------------- | ------------------------------------------------------------ |
 * | a user's inbox, newest first (paged)   | Query PK=INBOX#<userId>, SK begins_with NOTE#, backwards, TTL |
 * | a chunk's inbox items (BatchWriteItem) | INBOX#<userId> / NOTE#<at>#<eventId>, 25 a call               |
 * | one device                             | GetItem DEVICE#<deviceId> / DEVICE                           |
 * | the devices of a user (delivery)       | Query GSI4 PK=DEVICES#<userId>                               |
 * | staff of a support group (delivery)    | Query GSI4 PK=STAFFGROUP#<group>                             |
 * | staff of a role (delivery)             | Query GSI4 PK=STAFF#<role>                                   |
 *
 * Inbox items carry the table's TTL attribute (3 days after the event); DynamoDB deletes expired
 * items lazily (DynamoDB Local never does), so the read filters on it as well. A device item is
 * keyed by its platform and token: registering a token another user held overwrites their item,
 * and with it the index entry that made it theirs.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandOutput, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Device, InboxItem, NotificationRepo } from '../domain/notifications/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { fromItem } from './items';
import { deviceIndexKeys, keys } from './keys';
import { inPartition, queryAll, queryPage } from './paging';
import { staffByRole, staffOfGroup } from './directory-repo';
import { TABLE } from './table';

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const inboxRecord = (item: InboxItem) => ({
  ...keys.inboxItem(item.userId, item.at, item.notificationId),
  entity: 'inbox-item',
  ...item,
  [TABLE.ttlAttribute]: epochSeconds(item.keepUntil),
});

/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;

/**
 * Many users' items of one event, 25 a call. Unconditional: the delivery that writes them holds
 * each recipient's claim in the outbox ledger, and an item is keyed by its event and user and
 * never changes once written, so writing it again (a delivery retried after a crash) writes the
 * same item.
 */
export const putInboxItems = async (ref: TableRef, items: InboxItem[]): Promise<void> => {
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    let request: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] | undefined = items
      .slice(i, i + BATCH_WRITE_LIMIT)
      .map((item) => ({ PutRequest: { Item: inboxRecord(item) } }));
    // UnprocessedItems come back under throttling: retried with a short backoff, then it is an error.
    for (let attempt = 0; request?.length; attempt++) {
      if (attempt >= 5) throw new Error(`${request.length} inbox item(s) not written after ${attempt} attempts`);
      if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      const res: BatchWriteCommandOutput = await ref.doc.send(new BatchWriteCommand({ RequestItems: { [ref.table]: request } }));
      request = res.UnprocessedItems?.[ref.table];
    }
  }
};

/** NOTE-3: newest first; items past their TTL are filtered out even before DynamoDB deletes them. */
export const listInbox = async (ref: TableRef, userId: string, now: string, page: PageRequest): Promise<Page<InboxItem>> => {
  const res = await queryPage(
    ref,
    {
      ...inPartition(keys.inboxPartition(userId), keys.inboxPrefix, {
        expression: '#ttl > :now',
        names: { '#ttl': TABLE.ttlAttribute },
        values: { ':now': epochSeconds(now) },
      }),
      ScanIndexForward: false,
    },
    page,
  );
  return { items: res.items.map((i) => fromItem<InboxItem>(i)), next: res.next };
};

export const putDevice = async (ref: TableRef, d: Device): Promise<void> => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: { ...keys.device(d.deviceId), entity: 'device', ...d, ...deviceIndexKeys(d.userId, d.createdAt, d.deviceId) },
    }),
  );
};

export const getDevice = async (ref: TableRef, deviceId: string): Promise<Device | undefined> => {
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.device(deviceId), ConsistentRead: true }));
  return out.Item ? fromItem<Device>(out.Item) : undefined;
};

export const deleteDevice = async (ref: TableRef, deviceId: string, userId: string): Promise<boolean> => {
  try {
    await ref.doc.send(
      new DeleteCommand({
        TableName: ref.table,
        Key: keys.device(deviceId),
        ConditionExpression: '#userId = :userId',
        ExpressionAttributeNames: { '#userId': 'userId' },
        ExpressionAttributeValues: { ':userId': userId },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

/** The index is eventually consistent: a device registered a moment ago may miss one push. */
export const userDevices = async (ref: TableRef, userId: string): Promise<Device[]> => {
  const { byPerson } = TABLE.indexes;
  const pk = deviceIndexKeys(userId, '', '')[byPerson.partitionKey];
  const items = await queryAll(ref, {
    IndexName: byPerson.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': byPerson.partitionKey },
    ExpressionAttributeValues: { ':pk': pk },
  });
  // A stale index entry of a token taken over since: the item itself names its owner.
  return items.map((i) => fromItem<Device>(i)).filter((d) => d.userId === userId);
};

export const notificationRepo = (ref: TableRef): NotificationRepo => ({
  putInboxItems: (items) => putInboxItems(ref, items),
  listInbox: (userId, now, page) => listInbox(ref, userId, now, page),
  putDevice: (d) => putDevice(ref, d),
  getDevice: (deviceId) => getDevice(ref, deviceId),
  deleteDevice: (deviceId, userId) => deleteDevice(ref, deviceId, userId),
  userDevices: (userId) => userDevices(ref, userId),
  staffOfGroup: (group) => staffOfGroup(ref, group),
  staffOfRole: async (role) => (await staffByRole(ref, role)).map((u) => u.userId),
});
