/**
 * Handlers through their real middy chain, with the SDK mocked by aws-sdk-client-mock: what a
 * caller gets back for each kind of input, and what reaches DynamoDB.
 */
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { apiEvent, lambdaContext } from '../helpers/events';
import { environmentOf, loadHandlerWithEnv } from '../helpers/function-env';
import { ACME_COMBINATION_ITEM, ACME_ORG_ITEM } from '../helpers/directory-items';

// Each handler in its own module registry, run with exactly the environment CDK gives its function.
const createCase = loadHandlerWithEnv('create-case');
const createUpdate = loadHandlerWithEnv('create-update');
const patchCase = loadHandlerWithEnv('patch-case');
const getCase = loadHandlerWithEnv('get-case');
const getHealth = loadHandlerWithEnv('get-health');
const getMe = loadHandlerWithEnv('get-me');
const listCases = loadHandlerWithEnv('list-cases');

const ddb = mockClient(DynamoDBDocumentClient);

const dana = [
  {
    PK: 'USER#u-dana',
    SK: 'PROFILE',
    userId: 'u-dana',
    email: 'dana@acme.example',
    name: 'Dana',
    timeZone: 'UTC',
    termsVersion: '2026-10-01',
    settings: { defaultList: 'all', notifications: {} },
  },
  {
    PK: 'USER#u-dana',
    SK: 'MEMBER#ORG-ACME#ORG-ACME',
    userId: 'u-dana',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    level: 'designated',
    via: 'direct',
  },
];

const givenDana = () => {
  ddb.on(QueryCommand, { KeyConditionExpression: '#pk = :pk' }).resolves({ Items: dana });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const keys = Object.values(input.RequestItems)[0] as { Keys: { SK: string }[] };
    return { Responses: { 'casework-test': keys.Keys.map((k) => (k.SK === 'ORG' ? ACME_ORG_ITEM : ACME_COMBINATION_ITEM)) } };
  });
};

const json = (res: unknown) => JSON.parse((res as { body: string }).body);

beforeEach(() => ddb.reset());

