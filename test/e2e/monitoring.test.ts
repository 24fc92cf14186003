/**
 * ALARM-1, ALARM-2 end to end: the whole local mode over HTTP with real tokens (the monitoring
 * machine client's, the demo users'), DynamoDB Local and its stream, the notifier, fauxqs'
 * integration topic and queue. Nothing is mocked.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
let sqs: SQSClient;
beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0 });
  sqs = new SQSClient({
    endpoint: local.urls.sns,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  sqs?.destroy();
  await local?.stop();
});

type Body = Record<string, unknown> & { items?: Record<string, unknown>[]; results?: Record<string, unknown>[] };
const send = async (token: string | undefined, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: (text ? JSON.parse(text) : undefined) as Body };
};
const machine = (path: string, body: unknown) => send(local.machineToken(), 'POST', path, body);
const as = (email: string, path: string, client: 'web' | 'mobile' = 'web') => send(local.token(email, client), 'GET', path);
const ids = (b: Body) => (b.items ?? []).map((i) => i.id as string);

/** Everything the integration queue holds now. */
const drainQueue = async () => {
  const out: { body: Record<string, unknown>; attributes: Record<string, string> }[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: local.urls.integrationQueue,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages)
      out.push({
        body: JSON.parse(m.Body!),
        attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue!])),
      });
  }
};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const alarm = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  orgId: 'ORG-ACME',
  severity: 'major',
  server: 'e2e-01',
  appName: 'Engage On-Premise',
  origin: 'E2E probe',
  description: `e2e ${id}`,
  status: 'active',
  modifiedAt: minutesAgo(30),
  ...extra,
});

