/**
 * Benchmark 4 (`npm run bench:capacity` alone): for each route, the DynamoDB calls one request makes and the capacity
 * DynamoDB Local reports for them (ReturnConsumedCapacity), measured in local mode over HTTP.
 * The README's "DynamoDB per route" table comes from this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoTap } from '../local/dynamo-tap';
import { runAlone, type Section, table } from './lib';

interface Meter {
  scans: number;
  calls: Record<string, number>;
  capacity: number;
  reset(): void;
}

/**
 * Each function runs in its own worker with its own SDK client, so the meter taps the wire between
 * them and DynamoDB Local: it counts every operation, asks for ReturnConsumedCapacity and sums
 * what DynamoDB Local reports. A Scan is refused: no route may issue one.
 */
const meteringProxy = async (target: string): Promise<{ url: string; meter: Meter; close(): Promise<void> }> => {
  const meter: Meter = {
    scans: 0,
    calls: {},
    capacity: 0,
    reset() {
      meter.calls = {};
      meter.capacity = 0;
    },
  };
  const tap = await startDynamoTap(target, {
    onRequest: (operation, input) => {
      if (operation === 'Scan') meter.scans++;
      if (operation === 'Scan') return { refuse: 'Scan issued: every access pattern must Query a designed index' };
      meter.calls[operation] = (meter.calls[operation] ?? 0) + 1;
      return { ...input, ReturnConsumedCapacity: 'TOTAL' };
    },
    onResponse: (_operation, output) => {
      const cc = (output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] } | undefined)
        ?.ConsumedCapacity;
      for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) meter.capacity += c.CapacityUnits ?? 0;
    },
  });
  return { url: tap.url, meter, close: tap.close };
};

