/**
 * Limits, through local mode over HTTP: bodies over 1 MB are 413, a page size over 100
 * is 400 naming `limit`, case creation over the per-user limit is 429 with Retry-After, and CORS
 * answers exactly the configured origins (API.md: errors are problem+json).
 */
import { RATE_LIMITS } from '../../lambdas/domain/kernel/rate-limits';
import { CORS_POLICY, DEV_PORTAL_ORIGIN } from '../../lib/stage';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

const PROBLEM = 'application/problem+json';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ stream: false, sweepEveryMs: 0 });
});
afterAll(async () => local?.stop());

const call = (method: string, path: string, email: string | undefined, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(email ? { authorization: `Bearer ${local.token(email)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body,
  });

const newCase = JSON.stringify({
  subject: 'Queue stuck',
  description: 'Calls wait forever',
  severity: 'low',
  orgId: 'ORG-ACME',
  productLine: 'Genesys Cloud CX',
});

describe('request limits', () => {
  it('a 20 KB URL and a 64 KB header are 431 problem+json (API Gateway takes 10,240 bytes of request line and headers), not an empty answer or a reset', async () => {
    const longUrl = await call('GET', `/cases?q=${'x'.repeat(20 * 1024)}`, 'dana@acme.example');
    expect(longUrl.status).toBe(431);
    expect(longUrl.headers.get('content-type')).toBe(PROBLEM);
    expect(await longUrl.json()).toMatchObject({ status: 431, type: '/problems/headers-too-large' });
    const bigHeader = await call('GET', '/health', undefined, undefined, { 'x-padding': 'y'.repeat(64 * 1024) });
    expect(bigHeader.status).toBe(431);
    expect(await bigHeader.json()).toMatchObject({ status: 431, type: '/problems/headers-too-large' });
  });

  it('a request body over 1 MB is 413 problem+json, before it is parsed', async () => {
    const res = await call('POST', '/cases', 'dana@acme.example', `{"subject":"${'x'.repeat(1024 * 1024)}"}`);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ status: 413, type: '/problems/body-too-large' });
  });

  it.each(['/cases', '/favorites', '/accounts', '/admin/inbound-mail', '/search?q=acme'])(
    'a page size over 100 is 400 naming limit (%s)',
    async (path) => {
      const res = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=101`, 'alice@vendor.example');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe(PROBLEM);
      const body = (await res.json()) as { errors: { path: string }[] };
      expect(body.errors.map((e) => e.path)).toEqual(['limit']);
      expect((await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100`, 'alice@vendor.example')).status).toBe(200);
    },
  );

  it('case creation over the per-user limit is 429 /problems/rate-limited with Retry-After; others are not slowed', async () => {
    let refused: Response | undefined;
    // The limit's window may roll over once while this runs: then the count starts again.
    for (let i = 0; i < 2 * RATE_LIMITS.cases.limit + 1 && !refused; i++) {
      const res = await call('POST', '/cases', 'dave@acme.example', newCase);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(201);
    }
    expect(refused).toBeDefined();
    expect(refused!.headers.get('content-type')).toBe(PROBLEM);
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= RATE_LIMITS.cases.windowSeconds).toBe(true);
    expect(await refused!.json()).toMatchObject({ status: 429, type: '/problems/rate-limited', retryAfter });
    expect((await call('POST', '/cases', 'dana@acme.example', newCase)).status).toBe(201);
  });

  it('CORS: preflight from the configured origin is answered with the policy; another origin gets no CORS headers', async () => {
    const preflight = (origin: string) =>
      fetch(`${local.url}/cases`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(DEV_PORTAL_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(DEV_PORTAL_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')?.split(',')).toEqual([...CORS_POLICY.allowHeaders]);
    expect(allowed.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PATCH']),
    );
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const get = await fetch(`${local.url}/health`, { headers: { origin: DEV_PORTAL_ORIGIN } });
    expect(get.headers.get('access-control-allow-origin')).toBe(DEV_PORTAL_ORIGIN);
    expect(get.headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['retry-after', 'etag']));
    expect(
      (await fetch(`${local.url}/health`, { headers: { origin: 'https://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});
