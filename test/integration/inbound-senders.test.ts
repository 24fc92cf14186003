/**
 * Inbound senders on DynamoDB Local: the inbound log row, who may send, the duplicate fingerprint,
 * and an answer for people whose reply is refused. The expectations are PRODUCT.md's MAIL-3,
 * MAIL-4, MAIL-5, ACC-2, PRIV-1 and PRIV-2, written out here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { caseRepo } from '../../lambdas/data/case-repo';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { Problem } from '../../lambdas/domain/kernel/errors';
import {
  listInboundMail,
  receiveInboundMail,
  releaseInboundMail,
  type InboundEnvelope,
  type SesVerdicts,
} from '../../lambdas/domain/mail/inbound-mail';
import type { OutboundMail } from '../../lambdas/domain/mail/ports';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { signReplyToken } from '../../lambdas/domain/mail/reply-token';
import { setMemberLevel } from '../../lambdas/domain/access/shortfall';
import type { Case, Client } from '../../lambdas/domain/kernel/types';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps, testKeyring } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const DOMAIN = 'casework.test';
const PASS: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

let db: TestDynamo;
let deps: Deps;
const sent: OutboundMail[] = [];
let seq = 0;

const makeCase = async (over: Partial<Case> = {}): Promise<Case> => {
  const n = String(80_000_000 + ++seq).padStart(8, '0');
  const ref = createHash('sha256').update(`${n}-${randomUUID()}`).digest('hex').slice(0, 16).toUpperCase();
  const at = '2026-03-01T00:00:00.000Z';
  const c: Case = {
    caseNumber: n,
    referenceId: ref,
    kind: 'support',
    subject: 'Phones down',
    description: 'Phones down',
    severity: 'high',
    status: 'open',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    orgName: 'Acme Corp',
    productLine: 'Genesys Cloud CX',
    supportGroup: 'Cloud CX',
    ownerId: 'u-alice',
    contactId: 'u-dana',
    contactName: 'Dana Scott',
    contactEmail: 'dana@acme.example',
    createdAt: at,
    updatedAt: at,
    version: 1,
    needsAction: false,
    ...over,
  };
  await caseRepo({ doc: db.doc, table: db.tableName }).createCase(c);
  return c;
};

const tokenAddress = (c: Case, recipient: string) =>
  `case+${signReplyToken(testKeyring, { caseNumber: c.caseNumber, recipient })}@${DOMAIN}`;

interface Mail {
  from: string;
  to: string;
  subject?: string;
  body?: string;
  headers?: string;
  mailFrom?: string;
  verdicts?: Partial<Record<keyof SesVerdicts, string | undefined>>;
}

const deliver = async (m: Mail) => {
  const raw = Buffer.from(
    `From: ${m.from}\nTo: ${m.to}\nSubject: ${m.subject ?? 'Re: Phones down'}\nMessage-ID: <${randomUUID()}@client.example>\n` +
      `Date: Tue, 03 Mar 2026 10:00:00 +0000\n${m.headers ?? ''}\n${m.body ?? `Reply ${randomUUID()}`}\n`,
  );
  const envelope: InboundEnvelope = {
    transportId: randomUUID(),
    rawKey: `inbound/${randomUUID()}`,
    receivedAt: '2026-03-03T10:16:00.000Z',
    recipients: [m.to.toLowerCase()],
    mailFrom: m.mailFrom ?? m.from,
    verdicts: { ...PASS, ...m.verdicts } as SesVerdicts,
    size: raw.byteLength,
  };
  const before = sent.length;
  const outcome = await receiveInboundMail(deps, envelope, raw);
  const record = await deps.mail.getInbound(envelope.transportId);
  const answers = sent.slice(before).filter((x) => x.headers['Auto-Submitted'] === 'auto-replied');
  return { outcome, record, answers, transportId: envelope.transportId };
};

const caller = async (userId: string, client: Client = 'web'): Promise<Caller> =>
  (await resolveCaller(deps, { sub: userId, client, scopes: [] }))!;

const updatesOf = async (c: Case) => (await deps.cases.listUpdates(c.caseNumber, { publicOnly: false }, { limit: 100 })).items;

const logFor = async (c: Caller) => {
  const out = [];
  let after: unknown;
  do {
    const page = await listInboundMail(deps, c, { limit: 100, after });
    out.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return out;
};

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, {
    clock: { now: () => new Date('2026-03-03T10:16:00.000Z') },
    mailer: {
      send: async (m) => {
        sent.push(m);
        return `0100018e-${randomUUID()}-000000`;
      },
    },
  });
  await seedDemo({ ref: { doc: db.doc, table: db.tableName }, now: new Date('2026-03-03T00:00:00.000Z') });
});
afterAll(async () => db?.stop());

describe('MAIL-4: a sender is proven by a reply token issued to them, nothing less', () => {
  it("MAIL-4: the [ref:…] marker alone never attaches mail as the claimed sender (rita's envelope, Dana's From)", async () => {
    const c = await makeCase();
    const { outcome, record } = await deliver({
      from: 'Dana Scott <dana@acme.example>',
      mailFrom: 'rita@acme.example',
      to: `support@${DOMAIN}`,
      subject: `Re: [Case ${c.caseNumber}] Phones down [ref:${c.referenceId}]`,
      body: 'Please raise this to critical.',
    });
    expect(outcome.outcome).not.toBe('attached');
    expect(record?.outcome).not.toBe('attached');
    expect(await updatesOf(c)).toHaveLength(0);
  });

  it('MAIL-4: a known contact allowed on the case, with no token, is held for staff review (an outcome, never dropped) and answered once', async () => {
    const c = await makeCase();
    const first = await deliver({
      from: 'dana@acme.example',
      to: `support@${DOMAIN}`,
      subject: `Re: [ref:${c.referenceId}]`,
      body: 'Held reply one',
    });
    expect(first.outcome).toEqual({ outcome: 'held', reason: 'no-token', caseNumber: c.caseNumber });
    expect(first.record).toMatchObject({ outcome: 'held', reason: 'no-token', caseNumber: c.caseNumber, replied: true });
    expect(first.answers).toHaveLength(1);
    expect(first.answers[0].to).toEqual(['dana@acme.example']);
    expect(first.answers[0].text).toMatch(/held/i);
    const second = await deliver({ from: 'dana@acme.example', to: `support@${DOMAIN}`, subject: `Re: [ref:${c.referenceId}]` });
    expect(second.outcome.outcome).toBe('held');
    // Rate-limited: one answer per sender, case and day.
    expect(second.answers).toHaveLength(0);
    const eric = await logFor(await caller('u-eric'));
    expect(eric.find((r) => r.transportId === first.transportId)).toMatchObject({ outcome: 'held', reason: 'no-token' });
  });

  it("MAIL-4: a colleague replying with someone else's token is held (the token names its recipient, not him); the token's own recipient attaches", async () => {
    const c = await makeCase();
    const danas = tokenAddress(c, 'dana@acme.example');
    const dave = await deliver({ from: 'dave@acme.example', to: danas, body: 'Dave here, using Dana’s mail' });
    expect(dave.outcome).toEqual({ outcome: 'held', reason: 'token-not-issued-to-sender', caseNumber: c.caseNumber });
    expect(await updatesOf(c)).toHaveLength(0);
    const dana = await deliver({ from: 'dana@acme.example', to: danas, body: 'Dana here' });
    expect(dana.outcome).toMatchObject({ outcome: 'attached', caseNumber: c.caseNumber });
  });

  it('MAIL-4: staff release a held message: it is attached then, as its sender, once, and the release is in the case history', async () => {
    const c = await makeCase();
    const held = await deliver({ from: 'dave@acme.example', to: tokenAddress(c, 'dana@acme.example'), body: 'Release me' });
    expect(held.outcome.outcome).toBe('held');
    // A customer may not release; a US analyst may (Acme is not EU/EEA).
    await expect(releaseInboundMail(deps, await caller('u-dana'), held.transportId)).rejects.toMatchObject({ status: 403 });
    const row = await releaseInboundMail(deps, await caller('u-alice'), held.transportId);
    expect(row).toMatchObject({ outcome: 'attached', caseNumber: c.caseNumber, releasedBy: 'u-alice' });
    const updates = await updatesOf(c);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ authorId: 'u-dave', channel: 'email', visibility: 'public' });
    const full = await deps.cases.getUpdate(c.caseNumber, updates[0].updateId);
    expect(full?.body).toBe('Release me');
    const history = (await deps.cases.listEvents(c.caseNumber, { limit: 100 })).items;
    expect(history.some((e) => e.actorId === 'u-alice' && /releas/.test(e.action))).toBe(true);
    // Twice is once.
    await expect(releaseInboundMail(deps, await caller('u-alice'), held.transportId)).rejects.toBeInstanceOf(Problem);
    expect(await updatesOf(c)).toHaveLength(1);
  });

  it('MAIL-4, PRIV-1: US staff cannot release held mail of an EU/EEA case; EU staff can', async () => {
    const c = await makeCase({
      orgId: 'ORG-GLOBEX',
      soldToOrgId: 'ORG-GLOBEX',
      orgName: 'Globex GmbH',
      contactId: 'u-greta',
      contactName: 'Greta Vogel',
      contactEmail: 'greta@globex.example',
    });
    const held = await deliver({ from: 'greta@globex.example', to: `support@${DOMAIN}`, subject: `[ref:${c.referenceId}]` });
    expect(held.outcome.outcome).toBe('held');
    await expect(releaseInboundMail(deps, await caller('u-alice'), held.transportId)).rejects.toMatchObject({ status: 403 });
    await expect(releaseInboundMail(deps, await caller('u-eric'), held.transportId)).resolves.toMatchObject({
      outcome: 'attached',
    });
  });

  it('MAIL-4: a held message is released only if its sender may still write the case', async () => {
    const c = await makeCase();
    const held = await deliver({ from: 'dave@acme.example', to: `support@${DOMAIN}`, subject: `[ref:${c.referenceId}]` });
    expect(held.outcome.outcome).toBe('held');
    await setMemberLevel(deps, await caller('u-adam'), 'ORG-ACME', 'u-dave', 'read_only');
    try {
      await expect(releaseInboundMail(deps, await caller('u-alice'), held.transportId)).rejects.toMatchObject({ status: 409 });
      expect(await updatesOf(c)).toHaveLength(0);
    } finally {
      await setMemberLevel(deps, await caller('u-adam'), 'ORG-ACME', 'u-dave', 'designated');
    }
  });
});

describe('MAIL-4: SES verdicts, from the SES receipt documentation', () => {
  const acmeToken = async () => tokenAddress(await makeCase(), 'dana@acme.example');

  it.each([
    ['spam GRAY', { spam: 'GRAY' }, 'scan-failed'],
    ['virus PROCESSING_FAILED', { virus: 'PROCESSING_FAILED' }, 'scan-failed'],
    ['spam verdict missing', { spam: undefined }, 'scan-failed'],
    ['DMARC FAIL', { dmarc: 'FAIL' }, 'dmarc-fail'],
    ['DMARC GRAY (no policy) with SPF and DKIM GRAY', { dmarc: 'GRAY', spf: 'GRAY', dkim: 'GRAY' }, 'unauthenticated'],
    ['DMARC PROCESSING_FAILED', { dmarc: 'PROCESSING_FAILED', spf: 'GRAY', dkim: 'GRAY' }, 'unauthenticated'],
    ['DMARC missing', { dmarc: undefined, spf: 'GRAY', dkim: 'GRAY' }, 'unauthenticated'],
  ] as const)(
    'MAIL-4: %s is a failure: a known contact’s mail is held, not attached, and not answered (it may be forged)',
    async (_name, verdicts, reason) => {
      const { outcome, record, answers } = await deliver({ from: 'dana@acme.example', to: await acmeToken(), verdicts });
      expect(outcome).toMatchObject({ outcome: 'held', reason });
      expect(record).toMatchObject({ outcome: 'held', reason });
      expect(answers).toHaveLength(0);
    },
  );

  it('MAIL-4: a failed check from a sender nobody knows is rejected with its reason, not held', async () => {
    const { outcome } = await deliver({ from: 'mallory@evil.example', to: await acmeToken(), verdicts: { dmarc: 'FAIL' } });
    expect(outcome).toMatchObject({ outcome: 'rejected', reason: 'dmarc-fail' });
  });

  it('MAIL-4: no DMARC policy (GRAY) but an SPF PASS for an aligned envelope domain passes', async () => {
    const { outcome } = await deliver({
      from: 'dana@acme.example',
      mailFrom: 'bounces@mail.acme.example',
      to: await acmeToken(),
      verdicts: { dmarc: 'GRAY', spf: 'PASS', dkim: 'GRAY' },
    });
    expect(outcome.outcome).toBe('attached');
  });

  it('MAIL-4: no DMARC policy and an SPF PASS for an unrelated envelope domain does not', async () => {
    const { outcome } = await deliver({
      from: 'dana@acme.example',
      mailFrom: 'anyone@bulk-sender.example',
      to: await acmeToken(),
      verdicts: { dmarc: 'GRAY', spf: 'PASS', dkim: 'GRAY' },
    });
    expect(outcome).toMatchObject({ outcome: 'held', reason: 'unauthenticated' });
  });

  it('MAIL-4: no DMARC policy and a DKIM PASS with an aligned d= passes', async () => {
    const { outcome } = await deliver({
      from: 'dana@acme.example',
      mailFrom: 'anyone@bulk-sender.example',
      to: await acmeToken(),
      headers: 'DKIM-Signature: v=1; a=rsa-sha256; d=acme.example; s=sel; h=from; bh=x; b=y\n',
      verdicts: { dmarc: 'GRAY', spf: 'GRAY', dkim: 'PASS' },
    });
    expect(outcome.outcome).toBe('attached');
  });

  it('MAIL-4: a null envelope sender (MAIL FROM:<>) is a bounce whatever the headers say, and is never answered', async () => {
    const { outcome, answers } = await deliver({ from: 'dana@acme.example', mailFrom: '', to: await acmeToken() });
    expect(outcome).toMatchObject({ outcome: 'rejected', reason: 'bounce' });
    expect(answers).toHaveLength(0);
  });
});

describe('MAIL-5: a duplicate is the same message on the same case', () => {
  it('MAIL-5: "Thanks, confirmed." to case A and then to case B is two replies', async () => {
    const a = await makeCase();
    const b = await makeCase();
    const one = await deliver({
      from: 'dana@acme.example',
      to: tokenAddress(a, 'dana@acme.example'),
      body: 'Thanks, confirmed.',
    });
    const two = await deliver({
      from: 'dana@acme.example',
      to: tokenAddress(b, 'dana@acme.example'),
      body: 'Thanks, confirmed.',
    });
    expect(one.outcome).toMatchObject({ outcome: 'attached', caseNumber: a.caseNumber });
    expect(two.outcome).toMatchObject({ outcome: 'attached', caseNumber: b.caseNumber });
  });
});

describe('a known person whose reply is refused gets one polite answer', () => {
  it('ACC-2: a read-only member is told why and what to do, once a day; never when the mail is machine mail', async () => {
    const c = await makeCase();
    const first = await deliver({ from: 'rita@acme.example', to: tokenAddress(c, 'rita@acme.example') });
    expect(first.outcome).toMatchObject({ outcome: 'rejected', reason: 'sender-read-only' });
    expect(first.answers).toHaveLength(1);
    expect(first.answers[0].text).toMatch(/read-only/);
    const again = await deliver({ from: 'rita@acme.example', to: tokenAddress(c, 'rita@acme.example') });
    expect(again.answers).toHaveLength(0);
    const c2 = await makeCase();
    const robot = await deliver({
      from: 'rita@acme.example',
      to: tokenAddress(c2, 'rita@acme.example'),
      headers: 'Auto-Submitted: auto-replied\n',
    });
    expect(robot.answers).toHaveLength(0);
  });

  it('ACC-2: a contact who lost access (demoted to basic) is told, once', async () => {
    const c = await makeCase();
    await setMemberLevel(deps, await caller('u-adam'), 'ORG-ACME', 'u-dave', 'basic');
    try {
      const out = await deliver({ from: 'dave@acme.example', to: tokenAddress(c, 'dave@acme.example') });
      expect(out.outcome).toMatchObject({ outcome: 'rejected', reason: 'sender-not-allowed' });
      expect(out.answers).toHaveLength(1);
      expect(out.answers[0].text).toMatch(/no longer have access/);
    } finally {
      await setMemberLevel(deps, await caller('u-adam'), 'ORG-ACME', 'u-dave', 'designated');
    }
  });

  it('MAIL-3: an unknown sender gets no answer (no backscatter)', async () => {
    const c = await makeCase();
    const out = await deliver({ from: 'stranger@elsewhere.example', to: tokenAddress(c, 'dana@acme.example') });
    expect(out.outcome).toMatchObject({ outcome: 'rejected', reason: 'unknown-sender' });
    expect(out.answers).toHaveLength(0);
  });
});

describe('PRIV-1, PRIV-2: inbound log rows are rendered for the viewer', () => {
  it('PRIV-1: a no-reference mail from EU staff (about an EU customer) is not shown in full to US staff', async () => {
    const subject = `Globex callback list ${randomUUID()}`;
    const { transportId, outcome } = await deliver({ from: 'eric@vendor.example', to: `support@${DOMAIN}`, subject });
    expect(outcome).toMatchObject({ outcome: 'rejected', reason: 'no-reference' });
    const forAlice = (await logFor(await caller('u-alice'))).find((r) => r.transportId === transportId);
    expect(forAlice).toBeDefined();
    expect(forAlice).not.toHaveProperty('subject');
    expect(forAlice).not.toHaveProperty('from');
    const forEric = (await logFor(await caller('u-eric'))).find((r) => r.transportId === transportId);
    expect(forEric).toMatchObject({ subject, from: 'eric@vendor.example' });
  });

  it("PRIV-2: staff on the mobile app never see a FedRAMP customer's reply in the inbound log", async () => {
    const c = await makeCase({
      orgId: 'ORG-INITECH',
      soldToOrgId: 'ORG-INITECH',
      orgName: 'Initech Federal',
      contactId: 'u-fred',
      contactName: 'Fred',
      contactEmail: 'fred@initech.example',
    });
    const subject = `Initech outage ${randomUUID()}`;
    const { transportId, outcome } = await deliver({
      from: 'fred@initech.example',
      to: tokenAddress(c, 'fred@initech.example'),
      subject,
    });
    expect(outcome.outcome).toBe('attached');
    const onWeb = (await logFor(await caller('u-adam'))).find((r) => r.transportId === transportId);
    expect(onWeb).toMatchObject({ subject });
    const onPhone = await logFor(await caller('u-adam', 'mobile'));
    expect(onPhone.find((r) => r.transportId === transportId)).toBeUndefined();
    expect(JSON.stringify(onPhone)).not.toContain('fred@initech.example');
  });
});
