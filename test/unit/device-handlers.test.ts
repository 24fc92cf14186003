/**
 * NOTE-1, NOTE-3: POST /devices, DELETE /devices/{deviceId} and GET /notifications through their
 * real middy chain, each with exactly its function's environment, the SDKs mocked by
 * aws-sdk-client-mock: what the caller gets and what reaches DynamoDB and SNS.
 */
import { CreatePlatformEndpointCommand, DeleteEndpointCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { deviceIdOf } from '../../lambdas/domain/notifications/delivery';
import { apiEvent, lambdaContext } from '../helpers/events';
import { TEST_BINDINGS, loadHandlerWithEnv } from '../helpers/function-env';

const registerDevice = loadHandlerWithEnv('register-device');
const deleteDevice = loadHandlerWithEnv('delete-device');
const listNotifications = loadHandlerWithEnv('list-notifications');

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
beforeEach(() => {
  ddb.reset();
  sns.reset();
});

const ENDPOINT = 'arn:aws:sns:eu-west-1:000000000000:endpoint/APNS/casework-test/e1';

const givenUser = (orgId: string, fedramp = false) => {
  ddb.on(QueryCommand, { KeyConditionExpression: '#pk = :pk', ExpressionAttributeValues: { ':pk': 'USER#u-1' } }).resolves({
    Items: [
      {
        PK: 'USER#u-1',
        SK: 'PROFILE',
        userId: 'u-1',
        email: 'pat@acme.example',
        name: 'Pat',
        timeZone: 'UTC',
        termsVersion: CURRENT_TERMS.version,
        settings: { defaultList: 'all', notifications: {} },
      },
      {
        PK: 'USER#u-1',
        SK: `MEMBER#${orgId}#${orgId}`,
        userId: 'u-1',
        orgId,
        soldToOrgId: orgId,
        level: 'designated',
        via: 'direct',
      },
    ],
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const keys = Object.values(input.RequestItems)[0] as { Keys: { SK: string }[] };
    return {
      Responses: {
        // The caller's organisation and combination; no device list, no device.
        [TEST_BINDINGS.tableName]: keys.Keys.filter((k) => k.SK === 'ORG' || k.SK.startsWith('COMBINATION#')).map((k) =>
          k.SK === 'ORG'
            ? {
                orgId,
                name: orgId,
                type: 'customer',
                region: 'US',
                timeZone: 'UTC',
                gdpr: false,
                fedramp,
                alarmMonitoring: false,
                deployments: [],
              }
            : { endUserOrgId: orgId, soldToOrgId: orgId, contracts: [{ contractId: 'c', status: 'active' }] },
        ),
      },
    };
  });
};

const json = (res: unknown) => JSON.parse((res as { body: string }).body);

/** The route's own puts: the caller snapshot a signed-in call stores on a cold start (CALLER#) is not the route's. */
const routePuts = () => ddb.commandCalls(PutCommand).filter((c) => !String(c.args[0].input.Item?.PK).startsWith('CALLER#'));

describe('NOTE-1: POST /devices', () => {
  it('NOTE-1: 201 with the device id and platform only; the endpoint is created on the APNs application and stored under DEVICE#, with the user’s device list', async () => {
    givenUser('ORG-ACME');
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: ENDPOINT });
    const res = await registerDevice(
      apiEvent({ routeKey: 'POST /devices', sub: 'u-1', body: { platform: 'apns', token: 'abc123' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body).toEqual({ deviceId: deviceIdOf('apns', 'abc123'), platform: 'apns', createdAt: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('abc123');
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input.PlatformApplicationArn).toBe(TEST_BINDINGS.push.apns);
    const [put, list] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!.map((i) => i.Put?.Item);
    expect(put).toMatchObject({ PK: `DEVICE#${body.deviceId}`, userId: 'u-1', endpointArn: ENDPOINT, GSI4PK: 'DEVICES#u-1' });
    expect(list).toMatchObject({ PK: 'DEVICELIST#u-1', devices: { [body.deviceId]: { userId: 'u-1', endpointArn: ENDPOINT } } });
  });

  it('NOTE-1: the same token again is the same device: no second endpoint, nothing written', async () => {
    givenUser('ORG-ACME');
    const deviceId = deviceIdOf('apns', 'abc123');
    ddb.on(GetCommand).resolves({
      Item: {
        PK: `DEVICE#${deviceId}`,
        SK: 'DEVICE',
        deviceId,
        userId: 'u-1',
        platform: 'apns',
        endpointArn: ENDPOINT,
        createdAt: 't',
      },
    });
    const res = await registerDevice(
      apiEvent({ routeKey: 'POST /devices', sub: 'u-1', body: { platform: 'apns', token: 'abc123' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(201);
    expect(json(res).deviceId).toBe(deviceId);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(0);
    expect(routePuts()).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('NOTE-1: an unknown platform and unknown fields are 400 naming each, and nothing reaches SNS', async () => {
    givenUser('ORG-ACME');
    const res = await registerDevice(
      apiEvent({ routeKey: 'POST /devices', sub: 'u-1', body: { platform: 'wns', token: 'x', userId: 'u-2' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(
      json(res)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['platform', 'userId']);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('NOTE-1: DELETE /devices/{deviceId}', () => {
  const deviceId = deviceIdOf('fcm', 'tok');
  const stored = (userId: string) => ({
    Item: { PK: `DEVICE#${deviceId}`, SK: 'DEVICE', deviceId, userId, platform: 'fcm', endpointArn: ENDPOINT, createdAt: 't' },
  });
  const del = () =>
    deleteDevice(apiEvent({ routeKey: 'DELETE /devices/{deviceId}', sub: 'u-1', pathParameters: { deviceId } }), lambdaContext);

  it("NOTE-1, PRIV-3: someone else's device is 404, and nothing is deleted", async () => {
    givenUser('ORG-ACME');
    ddb.on(GetCommand).resolves(stored('u-2'));
    expect((await del()).statusCode).toBe(404);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sns.commandCalls(DeleteEndpointCommand)).toHaveLength(0);
  });

  it('NOTE-1: the owner removes it: 204, the item (only while still theirs) with its entry in their list, and its endpoint', async () => {
    givenUser('ORG-ACME');
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { PK: `DEVICE#${deviceId}`, SK: 'DEVICE' } }).resolves(stored('u-1'));
    ddb.on(GetCommand, { Key: { PK: 'DEVICELIST#u-1', SK: 'DEVICES' } }).resolves({
      Item: { PK: 'DEVICELIST#u-1', SK: 'DEVICES', v: 1, devices: { [deviceId]: stored('u-1').Item } },
    });
    ddb.on(TransactWriteCommand).resolves({});
    sns.on(DeleteEndpointCommand).resolves({});
    expect((await del()).statusCode).toBe(204);
    const [gone, list] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(list.Update).toMatchObject({
      Key: { PK: 'DEVICELIST#u-1', SK: 'DEVICES' },
      UpdateExpression: 'REMOVE #devices.#id ADD #v :one',
    });
    expect(gone.Delete).toMatchObject({
      Key: { PK: `DEVICE#${deviceId}`, SK: 'DEVICE' },
      ConditionExpression: '#userId = :userId',
      ExpressionAttributeValues: { ':userId': 'u-1' },
    });
    expect(sns.commandCalls(DeleteEndpointCommand)[0].args[0].input).toEqual({ EndpointArn: ENDPOINT });
  });
});

describe('NOTE-3: GET /notifications', () => {
  const item = (orgId: string, fedramp: boolean) => ({
    PK: 'INBOX#u-1',
    SK: `NOTE#2026-12-01T09:00:00.000Z#e-${orgId}`,
    userId: 'u-1',
    notificationId: `e-${orgId}`,
    eventType: 'case-created',
    at: '2026-12-01T09:00:00.000Z',
    orgId,
    caseNumber: '00000042',
    title: 'New critical case 00000042',
    body: 'subject',
    fedramp,
    keepUntil: '2026-12-04T09:00:00.000Z',
    expiresAt: 1796374800,
  });

  it('NOTE-3: newest first, TTL-expired items filtered in the Query, no bookkeeping in the rows', async () => {
    givenUser('ORG-ACME');
    ddb.on(QueryCommand, { ScanIndexForward: false }).resolves({ Items: [item('ORG-ACME', false)] });
    const res = await listNotifications(apiEvent({ routeKey: 'GET /notifications', sub: 'u-1' }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      items: [
        {
          notificationId: 'e-ORG-ACME',
          eventType: 'case-created',
          at: '2026-12-01T09:00:00.000Z',
          orgId: 'ORG-ACME',
          caseNumber: '00000042',
          title: 'New critical case 00000042',
          body: 'subject',
        },
      ],
      nextCursor: null,
    });
    const query = ddb.commandCalls(QueryCommand).find((c) => c.args[0].input.ScanIndexForward === false)!.args[0].input;
    expect(query.FilterExpression).toBe('#ttl > :now');
    expect(query.ExpressionAttributeNames).toMatchObject({ '#ttl': 'expiresAt' });
    expect(query.ExpressionAttributeValues![':now']).toBeGreaterThan(Date.parse('2026-01-01') / 1000);
  });

  it('PRIV-2: a FedRAMP organisation’s items are not served to a mobile token', async () => {
    givenUser('ORG-INITECH', true);
    ddb.on(QueryCommand, { ScanIndexForward: false }).resolves({ Items: [item('ORG-INITECH', true)] });
    const mobile = await listNotifications(
      apiEvent({
        routeKey: 'GET /notifications',
        sub: 'u-1',
        clientId: TEST_BINDINGS.clients.mobile,
        claims: { origin_jti: 's-1' },
      }),
      lambdaContext,
    );
    expect(mobile.statusCode).toBe(200);
    expect(json(mobile).items).toEqual([]);
    const web = await listNotifications(apiEvent({ routeKey: 'GET /notifications', sub: 'u-1' }), lambdaContext);
    expect(json(web).items).toHaveLength(1);
  });
});
