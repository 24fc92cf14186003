/**
 * MAIL-2's reply-text corpus (test/fixtures/mail-corpus, sources and licences in its
 * NOTICE.md) through the real parse path: postal-mime (lambdas/adapters/mime.ts), then the reply
 * rules (lambdas/domain/mail/email-text.ts). Every message's new text is asserted exactly, grouped by
 * client and language; the known failures are listed in corpus.json with their reason and must
 * stay failing (so a fix is noticed and the list shrinks), and the score must stay >= 97%. Then
 * every message goes through receiveInboundMail with in-memory ports as an allowed sender's
 * reply: each one is attached, never rejected for its content.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMime, postalMimeParser } from '../../lambdas/adapters/mime';
import { replyText } from '../../lambdas/domain/mail/email-text';
import { receiveInboundMail, type InboundEnvelope } from '../../lambdas/domain/mail/inbound-mail';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { InboundRecord, ReplyKeyring } from '../../lambdas/domain/mail/ports';
import { signReplyToken } from '../../lambdas/domain/mail/reply-token';
import type { Case, CaseUpdate } from '../../lambdas/domain/kernel/types';
import { withCallerSource } from '../helpers/caller-source';

const DIR = join(__dirname, '..', 'fixtures', 'mail-corpus');

interface Entry {
  file: string;
  source: string;
  client: string;
  lang: string;
  format?: 'html';
  expected: string;
  quality?: 'whole';
  knownFailure?: string;
  note?: string;
}
const corpus = JSON.parse(readFileSync(join(DIR, 'corpus.json'), 'utf8')) as Entry[];
const raw = (e: Entry) => new Uint8Array(readFileSync(join(DIR, e.file)));

const groups = new Map<string, Entry[]>();
for (const e of corpus) {
  const key = `${e.client} (${e.lang})`;
  groups.set(key, [...(groups.get(key) ?? []), e]);
}

describe('MAIL-2: reply-text corpus, exact new text per client and language', () => {
  it('MAIL-2: the corpus has at least 150 messages and scores at least 97% exact', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    let exact = 0;
    for (const e of corpus) if (replyText(await parseMime(raw(e))).body === e.expected) exact++;
    expect(exact / corpus.length).toBeGreaterThanOrEqual(0.97);
  });

  for (const [group, entries] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    describe(group, () => {
      for (const e of entries) {
        if (e.knownFailure) {
          it(`MAIL-2: ${e.file} is a known miss (${e.knownFailure})`, async () => {
            // Fixed? Then drop knownFailure from corpus.json and docs/mail.md.
            expect(replyText(await parseMime(raw(e))).body).not.toBe(e.expected);
          });
          continue;
        }
        it(`MAIL-2: ${e.file}`, async () => {
          const text = replyText(await parseMime(raw(e)));
          expect(text.body).toBe(e.expected);
          expect(text.quality).toBe(e.quality ?? 'new');
        });
      }
    });
  }
});

describe('MAIL-2: prose that looks like a quote header stays', () => {
  it.each([
    'Thanks.\n\nOn Monday I wrote the following:\nline one\nline two',
    'Here is what we sent on 2 May:\nthe config',
    'On the surface this works.\nOn average it takes 2 minutes.',
    'The data comes From: our database, not From: external sources.',
  ])('MAIL-2: %j is all new text', (text) => {
    expect(replyText({ text })).toMatchObject({ body: text, quality: 'new' });
  });
});

const DOMAIN = 'casework.test';
const keyring: ReplyKeyring = {
  current: { id: 't1', secret: new Uint8Array(Buffer.from('mail-corpus-test-key-000000000000', 'utf8')) },
  byId: (id) => (id === 't1' ? new Uint8Array(Buffer.from('mail-corpus-test-key-000000000000', 'utf8')) : undefined),
};
const ORG = { orgId: 'ORG-ACME', name: 'Acme', type: 'end_user', gdpr: false, fedramp: false, deployments: [] };
const openCase = (): Case =>
  ({
    caseNumber: '00001234',
    referenceId: 'ABCDEF0123456789',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    status: 'open',
    severity: 'medium',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  }) as unknown as Case;

/** In-memory ports: whoever writes is a designated contact of the case's organisation. */
const memoryDeps = () => {
  const records: InboundRecord[] = [];
  const updates: CaseUpdate[] = [];
  let n = 0;
  const deps = {
    clock: { now: () => new Date('2026-01-02T00:00:00.000Z') },
    ids: { next: () => `u${++n}` },
    mailDomain: DOMAIN,
    mime: postalMimeParser(),
    replyKeys: async () => keyring,
    mailer: { send: async () => 'sent' },
    cases: { getCase: async () => openCase() },
    directory: withCallerSource({
      getOrgs: async () => [ORG],
      getCombinations: async () => [
        { endUserOrgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', contracts: [{ contractId: 'c1', status: 'active' }] },
      ],
      getUserWithMemberships: async (id: string) => ({
        user: { userId: id, email: id.slice(2), name: 'Customer', timeZone: 'UTC', settings: {} },
        memberships: [{ userId: id, orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' }],
      }),
    }),
    mail: {
      claimInbound: async () => true,
      releaseInbound: async () => undefined,
      putOutcome: async (r: InboundRecord) => (records.push(r), true),
      attach: async (a: { record: InboundRecord; updates: CaseUpdate[] }) => {
        records.push(a.record);
        updates.push(...a.updates);
        return { result: 'attached' };
      },
      caseByMessageId: async () => undefined,
      caseByReference: async () => undefined,
      userIdByEmail: async (email: string) => `u:${email}`,
      claimAutoReply: async () => false,
    },
  };
  return { deps: deps as unknown as Deps, records, updates };
};

describe('MAIL-2, MAIL-4: every corpus message from an allowed sender is attached', () => {
  it('MAIL-4: none is rejected for its content; the body is the new text, or the whole text marked whole', async () => {
    const { deps, updates } = memoryDeps();
    const outcomes: Record<string, string> = {};
    for (const [i, e] of corpus.entries()) {
      const bytes = raw(e);
      // MAIL-4: each corpus message replies with a token issued to its own sender, as case mail would be.
      const sender = (await parseMime(bytes)).from?.address ?? 'dana@acme.example';
      const to = `case+${signReplyToken(keyring, { caseNumber: '00001234', recipient: sender })}@${DOMAIN}`;
      const envelope: InboundEnvelope = {
        transportId: `t${i}`,
        rawKey: `inbound/t${i}`,
        receivedAt: '2026-01-02T00:00:00.000Z',
        recipients: [to],
        mailFrom: sender,
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        size: bytes.byteLength,
      };
      const out = await receiveInboundMail(deps, envelope, bytes);
      outcomes[e.file] = out.outcome === 'rejected' ? `rejected: ${out.reason}` : out.outcome;
    }
    expect(Object.entries(outcomes).filter(([, o]) => o !== 'attached')).toEqual([]);
    expect(updates).toHaveLength(corpus.length);
    corpus.forEach((e, i) => {
      const u = updates[i];
      if (e.quality === 'whole') expect(u.textQuality).toBe('whole');
      else expect(u.textQuality).toBeUndefined();
      if (!e.knownFailure) expect(u.body).toBe(e.expected);
      expect(u.body.trim()).not.toBe('');
    });
  });

  it('MAIL-2: a message with no text at all is attached, whole, not rejected as empty', async () => {
    const { deps, updates } = memoryDeps();
    const to = `case+${signReplyToken(keyring, { caseNumber: '00001234', recipient: 'dana@acme.example' })}@${DOMAIN}`;
    const bytes = new Uint8Array(
      Buffer.from(`From: dana@acme.example\r\nTo: ${to}\r\nSubject: Re: x\r\nMessage-ID: <empty@acme.example>\r\n\r\n\r\n`),
    );
    const out = await receiveInboundMail(
      deps,
      {
        transportId: 'empty',
        rawKey: 'inbound/empty',
        receivedAt: '2026-01-02T00:00:00.000Z',
        recipients: [to],
        mailFrom: 'dana@acme.example',
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        size: bytes.byteLength,
      },
      bytes,
    );
    expect(out.outcome).toBe('attached');
    expect(updates[0].textQuality).toBe('whole');
  });
});
