/**
 * Benchmark 4 (`npm run bench:capacity` alone): for each route, the DynamoDB calls one request makes and the capacity
 * DynamoDB Local reports for them (ReturnConsumedCapacity), measured in local mode over HTTP.
 * The README's "DynamoDB per route" table comes from this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoTap } from '../local/dynamo-tap';
import { KEY_PREFIX } from '../lambdas/data/keys';
import { TABLE } from '../lambdas/data/table';
import { ROUTES, type RouteDef } from '../lambdas/http/routes';
import { runAlone, type Section, table } from './lib';

/** What one function sent while a row ran: operations counted, capacity summed, items written. */
interface Usage {
  calls: Record<string, number>;
  capacity: number;
  /** Each item written (a transaction's or batch's items one by one), as `<operation> <key prefix>`. */
  writes: string[];
}

interface Meter {
  scans: number;
  /** Per function, as local mode names it on the wire (`unnamed` if a request carried no name). */
  byFunction: Map<string, Usage>;
  reset(): void;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Item = Record<string, { S?: string } | undefined>;
const prefixOf = (key: Item | undefined): string => {
  const pk = key?.[TABLE.partitionKey]?.S ?? '';
  return Object.values(KEY_PREFIX).find((p) => pk.startsWith(p)) ?? (pk || '?');
};

/** The items a write request touches, each with its partition's prefix. */
const writtenItems = (operation: string, input: Record<string, unknown>): string[] => {
  const i = input as {
    Item?: Item;
    Key?: Item;
    RequestItems?: Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>;
    TransactItems?: { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item }; ConditionCheck?: unknown }[];
  };
  switch (operation) {
    case 'PutItem':
      return [`PutItem ${prefixOf(i.Item)}`];
    case 'UpdateItem':
    case 'DeleteItem':
      return [`${operation} ${prefixOf(i.Key)}`];
    case 'BatchWriteItem':
      return Object.values(i.RequestItems ?? {})
        .flat()
        .map((r) => (r.PutRequest ? `PutItem ${prefixOf(r.PutRequest.Item)}` : `DeleteItem ${prefixOf(r.DeleteRequest?.Key)}`));
    case 'TransactWriteItems':
      return (i.TransactItems ?? []).flatMap((t) =>
        t.Put
          ? [`PutItem ${prefixOf(t.Put.Item)}`]
          : t.Update
            ? [`UpdateItem ${prefixOf(t.Update.Key)}`]
            : t.Delete
              ? [`DeleteItem ${prefixOf(t.Delete.Key)}`]
              : [],
      );
    default:
      return [];
  }
};

/**
 * Each function runs in its own worker with its own SDK client, and local mode names each on the
 * wire (`namedFunctions`), so the meter taps the wire between them and DynamoDB Local and keeps a
 * tally per function: it counts every operation, asks for ReturnConsumedCapacity and sums what
 * DynamoDB Local reports. A Scan is refused: no route may issue one.
 */
const meteringProxy = async (target: string): Promise<{ url: string; meter: Meter; close(): Promise<void> }> => {
  const meter: Meter = {
    scans: 0,
    byFunction: new Map(),
    reset() {
      meter.byFunction = new Map();
    },
  };
  const usage = (fn = 'unnamed') => {
    let u = meter.byFunction.get(fn);
    if (!u) meter.byFunction.set(fn, (u = { calls: {}, capacity: 0, writes: [] }));
    return u;
  };
  const tap = await startDynamoTap(target, {
    onRequest: (operation, input, fn) => {
      if (operation === 'Scan') meter.scans++;
      if (operation === 'Scan') return { refuse: 'Scan issued: every access pattern must Query a designed index' };
      const u = usage(fn);
      u.calls[operation] = (u.calls[operation] ?? 0) + 1;
      if (WRITE_OPERATIONS.has(operation)) u.writes.push(...writtenItems(operation, input));
      return { ...input, ReturnConsumedCapacity: 'TOTAL' };
    },
    onResponse: (_operation, output, fn) => {
      const cc = (output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] } | undefined)
        ?.ConsumedCapacity;
      for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) usage(fn).capacity += c.CapacityUnits ?? 0;
    },
  });
  return { url: tap.url, meter, close: tap.close };
};

