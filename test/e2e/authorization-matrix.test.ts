/**
 * Every route x every persona x every target, over real HTTP with real tokens against local mode.
 * Generated from the route table; the expected answers are data (authorization-matrix.data.ts).
 * A status alone proves little for lists and for refusals, so list bodies must hold exactly the
 * targets the persona may see, and every refusal must carry its problem type.
 */
import { request as httpRequest } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putCombination, putMembership, putUser } from '../../lambdas/data/directory-repo';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { ROUTES, routeKey, type RouteDef } from '../../lambdas/http/routes';
import { signUserToken } from '../../local/issuer';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';
import {
  EXTRA_COMBINATIONS,
  EXTRA_LEVELS,
  EXTRA_PERSONAS,
  INTERNAL_UPDATE,
  MATRIX,
  PERSONAS,
  TARGETS,
  type Persona,
  type Row,
  type Target,
} from './authorization-matrix.data';

const ORG: Record<Target, { orgId: string; productLine: string; contactId: string; designated: string }> = {
  acme: { orgId: 'ORG-ACME', productLine: 'Genesys Cloud CX', contactId: 'u-dana', designated: 'dana@acme.example' },
  globex: { orgId: 'ORG-GLOBEX', productLine: 'Genesys Cloud CX', contactId: 'u-greta', designated: 'greta@globex.example' },
  initech: { orgId: 'ORG-INITECH', productLine: 'Genesys Cloud CX', contactId: 'u-fred', designated: 'fred@initech.example' },
  umbrella: {
    orgId: 'ORG-UMBRELLA',
    productLine: 'PureConnect On-Premises',
    contactId: 'u-paula',
    designated: 'paula@northwind.example',
  },
};
const STAFF: Persona[] = ['alice', 'eric', 'mona', 'adam', 'aliceMobile', 'adamMobile'];
/** PRIV-2: personas whose token is the mobile app's. */
const onMobile = (p: Persona): boolean => (PERSONAS[p] as { client?: string }).client === 'mobile';
const isExtra = (p: Persona): p is keyof typeof EXTRA_PERSONAS => p in EXTRA_PERSONAS;

/** A valid body per route, so that only authorization (and the case's state) decides the answer. */
const bodyFor = (route: RouteDef, persona: Persona, target?: Target): unknown => {
  switch (routeKey(route)) {
    case 'POST /me/terms':
      return { version: '1999-01-01' };
    case 'PATCH /me/settings':
      return { defaultList: 'all' };
    case 'POST /cases': {
      const o = ORG[target!];
      return {
        subject: `matrix ${persona}`,
        description: 'authorization matrix',
        severity: 'low',
        orgId: o.orgId,
        productLine: o.productLine,
        ...(STAFF.includes(persona) ? { contactId: o.contactId } : {}),
      };
    }
    case 'POST /cases/{caseNumber}/updates':
      return { body: `matrix ${persona}` };
    case 'POST /cases/{caseNumber}/attachments':
      return { fileName: `matrix-${persona}.txt`, contentType: 'text/plain', size: 10 };
    case 'PATCH /cases/{caseNumber}':
      return { subStatus: `checked by ${persona}` };
    case 'POST /cases/{caseNumber}/escalation':
      return { reason: 'matrix' };
    case 'POST /cases/{caseNumber}/escalation/decision':
    case 'POST /cases/{caseNumber}/closure-request/decision':
      return { accept: false, comment: 'matrix' };
    case 'PUT /admin/orgs/{orgId}/members/{userId}':
      return { level: 'read_only' };
    case 'PUT /admin/contracts/{contractId}':
      return { status: 'active' };
    case 'POST /ingest/directory':
      return {
        contracts: [
          {
            contractId: 'CT-ORG-ACME-ORG-ACME',
            endUserOrgId: 'ORG-ACME',
            soldToOrgId: 'ORG-ACME',
            status: 'terminated',
            modifiedAt: '2020-01-01T00:00:00Z',
          },
        ],
      };
    case 'POST /ingest/alarms':
      return {
        alarms: [
          {
            id: `MATRIX-${persona}`,
            orgId: 'ORG-ACME',
            severity: 'minor',
            server: 'matrix-01',
            appName: 'Matrix',
            origin: 'SNMP',
            description: 'authorization matrix',
            status: 'active',
            modifiedAt: new Date().toISOString(),
          },
        ],
      };
    case 'POST /ingest/incidents':
      return {
        incidents: [
          {
            id: `MATRIX-${persona}`,
            orgId: 'ORG-ACME',
            title: 'matrix',
            status: 'investigating',
            modifiedAt: new Date().toISOString(),
          },
        ],
      };
    case 'POST /ingest/maintenance': {
      const at = new Date().toISOString();
      return {
        maintenance: [
          { id: `MATRIX-${persona}`, orgId: 'ORG-ACME', title: 'matrix', window: { start: at, end: at }, modifiedAt: at },
        ],
      };
    }
    case 'POST /devices':
      return { platform: 'fcm', token: `matrix-${persona}` };
    case 'POST /access-requests':
      return {
        email: `matrix.${persona.toLowerCase()}@acme.example`,
        name: `Matrix ${persona}`,
        level: 'read_only',
        combinations: [{ orgId: 'ORG-ACME' }],
      };
    case 'POST /access-requests/{id}/confirm':
      return { code: access.confirmCode };
    case 'POST /access-requests/{id}/decision':
      return { approve: true };
    default:
      return route.request?.body && !route.request.bodyOptional ? {} : undefined;
  }
};

