/**
 * ACC-6 access requests and FLAG-2's 48-hour flag, end to end in local mode: anonymous requests
 * over HTTP, the one-time code read from the SES store, approvers' decisions with real tokens,
 * the new user's token from `npm run token`, and the sweep through its own function.
 * Time is the data's: a request is made "49 hours old" by moving its stored confirmation time
 * (and its waiting-index key) back, as the sweep tests seed their cases in the past.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { accessKeys } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

const run = promisify(execFile);

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { text?: string };
}
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

let local: TestLocal;
let dynamo: DynamoDBClient;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  // No timed sweep: the FLAG-2 test runs it itself.
  local = await startTestLocal({ sweepEveryMs: 0 });
  dynamo = new DynamoDBClient({ endpoint: local.urls.dynamo });
  doc = DynamoDBDocumentClient.from(dynamo);
});
afterAll(async () => {
  dynamo?.destroy();
  await local?.stop();
});

/**
 * One HTTP call. `from` is the loopback address the connection comes from (127.0.0.0/8 is all
 * loopback on Linux): the gateway's sourceIp, as API Gateway would see a client's.
 */
const call = (
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(`${local.url}${path}`);
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: opts.from,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });

const as = (email: string, method: string, path: string, body?: unknown) =>
  call(method, path, { token: local.token(email), body });

// Mail leaves through the stream and the mail queue: read the store once that has settled.
const mails = async (): Promise<StoredMail[]> => {
  await local.mailSettled();
  return ((await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] }).emails;
};
const mailsTo = async (address: string) => (await mails()).filter((m) => m.destination.to.includes(address));

