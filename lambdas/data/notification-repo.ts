/**
 * NOTE-1, NOTE-3: inbox items and push devices, one exported function per access pattern.
 *
 * | pattern                                | key                                                          |
 * | -------------------------------------- | ------------------------------------------------------------ |
 * | a user's inbox, newest first (paged)   | Query PK=INBOX#<userId>, SK begins_with NOTE#, backwards, TTL |
 * | a chunk's inbox items (BatchWriteItem) | INBOX#<userId> / NOTE#<at>#<eventId>, 25 a call               |
 * | one device                             | GetItem DEVICE#<deviceId> / DEVICE                           |
 * | the devices of a user                  | GetItem DEVICELIST#<userId> / DEVICES (strongly consistent)  |
 * | a chunk's recipients (delivery)        | BatchGetItem CALLER#<userId> / CALLER and DEVICELIST#<userId> |
 * | the devices of a user without a list   | Query GSI4 PK=DEVICES#<userId>                               |
 * | staff of a support group (delivery)    | Query GSI4 PK=STAFFGROUP#<group>                             |
 * | staff of a role (delivery)             | Query GSI4 PK=STAFF#<role>                                   |
 *
 * Inbox items carry the table's TTL attribute (3 days after the event); DynamoDB deletes expired
 * items lazily (DynamoDB Local never does), so the read filters on it as well. A device item is
 * keyed by its platform and token: registering a token another user held overwrites their item,
 * and with it the index entry that made it theirs.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Device, InboxItem, NotificationRepo, RecipientSource } from '../domain/notifications/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { appendPut, cancellation, fromItem, guardedPut } from './items';
import { deviceIndexKeys, keys } from './keys';
import { inPartition, queryAll, queryPage } from './paging';
import { batchGet, callerSourcesFrom, staffByRole, staffOfGroup } from './directory-repo';
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

/*
 * The device list (NOTE-1): DEVICELIST#<user> / DEVICES holds the devices a user holds now, a map
 * by device id, and `v`, bumped by every write. Every write of a device item writes the lists it
 * changes in the same transaction, so a user with a list has a device in it exactly when the
 * device's item names them: registering adds it to the new owner's list (and takes it out of the
 * previous owner's, when the token changed hands), deleting takes it out. Delivery reads a chunk's
 * lists with the recipients' caller snapshots in one BatchGetItem (recipientsOf).
 *
 * Users whose devices were registered before lists existed have none: their devices are read from
 * the person index (GSI4) as before, until their next device write seeds their list from the index,
 * each device checked by its item (consistent read, and a ConditionCheck in the transaction), or
 * the backfill (bin/backfill-device-lists.ts) seeds it. Once the backfill has seeded every such
 * user it writes DEVICELIST# / COMPLETE; from then on a user without a list has no device, and
 * nobody's devices are read from the index (a container remembers the mark once it has seen it).
 *
 * A list holds at most `max` devices (the caller's cap, MAX_DEVICES_PER_USER): registering one more
 * evicts the oldest, whose item is deleted in the same transaction and returned, for its endpoint.
 */

/** Attempts of a device write before it gives up (each re-reads what another writer changed). */
const DEVICE_WRITE_ATTEMPTS = 5;
/** A transaction holds 100 items; a legacy user's devices past this many are deleted before seeding. */
const SEED_TRANSACT_BUDGET = 90;

interface DeviceList {
  v: number;
  devices: Device[];
}

const deviceListOf = (item: Record<string, unknown>): DeviceList => ({
  v: Number(item.v ?? 0),
  devices: Object.values((item.devices ?? {}) as Record<string, Device>),
});

const userOfList = (item: Record<string, unknown>): string => String(item.PK).slice(keys.deviceList('').PK.length);

const oldestFirst = (a: Device, b: Device) => a.createdAt.localeCompare(b.createdAt) || a.deviceId.localeCompare(b.deviceId);

const deviceRecord = (d: Device) => ({
  ...keys.device(d.deviceId),
  entity: 'device',
  ...d,
  ...deviceIndexKeys(d.userId, d.createdAt, d.deviceId),
});

const getDeviceList = async (ref: TableRef, userId: string): Promise<DeviceList | undefined> => {
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.deviceList(userId), ConsistentRead: true }));
  return out.Item ? deviceListOf(out.Item) : undefined;
};

/** The devices the person index names, each confirmed by its own item (read strongly consistently). */
const indexedDevices = async (ref: TableRef, userId: string): Promise<Device[]> => {
  const candidates = await userDevices(ref, userId, false);
  if (!candidates.length) return [];
  const items = await batchGet(
    ref,
    candidates.map((d) => keys.device(d.deviceId)),
    true,
  );
  return items.map((i) => fromItem<Device>(i)).filter((d) => d.userId === userId);
};

