import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCursor, decodeCursor } from '../../lambdas/http/cursor';
import { corporateEmailIssue, FREE_MAIL_DOMAINS } from '../../lambdas/domain/access/identity';
import { canTransition, TRANSITIONS, withStatus } from '../../lambdas/domain/cases/lifecycle';
import { composeCaseMail } from '../../lambdas/domain/mail/compose';
import { testKeyring } from '../helpers/deps';
import { STATUSES, type Case } from '../../lambdas/domain/kernel/types';
import { referenceId } from '../../lambdas/adapters/ids';

const aCase = (extra: Partial<Case> = {}): Case => ({
  caseNumber: '00001234',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Phones down',
  description: 'd',
  severity: 'high',
  status: 'open',
  orgId: 'ORG-ACME',
  soldToOrgId: 'ORG-ACME',
  orgName: 'Acme Corp',
  productLine: 'Genesys Cloud CX',
  supportGroup: 'g',
  contactId: 'u-dana',
  contactName: 'Dana',
  contactEmail: 'dana@acme.example',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  needsAction: false,
  ...extra,
});

describe('rules as pure functions', () => {
  it('ACC-3: free-mail domains and role aliases are refused, with the reason', () => {
    expect(corporateEmailIssue('dana@acme.example')).toBeUndefined();
    expect(corporateEmailIssue('dana@gmail.com')).toMatch(/free-mail/);
    expect(corporateEmailIssue('Support@acme.example')).toMatch(/role address/);
    expect(corporateEmailIssue('noreply+x@acme.example')).toMatch(/role address/);
    expect(FREE_MAIL_DOMAINS.has('outlook.com')).toBe(true);
  });

  it('CASE-4: closed cases only reopen; nothing moves back to new', () => {
    expect(TRANSITIONS.closed).toEqual(['open']);
    for (const from of STATUSES) expect(canTransition(from, 'new')).toBe(false);
    expect(canTransition('awaiting_info', 'open')).toBe(true);
  });

  it('CASE-8: entering a waiting state starts the clock; leaving it clears the flag', () => {
    const waiting = withStatus(aCase(), 'awaiting_info', '2026-01-02T00:00:00.000Z');
    expect(waiting.waitingSince).toBe('2026-01-02T00:00:00.000Z');
    const flagged = { ...waiting, needsAction: true, needsActionSince: '2026-01-03T00:00:00.000Z' };
    const open = withStatus(flagged, 'open', '2026-01-04T00:00:00.000Z');
    expect(open).toMatchObject({ needsAction: false });
    expect(open.waitingSince).toBeUndefined();
    expect(open.needsActionSince).toBeUndefined();
    // awaiting_info -> solution_proposed keeps the same waiting period (one reminder per period).
    expect(withStatus(flagged, 'solution_proposed', '2026-01-05T00:00:00.000Z').waitingSince).toBe('2026-01-02T00:00:00.000Z');
  });

  it('MAIL-1: case mail carries the Reference ID in subject, body and Reply-To', () => {
    const mail = composeCaseMail(aCase(), 'casework.test', testKeyring, { to: ['dana@acme.example'], text: 'Hello' });
    expect(mail.subject).toBe('[Case 00001234] Phones down [ref:ABCDEFGHJKMNPQRS]');
    // The Reply-To carries a signed token for the case (reply-token.test.ts proves it).
    expect(mail.replyTo).toMatch(/^case\+00001234-t1-[a-z2-7]{8}-[a-z2-7]{20}@casework\.test$/);
    expect(mail.from).toBe('support@casework.test');
    expect(mail.text).toContain('ABCDEFGHJKMNPQRS');
    expect(mail.references).toBe('<case-ABCDEFGHJKMNPQRS@casework.test>');
  });

  it('MAIL-1: Reference IDs are random, not derived from anything', () => {
    const ids = new Set(Array.from({ length: 1000 }, referenceId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('LIST-3: cursors are tamper-evident and bound to the query that issued them', () => {
    const c = encodeCursor('k', { 'ORG-ACME': { PK: 'CASE#1' } }, 'GET /cases|u-dana|sort=priority')!;
    expect(decodeCursor('k', c, 'GET /cases|u-dana|sort=priority')).toEqual({ 'ORG-ACME': { PK: 'CASE#1' } });
    expect(() => decodeCursor('k', c, 'GET /cases|u-greta|sort=priority')).toThrow();
    const [payload, mac] = c.split('.');
    const forged = Buffer.from(JSON.stringify({ 'ORG-GLOBEX': { PK: 'CASE#1' } })).toString('base64url');
    expect(() => decodeCursor('k', `${forged}.${mac}`, 'GET /cases|u-dana|sort=priority')).toThrow();
    expect(payload).not.toContain('ORG-ACME');
    expect(encodeCursor('k', null, 'x')).toBeNull();
  });

  it('no code in lambdas/ issues a Scan', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const offenders = files(join(__dirname, '../../lambdas')).filter((f) => /ScanCommand|\.scan\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
