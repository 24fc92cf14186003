/**
 * Over HTTP in local mode, where each function runs in its own worker and every request resolves
 * its caller from one snapshot item: an access change made through the API takes effect on the
 * very next request of a caller whose snapshot is warm (ACC-5 level changes, ACC-9 Terms).
 */
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  // Nothing here reads a notification: no notifier, mail or push work beside the requests.
  local = await startTestLocal({ sweepEveryMs: 0, stream: false });
});
afterAll(async () => {
  await local?.stop();
});

const api = async (email: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email, 'web')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const DAVE = 'dave@acme.example';
const ADAM = 'adam@vendor.example';
const newCase = {
  subject: 'Calls drop after 30 seconds',
  description: 'Outbound calls drop after about 30 seconds since the upgrade.',
  severity: 'low',
  orgId: 'ORG-ACME',
  productLine: 'Genesys Cloud CX',
};
const acmeLevel = async (email: string) =>
  ((await api(email, 'GET', '/me')).body.memberships as { orgId: string; level: string }[]).find((m) => m.orgId === 'ORG-ACME')
    ?.level;

describe('the caller snapshot over HTTP', () => {
  it('ACC-5: a level change takes effect on the very next request of a contact who has just been served', async () => {
    // Served twice: the second request reads the stored snapshot.
    expect(await acmeLevel(DAVE)).toBe('designated');
    expect((await api(DAVE, 'POST', '/cases', newCase)).status).toBe(201);

    expect((await api(ADAM, 'PUT', '/admin/orgs/ORG-ACME/members/u-dave', { level: 'read_only' })).status).toBe(200);
    try {
      const refused = await api(DAVE, 'POST', '/cases', newCase);
      expect(refused.status).toBe(403);
      expect(await acmeLevel(DAVE)).toBe('read_only');
    } finally {
      expect((await api(ADAM, 'PUT', '/admin/orgs/ORG-ACME/members/u-dave', { level: 'designated' })).status).toBe(200);
    }
    expect((await api(DAVE, 'POST', '/cases', newCase)).status).toBe(201);
  });

  it('ACC-9: accepting the Terms takes effect on the very next request', async () => {
    const TINA = 'tina@acme.example';
    expect((await api(TINA, 'GET', '/me')).body.termsAccepted).toBe(false);
    const refused = await api(TINA, 'GET', '/cases');
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('/problems/terms-not-accepted');
    expect((await api(TINA, 'POST', '/me/terms', { version: CURRENT_TERMS.version })).status).toBe(200);
    expect((await api(TINA, 'GET', '/cases')).status).toBe(200);
  });
});
