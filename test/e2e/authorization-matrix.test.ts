/**
 * Every route x every demo persona x every target, over real HTTP with real tokens against local
 * mode. Generated from the route table; the expected statuses are data (authorization-matrix.data.ts).
 */
import { ROUTES, routeKey, type RouteDef } from '../../lambdas/http/routes';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';
import { MATRIX, PERSONAS, TARGETS, type Persona, type Target } from './authorization-matrix.data';

const ORG: Record<Target, { orgId: string; productLine: string; contactId: string }> = {
  acme: { orgId: 'ORG-ACME', productLine: 'Genesys Cloud CX', contactId: 'u-dana' },
  globex: { orgId: 'ORG-GLOBEX', productLine: 'Genesys Cloud CX', contactId: 'u-greta' },
  initech: { orgId: 'ORG-INITECH', productLine: 'Genesys Cloud CX', contactId: 'u-fred' },
  umbrella: { orgId: 'ORG-UMBRELLA', productLine: 'PureConnect On-Premises', contactId: 'u-paula' },
};
const STAFF: Persona[] = ['alice', 'eric', 'mona', 'adam'];

/** A valid body per route, so that only authorization decides the answer. */
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
    case 'PATCH /cases/{caseNumber}':
      return { subStatus: `checked by ${persona}` };
    case 'POST /cases/{caseNumber}/escalation':
      return { reason: 'matrix' };
    case 'POST /cases/{caseNumber}/escalation/decision':
      return { accept: false, comment: 'matrix' };
    case 'PUT /admin/orgs/{orgId}/members/{userId}':
      return { level: 'read_only' };
    default:
      return route.request?.body && !route.request.bodyOptional ? {} : undefined;
  }
};

let local: TestLocal;
const targets = {} as Record<Target, { caseNumber: string; updateId: string }>;

const call = async (persona: Persona, method: string, path: string, body?: unknown) => {
  const p = PERSONAS[persona] as { email?: string; client?: 'mobile' };
  const token = persona === 'machine' ? local.machineToken() : p.email ? local.token(p.email, p.client ?? 'web') : undefined;
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
};

beforeAll(async () => {
  local = await startTestLocal();
  // One open case per target organisation, with one public update, seen through staff eyes.
  const eric = { authorization: `Bearer ${local.token('eric@vendor.example')}`, 'content-type': 'application/json' };
  for (const t of TARGETS) {
    const o = ORG[t];
    const created = await fetch(`${local.url}/cases`, {
      method: 'POST',
      headers: eric,
      body: JSON.stringify({
        subject: `target ${t}`,
        description: 'matrix target',
        severity: 'medium',
        orgId: o.orgId,
        productLine: o.productLine,
        contactId: o.contactId,
      }),
    });
    const c = (await created.json()) as { caseNumber: string };
    const update = await fetch(`${local.url}/cases/${c.caseNumber}/updates`, {
      method: 'POST',
      headers: eric,
      body: JSON.stringify({ body: 'public note' }),
    });
    const u = (await update.json()) as { updateId: string };
    targets[t] = { caseNumber: c.caseNumber, updateId: u.updateId };
  }
});
afterAll(async () => local?.stop());

const matches = (expected: string, status: number) =>
  expected === 'ok' ? (status >= 200 && status < 300) || status === 409 : status === Number(expected);

describe('authorization matrix', () => {
  it('covers every route of the route table and nothing else', () => {
    expect(Object.keys(MATRIX).sort()).toEqual((ROUTES as readonly RouteDef[]).map(routeKey).sort());
  });

  describe.each((ROUTES as readonly RouteDef[]).map((r) => [routeKey(r), r] as const))('%s', (key, route) => {
    const targeted = route.path.includes('{caseNumber}') || key === 'POST /cases';
    it.each(Object.keys(PERSONAS) as Persona[])('%s', async (persona) => {
      const row = MATRIX[key];
      expect(row?.[persona]).toBeDefined();
      const cells = row[persona].split(' ');
      if (!targeted) {
        const path =
          key === 'GET /search'
            ? '/search?q=Acme'
            : route.path.replace('{orgId}', 'ORG-ACME').replace('{userId}', 'u-rita').replace('{kind}/{id}', 'account/ORG-ACME');
        const status = await call(persona, route.method, path, bodyFor(route, persona));
        expect({ persona, status }).toEqual({ persona, status: matches(cells[0], status) ? status : cells[0] });
        return;
      }
      expect(cells).toHaveLength(TARGETS.length);
      const got: Record<string, string | number> = {};
      const want: Record<string, string | number> = {};
      for (const [i, t] of TARGETS.entries()) {
        const path = route.path.replace('{caseNumber}', targets[t].caseNumber).replace('{updateId}', targets[t].updateId);
        const status = await call(persona, route.method, path, bodyFor(route, persona, t));
        got[t] = matches(cells[i], status) ? cells[i] : status;
        want[t] = cells[i];
      }
      expect(got).toEqual(want);
    });
  });
});