/** A well-formed device id nobody registered: DELETE /devices/{deviceId} is the owner's only. */
const NOBODYS_DEVICE = 'AAAAAAAAAAAAAAAAAAAAAA';

let local: TestLocal;
let dynamo: DynamoDBClient;
/** ACC-6: a request to confirm (with its code) and a confirmed one of Acme to decide. */
const access = { confirmId: '', confirmCode: '', decideId: '' };
interface TargetCase {
  caseNumber: string;
  publicUpdateId: string;
  internalUpdateId: string;
  /** A public file eric uploaded, checked and available (the attachment routes only). */
  attachmentId?: string;
}
type Targets = Record<Target, TargetCase>;
/** For the routes without a case in their path (lists, search) and the internal-update check. */
let base: Targets;

/** One token per persona for the file: signing one per request was a few seconds of RSA. */
const tokens = new Map<Persona, string | undefined>();
const tokenOf = (persona: Persona): string | undefined => {
  if (!tokens.has(persona)) tokens.set(persona, signedFor(persona));
  return tokens.get(persona);
};
const signedFor = (persona: Persona): string | undefined => {
  if (persona === 'machine') return local.machineToken();
  if (isExtra(persona)) return signUserToken({ sub: EXTRA_PERSONAS[persona].userId, email: EXTRA_PERSONAS[persona].email });
  const p = PERSONAS[persona] as { email?: string; client?: 'mobile' };
  return p.email ? local.token(p.email, p.client ?? 'web') : undefined;
};

const send = async (token: string | undefined, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as Record<string, unknown> & { items?: Record<string, unknown>[] } };
};
const call = (persona: Persona, method: string, path: string, body?: unknown) => send(tokenOf(persona), method, path, body);
const as = (email: string, method: string, path: string, body?: unknown) => send(local.token(email), method, path, body);