/** The code leaves through the stream and the mail queue, so it arrives shortly after the 201. */
const codeFor = async (email: string, requestId: string): Promise<string> => {
  for (let i = 0; i < 150; i++) {
    const mail = (await mailsTo(email)).find((m) => m.body.text?.includes(requestId));
    const code = /Your code is (\d{6})/.exec(mail?.body.text ?? '')?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code mailed to ${email} for ${requestId}`);
};

const ask = (email: string, orgId: string, level = 'read_only', from?: string) =>
  call('POST', '/access-requests', {
    from,
    body: { email, name: `Requester ${email.split('@')[0]}`, level, combinations: [{ orgId }] },
  });

/** A request, confirmed with the code mailed for it: pending, with its admin case. */
const pending = async (email: string, orgId: string, level = 'read_only') => {
  const made = await ask(email, orgId, level);
  expect(made.status).toBe(201);
  const id = String(made.body.requestId);
  const confirmed = await call('POST', `/access-requests/${id}/confirm`, { body: { code: await codeFor(email, id) } });
  expect(confirmed.status).toBe(200);
  return { id, caseNumber: String(confirmed.body.caseNumber) };
};

/** `npm run --silent token -- <email>` against this local mode (its DynamoDB Local, table and key directory). */
const npmToken = async (email: string): Promise<string> => {
  const { stdout } = await run('npm', ['run', '--silent', 'token', '--', email], {
    env: { ...process.env, DYNAMODB_PORT: new URL(local.urls.dynamo).port, TABLE_NAME: local.tableName },
  });
  return stdout.trim();
};

const DANA = 'dana@acme.example';
const PAULA = 'paula@northwind.example';
const ADAM = 'adam@vendor.example';

describe('access requests (ACC-6)', () => {
  it("ACC-6: a request's whole path: mailed code, confirmation, admin case, dana approves, the new user's token works", async () => {
    const email = 'nina.new@acme.example';
    const made = await ask(email, 'ORG-ACME', 'designated');
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'unconfirmed', email, level: 'designated', orgId: 'ORG-ACME' });
    // The code is mailed, never answered, and its hash never leaves.
    expect(JSON.stringify(made.body)).not.toMatch(/codeHash|attempts/);
    const id = String(made.body.requestId);
    const code = await codeFor(email, id);
    expect(JSON.stringify(made.body)).not.toContain(code);

    // Nothing reaches the approvers before the address is proven.
    const danaBefore = (await mailsTo(DANA)).length;
    const listedBefore = await as(DANA, 'GET', '/access-requests');
    expect(listedBefore.status).toBe(200);
    expect(listedBefore.body.items!.map((r) => r.requestId)).not.toContain(id);

    const confirmed = await call('POST', `/access-requests/${id}/confirm`, { body: { code } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'pending', caseNumber: expect.stringMatching(/^\d{8}$/) });
    const caseNumber = String(confirmed.body.caseNumber);

    // The approvers of Acme (dana) are told; the request opens an admin case of Acme.
    const toDana = await mailsTo(DANA);
    expect(toDana.length).toBe(danaBefore + 1);
    expect(toDana.at(-1)!.body.text).toContain(id);
    // MAIL-1: the admin case's mail to an approver is case mail: the Reference ID in the subject
    // and a reply address with a token, so a reply lands on the admin case.
    expect(toDana.at(-1)!.subject).toMatch(new RegExp(`^\\[Case ${caseNumber}\\] .*\\[ref:[^\\]]+\\]$`));
    expect(toDana.at(-1)!.replyTo).toEqual([expect.stringMatching(/^case\+[^@]+@/)]);
    expect(toDana.at(-1)!.body.text).not.toMatch(/POST \/access-requests/);
    const adminCase = await as(ADAM, 'GET', `/cases/${caseNumber}`);
    expect(adminCase.status).toBe(200);
    expect(adminCase.body).toMatchObject({ kind: 'admin', orgId: 'ORG-ACME', status: 'new', contactEmail: email });
    const listed = await as(DANA, 'GET', '/access-requests?status=pending');
    expect(listed.body.items!.find((r) => r.requestId === id)).toMatchObject({ status: 'pending', email });

    const approved = await as(DANA, 'POST', `/access-requests/${id}/decision`, { approve: true, comment: 'Welcome aboard' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decision: { approve: true, comment: 'Welcome aboard' } });
    // Conditional on pending: a second decision is refused.
    const again = await as(ADAM, 'POST', `/access-requests/${id}/decision`, { approve: false });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/access-request-decided');

    // The requester is mailed; the admin case is closed with the decision.
    const toNina = await mailsTo(email);
    expect(toNina.at(-1)!.subject).toContain('approved');
    expect(toNina.at(-1)!.body.text).toContain('Welcome aboard');
    expect((await as(ADAM, 'GET', `/cases/${caseNumber}`)).body.status).toBe('closed');

    // The new user signs in: `npm run token` finds them in the directory; GET /me shows the level.
    const token = await npmToken(email);
    const me = await call('GET', '/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, memberships: [expect.objectContaining({ orgId: 'ORG-ACME', level: 'designated' })] });
  });

  it('ACC-6: a rejected request grants nothing, and the requester is told', async () => {
    const email = 'rob.rejected@umbrella.example';
    const { id } = await pending(email, 'ORG-UMBRELLA');
    const rejected = await as(PAULA, 'POST', `/access-requests/${id}/decision`, { approve: false, comment: 'Not an employee' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decision: { approve: false } });
    const toRob = await mailsTo(email);
    expect(toRob.at(-1)!.subject).toContain('declined');
    expect(toRob.at(-1)!.body.text).toContain('Not an employee');
    await expect(npmToken(email)).rejects.toThrow(/No user/);
  });

  it("ACC-6: approver scoping: dana neither sees nor decides Umbrella's request (404); paula, Northwind's approver, does", async () => {
    const email = 'ursula.ask@umbrella.example';
    const { id } = await pending(email, 'ORG-UMBRELLA');
    // For a partner's end user, the partner's approvers are told (ACC-7).
    expect((await mailsTo(PAULA)).some((m) => m.body.text?.includes(id))).toBe(true);
    expect((await mailsTo(DANA)).some((m) => m.body.text?.includes(id))).toBe(false);

    const danaList = await as(DANA, 'GET', '/access-requests');
    expect(danaList.body.items!.map((r) => r.requestId)).not.toContain(id);
    const danaDecides = await as(DANA, 'POST', `/access-requests/${id}/decision`, { approve: true });
    expect(danaDecides.status).toBe(404);
    // Neither staff nor customers without an approver role may call the routes at all.
    expect((await as('dave@acme.example', 'GET', '/access-requests')).status).toBe(403);
    expect((await as('alice@vendor.example', 'POST', `/access-requests/${id}/decision`, { approve: true })).status).toBe(403);

    const paulaList = await as(PAULA, 'GET', '/access-requests');
    expect(paulaList.body.items!.find((r) => r.requestId === id)).toMatchObject({
      orgId: 'ORG-UMBRELLA',
      decidingOrgId: 'ORG-NORTHWIND',
    });
    const paulaDecides = await as(PAULA, 'POST', `/access-requests/${id}/decision`, { approve: true });
    expect(paulaDecides.status).toBe(200);
    // ACC-7: an end user's own people read at most.
    const me = await call('GET', '/me', { token: await npmToken(email) });
    expect(me.body.memberships).toEqual([expect.objectContaining({ orgId: 'ORG-UMBRELLA', level: 'read_only' })]);
    // The portal admin sees every company's requests.
    const adamList = await as(ADAM, 'GET', '/access-requests?limit=100');
    expect(adamList.body.items!.map((r) => r.requestId)).toContain(id);
  });

  it('ACC-6: wrong codes are bounded (5 attempts, counted before comparing), and an expired code is refused', async () => {
    const email = 'wanda.wrong@acme.example';
    const made = await ask(email, 'ORG-ACME');
    const id = String(made.body.requestId);
    const code = await codeFor(email, id);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const res = await call('POST', `/access-requests/${id}/confirm`, { body: { code: wrong } });
      expect({ status: res.status, type: res.body.type, left: res.body.attemptsLeft }).toEqual({
        status: 400,
        type: '/problems/invalid-code',
        left,
      });
    }
    const tooLate = await call('POST', `/access-requests/${id}/confirm`, { body: { code } });
    expect(tooLate.status).toBe(410);
    expect(tooLate.body.type).toBe('/problems/code-attempts-exhausted');
    expect((await as(ADAM, 'GET', '/access-requests?limit=100')).body.items!.map((r) => r.requestId)).not.toContain(id);

    const late = await ask('eddie.expired@acme.example', 'ORG-ACME');
    const lateId = String(late.body.requestId);
    const lateCode = await codeFor('eddie.expired@acme.example', lateId);
    // 15 minutes pass: the stored expiry is moved into the past.
    await doc.send(
      new UpdateCommand({
        TableName: local.tableName,
        Key: accessKeys.request(lateId),
        UpdateExpression: 'SET codeExpiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    const expired = await call('POST', `/access-requests/${lateId}/confirm`, { body: { code: lateCode } });
    expect(expired.status).toBe(410);
    expect(expired.body.type).toBe('/problems/code-expired');
  });

  it('ACC-6: repeated requests are rate-limited per address (3 an hour) and per source address (20 an hour): 429 with Retry-After', async () => {
    const email = 'rita.repeat@acme.example';
    for (let i = 0; i < 3; i++) expect((await ask(email, 'ORG-ACME', 'read_only', '127.0.0.31')).status).toBe(201);
    const fourth = await ask(email, 'ORG-ACME', 'read_only', '127.0.0.32');
    expect(fourth.status).toBe(429);
    expect(fourth.body.type).toBe('/problems/rate-limited');
    const retryAfter = Number(fourth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    const ip = '127.0.0.33';
    for (let i = 0; i < 20; i++) expect((await ask(`ip.user${i}@acme.example`, 'ORG-ACME', 'read_only', ip)).status).toBe(201);
    const overIp = await ask('ip.user20@acme.example', 'ORG-ACME', 'read_only', ip);
    expect(overIp.status).toBe(429);
    expect(Number(overIp.headers['retry-after'])).toBeGreaterThan(0);
    // Another source is not held back, and a refused request mailed nothing.
    expect((await ask('ip.user20@acme.example', 'ORG-ACME', 'read_only', '127.0.0.34')).status).toBe(201);
    expect((await mailsTo('ip.user20@acme.example')).length).toBe(1);
  });

  it('ACC-3: free-mail and role addresses are refused (the address alone decides that)', async () => {
    const gmail = await ask('someone@gmail.com', 'ORG-ACME');
    expect(gmail.status).toBe(403);
    expect(gmail.body).toMatchObject({ type: '/problems/corporate-email-required', errors: [{ path: 'email' }] });
    const role = await ask('support@acme.example', 'ORG-ACME');
    expect(role.body.type).toBe('/problems/corporate-email-required');
  });

  /**
   * ACC-6, in PRIV-3's spirit: an anonymous caller must not learn which Org IDs
   * exist. The answer to an unknown organisation (or a combination not sold, or a level ACC-7
   * does not allow) has the same status and the same fields, holding nothing the caller did not
   * send, and its confirmation answers wrong codes the same way; only the address's owner sees
   * the difference: no code arrives, and the request never reaches anyone.
   */
  it('ACC-6: an anonymous request does not reveal whether the organisation exists', async () => {
    const known = await ask('kim.known@acme.example', 'ORG-ACME');
    const unknown = await ask('una.unknown@acme.example', 'ORG-NOPE');
    const managed = await ask('mia.managed@umbrella.example', 'ORG-UMBRELLA', 'designated');
    const notSold = await call('POST', '/access-requests', {
      body: {
        email: 'sol.notsold@acme.example',
        name: 'Sol',
        level: 'read_only',
        combinations: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-GLOBEX' }],
      },
    });
    const shape = (a: Answer) => ({ status: a.status, fields: Object.keys(a.body).sort(), type: typeof a.body.type });
    for (const other of [unknown, managed, notSold]) expect(shape(other)).toEqual(shape(known));
    expect(known.status).toBe(201);
    // Nothing read from the directory: no organisation name, no deciding company.
    for (const a of [known, unknown, managed, notSold]) {
      expect(a.body).toEqual({
        requestId: expect.stringMatching(/^[0-9A-Z]{26}$/),
        email: expect.any(String),
        name: expect.any(String),
        level: expect.any(String),
        orgId: expect.any(String),
        status: 'unconfirmed',
        createdAt: expect.any(String),
        codeExpiresAt: expect.any(String),
      });
    }
    expect(unknown.body.orgId).toBe('ORG-NOPE');
    // A wrong code: the same answer, with the same attempts left.
    const wrong = async (id: unknown) => {
      const res = await call('POST', `/access-requests/${String(id)}/confirm`, { body: { code: '000000' } });
      return { status: res.status, type: res.body.type, attemptsLeft: res.body.attemptsLeft };
    };
    expect(await wrong(unknown.body.requestId)).toEqual(await wrong(known.body.requestId));
    // Only the owner of a matched request's address gets a code; the others get nothing, ever.
    expect(await codeFor('kim.known@acme.example', String(known.body.requestId))).toMatch(/^\d{6}$/);
    for (const who of ['una.unknown@acme.example', 'mia.managed@umbrella.example', 'sol.notsold@acme.example']) {
      expect(await mailsTo(who)).toEqual([]);
    }
  });

  it('ACC-6: an Idempotency-Key retry answers the first request and mails no second code', async () => {
    const body = { email: 'ida.idem@acme.example', name: 'Ida Idem', level: 'read_only', combinations: [{ orgId: 'ORG-ACME' }] };
    const first = await call('POST', '/access-requests', { body, headers: { 'idempotency-key': 'ida-1' } });
    const retry = await call('POST', '/access-requests', { body, headers: { 'idempotency-key': 'ida-1' } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.requestId).toBe(first.body.requestId);
    expect((await mailsTo('ida.idem@acme.example')).length).toBe(1);
    const other = await call('POST', '/access-requests', {
      body: { ...body, level: 'basic' },
      headers: { 'idempotency-key': 'ida-1' },
    });
    expect(other.status).toBe(422);
  });
});

describe('the 48-hour flag (FLAG-2)', () => {
  it('FLAG-2: the sweep flags a request pending over 48 hours to portal admins, once; a second run changes nothing', async () => {
    const fresh = await pending('fay.fresh@acme.example', 'ORG-ACME');
    const old = await pending('olga.old@acme.example', 'ORG-ACME');
    const answered = await pending('andy.answered@acme.example', 'ORG-ACME');
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    // 49 hours pass for two of them: their confirmation time and waiting-index key move back.
    for (const id of [old.id, answered.id]) {
      await doc.send(
        new UpdateCommand({
          TableName: local.tableName,
          Key: accessKeys.request(id),
          UpdateExpression: 'SET confirmedAt = :at, #wsk = :wsk',
          ExpressionAttributeNames: { '#wsk': TABLE.indexes.waiting.sortKey },
          ExpressionAttributeValues: { ':at': hoursAgo(49), ':wsk': `${hoursAgo(49)}#${id}` },
        }),
      );
    }
    // Answered in time after all: no longer pending, so never flagged.
    expect((await as(DANA, 'POST', `/access-requests/${answered.id}/decision`, { approve: false })).status).toBe(200);

    const toAdam = async () => (await mailsTo(ADAM)).filter((m) => m.subject.includes('pending over 48 hours'));
    const before = (await toAdam()).length;
    const first = (await local.sweep()) as { accessRequests: { flagged: number } };
    expect(first.accessRequests.flagged).toBe(1);
    const flaggedMails = await toAdam();
    expect(flaggedMails.length).toBe(before + 1);
    expect(flaggedMails.at(-1)!.body.text).toContain(old.id);
    expect(flaggedMails.some((m) => m.body.text?.includes(fresh.id) || m.body.text?.includes(answered.id))).toBe(false);
    const listed = await as(ADAM, 'GET', '/access-requests?status=pending&limit=100');
    expect(listed.body.items!.find((r) => r.requestId === old.id)?.overdueFlaggedAt).toEqual(expect.any(String));

    const second = (await local.sweep()) as { accessRequests: { examined: number; flagged: number } };
    expect(second.accessRequests).toMatchObject({ examined: 0, flagged: 0 });
    expect((await toAdam()).length).toBe(before + 1);
  });
});
