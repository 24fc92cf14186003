/**
 * NOTE-1: the device list of each user (lambdas/data/notification-repo.ts) against a mocked SDK:
 * delivery reads a chunk's snapshots and lists in one BatchGetItem, and every device write keeps
 * the lists it changes in its own transaction.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SNAPSHOT_FORMAT } from '../../lambdas/data/directory-repo';
import { deleteDevice, putDevice, recipientsOf } from '../../lambdas/data/notification-repo';
import type { Device } from '../../lambdas/domain/notifications/ports';

const ddb = mockClient(DynamoDBDocumentClient);
const ref = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), table: 't' };
beforeEach(() => ddb.reset());

const device = (userId: string, n: number): Device => ({
  deviceId: `d${n}`,
  userId,
  platform: 'fcm',
  endpointArn: `arn:endpoint/${userId}/${n}`,
  createdAt: `2026-12-01T10:00:${String(n).padStart(2, '0')}.000Z`,
});

const snapshot = (userId: string) => ({
  PK: `CALLER#${userId}`,
  SK: 'CALLER',
  gen: 0,
  builtAt: Date.now(),
  snapshot: JSON.stringify({
    format: SNAPSHOT_FORMAT,
    user: { userId, email: `${userId}@x.example`, name: userId, timeZone: 'UTC', settings: {} },
    memberships: [],
    orgs: [],
    combinations: [],
  }),
});

const list = (userId: string, devices: Device[], v = 3) => ({
  PK: `DEVICELIST#${userId}`,
  SK: 'DEVICES',
  userId,
  v,
  devices: Object.fromEntries(devices.map((d) => [d.deviceId, d])),
});

/** Answers a BatchGetItem from `items`, by key. */
const batchFrom = (items: Record<string, unknown>[]) =>
  ddb.on(BatchGetCommand).callsFake((input) => {
    const asked = Object.values(input.RequestItems)[0] as { Keys: { PK: string; SK: string }[] };
    return { Responses: { t: items.filter((i) => asked.Keys.some((k) => k.PK === i.PK && k.SK === i.SK)) } };
  });

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('NOTE-1: a delivery chunk read with its devices', () => {
  it('NOTE-1: 50 recipients with fresh snapshots and lists are one BatchGetItem of 100 keys, strongly consistent, and no Query', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `u-${i}`);
    batchFrom(users.flatMap((u, i) => [snapshot(u), list(u, [device(u, i)])]));
    const out = await recipientsOf(ref, users);
    const batches = ddb.commandCalls(BatchGetCommand);
    expect(batches).toHaveLength(1);
    expect(batches[0].args[0].input.RequestItems!.t).toMatchObject({ ConsistentRead: true });
    expect(batches[0].args[0].input.RequestItems!.t.Keys).toHaveLength(100);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(out.get('u-7')).toEqual({
      source: expect.objectContaining({ user: expect.objectContaining({ userId: 'u-7' }) }),
      devices: [device('u-7', 7)],
    });
  });

  it('NOTE-1: UnprocessedKeys are asked for again', async () => {
    let first = true;
    ddb.on(BatchGetCommand).callsFake((input) => {
      const asked = (Object.values(input.RequestItems)[0] as { Keys: { PK: string }[] }).Keys;
      if (first) {
        first = false;
        return {
          Responses: { t: [snapshot('u-1')] },
          UnprocessedKeys: { t: { Keys: asked.filter((k) => k.PK.startsWith('DEVICELIST#')) } },
        };
      }
      return { Responses: { t: [list('u-1', [device('u-1', 1)])] } };
    });
    expect((await recipientsOf(ref, ['u-1'])).get('u-1')?.devices).toEqual([device('u-1', 1)]);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('NOTE-1: a recipient without a list is read from the person index until the lists are marked complete, then not at all', async () => {
    batchFrom([snapshot('u-1'), snapshot('u-2'), list('u-2', [])]);
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ ...device('u-1', 1), GSI4PK: 'DEVICES#u-1' }] });
    expect((await recipientsOf(ref, ['u-1', 'u-2'])).get('u-1')?.devices).toEqual([device('u-1', 1)]);
    const queries = ddb.commandCalls(QueryCommand);
    expect(queries).toHaveLength(1);
    expect(queries[0].args[0].input).toMatchObject({ IndexName: 'GSI4', ExpressionAttributeValues: { ':pk': 'DEVICES#u-1' } });

    ddb.reset();
    batchFrom([snapshot('u-1')]);
    ddb.on(GetCommand, { Key: { PK: 'DEVICELIST#', SK: 'COMPLETE' } }).resolves({ Item: { PK: 'DEVICELIST#', SK: 'COMPLETE' } });
    expect((await recipientsOf(ref, ['u-1'])).get('u-1')?.devices).toEqual([]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('NOTE-1: device writes keep the lists', () => {
  it('NOTE-1: a token taken over leaves its former owner’s list in the same transaction as it joins the new owner’s', async () => {
    ddb
      .on(GetCommand, { Key: { PK: 'DEVICE#d1', SK: 'DEVICE' } })
      .resolves({ Item: { PK: 'DEVICE#d1', SK: 'DEVICE', ...device('u-2', 1) } });
    batchFrom([list('u-1', [device('u-1', 2)], 4), list('u-2', [device('u-2', 1)], 9)]);
    ddb.on(TransactWriteCommand).resolves({});
    const mine = { ...device('u-1', 1), createdAt: '2026-12-02T00:00:00.000Z' };
    expect(await putDevice(ref, mine, 10)).toEqual([]);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    // Written only while the device is still the former owner's: userId = 'u-2', whatever the placeholders.
    const takeover = items[0].Put!;
    expect(takeover.Item).toMatchObject({ PK: 'DEVICE#d1', userId: 'u-1' });
    const [name, value] = /^(#\w+) = (:\w+)$/.exec(takeover.ConditionExpression!)!.slice(1);
    expect(takeover.ExpressionAttributeNames![name!]).toBe('userId');
    expect(takeover.ExpressionAttributeValues![value!]).toBe('u-2');
    expect(items[1].Put).toMatchObject({
      Item: { PK: 'DEVICELIST#u-1', v: 5, devices: { d1: mine, d2: device('u-1', 2) } },
      ConditionExpression: '#v = :v',
      ExpressionAttributeValues: { ':v': 4 },
    });
    expect(items[2].Update).toMatchObject({
      Key: { PK: 'DEVICELIST#u-2', SK: 'DEVICES' },
      UpdateExpression: 'REMOVE #devices.#id ADD #v :one',
      ExpressionAttributeNames: expect.objectContaining({ '#id': 'd1' }),
    });
    expect(items).toHaveLength(3);
  });

  it('NOTE-1: past the cap the oldest device is deleted with the registration (only while still the user’s) and returned', async () => {
    ddb.on(GetCommand).resolves({});
    const held = Array.from({ length: 10 }, (_, i) => device('u-1', i + 1));
    batchFrom([list('u-1', held)]);
    ddb.on(TransactWriteCommand).resolves({});
    const newest = { ...device('u-1', 11), createdAt: '2026-12-02T00:00:00.000Z' };
    expect(await putDevice(ref, newest, 10)).toEqual([held[0]]);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(Object.keys(items[1].Put!.Item!.devices as object).sort()).toEqual(
      [...held.slice(1), newest].map((d) => d.deviceId).sort(),
    );
    expect(items.at(-1)!.Delete).toMatchObject({
      Key: { PK: 'DEVICE#d1', SK: 'DEVICE' },
      ConditionExpression: '#userId = :userId',
      ExpressionAttributeValues: { ':userId': 'u-1' },
    });
  });

  it('NOTE-1: a user without a list has it seeded from the index, each device checked to be theirs in the transaction', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(BatchGetCommand).callsFake((input) => {
      const asked = (Object.values(input.RequestItems)[0] as { Keys: { PK: string }[] }).Keys;
      // No list; the index's device, confirmed by its item.
      return {
        Responses: { t: asked.some((k) => k.PK === 'DEVICE#d1') ? [{ PK: 'DEVICE#d1', SK: 'DEVICE', ...device('u-1', 1) }] : [] },
      };
    });
    ddb.on(QueryCommand).resolves({ Items: [{ ...device('u-1', 1), GSI4PK: 'DEVICES#u-1' }] });
    ddb.on(TransactWriteCommand).resolves({});
    await putDevice(ref, device('u-1', 2), 10);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[1].Put).toMatchObject({
      Item: { devices: { d1: device('u-1', 1), d2: device('u-1', 2) } },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    expect(items[2].ConditionCheck).toMatchObject({ Key: { PK: 'DEVICE#d1' }, ExpressionAttributeValues: { ':userId': 'u-1' } });
  });

  it('NOTE-1: a registration that lost a race to another device write reads again and retries', async () => {
    ddb.on(GetCommand).resolves({});
    batchFrom([list('u-1', [], 1)]);
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']))
      .resolves({});
    await putDevice(ref, device('u-1', 1), 10);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('NOTE-1: deleting takes the device out of its owner’s list; a user with no list is checked to have none; not theirs is false', async () => {
    ddb.on(GetCommand, { Key: { PK: 'DEVICELIST#u-1', SK: 'DEVICES' } }).resolves({ Item: list('u-1', [device('u-1', 1)]) });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await deleteDevice(ref, 'd1', 'u-1')).toBe(true);
    let items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[0].Delete).toMatchObject({ Key: { PK: 'DEVICE#d1' }, ExpressionAttributeValues: { ':userId': 'u-1' } });
    expect(items[1].Update).toMatchObject({ Key: { PK: 'DEVICELIST#u-1' }, UpdateExpression: 'REMOVE #devices.#id ADD #v :one' });

    ddb.reset();
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    expect(await deleteDevice(ref, 'd1', 'u-1')).toBe(true);
    items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[1].ConditionCheck).toMatchObject({
      Key: { PK: 'DEVICELIST#u-1' },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });

    ddb.reset();
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await deleteDevice(ref, 'd1', 'u-1')).toBe(false);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
