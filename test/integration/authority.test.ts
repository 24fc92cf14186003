/**
 * Self-elevation (ACC-6), PRIV-2 for staff on the mobile app, and small leaks, on DynamoDB Local.
 * Expectations come from PRODUCT.md (ACC-4, ACC-6, PRIV-1, PRIV-2, PRIV-3), written out here.
 */
import { randomUUID } from 'node:crypto';
import { systemIds } from '../../lambdas/adapters/ids';
import { putCombination, putMembership } from '../../lambdas/data/directory-repo';
import {
  confirmAccessRequest,
  decideAccessRequest,
  listAccessRequests,
  openAccessRequest,
} from '../../lambdas/domain/access/access-requests';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { listUpdates } from '../../lambdas/domain/cases/cases';
import { receiveInboundMail } from '../../lambdas/domain/mail/inbound-mail';
import { levelOn, type Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { signReplyToken } from '../../lambdas/domain/mail/reply-token';
import { listShortfall, setMemberLevel } from '../../lambdas/domain/access/shortfall';
import type { Client } from '../../lambdas/domain/kernel/types';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps, testKeyring } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const CODE = '424242';
let db: TestDynamo;
let deps: Deps;
let ip = 0;

const as = async (userId: string, client: Client = 'web'): Promise<Caller> =>
  (await resolveCaller(deps, { sub: userId, client, scopes: [] }))!;

/** A confirmed (pending) request, as its requester makes it. */
const request = async (email: string, orgId: string, level: 'read_only' | 'designated' = 'read_only') => {
  const made = await openAccessRequest(
    deps,
    { email, name: email.split('@')[0], level, combinations: [{ orgId }] },
    `10.9.0.${++ip}`,
  );
  await confirmAccessRequest(deps, made.body.requestId, CODE);
  return made.body.requestId;
};

const allRequests = async (c: Caller) => {
  const out = [];
  let after: unknown;
  do {
    const page = await listAccessRequests(deps, c, {}, { limit: 100, after });
    out.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return out;
};

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, {
    ids: { ...systemIds, oneTimeCode: () => CODE },
    mailer: { send: async () => `ses-${randomUUID()}` },
  });
  await seedDemo({ ref: { doc: db.doc, table: db.tableName }, now: new Date() });
});
afterAll(async () => db?.stop());

describe('ACC-6: nobody decides their own access request', () => {
  it('ACC-6: dana, demoted to basic but still Acme’s approver, cannot approve her own request for designated', async () => {
    await setMemberLevel(deps, await as('u-adam'), 'ORG-ACME', 'u-dana', 'basic');
    const id = await request('dana@acme.example', 'ORG-ACME', 'designated');
    await expect(decideAccessRequest(deps, await as('u-dana'), id, { approve: true })).rejects.toMatchObject({ status: 403 });
    await expect(decideAccessRequest(deps, await as('u-dana'), id, { approve: false })).rejects.toMatchObject({ status: 403 });
    expect(levelOn(await as('u-dana'), 'ORG-ACME')).toBe('basic');
    // Somebody else decides it, and the decision is in the admin case's history.
    const decided = await decideAccessRequest(deps, await as('u-adam'), id, { approve: true, comment: 'ok' });
    expect(decided).toMatchObject({ status: 'approved' });
    expect(decided.decision).toMatchObject({ decidedBy: 'u-adam' });
    const history = (await deps.cases.listEvents(decided.caseNumber!, { limit: 100 })).items;
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'u-adam', action: expect.stringMatching(/approved/), to: 'designated' }),
      ]),
    );
  });

  it('ACC-6, ACC-4: an approver grants at most what the organisation’s rules allow (designated needs an active contract)', async () => {
    // Acme sold through Northwind: a combination whose only contract has ended.
    await putCombination(
      { doc: db.doc, table: db.tableName },
      {
        endUserOrgId: 'ORG-ACME',
        soldToOrgId: 'ORG-NORTHWIND',
        contracts: [{ contractId: 'C-AUTH-ENDED', status: 'terminated' }],
      },
    );
    const made = await openAccessRequest(
      deps,
      {
        email: 'newbie@acme.example',
        name: 'Newbie',
        level: 'designated',
        combinations: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-NORTHWIND' }],
      },
      '10.9.1.1',
    );
    await confirmAccessRequest(deps, made.body.requestId, CODE);
    await expect(decideAccessRequest(deps, await as('u-adam'), made.body.requestId, { approve: true })).rejects.toMatchObject({
      status: 409,
    });
    await expect(decideAccessRequest(deps, await as('u-adam'), made.body.requestId, { approve: false })).resolves.toMatchObject({
      status: 'rejected',
    });
  });
});