const owned = (deviceId: string, userId: string) => ({
  Key: keys.device(deviceId),
  ConditionExpression: '#userId = :userId',
  ExpressionAttributeNames: { '#userId': 'userId' },
  ExpressionAttributeValues: { ':userId': userId },
});

/** The transaction item taking a device out of a user's list, or checking they still have none. */
const leaveList = (table: string, userId: string, deviceId: string, list: DeviceList | undefined): TransactItem =>
  list
    ? {
        Update: {
          TableName: table,
          Key: keys.deviceList(userId),
          UpdateExpression: 'REMOVE #devices.#id ADD #v :one',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#devices': 'devices', '#id': deviceId, '#v': 'v', '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: { ':one': 1 },
        },
      }
    : {
        ConditionCheck: {
          TableName: table,
          Key: keys.deviceList(userId),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        },
      };

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A user's device list written whole: only at the version it was read at, or new. */
const listPut = (table: string, userId: string, devices: Device[], read: DeviceList | undefined): TransactItem => {
  const Item = {
    ...keys.deviceList(userId),
    entity: 'device-list',
    userId,
    v: (read?.v ?? 0) + 1,
    devices: Object.fromEntries(devices.map((x) => [x.deviceId, x])),
  };
  return read
    ? {
        Put: {
          TableName: table,
          Item,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'v' },
          ExpressionAttributeValues: { ':v': read.v },
        },
      }
    : appendPut(table, Item);
};

/** A transaction some condition of which failed (another writer got there first): read again and retry. */
const retryable = (err: unknown): boolean => {
  const c = cancellation(err);
  return Boolean(c && (c.conflicted || c.anyFailed));
};

/**
 * Creates the device or takes it over (the token's previous owner loses it), with the lists of
 * both owners, evicting the new owner's oldest devices past `max`. Resolves to the evicted.
 */
export const putDevice = async (ref: TableRef, d: Device, max: number): Promise<Device[]> => {
  const deletedEarly: Device[] = [];
  for (let attempt = 1; ; attempt++) {
    const current = await getDevice(ref, d.deviceId);
    const previous = current && current.userId !== d.userId ? current.userId : undefined;
    const lists = new Map(
      (await batchGet(ref, [d.userId, ...(previous ? [previous] : [])].map(keys.deviceList), true)).map((i) => [
        userOfList(i),
        deviceListOf(i),
      ]),
    );
    const mine = lists.get(d.userId);
    // Registered concurrently by the same user, and listed (or no list yet, as before lists): done.
    if (current?.userId === d.userId && (!mine || mine.devices.some((x) => x.deviceId === d.deviceId))) return deletedEarly;
    const seeded = mine ? [] : (await indexedDevices(ref, d.userId)).filter((x) => x.deviceId !== d.deviceId);
    const kept = [...(mine?.devices ?? seeded).filter((x) => x.deviceId !== d.deviceId)].sort(oldestFirst);
    const evicted = kept.splice(0, Math.max(0, kept.length + 1 - max));
    // A legacy user with more devices than a transaction holds: the oldest go first, one by one (no list names them).
    const early = mine ? [] : evicted.splice(0, Math.max(0, evicted.length + kept.length - SEED_TRANSACT_BUDGET));
    for (const x of early) if (await deleteDeviceItem(ref, x.deviceId, d.userId)) deletedEarly.push(x);
    const items: TransactItem[] = [
      current ? guardedPut(ref.table, deviceRecord(d), 'userId', current.userId) : appendPut(ref.table, deviceRecord(d)),
      listPut(ref.table, d.userId, [...kept, d], mine),
      ...(previous ? [leaveList(ref.table, previous, d.deviceId, lists.get(previous))] : []),
      // Seeded from the index: each still the user's when the list is written.
      ...(mine
        ? []
        : kept.map((x): TransactItem => ({ ConditionCheck: { TableName: ref.table, ...owned(x.deviceId, d.userId) } }))),
      ...evicted.map((x): TransactItem => ({ Delete: { TableName: ref.table, ...owned(x.deviceId, d.userId) } })),
    ];
    try {
      await ref.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return [...deletedEarly, ...evicted];
    } catch (err) {
      if (!retryable(err) || attempt >= DEVICE_WRITE_ATTEMPTS) throw err;
    }
  }
};

export const getDevice = async (ref: TableRef, deviceId: string): Promise<Device | undefined> => {
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.device(deviceId), ConsistentRead: true }));
  return out.Item ? fromItem<Device>(out.Item) : undefined;
};

