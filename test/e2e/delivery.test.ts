/**
 * NOTE-1, NOTE-2 end to end: in local mode a person who subscribes to an organisation's new critical
 * cases sees a push in the local log and an inbox item when staff raise one of its cases to
 * critical. The whole local mode: HTTP API, DynamoDB Local and its stream, the notifier in its
 * worker, the SNS push adapter against the push stand-in. Nothing is mocked.
 */
import type { LocalPush, LocalPushEndpoint } from '../../local/push';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0 });
});
afterAll(async () => {
  await local?.stop();
});

const api = async (email: string, method: string, path: string, body?: unknown, client: 'web' | 'mobile' = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email, client)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const pushLog = async () =>
  (await (await fetch(local.urls.push)).json()) as { pushes: LocalPush[]; endpoints: LocalPushEndpoint[] };

/** A case of `orgId` at `severity`, as staff list it. */
const caseOf = async (orgId: string, severity: string): Promise<string> => {
  const items = (await api('alice@vendor.example', 'GET', `/cases?orgId=${orgId}&severity=${severity}`)).body.items as {
    caseNumber: string;
  }[];
  expect(items.length).toBeGreaterThan(0);
  return items[0].caseNumber;
};

describe('NOTE-1, NOTE-2 in local mode', () => {
  it("NOTE-2: dana subscribes to Acme's new critical cases, staff raise one to critical: a push in the local log and an inbox item", async () => {
    expect((await api('dana@acme.example', 'PUT', '/accounts/ORG-ACME/subscription', { newCritical: true })).status).toBe(200);
    const device = await api('dana@acme.example', 'POST', '/devices', { platform: 'apns', token: 'dana-iphone-token' }, 'mobile');
    expect(device.status).toBe(201);
    expect(device.body).toEqual({ deviceId: expect.any(String), platform: 'apns', createdAt: expect.any(String) });
    // The same token again is the same device (and the same SNS endpoint).
    const again = await api('dana@acme.example', 'POST', '/devices', { platform: 'apns', token: 'dana-iphone-token' }, 'mobile');
    expect(again.body.deviceId).toBe(device.body.deviceId);
    expect((await pushLog()).endpoints.filter((e) => e.token === 'dana-iphone-token')).toHaveLength(1);

    const n = await caseOf('ORG-ACME', 'high');
    await local.notifier.drain();
    expect(
      (await api('mona@vendor.example', 'PATCH', `/cases/${n}`, { severity: 'critical', contactPhone: '+1 555 0100' })).status,
    ).toBe(200);
    await local.notifier.drain();

    const pushes = (await pushLog()).pushes.filter((p) => p.token === 'dana-iphone-token' && p.data.caseNumber === n);
    expect(pushes).toEqual([
      expect.objectContaining({
        platform: 'apns',
        title: `Case ${n} raised to Critical`,
        body: expect.stringContaining('Acme Corp'),
      }),
    ]);
    const inbox = await api('dana@acme.example', 'GET', '/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventType: 'severity-changed',
          caseNumber: n,
          orgId: 'ORG-ACME',
          title: `Case ${n} raised to Critical`,
        }),
      ]),
    );
    expect(inbox.body.nextCursor).toBeNull();
    // Dave chose nothing: he gets nothing.
    expect((await api('dave@acme.example', 'GET', '/notifications')).body.items).toEqual([]);
  });

  it('NOTE-1: a second drain pushes nothing again; a device whose token the platform disabled is removed with its endpoint', async () => {
    await local.notifier.drain();
    const before = (await pushLog()).pushes.length;
    await local.notifier.drain();
    expect((await pushLog()).pushes.length).toBe(before);

    await fetch(`${local.urls.push}/disable`, { method: 'POST', body: JSON.stringify({ token: 'dana-iphone-token' }) });
    const n = await caseOf('ORG-ACME', 'medium');
    await api('mona@vendor.example', 'PATCH', `/cases/${n}`, { severity: 'critical', contactPhone: '+1 555 0100' });
    await local.notifier.drain();
    const log = await pushLog();
    expect(log.pushes.filter((p) => p.data.caseNumber === n)).toEqual([]);
    // The device item is gone: deleting it now is 404, and its endpoint was deleted.
    expect(log.endpoints.filter((e) => e.token === 'dana-iphone-token')).toEqual([]);
  });

  it('NOTE-1: DELETE /devices/{deviceId} is the owner’s only (anyone else: 404), then 404 for the owner too', async () => {
    const mine = await api('dave@acme.example', 'POST', '/devices', { platform: 'fcm', token: 'dave-pixel-token' }, 'mobile');
    expect(mine.status).toBe(201);
    expect((await api('dana@acme.example', 'DELETE', `/devices/${mine.body.deviceId}`)).status).toBe(404);
    expect((await api('dave@acme.example', 'DELETE', `/devices/${mine.body.deviceId}`)).status).toBe(204);
    expect((await api('dave@acme.example', 'DELETE', `/devices/${mine.body.deviceId}`)).status).toBe(404);
    expect((await pushLog()).endpoints.filter((e) => e.token === 'dave-pixel-token')).toEqual([]);
  });

  it('PRIV-2: a FedRAMP organisation’s case raised to critical is no push, and its inbox item is not served to the mobile app', async () => {
    expect((await api('fred@initech.example', 'PUT', '/accounts/ORG-INITECH/subscription', { newCritical: true })).status).toBe(
      200,
    );
    expect((await api('fred@initech.example', 'POST', '/devices', { platform: 'fcm', token: 'fred-phone' })).status).toBe(201);
    const n = await caseOf('ORG-INITECH', 'high');
    await api('mona@vendor.example', 'PATCH', `/cases/${n}`, { severity: 'critical', contactPhone: '+1 555 0100' });
    await local.notifier.drain();
    expect((await pushLog()).pushes.filter((p) => p.token === 'fred-phone')).toEqual([]);
    const web = await api('fred@initech.example', 'GET', '/notifications');
    expect(web.body.items).toEqual([expect.objectContaining({ caseNumber: n, orgId: 'ORG-INITECH' })]);
    expect((await api('fred@initech.example', 'GET', '/notifications', undefined, 'mobile')).body.items).toEqual([]);
  });

  it('NOTE-1: a phone that changes hands is its new owner’s alone: listed for them, and the former owner’s notifications no longer reach it', async () => {
    const first = await api('dana@acme.example', 'POST', '/devices', { platform: 'fcm', token: 'shared-phone' }, 'mobile');
    expect(first.status).toBe(201);
    const taken = await api('dave@acme.example', 'POST', '/devices', { platform: 'fcm', token: 'shared-phone' }, 'mobile');
    expect(taken.status).toBe(201);
    expect(taken.body.deviceId).toBe(first.body.deviceId);
    const ids = async (email: string) =>
      ((await api(email, 'GET', '/devices', undefined, 'mobile')).body.items as { deviceId: string }[]).map((d) => d.deviceId);
    expect(await ids('dave@acme.example')).toEqual([first.body.deviceId]);
    expect(await ids('dana@acme.example')).not.toContain(first.body.deviceId);

    // Dana follows Acme's new critical cases (above); Dave chose nothing.
    const n = await caseOf('ORG-ACME', 'low');
    await api('mona@vendor.example', 'PATCH', `/cases/${n}`, { severity: 'critical', contactPhone: '+1 555 0100' });
    await local.notifier.drain();
    expect((await api('dana@acme.example', 'GET', '/notifications')).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseNumber: n })]),
    );
    expect((await pushLog()).pushes.filter((p) => p.token === 'shared-phone')).toEqual([]);
    expect((await api('dave@acme.example', 'DELETE', `/devices/${first.body.deviceId}`)).status).toBe(204);
    expect(await ids('dave@acme.example')).toEqual([]);
  });

  it('NOTE-1: a user holds at most 10 devices: an 11th registration removes the oldest, with its endpoint', async () => {
    const registered: string[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api('greta@globex.example', 'POST', '/devices', { platform: 'fcm', token: `greta-phone-${i}` }, 'mobile');
      expect(res.status).toBe(201);
      registered.push(res.body.deviceId as string);
    }
    const listed = (await api('greta@globex.example', 'GET', '/devices', undefined, 'mobile')).body.items as {
      deviceId: string;
    }[];
    expect(listed.map((d) => d.deviceId).sort()).toEqual(registered.slice(1).sort());
    expect((await api('greta@globex.example', 'DELETE', `/devices/${registered[0]}`)).status).toBe(404);
    const endpoints = (await pushLog()).endpoints.filter((e) => e.token.startsWith('greta-phone-'));
    expect(endpoints.map((e) => e.token).sort()).toEqual(
      registered
        .slice(1)
        .map((_, i) => `greta-phone-${i + 1}`)
        .sort(),
    );
  });

  it('NOTE-1: POST /devices refuses an unknown platform and an empty token, naming the field', async () => {
    const res = await api('dana@acme.example', 'POST', '/devices', { platform: 'blackberry', token: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['platform', 'token']);
  });
});
