/**
 * A generated client: openapi-typescript's types of the published document
 * (test/generated/openapi.d.ts, `npm run generate:client`) drive the running local API through
 * openapi-fetch. The types must be those of the live GET /openapi.json, and representative calls
 * (list, get, create, an error) must answer as they say (API.md: errors are problem+json).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ stream: false, sweepEveryMs: 0 });
});
afterAll(async () => local?.stop());

const clientAs = (email: string) =>
  createClient<paths>({ baseUrl: local.url, headers: { authorization: `Bearer ${local.token(email)}` } });

describe('a client generated from /openapi.json', () => {
  it('the generated types are those of the document the running API publishes', async () => {
    const document = await (await fetch(`${local.url}/openapi.json`)).text();
    const root = join(__dirname, '..', '..');
    const live = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'generate-client.ts'), '-'], {
      input: document,
      encoding: 'utf8',
    });
    // Stale? `npm run generate:client`.
    expect(live).toBe(readFileSync(join(root, 'test', 'generated', 'openapi.d.ts'), 'utf8'));
  });

  it('lists, creates and reads cases through the typed client', async () => {
    const dana = clientAs('dana@acme.example');
    const list = await dana.GET('/cases', { params: { query: { limit: 5 } } });
    expect(list.response.status).toBe(200);
    expect(list.data!.items.length).toBeGreaterThan(0);
    expect(list.data!.items.every((c) => typeof c.caseNumber === 'string')).toBe(true);

    const created = await dana.POST('/cases', {
      // The document marks kind required though the API defaults it to support (see the report).
      body: {
        kind: 'support',
        subject: 'Typed client',
        description: 'Opened through openapi-fetch',
        severity: 'low',
        orgId: 'ORG-ACME',
        productLine: 'Genesys Cloud CX',
      },
    });
    expect(created.response.status).toBe(201);
    const caseNumber = created.data!.caseNumber;
    expect(created.response.headers.get('location')).toBe(`/cases/${caseNumber}`);

    const got = await dana.GET('/cases/{caseNumber}', { params: { path: { caseNumber } } });
    expect(got.response.status).toBe(200);
    expect(got.data).toMatchObject({ caseNumber, subject: 'Typed client', status: 'new', severity: 'low' });
  });

  it('an error comes back as the documented Problem, problem+json naming the field', async () => {
    const dana = clientAs('dana@acme.example');
    const res = await dana.GET('/cases/{caseNumber}', { params: { path: { caseNumber: 'not-a-case' } } });
    expect(res.response.status).toBe(400);
    expect(res.response.headers.get('content-type')).toBe('application/problem+json');
    expect(res.error).toMatchObject({ type: '/problems/validation', status: 400, errors: [{ path: 'caseNumber' }] });

    const missing = await dana.GET('/cases/{caseNumber}', { params: { path: { caseNumber: '99999999' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});
