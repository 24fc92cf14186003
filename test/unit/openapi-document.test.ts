/**
 * A complete contract: GET /openapi.json (built from the route table) declares
 * per operation what API.md promises: the statuses with their problem types, the Idempotency-Key
 * and If-Match headers, ETag, Location and Retry-After, an operationId, the servers of API.md's
 * local mode and of AWS, a license and contact, and the bearer and machine security schemes. A
 * route added without the optional declaration fields still gets its kind's answers, and the
 * document still passes Redocly's lint. test/integration/fuzz.test.ts checks the other direction:
 * that everything a route answers is declared.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { buildOpenApi } from '../../lambdas/http/openapi';
import { PROBLEM_TYPES } from '../../lambdas/http/problem-types';
import { ROUTES, type RouteDef } from '../../lambdas/http/routes';

interface Media {
  schema?: { $ref?: string; allOf?: { $ref?: string }[]; properties?: { type?: { enum?: string[] } } };
}
interface Response {
  description: string;
  headers?: Record<string, { $ref?: string }>;
  content?: Record<string, Media>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Doc {
  info: { license?: { name?: string; identifier?: string; url?: string }; contact?: Record<string, string> };
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string; flows?: { clientCredentials?: { scopes: object } } }>;
    parameters: Record<string, { name: string; in: string }>;
    headers: Record<string, unknown>;
  };
}

const ROOT = join(__dirname, '..', '..');
const docOf = (routes?: readonly RouteDef[]) => buildOpenApi(routes) as unknown as Doc;
const doc = docOf();
const op = (key: string, d: Doc = doc): Operation => {
  const [method, path] = key.split(' ');
  const found = d.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`the document has no ${key}`);
  return found;
};
const problemTypes = (o: Operation, status: number): string[] =>
  o.responses[status]?.content?.['application/problem+json']?.schema?.properties?.type?.enum ?? [];
const headerParams = (o: Operation, d: Doc = doc): string[] =>
  (o.parameters ?? []).flatMap((p) => {
    const param = '$ref' in p ? d.components.parameters[p.$ref.split('/').pop()!] : p;
    return param.in === 'header' ? [param.name] : [];
  });
const responseHeaders = (o: Operation, status: number): string[] => Object.keys(o.responses[status]?.headers ?? {});
const keys = (ROUTES as readonly RouteDef[]).map((r) => `${r.method} ${r.path}`);

// API.md's endpoint table: who may call what.
const PUBLIC = ['GET /health', 'GET /openapi.json', 'GET /terms', 'POST /access-requests', 'POST /access-requests/{id}/confirm'];
const MACHINE = ['POST /ingest/alarms', 'POST /ingest/incidents', 'POST /ingest/maintenance', 'POST /ingest/directory'];

const redoclyLint = (document: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'casework-openapi-test-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    return spawnSync(
      process.execPath,
      [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'summary'],
      { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('GET /openapi.json is a complete contract', () => {
  it('every route is one operation, its operationId the handler name, all distinct, each tagged with a declared tag', () => {
    const declaredTags = new Set((doc.tags ?? []).map((t) => t.name));
    for (const r of ROUTES as readonly RouteDef[]) {
      const o = op(`${r.method} ${r.path}`);
      expect({ route: r.handler, operationId: o.operationId }).toEqual({
        route: r.handler,
        operationId: r.handler.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()),
      });
      expect(o.tags?.length).toBe(1);
      expect(declaredTags.has(o.tags![0])).toBe(true);
    }
    const ids = keys.map((k) => op(k).operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of doc.tags ?? []) expect(t.description).toEqual(expect.any(String));
  });

  it("names API.md's local address and a templated AWS URL as servers, and a license and contact", () => {
    const urls = (doc.servers ?? []).map((s) => s.url);
    expect(urls).toContain('http://127.0.0.1:3000');
    const aws = doc.servers!.find((s) => /amazonaws\.com/.test(s.url))!;
    expect(aws.url).toMatch(/\{region\}/);
    for (const [name, v] of Object.entries(aws.variables ?? {}))
      expect({ name, default: v.default }).toEqual({ name, default: expect.any(String) });
    expect(doc.info.license?.name).toEqual(expect.any(String));
    expect(doc.info.license?.identifier ?? doc.info.license?.url).toEqual(expect.any(String));
    expect(doc.info.contact?.name).toEqual(expect.any(String));
  });

  it('API.md, Auth: anyone calls the public routes; users with a bearer JWT, and 401 when it is missing or bad; machines with the casework/ingest scope', () => {
    const schemes = doc.components.securitySchemes;
    for (const key of keys) {
      const security = op(key).security ?? [];
      if (PUBLIC.includes(key)) {
        expect({ key, security }).toEqual({ key, security: [] });
        continue;
      }
      expect({ key, schemes: security.length }).toEqual({ key, schemes: 1 });
      const [[name, scopes]] = Object.entries(security[0]);
      if (MACHINE.includes(key)) {
        expect(schemes[name].type).toBe('oauth2');
        expect(Object.keys(schemes[name].flows!.clientCredentials!.scopes)).toContain('casework/ingest');
        expect(scopes).toEqual(['casework/ingest']);
      } else {
        expect(schemes[name]).toMatchObject({ type: 'http', scheme: 'bearer' });
      }
      expect({ key, types: problemTypes(op(key), 401) }).toEqual({
        key,
        types: expect.arrayContaining(['/problems/unauthorized']),
      });
    }
  });

  it('API.md, Errors: every error status of every operation is problem+json Problem, or the gateway body beside it', () => {
    for (const key of keys) {
      for (const [status, response] of Object.entries(op(key).responses)) {
        if (Number(status) < 400) continue;
        const media = Object.keys(response.content ?? {});
        expect({ key, status, declaresBody: media.length > 0 }).toEqual({ key, status, declaresBody: true });
        const problem = response.content!['application/problem+json'];
        if (problem) {
          expect(problem.schema?.allOf?.[0]?.$ref).toBe('#/components/schemas/Problem');
          // A problem type is listed under the one status it comes with.
          for (const t of problemTypes(op(key), Number(status)))
            expect({ key, type: t, status: PROBLEM_TYPES[t as keyof typeof PROBLEM_TYPES]?.status }).toEqual({
              key,
              type: t,
              status: Number(status),
            });
        }
        for (const other of media.filter((m) => m !== 'application/problem+json'))
          expect(response.content![other].schema?.$ref).toBe('#/components/schemas/GatewayError');
        expect(response.description.length).toBeGreaterThan(0);
      }
    }
  });

  it('API.md: a body with unknown fields is 400 and one over 1 MB is 413, wherever a body is taken', () => {
    const withBody = keys.filter((k) => op(k).requestBody);
    expect(withBody).toEqual(expect.arrayContaining(['POST /cases', 'PATCH /cases/{caseNumber}', 'PATCH /me/settings']));
    for (const key of withBody) {
      expect({ key, types: problemTypes(op(key), 400) }).toEqual({
        key,
        types: expect.arrayContaining(['/problems/validation']),
      });
      expect({ key, types: problemTypes(op(key), 413) }).toEqual({
        key,
        types: expect.arrayContaining(['/problems/body-too-large']),
      });
    }
  });

  it('API.md: PATCH of a case takes If-Match and answers 412 when it is stale; the case is read and written with its ETag', () => {
    const patch = op('PATCH /cases/{caseNumber}');
    expect(headerParams(patch)).toContain('If-Match');
    expect(problemTypes(patch, 412)).toContain('/problems/precondition-failed');
    expect(responseHeaders(patch, 200)).toContain('ETag');
    expect(responseHeaders(op('GET /cases/{caseNumber}'), 200)).toContain('ETag');
  });

  it.each([
    'POST /cases',
    'POST /cases/{caseNumber}/updates',
    'POST /cases/{caseNumber}/escalation',
    'POST /cases/{caseNumber}/closure-request',
    'POST /access-requests',
  ])('API.md: %s takes an optional Idempotency-Key; the same key with another body is refused', (key) => {
    const o = op(key);
    expect(headerParams(o)).toContain('Idempotency-Key');
    expect(problemTypes(o, 422)).toContain('/problems/idempotency-key-reused');
    expect(responseHeaders(o, 201)).toContain('Idempotent-Replayed');
  });

  it('what is created is answered with its Location', () => {
    for (const key of ['POST /cases', 'POST /cases/{caseNumber}/updates', 'POST /devices'])
      expect({ key, headers: responseHeaders(op(key), 201) }).toEqual({ key, headers: expect.arrayContaining(['Location']) });
  });

  it('API.md: the 21st favorite is 409 /problems/favorites-limit; PUT of a favorite it already is answers 200', () => {
    const put = op('PUT /favorites/{kind}/{id}');
    expect(problemTypes(put, 409)).toContain('/problems/favorites-limit');
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('API.md: case data waits for the Terms (/problems/terms-not-accepted); a resource one may not see is 404', () => {
    for (const key of ['GET /cases', 'GET /cases/{caseNumber}', 'POST /cases'])
      expect({ key, types: problemTypes(op(key), 403) }).toEqual({
        key,
        types: expect.arrayContaining(['/problems/terms-not-accepted']),
      });
    for (const key of keys.filter((k) => /\{\w+\}/.test(k)))
      expect({ key, types: problemTypes(op(key), 404) }).toEqual({ key, types: ['/problems/not-found'] });
  });

  it('a rate-limited route answers 429 with Retry-After', () => {
    for (const key of ['POST /cases', 'POST /cases/{caseNumber}/updates', 'PATCH /cases/{caseNumber}', 'POST /access-requests']) {
      expect({ key, types: problemTypes(op(key), 429) }).toEqual({ key, types: ['/problems/rate-limited'] });
      expect({ key, headers: responseHeaders(op(key), 429) }).toEqual({ key, headers: ['Retry-After'] });
    }
  });

  it('every problem type the code names is catalogued, so that a route can declare it', () => {
    const named = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(/['"`](\/problems\/[a-z-]+)['"`]/g)) named.add(m[1]);
      }
    };
    walk(join(ROOT, 'lambdas'));
    walk(join(ROOT, 'local'));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((t) => !(t in PROBLEM_TYPES))).toEqual([]);
  });

  it('a route declared without the optional fields (as a new one would be) gets the answers of its kind, and the document still lints', () => {
    const route: RouteDef = {
      method: 'POST',
      path: '/widgets/{widgetId}/polish',
      handler: 'polish-widget',
      permission: 'signedIn',
      table: 'read',
      caseData: true,
      summary: 'A route another branch might add',
      request: { params: z.object({ widgetId: z.string() }), body: z.strictObject({ shine: z.boolean() }) },
      success: { status: 201 },
    };
    const withNew = docOf([...(ROUTES as readonly RouteDef[]), route]);
    const o = op('POST /widgets/{widgetId}/polish', withNew);
    expect(o.operationId).toBe('polishWidget');
    expect(withNew.tags?.map((t) => t.name)).toContain(o.tags![0]);
    expect(Object.keys(o.responses).sort()).toEqual(['201', '400', '401', '403', '404', '413', '429', '500', '503']);
    expect(problemTypes(o, 403)).toContain('/problems/terms-not-accepted');
    expect(headerParams(o, withNew)).toEqual([]);

    const lint = redoclyLint(withNew);
    expect({ status: lint.status, output: lint.status === 0 ? '' : `${lint.stdout}${lint.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
  });
});