describe('ALARM-1: alarms over HTTP', () => {
  it("ALARM-1: the demo data's alarms: Acme's newest modified first, active and closed", async () => {
    const res = await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100');
    expect(res.status).toBe(200);
    const demo = ids(res.body).filter((i) => i.startsWith('ALM-ACME-'));
    expect(demo).toEqual(['ALM-ACME-1001', 'ALM-ACME-1002', 'ALM-ACME-1003']);
    const times = (res.body.items ?? []).map((i) => i.modifiedAt as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.nextCursor).toBeNull();
  });

  it('ALARM-1: a resend updates the alarm (active -> closed), never duplicates it; the same resend again changes nothing', async () => {
    const first = await machine('/ingest/alarms', { alarms: [alarm('E2E-RESEND')] });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ index: 0, id: 'E2E-RESEND', outcome: 'created' }]);
    const closing = { alarms: [alarm('E2E-RESEND', { status: 'closed', modifiedAt: minutesAgo(10) })] };
    expect((await machine('/ingest/alarms', closing)).body.results).toEqual([{ index: 0, id: 'E2E-RESEND', outcome: 'updated' }]);
    expect((await machine('/ingest/alarms', closing)).body.results).toEqual([
      expect.objectContaining({ index: 0, id: 'E2E-RESEND', outcome: 'unchanged', reason: 'not-newer' }),
    ]);
    const all = await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100');
    expect(ids(all.body).filter((i) => i === 'E2E-RESEND')).toHaveLength(1);
    expect(ids((await as('dana@acme.example', '/accounts/ORG-ACME/alarms?type=active&limit=100')).body)).not.toContain(
      'E2E-RESEND',
    );
    const closed = await as('dana@acme.example', '/accounts/ORG-ACME/alarms?type=closed&limit=100');
    expect(closed.body.items?.find((i) => i.id === 'E2E-RESEND')).toMatchObject({
      status: 'closed',
      description: 'e2e E2E-RESEND',
    });
  });

  it('ALARM-1: a batch with bad entries stores the good ones and answers which failed and why', async () => {
    const res = await machine('/ingest/alarms', {
      alarms: [
        alarm('E2E-GOOD-1'),
        alarm('E2E-BAD-SEVERITY', { severity: 'high' }),
        alarm('E2E-NO-RAM', { orgId: 'ORG-GLOBEX' }),
        alarm('E2E-UNKNOWN-ORG', { orgId: 'ORG-NOPE' }),
        alarm('E2E-GOOD-2', { orgId: 'ORG-UMBRELLA' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 5, stored: 2, rejected: 3 });
    expect(res.body.results).toEqual([
      { index: 0, id: 'E2E-GOOD-1', outcome: 'created' },
      expect.objectContaining({
        index: 1,
        id: 'E2E-BAD-SEVERITY',
        outcome: 'rejected',
        reason: 'invalid',
        errors: [expect.objectContaining({ path: 'alarms.1.severity' })],
      }),
      expect.objectContaining({ index: 2, id: 'E2E-NO-RAM', outcome: 'rejected', reason: 'no-alarm-monitoring' }),
      expect.objectContaining({ index: 3, id: 'E2E-UNKNOWN-ORG', outcome: 'rejected', reason: 'unknown-organisation' }),
      { index: 4, id: 'E2E-GOOD-2', outcome: 'created' },
    ]);
    expect(ids((await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100')).body)).toContain('E2E-GOOD-1');
    expect(ids((await as('paula@northwind.example', '/accounts/ORG-UMBRELLA/alarms?limit=100')).body)).toContain('E2E-GOOD-2');
  });

  it('ALARM-1: a malformed batch is 400 problem+json naming the field; nothing of it is stored', async () => {
    const cases: [unknown, string][] = [
      [{}, 'alarms'],
      [{ alarms: 'many' }, 'alarms'],
      [{ alarms: [] }, 'alarms'],
      [{ alarms: Array.from({ length: 101 }, (_, i) => alarm(`E2E-MANY-${i}`)) }, 'alarms'],
      [{ alarms: [alarm('E2E-EXTRA')], extra: true }, 'extra'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await machine('/ingest/alarms', body);
      expect({ status: res.status, type: res.type, problem: res.body.type }).toEqual({
        status: 400,
        type: 'application/problem+json',
        problem: '/problems/validation',
      });
      expect(JSON.stringify(res.body.errors)).toContain(`"path":"${field}`);
    }
    const listed = ids((await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100')).body);
    expect(listed.filter((i) => i.startsWith('E2E-MANY-') || i === 'E2E-EXTRA')).toEqual([]);
  });

  it('ALARM-1: filters type, severity, from/to and excludeOrigins, newest first; bad filters are 400 on the field', async () => {
    const base = Date.now();
    const t = (m: number) => new Date(base - (200 - m) * 60_000).toISOString();
    const batch = [
      alarm('E2E-F-1', { severity: 'critical', origin: 'Filter-A', modifiedAt: t(1) }),
      alarm('E2E-F-2', { severity: 'minor', origin: 'Filter-B', modifiedAt: t(2) }),
      alarm('E2E-F-3', { severity: 'critical', origin: 'Filter-B', status: 'closed', modifiedAt: t(3) }),
      alarm('E2E-F-4', { severity: 'major', origin: 'Filter-A', modifiedAt: t(4) }),
    ];
    expect((await machine('/ingest/alarms', { alarms: batch })).body).toMatchObject({ stored: 4 });
    const list = async (q: string) => {
      const res = await as('dana@acme.example', `/accounts/ORG-ACME/alarms?limit=100&${q}`);
      expect(res.status).toBe(200);
      return ids(res.body).filter((i) => i.startsWith('E2E-F-'));
    };
    const window = `from=${encodeURIComponent(t(1))}&to=${encodeURIComponent(t(4))}`;
    expect(await list(window)).toEqual(['E2E-F-4', 'E2E-F-3', 'E2E-F-2', 'E2E-F-1']);
    expect(await list(`${window}&type=active`)).toEqual(['E2E-F-4', 'E2E-F-2', 'E2E-F-1']);
    expect(await list(`${window}&type=closed`)).toEqual(['E2E-F-3']);
    expect(await list(`${window}&severity=critical`)).toEqual(['E2E-F-3', 'E2E-F-1']);
    expect(await list(`${window}&severity=critical,minor&type=active`)).toEqual(['E2E-F-2', 'E2E-F-1']);
    expect(await list(`${window}&excludeOrigins=filter-b`)).toEqual(['E2E-F-4', 'E2E-F-1']);
    expect(await list(`from=${encodeURIComponent(t(2))}&to=${encodeURIComponent(t(3))}`)).toEqual(['E2E-F-3', 'E2E-F-2']);
    for (const [q, field] of [
      ['type=open', 'type'],
      ['severity=high', 'severity'],
      ['from=yesterday', 'from'],
      [`from=${encodeURIComponent(t(4))}&to=${encodeURIComponent(t(1))}`, 'to'],
    ]) {
      const res = await as('dana@acme.example', `/accounts/ORG-ACME/alarms?${q}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(`"path":"${field}`);
    }
  });

  it('ALARM-1: cursor pages of an alarm list neither skip nor repeat; a cursor of another query is refused', async () => {
    const whole = ids((await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100')).body);
    const paged: string[] = [];
    let cursor: string | null = null;
    let first: string | undefined;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await as('dana@acme.example', `/accounts/ORG-ACME/alarms?limit=2${q}`);
      expect(res.status).toBe(200);
      paged.push(...ids(res.body));
      cursor = res.body.nextCursor as string | null;
      first ??= cursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(whole);
    const other = await as('dana@acme.example', `/accounts/ORG-ACME/alarms?type=closed&cursor=${encodeURIComponent(first!)}`);
    expect(other.status).toBe(400);
  });
});

describe('ALARM-1: who reads and who ingests', () => {
  it("ALARM-1: partner multiview: Northwind's Designated Contact reads Umbrella's alarms from the path; Umbrella's own read-only user too", async () => {
    const paula = await as('paula@northwind.example', '/accounts/ORG-UMBRELLA/alarms');
    expect(paula.status).toBe(200);
    expect(ids(paula.body)).toEqual(expect.arrayContaining(['ALM-UMB-2001', 'ALM-UMB-2002']));
    expect((paula.body.items ?? []).every((a) => a.orgId === 'ORG-UMBRELLA')).toBe(true);
    expect((await as('uma@umbrella.example', '/accounts/ORG-UMBRELLA/alarms')).status).toBe(200);
    // Staff read any organisation's alarms (ACC-8).
    expect((await as('alice@vendor.example', '/accounts/ORG-UMBRELLA/alarms')).status).toBe(200);
  });

  it('PRIV-3: dana gets 404 for Umbrella, exactly as for an organisation that does not exist; paula 404 for Acme', async () => {
    const umbrella = await as('dana@acme.example', '/accounts/ORG-UMBRELLA/alarms');
    const missing = await as('dana@acme.example', '/accounts/ORG-NOPE/alarms');
    expect(umbrella.status).toBe(404);
    expect(umbrella.body).toEqual(missing.body);
    expect((await as('paula@northwind.example', '/accounts/ORG-ACME/alarms')).status).toBe(404);
  });

  it('ALARM-1: an organisation without Remote Alarm Monitoring has no alarms: 404, for its own people and staff', async () => {
    expect((await as('greta@globex.example', '/accounts/ORG-GLOBEX/alarms')).status).toBe(404);
    expect((await as('eric@vendor.example', '/accounts/ORG-GLOBEX/alarms')).status).toBe(404);
    expect((await as('paula@northwind.example', '/accounts/ORG-NORTHWIND/alarms')).status).toBe(404);
  });

  it('ALARM-1: a user token gets 403 on ingest; the machine token gets 403 on user routes; no token 401', async () => {
    const user = await send(local.token('adam@vendor.example'), 'POST', '/ingest/alarms', { alarms: [alarm('E2E-USER')] });
    expect({ status: user.status, type: user.body.type }).toEqual({ status: 403, type: '/problems/forbidden' });
    for (const path of ['/accounts/ORG-ACME/alarms', '/me', '/cases']) {
      const res = await send(local.machineToken(), 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    expect((await send(undefined, 'POST', '/ingest/alarms', { alarms: [alarm('E2E-ANON')] })).status).toBe(401);
    expect(ids((await as('dana@acme.example', '/accounts/ORG-ACME/alarms?limit=100')).body)).not.toContain('E2E-USER');
  });
});

describe('ALARM-1, ALARM-2: notifications reach the integration queue', () => {
  it('ALARM-1, ALARM-2: alarm, cloud-incident and maintenance events are published once each, without free text; an unchanged resend publishes nothing', async () => {
    await local.notifier.drain();
    await drainQueue();
    const a = alarm('E2E-NOTIFY', { severity: 'critical', description: 'Secret text of the alarm' });
    await machine('/ingest/alarms', { alarms: [a] });
    const closed = { ...a, status: 'closed', modifiedAt: minutesAgo(5) };
    expect((await machine('/ingest/alarms', { alarms: [closed] })).body.results?.[0].outcome).toBe('updated');
    expect((await machine('/ingest/alarms', { alarms: [closed] })).body.results?.[0].outcome).toBe('unchanged');
    const incident = await machine('/ingest/incidents', {
      incidents: [
        {
          id: 'E2E-INC-1',
          orgId: 'ORG-GLOBEX',
          title: 'Recording degraded',
          status: 'investigating',
          productLine: 'Genesys Cloud CX',
          modifiedAt: minutesAgo(3),
        },
        { id: 'E2E-INC-2', orgId: 'ORG-UMBRELLA', title: 'On-premises only', status: 'investigating', modifiedAt: minutesAgo(3) },
      ],
    });
    expect(incident.body.results?.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['E2E-INC-1', 'created', undefined],
      ['E2E-INC-2', 'rejected', 'no-cloud-deployment'],
    ]);
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const end = new Date(Date.now() + 90_000_000).toISOString();
    const maintenance = await machine('/ingest/maintenance', {
      maintenance: [
        {
          id: 'E2E-MNT-1',
          orgIds: ['ORG-ACME', 'ORG-GLOBEX'],
          title: 'Upgrade',
          window: { start, end },
          modifiedAt: minutesAgo(2),
        },
      ],
    });
    expect(maintenance.body).toMatchObject({ stored: 1 });

    await local.notifier.drain();
    const messages = await drainQueue();
    const alarms = messages.filter(
      (m) => m.attributes.eventType === 'alarm' && (m.body.notice as { id?: string })?.id === 'E2E-NOTIFY',
    );
    // A queue does not promise order: the two publications, whichever came first.
    expect(alarms.map((m) => (m.body.notice as { status: string }).status).sort()).toEqual(['active', 'closed']);
    expect(alarms[0].attributes).toMatchObject({ orgId: 'ORG-ACME', eventType: 'alarm' });
    expect(alarms[0].body.notice).toMatchObject({ kind: 'alarm', alarmSeverity: 'critical', origin: 'E2E probe' });
    expect(new Set(alarms.map((m) => m.body.eventId)).size).toBe(2);
    expect(JSON.stringify(messages)).not.toContain('Secret text of the alarm');

    const incidents = messages.filter((m) => m.attributes.eventType === 'cloud-incident');
    expect(incidents.map((m) => [m.attributes.orgId, (m.body.notice as { id: string }).id, m.body.productLine])).toEqual([
      ['ORG-GLOBEX', 'E2E-INC-1', 'Genesys Cloud CX'],
    ]);
    const maint = messages.filter(
      (m) => m.attributes.eventType === 'maintenance' && (m.body.notice as { id?: string })?.id === 'E2E-MNT-1',
    );
    expect(maint.map((m) => m.attributes.orgId).sort()).toEqual(['ORG-ACME', 'ORG-GLOBEX']);
    expect(maint[0].body.notice).toMatchObject({
      window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    });
  });
});
