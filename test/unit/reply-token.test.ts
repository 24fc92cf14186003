import { composeCaseMail, messageIdKey, needsActionReminder } from '../../lambdas/domain/mail/compose';
import type { ReplyKeyring } from '../../lambdas/domain/mail/ports';
import { parseKeyring as keyringFromJson } from '../../lambdas/adapters/reply-keys';
import { signReplyToken, tokenFromAddress, verifyReplyToken } from '../../lambdas/domain/mail/reply-token';
import type { Case } from '../../lambdas/domain/kernel/types';
import { rawMessage } from '../../lambdas/adapters/ses-mailer';
import { testKeyring, TEST_REPLY_KEYS } from '../helpers/deps';

const ring = (current: string, ids: string[]): ReplyKeyring => ({
  current: { id: current, secret: TEST_REPLY_KEYS[current] },
  byId: (id) => (ids.includes(id) ? TEST_REPLY_KEYS[id] : undefined),
});

const claims = { caseNumber: '00001234', recipient: 'dana@acme.example' };

describe('MAIL-1: reply tokens', () => {
  it('MAIL-1: a signed token verifies to its case and knows its recipient', () => {
    const t = signReplyToken(testKeyring, claims);
    expect(t).toMatch(/^[0-9a-z-]+$/);
    expect(`case+${t}`.length).toBeLessThanOrEqual(64);
    const v = verifyReplyToken(testKeyring, t)!;
    expect(v.caseNumber).toBe('00001234');
    expect(v.issuedTo('Dana@Acme.example')).toBe(true);
    expect(v.issuedTo('dave@acme.example')).toBe(false);
    // Survives case-folding of the local part.
    expect(verifyReplyToken(testKeyring, t.toUpperCase())?.caseNumber).toBe('00001234');
  });

  it('MAIL-1: any altered character, another case number or a guessed MAC never verifies', () => {
    const t = signReplyToken(testKeyring, claims);
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '-') continue;
      const c = t[i] === 'a' ? 'b' : t[i] === '0' ? '1' : /\d/.test(t[i]) ? '0' : 'a';
      expect(verifyReplyToken(testKeyring, t.slice(0, i) + c + t.slice(i + 1))).toBeUndefined();
    }
    expect(verifyReplyToken(testKeyring, t.replace('00001234', '00001235'))).toBeUndefined();
    expect(verifyReplyToken(testKeyring, '00001234-t1-aaaaaaaa-aaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(verifyReplyToken(testKeyring, '')).toBeUndefined();
  });

  it('MAIL-1: a token of an unknown key id never verifies', () => {
    const t = signReplyToken(ring('t0', ['t0']), claims);
    expect(verifyReplyToken(ring('t1', ['t1']), t)).toBeUndefined();
    expect(verifyReplyToken(testKeyring, t.replace('-t0-', '-t1-'))).toBeUndefined();
  });

  it('MAIL-1: rotation: tokens of the old key verify while it stays in the keyring, new ones use the new key', () => {
    const old = signReplyToken(ring('t0', ['t0']), claims);
    const rotated = ring('t1', ['t0', 't1']);
    expect(verifyReplyToken(rotated, old)?.keyId).toBe('t0');
    expect(verifyReplyToken(rotated, signReplyToken(rotated, claims))?.keyId).toBe('t1');
    expect(verifyReplyToken(ring('t1', ['t1']), old)).toBeUndefined();
  });

  it('MAIL-1: the keyring JSON refuses short keys and odd key ids', () => {
    const k = Buffer.alloc(32, 7).toString('base64');
    expect(keyringFromJson(JSON.stringify({ current: 'k1', keys: { k1: k } })).current.id).toBe('k1');
    expect(() => keyringFromJson(JSON.stringify({ current: 'k1', keys: { k1: 'c2hvcnQ=' } }))).toThrow();
    expect(() => keyringFromJson(JSON.stringify({ current: 'K_1', keys: { K_1: k } }))).toThrow();
  });

  it('MAIL-1: only our own domain’s case+ addresses carry tokens', () => {
    expect(tokenFromAddress('case+abc@casework.test', 'casework.test')).toBe('abc');
    expect(tokenFromAddress('CASE+ABC@Casework.Test', 'casework.test')).toBe('abc');
    expect(tokenFromAddress('case+abc@evil.example', 'casework.test')).toBeUndefined();
    expect(tokenFromAddress('support@casework.test', 'casework.test')).toBeUndefined();
  });
});

const aCase = (): Case => ({
  caseNumber: '00001234',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Phones down',
  description: 'd',
  severity: 'high',
  status: 'awaiting_info',
  orgId: 'ORG-ACME',
  soldToOrgId: 'ORG-ACME',
  orgName: 'Acme Corp',
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud',
  contactId: 'u-dana',
  contactName: 'Dana Scott',
  contactEmail: 'dana@acme.example',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  waitingSince: '2026-01-01T00:00:00.000Z',
  version: 1,
  needsAction: false,
});

describe('MAIL-1: outbound headers', () => {
  it('MAIL-1: From support@, signed Reply-To, Reference ID in subject and body, References, Auto-Submitted', async () => {
    const mail = needsActionReminder(aCase(), 'casework.test', testKeyring);
    expect(mail.from).toBe('support@casework.test');
    const token = tokenFromAddress(mail.replyTo, 'casework.test')!;
    expect(verifyReplyToken(testKeyring, token)).toMatchObject({ caseNumber: '00001234' });
    expect(verifyReplyToken(testKeyring, token)!.issuedTo('dana@acme.example')).toBe(true);
    expect(mail.subject).toMatch(/^\[Case 00001234\] .* \[ref:ABCDEFGHJKMNPQRS\]$/);
    expect(mail.text).toContain('[ref:ABCDEFGHJKMNPQRS]');
    expect(mail.text).toMatch(/reply above this line/i);
    expect(mail.references).toBe('<case-ABCDEFGHJKMNPQRS@casework.test>');
    const raw = (await rawMessage(mail)).toString();
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(raw).toMatch(/^X-Loop: casework@casework\.test$/m);
    expect(raw).toMatch(/^References: <case-ABCDEFGHJKMNPQRS@casework\.test>$/m);
    expect(raw).toContain(`Reply-To: ${mail.replyTo}`);
  });

  it('MAIL-1: the token is signed for the recipient the mail goes to', () => {
    const mail = composeCaseMail(aCase(), 'casework.test', testKeyring, { to: ['dave@acme.example'], text: 'x' });
    const v = verifyReplyToken(testKeyring, tokenFromAddress(mail.replyTo, 'casework.test')!)!;
    expect(v.issuedTo('dave@acme.example')).toBe(true);
    expect(v.issuedTo('dana@acme.example')).toBe(false);
  });

  it('MAIL-1: SES message ids match In-Reply-To whatever the regional domain and case', () => {
    expect(messageIdKey('<0100018E-ABC@email.amazonses.com>')).toBe('0100018e-abc');
    expect(messageIdKey('0100018e-abc@eu-west-1.amazonses.com')).toBe('0100018e-abc');
    expect(messageIdKey('0100018e-abc')).toBe('0100018e-abc');
    expect(messageIdKey('<x@client.example>')).toBe('x@client.example');
  });
});