export const runCapacity = async (): Promise<Omit<Section, 'seconds'>> => {
  const keyDir = mkdtempSync(join(tmpdir(), 'casework-bench-'));
  process.env.CASEWORK_KEY_DIR = keyDir;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const { startLocal } = await import('../local');
  let proxy: Awaited<ReturnType<typeof meteringProxy>> | undefined;
  const local = await startLocal({
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    smtpPort: 0,
    awsPort: 0,
    pushPort: 0,
    chatPort: 0,
    sweepEveryMs: 0,
    dynamoEndpointForFunctions: async (endpoint) => (proxy = await meteringProxy(endpoint)).url,
  });
  const { signUserToken } = await import('../local/issuer');
  const { CURRENT_TERMS } = await import('../lambdas/domain/kernel/catalogue');
  const { meter } = proxy!;
  const token = (sub: string, client: 'web' | 'mobile' = 'web') => signUserToken({ sub, email: `${sub}@x`, client });
  const call = async (
    sub: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    client: 'web' | 'mobile' = 'web',
  ) => {
    const res = await fetch(`${local.urls.api}${path}`, {
      method,
      headers: { ...(sub ? { authorization: `Bearer ${token(sub, client)}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => undefined)) as { items: { caseNumber: string; updateId: string }[] },
    };
  };
  const first = (await call('u-dana', 'GET', '/cases')).body.items[0].caseNumber as string;
  const upd = (await call('u-dana', 'GET', `/cases/${first}/updates`)).body.items[0].updateId as string;
  const rows: [string, string, () => Promise<unknown>][] = [
    ['GET /health, /openapi.json, /terms', 'anyone', () => call(undefined, 'GET', '/terms')],
    ['POST /me/terms', 'tina', () => call('u-tina', 'POST', '/me/terms', { version: CURRENT_TERMS.version })],
    ['GET /me', 'dana', () => call('u-dana', 'GET', '/me')],
    ['PATCH /me/settings', 'dana', () => call('u-dana', 'PATCH', '/me/settings', { defaultList: 'all' })],
    ['GET /me (mobile: + session touch)', 'dana', () => call('u-dana', 'GET', '/me', undefined, 'mobile')],
    ['GET /cases', 'dana (1 org)', () => call('u-dana', 'GET', '/cases')],
    ['GET /cases', 'paula (partner)', () => call('u-paula', 'GET', '/cases')],
    ['GET /cases', 'eric (staff, all orgs)', () => call('u-eric', 'GET', '/cases')],
    ['GET /cases?scope=mine', 'dana', () => call('u-dana', 'GET', '/cases?scope=mine')],
    [
      'POST /cases',
      'dana',
      () =>
        call('u-dana', 'POST', '/cases', {
          subject: 's',
          description: 'd',
          severity: 'low',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
        }),
    ],
    ['GET /cases/{n}', 'dana', () => call('u-dana', 'GET', `/cases/${first}`)],
    ['GET /cases/{n}/updates', 'dana', () => call('u-dana', 'GET', `/cases/${first}/updates`)],
    ['GET /cases/{n}/updates/{id}', 'dana', () => call('u-dana', 'GET', `/cases/${first}/updates/${upd}`)],
    ['POST /cases/{n}/updates', 'dana', () => call('u-dana', 'POST', `/cases/${first}/updates`, { body: 'hello' })],
    ['PATCH /cases/{n}', 'alice', () => call('u-alice', 'PATCH', `/cases/${first}`, { subStatus: 'x' })],
    ['GET /cases/{n}/history', 'dana', () => call('u-dana', 'GET', `/cases/${first}/history`)],
    ['POST /cases/{n}/escalation', 'dana', () => call('u-dana', 'POST', `/cases/${first}/escalation`, { reason: 'r' })],
    [
      'POST /cases/{n}/escalation/decision',
      'alice',
      () => call('u-alice', 'POST', `/cases/${first}/escalation/decision`, { accept: true, comment: 'ok' }),
    ],
    ['POST /cases/{n}/closure-request', 'dana', () => call('u-dana', 'POST', `/cases/${first}/closure-request`, {})],
    ['PATCH /cases/{n} (close)', 'alice', () => call('u-alice', 'PATCH', `/cases/${first}`, { status: 'closed' })],
    ['POST /cases/{n}/reopen', 'dana', () => call('u-dana', 'POST', `/cases/${first}/reopen`, {})],
    ['GET /search?q=acme', 'dana', () => call('u-dana', 'GET', '/search?q=acme')],
    ['GET /admin/orgs/shortfall', 'adam', () => call('u-adam', 'GET', '/admin/orgs/shortfall')],
    [
      'PUT /admin/orgs/{orgId}/members/{userId}',
      'adam',
      () => call('u-adam', 'PUT', '/admin/orgs/ORG-ACME/members/u-rita', { level: 'read_only' }),
    ],
    // Accounts, subscriptions, favorites (NOTE-2, LIST-5).
    ['GET /accounts', 'dana', () => call('u-dana', 'GET', '/accounts')],
    ['GET /accounts', 'eric (staff, all orgs)', () => call('u-eric', 'GET', '/accounts')],
    ['GET /accounts/{orgId}', 'dana', () => call('u-dana', 'GET', '/accounts/ORG-ACME')],
    [
      'PUT /accounts/{orgId}/subscription',
      'dana',
      () => call('u-dana', 'PUT', '/accounts/ORG-ACME/subscription', { newCritical: true }),
    ],
    ['PUT /cases/{n}/subscription', 'dana', () => call('u-dana', 'PUT', `/cases/${first}/subscription`)],
    ['PUT /favorites/case/{n} (new)', 'dana', () => call('u-dana', 'PUT', `/favorites/case/${first}`)],
    ['PUT /favorites/case/{n} (again)', 'dana', () => call('u-dana', 'PUT', `/favorites/case/${first}`)],
    ['PUT /favorites/account/{orgId}', 'dana', () => call('u-dana', 'PUT', '/favorites/account/ORG-ACME')],
    ['GET /favorites', 'dana (1 case, 1 account)', () => call('u-dana', 'GET', '/favorites')],
    [
      'DELETE /favorites/case/{n}',
      'dana (also subscribed explicitly)',
      () => call('u-dana', 'DELETE', `/favorites/case/${first}`),
    ],
    ['DELETE /cases/{n}/subscription', 'dana', () => call('u-dana', 'DELETE', `/cases/${first}/subscription`)],
    [
      'PATCH /me/settings (alarms)',
      'dana (1 org)',
      () => call('u-dana', 'PATCH', '/me/settings', { notifications: { alarms: true }, alarms: { severity: 'critical' } }),
    ],
    ['sweep, first run', 'scheduler (4 seeded cases due)', () => local.scheduler.runOnce()],
    ['sweep, again', 'scheduler (nothing due)', () => local.scheduler.runOnce()],
  ];
  const out: string[][] = [];
  let scans = 0;
  try {
    for (const [route, who, run] of rows) {
      meter.reset();
      const res = (await run()) as { status?: number } | undefined;
      scans += meter.scans;
      const calls = Object.entries(meter.calls)
        .map(([k, v]) => `${v} ${k.replace('Command', '')}`)
        .join(', ');
      out.push([route, who, typeof res?.status === 'number' ? String(res.status) : '—', calls, meter.capacity.toFixed(1)]);
    }
  } finally {
    await local.stop();
    await proxy!.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
  return {
    title: '4. DynamoDB calls and consumed capacity per route',
    goals: [{ goal: '4. no route issues a Scan', met: scans === 0, figure: `${scans} Scans over ${rows.length} requests` }],
    markdown: [
      "One request per row, in order, in local mode on the demo data, over HTTP. Every function's DynamoDB traffic goes through a tap (local/dynamo-tap.ts) that counts each operation on the wire, asks for ReturnConsumedCapacity TOTAL and sums what DynamoDB Local reports (it reports capacity as AWS would bill it for on-demand tables: 0.5 RCU per 4 KB eventually consistent read, 1 WCU per 1 KB written, doubled inside transactions). A Scan would be refused and counted.",
      '',
      table(['route', 'caller', 'status', 'DynamoDB calls', 'consumed capacity (units)'], out, ['l', 'l', 'r', 'l', 'r']),
    ].join('\n'),
  };
};

if (require.main === module) runAlone(runCapacity);