const must = async <T>(what: string, status: number, p: Promise<{ status: number; body: T }>): Promise<T> => {
  const res = await p;
  if (res.status !== status) throw new Error(`setup: ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/**
 * Staff who open the targets, in turn: each may open 30 cases an hour (the per-user rate
 * limit), fewer than the matrix needs. Only EU staff may open a case of an EU/EEA organisation (PRIV-1).
 */
const OPENERS = {
  any: ['eric@vendor.example', 'adam@vendor.example', 'mona@vendor.example'],
  eu: ['eric@vendor.example', 'adam@vendor.example'],
};
const opened = new Map<string, number>();
const openerFor = (t: Target): string => {
  const pool = t === 'globex' ? OPENERS.eu : OPENERS.any;
  const who = [...pool].sort((a, b) => (opened.get(a) ?? 0) - (opened.get(b) ?? 0))[0];
  opened.set(who, (opened.get(who) ?? 0) + 1);
  return who;
};

/** eric uploads a public file to the case through its presigned URL; resolves once it is available. */
const uploadedFile = async (n: string): Promise<string> => {
  const bytes = new TextEncoder().encode('matrix file');
  const asked = await must(
    'upload',
    201,
    as('eric@vendor.example', 'POST', `/cases/${n}/attachments`, {
      fileName: 'matrix.txt',
      contentType: 'text/plain',
      size: bytes.byteLength,
    }),
  );
  const put = await fetch(asked.uploadUrl as string, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: bytes });
  if (put.status !== 200) throw new Error(`upload PUT: ${put.status}`);
  for (let i = 0; i < 100; i++) {
    const got = await as('eric@vendor.example', 'GET', `/cases/${n}/attachments/${asked.attachmentId as string}`);
    if (got.status === 200) return asked.attachmentId as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`file of case ${n} never became available`);
};

/** The base targets, each with one file eric uploaded (once, for the three attachment routes). */
let withFiles: Promise<Targets> | undefined;
const filesOnBase = (): Promise<Targets> =>
  (withFiles ??= (async () => {
    const out = {} as Targets;
    await Promise.all(TARGETS.map(async (t) => (out[t] = { ...base[t], attachmentId: await uploadedFile(base[t].caseNumber) })));
    return out;
  })());

/** One fresh open case per organisation, opened by staff for its contact, with eric's public and internal update. */
const freshTargets = async (key: string): Promise<Targets> => {
  const out = {} as Targets;
  // The four organisations' cases share nothing, so they are set up side by side.
  const setUp = async (t: Target) => {
    const o = ORG[t];
    const c = await must(
      `create ${t}`,
      201,
      as(openerFor(t), 'POST', '/cases', {
        subject: `target ${t} for ${key}`,
        description: 'matrix target',
        severity: 'medium',
        orgId: o.orgId,
        productLine: o.productLine,
        contactId: o.contactId,
      }),
    );
    const n = c.caseNumber as string;
    const pub = await must(
      `public update ${t}`,
      201,
      as('eric@vendor.example', 'POST', `/cases/${n}/updates`, { body: 'public note' }),
    );
    const internal = await must(
      `internal update ${t}`,
      201,
      as('eric@vendor.example', 'POST', `/cases/${n}/updates`, { body: 'internal note', visibility: 'internal' }),
    );
    // The state each route's cells assume (see the data file).
    if (key === 'POST /cases/{caseNumber}/escalation/decision')
      await must(`escalate ${t}`, 201, as(o.designated, 'POST', `/cases/${n}/escalation`, { reason: 'matrix setup' }));
    if (key === 'POST /cases/{caseNumber}/closure-request/decision')
      await must(`request closure ${t}`, 201, as(o.designated, 'POST', `/cases/${n}/closure-request`, {}));
    if (key === 'POST /cases/{caseNumber}/reopen')
      await must(`close ${t}`, 200, as('eric@vendor.example', 'PATCH', `/cases/${n}`, { status: 'closed' }));
    out[t] = { caseNumber: n, publicUpdateId: pub.updateId as string, internalUpdateId: internal.updateId as string };
  };
  await Promise.all(TARGETS.map(setUp));
  return out;
};

beforeAll(async () => {
  local = await startTestLocal();
  // The extra personas: directory items, written as an operator writes them (README, Known limits).
  dynamo = new DynamoDBClient({ endpoint: local.urls.dynamo });
  const ref = {
    doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    table: local.tableName,
  };
  for (const c of EXTRA_COMBINATIONS) await putCombination(ref, c);
  for (const p of Object.values(EXTRA_PERSONAS)) {
    await putUser(ref, {
      userId: p.userId,
      email: p.email,
      name: p.name,
      timeZone: 'America/New_York',
      termsVersion: CURRENT_TERMS.version,
      settings: { defaultList: 'all', notifications: {} },
    });
    for (const m of p.memberships) await putMembership(ref, { ...m, userId: p.userId });
  }
  base = await freshTargets('lists');
  // From another loopback address, so the personas' own requests stay within the per-source limit.
  const ask = async (email: string) => {
    const made = await anonymousFrom('127.0.0.2', '/access-requests', {
      email,
      name: 'Matrix target',
      level: 'read_only',
      combinations: [{ orgId: 'ORG-ACME' }],
    });
    const id = String(made.requestId);
    // The code leaves through the stream and the mail queue.
    await local.mailSettled();
    const store = (await (await fetch(local.urls.sesStore)).json()) as { emails: { body: { text?: string } }[] };
    const code = /Your code is (\d{6})/.exec(store.emails.find((m) => m.body.text?.includes(id))?.body.text ?? '')![1];
    return { id, code };
  };
  const toConfirm = await ask('matrix.confirm@acme.example');
  const toDecide = await ask('matrix.decide@acme.example');
  await anonymousFrom('127.0.0.2', `/access-requests/${toDecide.id}/confirm`, { code: toDecide.code });
  Object.assign(access, { confirmId: toConfirm.id, confirmCode: toConfirm.code, decideId: toDecide.id });
  // No cell reads a notification, and telling every follower of every target case (mail, push)
  // was a third of this file's CPU; the notifications' own files test them.
  await local.notifier.stop();
});

/** An anonymous POST from a given loopback source address (the gateway's sourceIp). */
const anonymousFrom = async (from: string, path: string, body: unknown): Promise<Record<string, unknown>> =>
  (await postFrom(from, path, body)).body;

/** A POST from a given loopback source address, with the persona's token if any. */
const postFrom = (
  from: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const url = new URL(`${local.url}${path}`);
    const payload = JSON.stringify(body);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
afterAll(async () => {
  dynamo?.destroy();
  await local?.stop();
});

const DEFAULT_PROBLEM: Record<number, string> = { 400: 'validation', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };

/** `status` or `status:problem`, with the default problem of a bare 4xx spelled out. */
const normalize = (cell: string): string => {
  const [status, problem] = cell.split(':');
  const s = Number(status);
  if (s < 400) return status;
  return `${status}:${problem ?? DEFAULT_PROBLEM[s] ?? '(must be named)'}`;
};
const answerOf = (status: number, body: unknown): string => {
  if (status < 400) return String(status);
  const type = (body as { type?: unknown } | undefined)?.type;
  return `${status}:${typeof type === 'string' ? type.replace(/^\/problems\//, '') : '(no problem type)'}`;
};

const visibleTargets = (persona: Persona): Target[] =>
  TARGETS.filter((_, i) => MATRIX['GET /cases/{caseNumber}'][persona].split(' ')[i] === '200');
const caseNumbers = (items: unknown) => ((items as { caseNumber: string }[]) ?? []).map((x) => x.caseNumber);
const updateIds = (items: unknown) => ((items as { updateId: string }[]) ?? []).map((x) => x.updateId);

/**
 * What a 2xx body must show for the status to mean what the cell says; undefined when it does.
 * Lists hold the targets the persona may read (caseRead's 200s) and none of the others.
 */
const bodyIssue = (
  key: string,
  persona: Persona,
  body: Record<string, unknown> & { items?: Record<string, unknown>[] },
  t?: Target,
  target?: TargetCase,
): string | undefined => {
  const seen = visibleTargets(persona);
  switch (key) {
    case 'GET /me': {
      if (!isExtra(persona)) return undefined;
      const levels = Object.fromEntries((body.memberships as { orgId: string; level: string }[]).map((m) => [m.orgId, m.level]));
      const want = EXTRA_LEVELS[persona];
      return JSON.stringify(levels) === JSON.stringify(want) ? undefined : `levels ${JSON.stringify(levels)}`;
    }
    case 'GET /cases': {
      const listed = caseNumbers(body.items);
      const wrong = TARGETS.filter((x) => listed.includes(base[x].caseNumber) !== seen.includes(x));
      return wrong.length ? `list wrong on ${wrong.join(', ')}` : undefined;
    }
    case 'GET /search': {
      const cases = caseNumbers(body.cases);
      const accounts = (body.accounts as { orgId: string }[]).map((a) => a.orgId);
      const acme = seen.includes('acme');
      if (cases.includes(base.acme.caseNumber) !== acme) return `Acme case ${acme ? 'missing' : 'shown'}`;
      if (accounts.includes('ORG-ACME') !== acme) return `Acme account ${acme ? 'missing' : 'shown'}`;
      return undefined;
    }
    case 'GET /admin/orgs/shortfall': {
      // ACC-5: Initech has one Designated Contact, so staff see it in shortfall; PRIV-2: not on the phone.
      const listed = (body.items as { orgId: string }[]).map((x) => x.orgId).includes('ORG-INITECH');
      return listed === !onMobile(persona) ? undefined : `Initech ${listed ? 'shown' : 'missing'}`;
    }
    // ACC-4: the older CRM record changed nothing; the admin's PUT left the contract active.
    case 'POST /ingest/directory':
      return body.unchanged === 1 ? undefined : `not unchanged: ${JSON.stringify(body.results)}`;
    case 'PUT /admin/contracts/{contractId}':
      return (body.contract as { status?: string }).status === 'active' ? undefined : 'contract not active';
    case 'POST /cases':
      return body.orgId === ORG[t!].orgId ? undefined : `opened for ${String(body.orgId)}`;
    case 'GET /cases/{caseNumber}':
      return body.caseNumber === target!.caseNumber ? undefined : 'another case';
    case 'GET /cases/{caseNumber}/updates': {
      const listed = updateIds(body.items);
      const staff = STAFF.includes(persona);
      if (!listed.includes(target!.publicUpdateId)) return 'public update missing';
      if (listed.includes(target!.internalUpdateId) !== staff) return `internal update ${staff ? 'missing' : 'shown'}`;
      return undefined;
    }
    case 'GET /cases/{caseNumber}/updates/{updateId}':
      return body.updateId === target!.publicUpdateId ? undefined : 'another update';
    case 'GET /cases/{caseNumber}/attachments': {
      const listed = ((body.items as { attachmentId: string }[]) ?? []).map((x) => x.attachmentId);
      return listed.includes(target!.attachmentId!) ? undefined : 'file missing';
    }
    case 'GET /cases/{caseNumber}/attachments/{attachmentId}':
      if (body.attachmentId !== target!.attachmentId) return 'another file';
      // PRIV-1: a restricted view carries neither the name nor a link.
      if (body.restricted) return body.downloadUrl || body.fileName ? 'restricted view with a link' : undefined;
      return typeof body.downloadUrl === 'string' ? undefined : 'no link';
    case 'internal':
      return body.updateId === target!.internalUpdateId && body.visibility === 'internal' ? undefined : 'not the internal update';
    default:
      return undefined;
  }
};

/** Runs one persona's row over the four targets, or once for an untargeted route. */
const runRow = async (
  key: string,
  route: RouteDef,
  row: Row,
  persona: Persona,
  targets: () => Targets,
  path: (t: TargetCase) => string,
  sideBySide = false,
) => {
  const cells = row[persona].split(' ');
  expect(cells).toHaveLength(TARGETS.length);
  const got: Record<string, string> = {};
  const want: Record<string, string> = {};
  const cell = async (i: number, t: Target) => {
    const target = targets()[t];
    const res = await call(persona, route.method, path(target), bodyFor(route, persona, t));
    const issue = res.status < 300 ? bodyIssue(key, persona, res.body, t, target) : undefined;
    got[t] = answerOf(res.status, res.body) + (issue ? ` (${issue})` : '');
    if (key === 'POST /cases' && res.status === 400 && !JSON.stringify(res.body.errors ?? []).includes('"orgId"'))
      got[t] += ' (not on orgId)';
    want[t] = normalize(cells[i]);
  };
  // A case route's four targets are four organisations' cases: independent, so asked side by
  // side. Other routes ask the same path four times, where order can matter, so one at a time.
  if (sideBySide) await Promise.all(TARGETS.map((t, i) => cell(i, t)));
  else for (const [i, t] of TARGETS.entries()) await cell(i, t);
  expect(got).toEqual(want);
};

describe('authorization matrix', () => {
  it('covers every route of the route table and nothing else; every 409 names its problem', () => {
    expect(Object.keys(MATRIX).sort()).toEqual((ROUTES as readonly RouteDef[]).map(routeKey).sort());
    const unnamed = Object.entries(MATRIX).flatMap(([k, row]) =>
      Object.entries(row)
        .filter(([, cells]) => cells.split(' ').some((c) => normalize(c).endsWith('(must be named)')))
        .map(([p]) => `${k} ${p}`),
    );
    expect(unnamed).toEqual([]);
  });

  describe.each((ROUTES as readonly RouteDef[]).map((r) => [routeKey(r), r] as const))('%s', (key, route) => {
    const onCase = route.path.includes('{caseNumber}');
    let targets: Targets;
    if (onCase) {
      // Fresh cases per route: the state one route's personas leave behind never decides another's.
      // Files change no case: the attachment routes ask on the base targets, so the matrix opens
      // no more cases than the openers' hourly limit (CASE creation rate limit) allows.
      beforeAll(async () => {
        targets = key.includes('/attachments') ? await filesOnBase() : await freshTargets(key);
      });
    }
    it.each(Object.keys(PERSONAS) as Persona[])('%s', async (persona) => {
      const row = MATRIX[key];
      expect(row?.[persona]).toBeDefined();
      if (onCase) {
        await runRow(
          key,
          route,
          row,
          persona,
          () => targets,
          (tc) =>
            route.path
              .replace('{caseNumber}', tc.caseNumber)
              .replace('{updateId}', tc.publicUpdateId)
              .replace('{attachmentId}', tc.attachmentId ?? 'none'),
          true,
        );
        return;
      }
      if (key === 'POST /cases') {
        await runRow(
          key,
          route,
          row,
          persona,
          () => base,
          () => route.path,
        );
        return;
      }
      const path =
        key === 'GET /search'
          ? '/search?q=Acme'
          : key === 'GET /cases'
            ? '/cases?limit=100'
            : route.path
                .replace('{orgId}', 'ORG-ACME')
                .replace('{userId}', 'u-rita')
                .replace('{contractId}', 'CT-ORG-ACME-ORG-ACME')
                .replace('{kind}/{id}', 'account/ORG-ACME')
                .replace('{deviceId}', NOBODYS_DEVICE)
                .replace('{id}/confirm', `${access.confirmId}/confirm`)
                .replace('{id}/decision', `${access.decideId}/decision`)
                .replace('{id}/release', 'nobodys-held-message/release');
      // ACC-6 limits requests to 20 an hour per source address: each persona asks from its own.
      const res =
        key === 'POST /access-requests'
          ? await postFrom(
              `127.0.1.${(Object.keys(PERSONAS) as Persona[]).indexOf(persona) + 1}`,
              path,
              bodyFor(route, persona),
              tokenOf(persona),
            )
          : await call(persona, route.method, path, bodyFor(route, persona));
      const issue = res.status < 300 ? bodyIssue(key, persona, res.body) : undefined;
      expect({ persona, answer: answerOf(res.status, res.body) + (issue ? ` (${issue})` : '') }).toEqual({
        persona,
        answer: normalize(row[persona]),
      });
    });
  });

  describe('GET /cases/{caseNumber}/updates/{updateId} of an internal update (CASE-6)', () => {
    it.each(Object.keys(PERSONAS) as Persona[])('%s', async (persona) => {
      const route = (ROUTES as readonly RouteDef[]).find((r) => routeKey(r) === 'GET /cases/{caseNumber}/updates/{updateId}')!;
      await runRow(
        'internal',
        route,
        INTERNAL_UPDATE,
        persona,
        () => base,
        (tc) => `/cases/${tc.caseNumber}/updates/${tc.internalUpdateId}`,
      );
    });
  });
});