/** The device's item alone, while `userId` owns it (a user without a list: nothing else names it). */
const deleteDeviceItem = async (ref: TableRef, deviceId: string, userId: string): Promise<boolean> => {
  try {
    await ref.doc.send(new DeleteCommand({ TableName: ref.table, ...owned(deviceId, userId) }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

/** Deletes the device only while `userId` still owns it, with its entry in their list; false when not theirs. */
export const deleteDevice = async (ref: TableRef, deviceId: string, userId: string): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const list = await getDeviceList(ref, userId);
    try {
      await ref.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: ref.table, ...owned(deviceId, userId) } },
            leaveList(ref.table, userId, deviceId, list),
          ],
        }),
      );
      return true;
    } catch (err) {
      // Gone, or taken over (and so out of this user's list already).
      if (cancellation(err)?.failed(0)) return false;
      if (!retryable(err) || attempt >= DEVICE_WRITE_ATTEMPTS) throw err;
    }
  }
};

/** Tables whose lists this container has seen complete: the mark is never removed, so once is enough. */
const complete = new Set<string>();

const listsComplete = async (ref: TableRef): Promise<boolean> => {
  if (complete.has(ref.table)) return true;
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.deviceListsComplete() }));
  if (out.Item) complete.add(ref.table);
  return Boolean(out.Item);
};

/**
 * The user's devices: their list (one strongly consistent GetItem), or, for a user without one
 * before the backfill is complete, the person index (eventually consistent: a device registered a
 * moment ago may miss one push).
 */
export const userDevices = async (ref: TableRef, userId: string, listFirst = true): Promise<Device[]> => {
  if (listFirst) {
    const list = await getDeviceList(ref, userId);
    if (list) return list.devices;
    if (await listsComplete(ref)) return [];
  }
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

/**
 * Seeds the user's list from the person index when they have none (the backfill); false when they
 * had one already. Lists past the cap shrink at the user's next registration.
 */
export const seedDeviceList = async (ref: TableRef, userId: string): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    if (await getDeviceList(ref, userId)) return false;
    const seeded = (await indexedDevices(ref, userId)).sort(oldestFirst).slice(-SEED_TRANSACT_BUDGET);
    try {
      await ref.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            listPut(ref.table, userId, seeded, undefined),
            ...seeded.map((x): TransactItem => ({ ConditionCheck: { TableName: ref.table, ...owned(x.deviceId, userId) } })),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (!retryable(err) || attempt >= DEVICE_WRITE_ATTEMPTS) throw err;
    }
  }
};

/** The backfill's last step: every user with a device has a list. */
export const markDeviceListsComplete = async (ref: TableRef): Promise<void> => {
  await ref.doc.send(
    new PutCommand({ TableName: ref.table, Item: { ...keys.deviceListsComplete(), entity: 'device-lists-complete' } }),
  );
};

/** Users without a list whose devices are read from the index at once. */
const INDEX_QUERY_CONCURRENCY = 16;

/**
 * NOTE-1, NOTE-2: a delivery chunk's recipients as they are now: their caller snapshots and device
 * lists in one BatchGetItem (100 keys a call, strongly consistent: a chunk of 50 is one call), the
 * callers without a fresh snapshot rebuilt from their partitions, the devices of users without a
 * list from the person index (none once the backfill is complete). Users the directory does not know are absent.
 */
export const recipientsOf = async (ref: TableRef, userIds: string[]): Promise<Map<string, RecipientSource>> => {
  const ids = [...new Set(userIds)];
  const items = await batchGet(
    ref,
    ids.flatMap((id) => [keys.callerSnapshot(id), keys.deviceList(id)]),
    true,
  );
  const isList = (i: Record<string, unknown>) => String(i.PK).startsWith(keys.deviceList('').PK);
  const lists = new Map(items.filter(isList).map((i) => [userOfList(i), deviceListOf(i).devices]));
  const sources = await callerSourcesFrom(
    ref,
    ids,
    items.filter((i) => !isList(i)),
  );
  const unlisted = [...sources.keys()].filter((id) => !lists.has(id));
  if (unlisted.length && (await listsComplete(ref))) unlisted.length = 0;
  for (let i = 0; i < unlisted.length; i += INDEX_QUERY_CONCURRENCY) {
    const page = unlisted.slice(i, i + INDEX_QUERY_CONCURRENCY);
    const found = await Promise.all(page.map((id) => userDevices(ref, id, false)));
    page.forEach((id, j) => lists.set(id, found[j]));
  }
  return new Map([...sources].map(([id, source]) => [id, { source, devices: lists.get(id) ?? [] }]));
};

export const notificationRepo = (ref: TableRef): NotificationRepo => ({
  putInboxItems: (items) => putInboxItems(ref, items),
  listInbox: (userId, now, page) => listInbox(ref, userId, now, page),
  putDevice: (d, max) => putDevice(ref, d, max),
  getDevice: (deviceId) => getDevice(ref, deviceId),
  deleteDevice: (deviceId, userId) => deleteDevice(ref, deviceId, userId),
  userDevices: (userId) => userDevices(ref, userId),
  recipientsOf: (userIds) => recipientsOf(ref, userIds),
  staffOfGroup: (group) => staffOfGroup(ref, group),
  staffOfRole: async (role) => (await staffByRole(ref, role)).map((u) => u.userId),
});