describe('HTTP handlers', () => {
  it('GET /health answers ok without a token and without touching DynamoDB', async () => {
    const res = await getHealth(apiEvent({ routeKey: 'GET /health' }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ status: 'ok' });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('GET /health, GET /terms and GET /openapi.json answer 200 with their AWS environment, which has no TABLE_NAME', async () => {
    for (const [name, routeKey] of [
      ['get-health', 'GET /health'],
      ['get-terms', 'GET /terms'],
      ['get-openapi', 'GET /openapi.json'],
    ] as const) {
      expect(environmentOf(name).TABLE_NAME).toBeUndefined();
      const res = await loadHandlerWithEnv(name)(apiEvent({ routeKey }), lambdaContext);
      expect({ name, status: res.statusCode }).toEqual({ name, status: 200 });
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a handler run without a variable its port needs is a 500 without internals, and reaches nothing', async () => {
    givenDana();
    // GET /me reads the table; here its function is given only what GET /health's is.
    const unbound = loadHandlerWithEnv('get-me', { bindings: { clients: true } });
    const res = await unbound(apiEvent({ routeKey: 'GET /me', sub: 'u-dana' }), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(json(res)).toEqual({ type: '/problems/internal', title: 'Internal error', status: 500, detail: expect.any(String) });
    expect(res.body).not.toMatch(/TABLE_NAME|binding/);
    expect(ddb.calls()).toHaveLength(0);
    // The same request with the function's own environment is served.
    expect((await getMe(apiEvent({ routeKey: 'GET /me', sub: 'u-dana' }), lambdaContext)).statusCode).toBe(200);
  });

  it('answers 401 problem+json when the authorizer passed no claims', async () => {
    const res = await getMe(apiEvent({ routeKey: 'GET /me' }), lambdaContext);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(json(res)).toMatchObject({ type: '/problems/unauthorized', status: 401 });
  });

  it('answers 401 for a valid token of a user Casework does not know', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const res = await getMe(apiEvent({ routeKey: 'GET /me', sub: 'nobody' }), lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it('GET /me reads profile and memberships in one Query', async () => {
    givenDana();
    const res = await getMe(apiEvent({ routeKey: 'GET /me', sub: 'u-dana' }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({
      email: 'dana@acme.example',
      memberships: [{ orgId: 'ORG-ACME', orgName: 'Acme Corp', level: 'designated', via: 'direct' }],
      termsAccepted: true,
      staff: null,
    });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('PRIV-3: a case that does not exist is 404 problem+json', async () => {
    givenDana();
    ddb.on(GetCommand).resolves({});
    const res = await getCase(
      apiEvent({ routeKey: 'GET /cases/{caseNumber}', pathParameters: { caseNumber: '00000042' }, sub: 'u-dana' }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(404);
    expect(json(res)).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'The resource does not exist.',
    });
  });

  it('a bad path parameter is a 400 that names the field', async () => {
    givenDana();
    const res = await getCase(
      apiEvent({ routeKey: 'GET /cases/{caseNumber}', pathParameters: { caseNumber: 'abc' }, sub: 'u-dana' }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([
      { path: 'caseNumber', message: 'must be a case number: up to 8 digits, with or without leading zeros (12 or 00000012)' },
    ]);
  });

  it('unknown body fields are 400 and nothing is written (no mass assignment)', async () => {
    givenDana();
    const res = await createCase(
      apiEvent({
        routeKey: 'POST /cases',
        sub: 'u-dana',
        body: {
          subject: 's',
          description: 'd',
          severity: 'high',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
          status: 'closed',
          ownerId: 'u-x',
        },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(
      json(res)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['ownerId', 'status']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('a body over 1 MB is 413', async () => {
    givenDana();
    const res = await createCase(
      apiEvent({ routeKey: 'POST /cases', sub: 'u-dana', rawBody: `{"subject":"${'x'.repeat(1024 * 1024)}"}` }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(413);
  });

  it('a body that is not JSON is a 400 on body', async () => {
    givenDana();
    const res = await createCase(apiEvent({ routeKey: 'POST /cases', sub: 'u-dana', rawBody: '{nope' }), lambdaContext);
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([{ path: 'body', message: 'is not valid JSON' }]);
  });

  it('CASE-2, CASE-9: POST /cases writes case, Reference ID, idempotency record and the created event in one transaction', async () => {
    givenDana();
    ddb.on(GetCommand).resolves({});
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 17 } });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await createCase(
      apiEvent({
        routeKey: 'POST /cases',
        sub: 'u-dana',
        headers: { 'idempotency-key': 'k-1' },
        body: {
          subject: 'Phones down',
          description: 'All of them',
          severity: 'high',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
        },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body.caseNumber).toBe('00000017');
    expect(body.referenceId).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(res.headers?.location).toBe('/cases/00000017');
    const tx = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(tx.map((t) => t.Put!.Item!.PK)).toEqual([
      'CASE#00000017',
      `REF#${body.referenceId}`,
      expect.stringMatching(/^IDEMPOTENCY#.+#k-1$/),
      'CASE#00000017',
    ]);
    // The case's history starts with its `created` event, written with the case.
    expect(tx[3].Put!.Item).toMatchObject({ entity: 'event', action: 'created', actorId: 'u-dana' });
    // The key's scope is hashed (caller, client, route): no user id in the key, and the record holds a reference, not a body.
    expect(tx[2].Put!.Item!.PK).not.toContain('u-dana');
    expect(tx[2].Put!.Item).toMatchObject({ status: 201, ref: { caseNumber: '00000017' } });
    expect(tx[2].Put!.Item).not.toHaveProperty('body');
  });

  it('CASE-3: a customer cannot open a critical case', async () => {
    givenDana();
    const res = await createCase(
      apiEvent({
        routeKey: 'POST /cases',
        sub: 'u-dana',
        body: { subject: 's', description: 'd', severity: 'critical', orgId: 'ORG-ACME', productLine: 'Genesys Cloud CX' },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].path).toBe('severity');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('5xx bodies expose no internals', async () => {
    ddb.on(QueryCommand).rejects(new Error('ResourceNotFoundException: table casework-test at 10.0.0.1'));
    const res = await listCases(apiEvent({ routeKey: 'GET /cases', sub: 'u-dana' }), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/ResourceNotFound|casework-test|10\.0\.0\.1|at /);
    expect(json(res)).toEqual({ type: '/problems/internal', title: 'Internal error', status: 500, detail: expect.any(String) });
  });

  it('LIST-3: a tampered cursor is a 400 on cursor', async () => {
    givenDana();
    const res = await listCases(
      apiEvent({ routeKey: 'GET /cases', sub: 'u-dana', query: { cursor: 'eyJ4IjoxfQ.AAAA' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].path).toBe('cursor');
  });
});

describe('HTTP handlers: terms, visibility, If-Match', () => {
  const tina = [
    { ...dana[0], PK: 'USER#u-tina', userId: 'u-tina', email: 'tina@acme.example', termsVersion: undefined },
    { ...dana[1], PK: 'USER#u-tina', userId: 'u-tina' },
  ];

  it('ACC-9: case data is refused until the current Terms are accepted, before any case is read', async () => {
    ddb.on(QueryCommand, { KeyConditionExpression: '#pk = :pk' }).resolves({ Items: tina });
    ddb.on(BatchGetCommand).callsFake((input) => {
      const keys = Object.values(input.RequestItems)[0] as { Keys: { SK: string }[] };
      return { Responses: { 'casework-test': keys.Keys.map((k) => (k.SK === 'ORG' ? ACME_ORG_ITEM : ACME_COMBINATION_ITEM)) } };
    });
    const res = await getCase(
      apiEvent({ routeKey: 'GET /cases/{caseNumber}', pathParameters: { caseNumber: '00000001' }, sub: 'u-tina' }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(403);
    expect(json(res).type).toBe('/problems/terms-not-accepted');
    // The only GetItem is the caller's own snapshot (CALLER#): no case item was read.
    expect(ddb.commandCalls(GetCommand).map((c) => String(c.args[0].input.Key?.PK))).toEqual(['CALLER#u-tina']);
  });

  it('CASE-6: a customer cannot post an internal update (400 on visibility, nothing written)', async () => {
    givenDana();
    ddb.on(GetCommand).resolves({
      Item: {
        PK: 'CASE#00000001',
        SK: 'CASE',
        caseNumber: '00000001',
        orgId: 'ORG-ACME',
        status: 'open',
        severity: 'high',
        version: 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    });
    const res = await createUpdate(
      apiEvent({
        routeKey: 'POST /cases/{caseNumber}/updates',
        pathParameters: { caseNumber: '00000001' },
        sub: 'u-dana',
        body: { body: 'hi', visibility: 'internal' },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([{ path: 'visibility', message: 'only staff post internal updates' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('CASE-4: a malformed If-Match is a 400 that names the header', async () => {
    ddb.on(QueryCommand, { KeyConditionExpression: '#pk = :pk' }).resolves({
      Items: [{ ...dana[0], PK: 'USER#u-eric', userId: 'u-eric', staff: { role: 'analyst', region: 'EU', supportGroups: [] } }],
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'casework-test': [] } });
    const res = await patchCase(
      apiEvent({
        routeKey: 'PATCH /cases/{caseNumber}',
        pathParameters: { caseNumber: '00000001' },
        sub: 'u-eric',
        headers: { 'if-match': 'yesterday' },
        body: { status: 'open' },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].path).toBe('If-Match');
  });
});

describe('HTTP handlers: concurrent creates with one Idempotency-Key (AWS TransactionConflict)', () => {
  const body = {
    subject: 'Phones down',
    description: 'All of them',
    severity: 'high',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
  };
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }],
    });
  const post = () =>
    createCase(apiEvent({ routeKey: 'POST /cases', sub: 'u-dana', headers: { 'idempotency-key': 'twin' }, body }), lambdaContext);

  it('API.md Idempotency-Key: the loser of a TransactionConflict whose winner has not committed gets 409 in-use, not 500', async () => {
    givenDana();
    ddb.on(GetCommand).resolves({});
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 18 } });
    ddb.on(TransactWriteCommand).rejects(conflict());
    const res = await post();
    expect(res.statusCode).toBe(409);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(json(res)).toMatchObject({ type: '/problems/idempotency-key-in-use', status: 409 });
  });

  it("API.md Idempotency-Key: the loser of a TransactionConflict answers as the winner's replay once it has committed", async () => {
    givenDana();
    let record: Record<string, unknown> | undefined;
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 19 } });
    ddb.on(TransactWriteCommand).callsFake((input) => {
      // The winner wrote the same record (as case 00000007) while this request's transaction was cancelled.
      const mine = input.TransactItems[2].Put.Item;
      record = { ...mine, ref: { caseNumber: '00000007' } };
      throw conflict();
    });
    ddb.on(GetCommand).callsFake((input) => {
      if (String(input.Key.PK).startsWith('IDEMPOTENCY#')) return { Item: record };
      if (input.Key.PK === 'CASE#00000007') {
        return {
          Item: {
            PK: 'CASE#00000007',
            SK: 'CASE',
            caseNumber: '00000007',
            referenceId: 'ABCDEFGHJKMNPQRS',
            orgId: 'ORG-ACME',
            status: 'new',
            severity: 'high',
            subject: 'Phones down',
            version: 1,
            updatedAt: '2026-01-01T00:00:00.000Z',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        };
      }
      return {};
    });
    const res = await post();
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['idempotent-replayed']).toBe('true');
    expect(res.headers?.location).toBe('/cases/00000007');
    expect(json(res).caseNumber).toBe('00000007');
  });
});

describe('HTTP handlers: the token (access tokens only; ACC-10 sign-ins)', () => {
  const me = (claims: Record<string, string | undefined>, clientId?: string, sub = 'u-dana') =>
    getMe(apiEvent({ routeKey: 'GET /me', sub, clientId, claims }), lambdaContext);

  it.each([
    ['an ID token', { token_use: 'id', aud: 'casework-web', client_id: undefined }],
    ['a token without token_use', { token_use: undefined }],
    ['a token of another use', { token_use: 'refresh' }],
  ])('answers 401 problem+json for %s, before reading anything', async (_name, claims) => {
    givenDana();
    const res = await me(claims);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(json(res)).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('an access token naming its client only in aud is refused (access tokens carry client_id)', async () => {
    givenDana();
    const res = await me({ client_id: undefined, aud: 'casework-web' });
    expect(res.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a web access token is accepted, with or without origin_jti', async () => {
    givenDana();
    expect((await me({})).statusCode).toBe(200);
    expect((await me({ origin_jti: undefined })).statusCode).toBe(200);
  });

  it("a machine's client-credentials token is an access token too: authenticated, then held to the route's permission", async () => {
    const res = await me({ scope: 'casework/ingest' }, 'monitoring', 'monitoring');
    expect(res.statusCode).toBe(403);
    expect(json(res)).toMatchObject({ type: '/problems/forbidden' });
  });

  it('ACC-10: a mobile token without origin_jti is 401 and records no session', async () => {
    givenDana();
    const res = await me({ origin_jti: undefined }, 'casework-mobile');
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ type: '/problems/session-expired', status: 401 });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('ACC-10: a refreshed mobile token (new jti, same origin_jti) keeps the idle clock of its sign-in', async () => {
    givenDana();
    ddb.on(UpdateCommand).resolves({});
    expect((await me({ origin_jti: 'sign-in-7', jti: 'first' }, 'casework-mobile')).statusCode).toBe(200);
    expect((await me({ origin_jti: 'sign-in-7', jti: 'refreshed' }, 'casework-mobile')).statusCode).toBe(200);
    const touched = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key);
    expect(touched).toEqual([
      { PK: 'SESSION#sign-in-7', SK: 'SESSION' },
      { PK: 'SESSION#sign-in-7', SK: 'SESSION' },
    ]);
  });

  it('ACC-10: a mobile sign-in idle past 10 minutes stays ended for its refreshed tokens', async () => {
    givenDana();
    const { ConditionalCheckFailedException } = await import('@aws-sdk/client-dynamodb');
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'idle', $metadata: {} }));
    const res = await me({ origin_jti: 'sign-in-7', jti: 'refreshed' }, 'casework-mobile');
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ type: '/problems/session-expired' });
  });
});