describe('PRIV-2: staff on the mobile app are not served FedRAMP organisations', () => {
  it('PRIV-2: the shortfall list on the phone leaves Initech out; on the web it is there', async () => {
    expect((await listShortfall(deps, await as('u-adam'))).map((r) => r.orgId)).toContain('ORG-INITECH');
    for (const who of ['u-adam', 'u-alice', 'u-eric']) {
      expect((await listShortfall(deps, await as(who, 'mobile'))).map((r) => r.orgId)).not.toContain('ORG-INITECH');
    }
  });

  it("PRIV-2: an admin's access-request list and decisions on the phone do not reach Initech's requests", async () => {
    const id = await request('peter@initech.example', 'ORG-INITECH');
    const onWeb = await allRequests(await as('u-adam'));
    expect(onWeb.some((r) => r.requestId === id)).toBe(true);
    const onPhone = await allRequests(await as('u-adam', 'mobile'));
    expect(onPhone.some((r) => r.requestId === id)).toBe(false);
    expect(JSON.stringify(onPhone)).not.toContain('peter@initech.example');
    await expect(decideAccessRequest(deps, await as('u-adam', 'mobile'), id, { approve: true })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('PRIV-2: member-level changes of a FedRAMP organisation from the phone find nothing (404)', async () => {
    await expect(setMemberLevel(deps, await as('u-adam', 'mobile'), 'ORG-INITECH', 'u-fred', 'read_only')).rejects.toMatchObject({
      status: 404,
    });
    expect(levelOn(await as('u-fred'), 'ORG-INITECH')).toBe('designated');
  });
});

describe('small leaks: nothing beyond what the caller may know', () => {
  it('ACC-6: after confirmation, /confirm answers the same to right and wrong codes and returns no request', async () => {
    const id = await request('olivia@acme.example', 'ORG-ACME');
    const answers = await Promise.all(
      [CODE, '000000'].map((code) =>
        confirmAccessRequest(deps, id, code).then(
          (body) => ({ ok: true, body }),
          (err: { status: number; type: string }) => ({ ok: false, status: err.status, type: err.type }),
        ),
      ),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ ok: false, status: 409 });
  });

  it('PRIV-1: US staff do not see an EU/EEA customer’s approvers (user ids) in the shortfall list', async () => {
    await putMembership(
      { doc: db.doc, table: db.tableName },
      { userId: 'u-greta', orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX', level: 'designated', via: 'direct', approver: true },
    );
    const globex = (rows: Awaited<ReturnType<typeof listShortfall>>) => rows.find((r) => r.orgId === 'ORG-GLOBEX');
    expect(globex(await listShortfall(deps, await as('u-eric')))?.approvers).toEqual(['u-greta']);
    const forAlice = globex(await listShortfall(deps, await as('u-alice')));
    expect(forAlice).toBeDefined();
    expect(forAlice).not.toHaveProperty('approvers');
    expect(JSON.stringify(forAlice)).not.toContain('u-greta');
  });

  it('CASE-6: a customer’s update rows carry no internal fields (rawKey, fullText)', async () => {
    const dana = await as('u-dave');
    const { items: cases } = await deps.cases.listOrgCases(
      { orgIds: ['ORG-ACME'], closed: false, sort: 'lastModified' },
      { limit: 1 },
    );
    const c = cases[0];
    const to = `case+${signReplyToken(testKeyring, { caseNumber: c.caseNumber, recipient: 'dave@acme.example' })}@casework.test`;
    const raw = Buffer.from(
      `From: dave@acme.example\nTo: ${to}\nSubject: Re: x\nMessage-ID: <${randomUUID()}@x>\n\nLogs attached now.\n`,
    );
    const out = await receiveInboundMail(
      deps,
      {
        transportId: randomUUID(),
        rawKey: 'inbound/secret-key',
        receivedAt: new Date().toISOString(),
        recipients: [to],
        mailFrom: 'dave@acme.example',
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        size: raw.byteLength,
      },
      raw,
    );
    expect(out.outcome).toBe('attached');
    const rows = (await listUpdates(deps, dana, c.caseNumber, { limit: 100 })).items;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).not.toHaveProperty('rawKey');
      expect(r).not.toHaveProperty('fullText');
    }
    const staffRows = (await listUpdates(deps, await as('u-alice'), c.caseNumber, { limit: 100 })).items;
    expect(staffRows.some((r) => r.rawKey === 'inbound/secret-key')).toBe(true);
  });
});
