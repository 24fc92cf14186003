/**
 * Local mode end to end: real sockets, real tokens, the real handlers on DynamoDB Local. The
 * second part drives the gateway with a stand-in handler to pin the event API Gateway sends.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { RouteDef } from '../../lambdas/http/routes';
import { awsEnvironmentNames, httpFunctionSpecs, type FunctionSpec } from '../../lib/function-specs';
import { startFunctionHost } from '../../local/functions';
import { MAX_BODY_BYTES, startGateway } from '../../local/gateway';
import type { Gateway, LambdaHandler } from '../../local/gateway';
import { ISSUER, jwks, signClaims, signMachineToken, signUserToken } from '../../local/issuer';
import { KEPT_LOCAL, type KeptLocal } from '../helpers/environment';
import { startTestLocal } from '../helpers/local-mode';
import type { TestLocal } from '../helpers/local-mode';

const PROBLEM = 'application/problem+json';

/** A token our issuer would sign, but signed with a key the gateway has never seen. */
const foreignToken = (kid: string) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part({
    sub: 'u-dana',
    iss: ISSUER,
    client_id: 'casework-web',
    token_use: 'access',
    scope: 'openid email',
    iat: now,
    exp: now + 3600,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
};

const expectProblem = async (res: Response, status: number, type: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe(PROBLEM);
  const body = (await res.json()) as { type: string; title: string; status: number; detail: string };
  expect(body).toMatchObject({ type, status });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
};

describe('local mode (npm start in-process)', () => {
  let local: TestLocal;
  beforeAll(async () => {
    local = await startTestLocal();
  });
  afterAll(async () => {
    await local?.stop();
  });

  const get = (path: string, token?: string) =>
    fetch(`${local.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('GET /health answers 200 without a token', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /terms and GET /openapi.json answer 200 in functions that, as in AWS, have no TABLE_NAME', async () => {
    expect((await get('/terms')).status).toBe(200);
    const openapi = await get('/openapi.json');
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
  });

  it('GET /me without a token is 401 problem+json', async () => {
    const body = await expectProblem(await get('/me'), 401, '/problems/unauthorized');
    expect(body.title).toBe('Unauthorized');
  });

  it('GET /me with a garbage token is 401', async () => {
    await expectProblem(await get('/me', 'not-a-jwt'), 401, '/problems/unauthorized');
  });

  it('GET /me with a token signed by another key is 401, whatever its kid', async () => {
    const ourKid = jwks().keys[0].kid as string;
    await expectProblem(await get('/me', foreignToken(ourKid)), 401, '/problems/unauthorized');
    await expectProblem(await get('/me', foreignToken('someone-elses-key')), 401, '/problems/unauthorized');
  });

  it('GET /me with an expired token or one for an unknown client is 401', async () => {
    const expired = signUserToken({ sub: 'u-dana', email: 'dana@acme.example', now: Math.floor(Date.now() / 1000) - 7200 });
    await expectProblem(await get('/me', expired), 401, '/problems/unauthorized');
    await expectProblem(await get('/me', signMachineToken('stranger')), 401, '/problems/unauthorized');
  });

  it("GET /me with dana's token is 200 and describes dana", async () => {
    const res = await get('/me', local.token('dana@acme.example'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: 'dana@acme.example' });
  });

  it('an unknown path is 404 and a known path with another method is 405', async () => {
    await expectProblem(await get('/no-such-thing'), 404, '/problems/not-found');
    const res = await fetch(`${local.url}/health`, { method: 'DELETE' });
    await expectProblem(res, 405, '/problems/method-not-allowed');
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('serves the local JWKS and the outbound mail store', async () => {
    const keys = (await (await get('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(keys.keys.map((k) => k.kid)).toEqual([jwks().keys[0].kid]);
    const store = await fetch(local.urls.sesStore);
    expect(store.status).toBe(200);
    expect(await store.json()).toMatchObject({ emails: expect.any(Array) });
  });
});

describe('local gateway: the API Gateway payload 2.0 contract', () => {
  let gateway: Gateway;
  let keyDir: string;
  let lastEvent: APIGatewayProxyEventV2WithJWTAuthorizer;
  const previousKeyDir = process.env.CASEWORK_KEY_DIR;

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/things/{thingId}',
      handler: 'echo',
      permission: 'signedIn',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 200 },
    },
    {
      method: 'GET',
      path: '/things/special',
      handler: 'special',
      permission: 'public',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 200 },
    },
    {
      method: 'POST',
      path: '/upload',
      handler: 'echo',
      permission: 'public',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 200 },
    },
    {
      method: 'POST',
      path: '/ingest/alarms',
      handler: 'echo',
      permission: 'ingest',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 202 },
    },
    {
      method: 'GET',
      path: '/boom',
      handler: 'boom',
      permission: 'public',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 200 },
    },
    {
      method: 'GET',
      path: '/binary',
      handler: 'binary',
      permission: 'public',
      table: 'none',
      caseData: false,
      summary: '',
      success: { status: 200 },
    },
  ];
  const handlers: Record<string, LambdaHandler> = {
    echo: async (event) => {
      lastEvent = event as APIGatewayProxyEventV2WithJWTAuthorizer;
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        cookies: ['a=1; Path=/', 'b=2; Path=/'],
        body: JSON.stringify({ ok: true }),
      };
    },
    special: async () => ({ statusCode: 200, body: 'special' }),
    boom: async () => {
      throw new Error('boom');
    },
    binary: async () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      isBase64Encoded: true,
      body: Buffer.from([1, 2, 3]).toString('base64'),
    }),
  };

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'casework-keys-'));
    process.env.CASEWORK_KEY_DIR = keyDir;
    gateway = await startGateway({ port: 0, routes, loadHandler: async (name) => handlers[name] });
  });
  afterAll(async () => {
    await gateway?.close();
    if (previousKeyDir === undefined) delete process.env.CASEWORK_KEY_DIR;
    else process.env.CASEWORK_KEY_DIR = previousKeyDir;
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('builds the event as API Gateway does', async () => {
    const token = signUserToken({ sub: 'u-1', email: 'u1@acme.example', client: 'mobile' });
    const res = await fetch(`${gateway.url}/things/T%2042?a=1&b=2&a=3`, {
      headers: { authorization: `Bearer ${token}`, cookie: 'x=1; y=2', 'x-custom': 'v' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const e = lastEvent;
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{thingId}',
      rawPath: '/things/T%2042',
      rawQueryString: 'a=1&b=2&a=3',
      queryStringParameters: { a: '1,3', b: '2' },
      pathParameters: { thingId: 'T 42' },
      cookies: ['x=1', 'y=2'],
      isBase64Encoded: false,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        routeKey: 'GET /things/{thingId}',
        stage: '$default',
        http: { method: 'GET', path: '/things/T%2042', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        authorizer: { jwt: { scopes: ['openid', 'email'] } },
      },
    });
    expect(e.body).toBeUndefined();
    expect(e.headers['x-custom']).toBe('v');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const claims = e.requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'u-1',
      client_id: 'casework-mobile',
      token_use: 'access',
      scope: 'openid email',
      email: 'u1@acme.example',
    });
    // HTTP APIs hand every claim over as a string.
    expect(typeof claims.exp).toBe('string');
  });

  it('prefers a literal path segment over a variable one', async () => {
    const res = await fetch(`${gateway.url}/things/special`);
    expect(await res.text()).toBe('special');
  });

  it('passes text bodies as they are and binary ones base64-encoded', async () => {
    await fetch(`${gateway.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' });
    expect(lastEvent).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    await fetch(`${gateway.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255]),
    });
    expect(lastEvent).toMatchObject({ body: Buffer.from([0, 255]).toString('base64'), isBase64Encoded: true });
  });

  it('decodes base64 responses', async () => {
    const res = await fetch(`${gateway.url}/binary`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it("refuses bodies over Lambda's 6 MB payload limit with 413", async () => {
    const res = await fetch(`${gateway.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
    });
    await expectProblem(res, 413, '/problems/payload-too-large');
  });

  it('needs the ingest scope on ingest routes, like the route authorization scopes', async () => {
    const user = signUserToken({ sub: 'u-1', email: 'u1@acme.example' });
    const asUser = await fetch(`${gateway.url}/ingest/alarms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user}` },
      body: '{}',
    });
    await expectProblem(asUser, 403, '/problems/forbidden');
    const asMachine = await fetch(`${gateway.url}/ingest/alarms`, {
      method: 'POST',
      headers: { authorization: signMachineToken('monitoring') },
      body: '{}',
    });
    expect(asMachine.status).toBe(200);
    expect(lastEvent.requestContext.authorizer.jwt).toMatchObject({
      claims: { sub: 'monitoring', client_id: 'monitoring' },
      scopes: ['casework/ingest'],
    });
  });

  it('rejects a token from another issuer', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signClaims({
      sub: 'u-1',
      iss: 'https://elsewhere.example',
      client_id: 'casework-web',
      iat: now,
      exp: now + 60,
    });
    await expectProblem(
      await fetch(`${gateway.url}/things/1`, { headers: { authorization: `Bearer ${token}` } }),
      401,
      '/problems/unauthorized',
    );
  });

  it('answers 500 like API Gateway when the handler throws', async () => {
    const res = await fetch(`${gateway.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });
});

describe('local functions: one container per function, with exactly its environment', () => {
  const runtime = {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { DYNAMODB: 'http://127.0.0.1:1' },
  };
  const bindings = {
    stage: 'local',
    tableName: 'casework-local',
    cursorSecret: { value: 'k' },
    mailDomain: 'casework.test',
    clients: { web: 'casework-web', mobile: 'casework-mobile' },
    replyKeys: { value: '{}' },
    inbound: { bucket: 'b', prefix: 'p/' },
    attachmentsBucket: 'a',
    topicArn: 'arn:aws:sns:eu-west-1:000000000000:t',
    push: { apns: '', fcm: '' },
    chatConnectionsUrl: 'http://127.0.0.1:1',
    chatTimerQueueUrl: 'http://127.0.0.1:1/000000000000/q',
    userPoolId: '',
    mailQueueUrl: '',
    mailRetry: { baseSeconds: 1, capSeconds: 2 },
    deliveryQueueUrl: '',
  };
  // Lambda runtime variables plus the emulator endpoint; nothing of the test's own process.
  const RUNTIME = [
    'AWS_ACCESS_KEY_ID',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
    'AWS_LAMBDA_FUNCTION_NAME',
    'AWS_LAMBDA_FUNCTION_VERSION',
    'AWS_LAMBDA_LOG_GROUP_NAME',
    'AWS_REGION',
    'AWS_SECRET_ACCESS_KEY',
    'POWERTOOLS_LOG_LEVEL',
  ];
  const ctx = { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 10_000 };
  // The real specs of a public and of a table-reading route, run by a handler that reports its environment.
  const specs = new Map<string, FunctionSpec>(
    ['get-health', 'get-me'].map((name) => [name, { ...httpFunctionSpecs().get(name)!, module: '../test/fixtures/report-env' }]),
  );
  const host = startFunctionHost({ runtime, bindings, specs });
  afterAll(() => host.stop());

  it.each(['get-health', 'get-me'])("%s sees its spec's variables and the runtime's, nothing else", async (name) => {
    const res = (await host.handler(name)({}, ctx)) as { body: string };
    const expected = awsEnvironmentNames(specs.get(name)!).map((n) => (n === 'CURSOR_SECRET_ARN' ? 'CURSOR_SECRET' : n));
    expect(JSON.parse(res.body)).toEqual([...RUNTIME, ...expected].sort());
  });

  it('the public function has no TABLE_NAME locally, as in AWS', async () => {
    const res = (await host.handler('get-health')({}, ctx)) as { body: string };
    expect(JSON.parse(res.body)).not.toContain('TABLE_NAME');
  });
});

describe("a jest worker's kept function containers (test/helpers/environment.ts)", () => {
  const keeper = () => (globalThis as { [KEPT_LOCAL]?: KeptLocal })[KEPT_LOCAL]!;
  const me = async (local: TestLocal) =>
    (await fetch(`${local.url}/me`, { headers: { authorization: `Bearer ${local.token('dana@acme.example')}` } })).status;

  it('a standard local mode after another in the worker runs on the same containers, with the same keys', async () => {
    const first = await startTestLocal();
    let hosts: number;
    try {
      expect(await me(first)).toBe(200);
      hosts = keeper().hostsStarted();
      expect(hosts).toBeGreaterThan(0);
    } finally {
      await first.stop();
    }
    const second = await startTestLocal();
    try {
      expect(await me(second)).toBe(200);
      expect(keeper().hostsStarted()).toBe(hosts);
    } finally {
      await second.stop();
    }
  });

  it("a standard local mode after another in the worker gets the worker's SES emulator, its mail store emptied", async () => {
    const subjects = async (local: TestLocal) =>
      ((await (await fetch(local.urls.sesStore)).json()) as { emails: { subject: string }[] }).emails.map((m) => m.subject);
    const first = await startTestLocal();
    let started: number;
    try {
      // As a function's SES client sends it.
      const client = new SESClient({
        endpoint: first.urls.ses,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await client.send(
        new SendEmailCommand({
          Source: 'support@casework.test',
          Destination: { ToAddresses: ['dana@acme.example'] },
          Message: { Subject: { Data: 'left by the file before' }, Body: { Text: { Data: 'Body' } } },
        }),
      );
      client.destroy();
      expect(await subjects(first)).toContain('left by the file before');
      started = keeper().sesStarted();
      expect(started).toBeGreaterThan(0);
    } finally {
      await first.stop();
    }
    const second = await startTestLocal();
    try {
      expect(second.urls.ses).toBe(first.urls.ses);
      expect(keeper().sesStarted()).toBe(started);
      expect(await subjects(second)).not.toContain('left by the file before');
    } finally {
      await second.stop();
    }
  });

  it('a tapped local mode after an unwatched one sees every request of the kept containers, though they keep their connections', async () => {
    const unwatched = await startTestLocal();
    try {
      expect(await me(unwatched)).toBe(200);
    } finally {
      await unwatched.stop();
    }
    const hosts = keeper().hostsStarted();
    const seen: string[] = [];
    const tapped = await startTestLocal({ tap: { onRequest: (operation, _input, fn) => void seen.push(`${fn} ${operation}`) } });
    try {
      expect(await me(tapped)).toBe(200);
      expect(keeper().hostsStarted()).toBe(hosts);
      expect(seen).toContain('get-me GetItem');
    } finally {
      await tapped.stop();
    }
  });

  it('while no file watches the tap, the kept containers reach DynamoDB Local past it, on connections of their own', async () => {
    // The containers connected through the tap while the test before watched it.
    const unwatched = await startTestLocal();
    try {
      const before = keeper().tapSeen();
      for (const path of ['/me', '/cases']) {
        const res = await fetch(`${unwatched.url}${path}`, {
          headers: { authorization: `Bearer ${unwatched.token('dana@acme.example')}` },
        });
        expect(res.status).toBe(200);
      }
      expect(keeper().tapSeen()).toEqual(before);
    } finally {
      await unwatched.stop();
    }
  });

  it('one with something between its functions and an emulator runs containers of its own', async () => {
    const hosts = keeper().hostsStarted();
    const other = await startTestLocal({ sesEndpointForFunctions: async (endpoint) => endpoint });
    try {
      expect(await me(other)).toBe(200);
      expect(keeper().hostsStarted()).toBe(hosts);
    } finally {
      await other.stop();
    }
  });
});