const callsOf = (u: Usage | undefined): string =>
  u && Object.keys(u.calls).length
    ? Object.entries(u.calls)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')
    : 'none';

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
    // Every function's requests name it, so the notifier and the mail consumer, which run on the
    // stream beside the routes, are told apart from the route that caused their work.
    namedFunctions: true,
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
  /** Until the stream's consumers are done with what the last request caused (notifier, then the mail it queued). */
  const settled = async () => {
    for (let round = 0; round < 2; round++) {
      await local.notifier?.drain();
      for (let i = 0; i < 600 && (await local.mail.depth()).queued > 0; i++) await new Promise((r) => setTimeout(r, 100));
    }
  };
  await settled();
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
  const httpFunctions = new Set((ROUTES as readonly RouteDef[]).map((r) => r.handler));
  const SWEEP = 'run-sweep';
  const out: string[][] = [];
  const background = new Map<string, Usage>();
  /** ACC-10: the one write a read route's function makes, for a mobile caller only. */
  const SESSION_TOUCH = `UpdateItem ${KEY_PREFIX.session}`;
  /** The caller snapshot a signed-in call stores when a write invalidated it (never on a hit). */
  const SNAPSHOT_STORE = `PutItem ${KEY_PREFIX.callerSnapshot}`;
  const readRouteWrites: { route: string; writes: string[] }[] = [];
  let scans = 0;
  try {
    for (const [route, who, run] of rows) {
      meter.reset();
      const res = (await run()) as { status?: number } | undefined;
      await settled();
      scans += meter.scans;
      const ownName = route.startsWith('sweep') ? SWEEP : [...meter.byFunction.keys()].find((fn) => httpFunctions.has(fn));
      const own = ownName ? meter.byFunction.get(ownName) : undefined;
      const others = [...meter.byFunction].filter(([fn]) => fn !== ownName);
      for (const [fn, u] of others) {
        const sum = background.get(fn) ?? { calls: {}, capacity: 0, writes: [] };
        for (const [op, n] of Object.entries(u.calls)) sum.calls[op] = (sum.calls[op] ?? 0) + n;
        sum.capacity += u.capacity;
        background.set(fn, sum);
      }
      if (route.startsWith('GET ')) readRouteWrites.push({ route: `${route} (${who})`, writes: own?.writes ?? [] });
      out.push([
        route,
        who,
        typeof res?.status === 'number' ? String(res.status) : '—',
        ownName ?? '—',
        callsOf(own),
        (own?.capacity ?? 0).toFixed(1),
        others.length ? others.map(([fn, u]) => `${fn}: ${callsOf(u)} (${u.capacity.toFixed(1)})`).join('; ') : '—',
      ]);
    }
  } finally {
    await local.stop();
    await proxy!.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
  const readWrites = readRouteWrites.flatMap((r) => r.writes.map((w) => `${r.route}: ${w}`));
  const touches = readWrites.filter((w) => w.endsWith(SESSION_TOUCH));
  const stores = readWrites.filter((w) => w.endsWith(SNAPSHOT_STORE));
  const otherWrites = readWrites.filter((w) => !w.endsWith(SESSION_TOUCH) && !w.endsWith(SNAPSHOT_STORE));
  const storesNote = `${stores.length} caller snapshot store${stores.length === 1 ? '' : 's'} (${SNAPSHOT_STORE}) after a write had invalidated the caller${stores.length ? `: ${stores.map((w) => w.split(':')[0]).join('; ')}` : ''}`;
  const mobileTouchOnly = touches.every((w) => w.includes('mobile'));
  return {
    title: '4. DynamoDB calls and consumed capacity per route',
    goals: [
      { goal: '4. no route issues a Scan', met: scans === 0, figure: `${scans} Scans over ${rows.length} requests` },
      {
        goal: "4. read routes' own functions write nothing but the mobile session touch (ACC-10) and the caller snapshot's store after an invalidation",
        met: otherWrites.length === 0 && mobileTouchOnly,
        figure:
          `${readRouteWrites.length} GET requests: ${otherWrites.length ? otherWrites.join('; ') : 'no write'} ${otherWrites.length ? '' : `apart from ${touches.length} session touch${touches.length === 1 ? '' : 'es'} (${SESSION_TOUCH}) on mobile calls and ${storesNote}`}`.trim(),
      },
    ],
    markdown: [
      "One request per row, in order, in local mode on the demo data, over HTTP, with the table's stream on. Every function's DynamoDB traffic goes through a tap (local/dynamo-tap.ts) that counts each operation on the wire, asks for ReturnConsumedCapacity TOTAL and sums what DynamoDB Local reports (it reports capacity as AWS would bill it for on-demand tables: 0.5 RCU per 4 KB eventually consistent read, 1 WCU per 1 KB written, doubled inside transactions). A Scan would be refused and counted.",
      '',
      "Each function's requests carry its name on the wire (local mode's `namedFunctions`), so every call is counted against the function that made it: the route's own function (the HTTP handler, or `run-sweep` for the sweep rows) in its columns, and what functions on the stream did as a consequence (the notifier `notify`, the mail consumer `send-mail`) in the last column, with their capacity in brackets. Each row waits until those are done before the next request.",
      '',
      table(
        [
          'route',
          'caller',
          'status',
          'function',
          'its DynamoDB calls',
          'its capacity (units)',
          'then, in the background (capacity)',
        ],
        out,
        ['l', 'l', 'r', 'l', 'l', 'r', 'l'],
      ),
      '',
      `Read routes (every GET row): ${otherWrites.length ? `**writes by their own functions**: ${otherWrites.join('; ')}` : 'their own functions write nothing'}, apart from the session touch of a mobile caller (ACC-10: one UpdateItem of the caller's SESSION# item, ${touches.length} here) and the caller snapshot a call stores when a write had invalidated it (one conditional PutItem of CALLER#<user>; ${storesNote}). Whatever PutItem or UpdateItem appears beside a read route is in the background column: functions on the stream finishing what an earlier write caused.`,
      '',
      'Background functions over the whole run:',
      '',
      table(
        ['function', 'DynamoDB calls', 'capacity (units)'],
        [...background].map(([fn, u]) => [fn, callsOf(u), u.capacity.toFixed(1)]),
        ['l', 'l', 'r'],
      ),
    ].join('\n'),
  };
};

if (require.main === module) runAlone(runCapacity);
