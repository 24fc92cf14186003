/** The small frictions a new user hits, as pure rules. */
import { codeMail } from '../../lambdas/domain/access/access-requests';
import { chatText } from '../../lambdas/domain/chat/chat';
import { notificationText, windowText } from '../../lambdas/domain/notifications/delivery';
import type { NotificationEvent } from '../../lambdas/domain/notifications/notifications';
import { routeRefusal } from '../../lambdas/domain/kernel/refusals';
import type { AccessRequest, Org } from '../../lambdas/domain/kernel/types';
import { notifyCounts } from '../../lambdas/stream/notify';
import { CaseNumberParams, ListCasesQuery, SearchQuery } from '../../lambdas/schemas/cases';
import { caller, org } from '../helpers/demo-caller';

const acme = org('ORG-ACME');

describe('read-only and basic users are told what a route needs (ACC-2)', () => {
  it('ACC-2: a read-only contact refused a designated route hears that designated access is needed and what they hold', () => {
    const rita = caller({
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'read_only', via: 'direct' }],
      orgs: [acme],
    });
    const detail = routeRefusal(rita, 'updateCases');
    expect(detail).toMatch(/Designated Contact \(designated\) access/);
    expect(detail).toMatch(/read-only/);
    expect(detail).not.toBe('You may not call this route.');
  });

  it('ACC-2: a basic contact refused case reads hears that read-only access is needed', () => {
    const bob = caller({
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'basic', via: 'direct' }],
      orgs: [acme],
    });
    const detail = routeRefusal(bob, 'readCases');
    expect(detail).toMatch(/read-only access or higher/);
    expect(detail).toMatch(/highest access level is basic/);
  });

  it('ACC-8: a customer refused a staff route hears it is for vendor staff', () => {
    const dana = caller({
      memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' }],
      orgs: [acme],
    });
    expect(routeRefusal(dana, 'staff')).toMatch(/vendor staff role/);
    expect(routeRefusal(dana, 'admin')).toMatch(/portal admin/);
  });
});

describe('CHAT-1: chat text is stored as a person typed it', () => {
  it('CHAT-1: terminal escape sequences and control characters are stripped; line breaks stay', () => {
    expect(chatText('hello\u001b[4~ world')).toBe('hello world');
    expect(chatText('\u001b[1;5Cnext\u0007')).toBe('next');
    expect(chatText('line one\nline\ttwo\u0000')).toBe('line one\nline\ttwo');
    expect(chatText('\u001b[A\u001b[B')).toBe('');
    expect(chatText('Grüße, 東京 ✓')).toBe('Grüße, 東京 ✓');
  });
});

describe('ACC-6: the access-request code mail is written for a person', () => {
  it('ACC-6: it gives the code and what to do with it, without API paths or JSON', () => {
    const r = {
      requestId: '01JREQUEST0000000000000000',
      email: 'new.person@acme.example',
      name: 'New Person',
      level: 'read_only',
      orgId: 'ORG-ACME',
      orgName: 'Acme Corp',
    } as AccessRequest;
    const mail = codeMail('casework.test', r, '123456');
    expect(mail.text).toContain('Your code is 123456');
    expect(mail.text).toContain('Acme Corp');
    expect(mail.text).toContain('read-only');
    expect(mail.text).not.toMatch(/POST |\/access-requests|\{"code"/);
  });
});

describe('LIST-3, LIST-4: query values a person would type', () => {
  it('CASE-2: a case number may be given without its leading zeros', () => {
    expect(CaseNumberParams.parse({ caseNumber: '12' })).toEqual({ caseNumber: '00000012' });
    expect(CaseNumberParams.parse({ caseNumber: '00001001' })).toEqual({ caseNumber: '00001001' });
    const bad = CaseNumberParams.safeParse({ caseNumber: '123456789' });
    expect(bad.success).toBe(false);
    expect(CaseNumberParams.safeParse({ caseNumber: 'abc' }).error?.issues[0].message).toMatch(
      /leading zeros \(12 or 00000012\)/,
    );
  });

  it('LIST-3: dates take a plain day: from is its first millisecond, to its last (UTC)', () => {
    const q = ListCasesQuery.parse({ from: '2026-01-01', to: '2026-01-31' });
    expect(q.from).toBe('2026-01-01T00:00:00.000Z');
    expect(q.to).toBe('2026-01-31T23:59:59.999Z');
    expect(ListCasesQuery.parse({ from: '2026-01-01T10:00:00+01:00' }).from).toBe('2026-01-01T09:00:00.000Z');
    expect(SearchQuery.parse({ q: 'Acme', from: '2025-12-01' }).from).toBe('2025-12-01T00:00:00.000Z');
    expect(ListCasesQuery.safeParse({ from: '2026-13-01' }).success).toBe(false);
    // The same day as both bounds is that whole day, not an empty range.
    expect(ListCasesQuery.safeParse({ from: '2026-01-01', to: '2026-01-01' }).success).toBe(true);
  });

  it('LIST-3: filters take several values, comma-separated; an unknown one is 400 on its field', () => {
    expect(ListCasesQuery.parse({ severity: 'high,critical' }).severity).toEqual(['high', 'critical']);
    expect(ListCasesQuery.parse({ status: 'open' }).status).toEqual(['open']);
    expect(ListCasesQuery.parse({ kind: 'admin,support' }).kind).toEqual(['admin', 'support']);
    const bad = ListCasesQuery.safeParse({ severity: 'high,urgent' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path[0]).toBe('severity');
  });
});

describe('NOTE-1, ALARM-2: notifier metrics and maintenance alert text', () => {
  it('NOTE-1: NotificationsSent counts handled events, NotificationsRetried only those left to the retry', () => {
    const events = ['a', 'b', 'c'].map((eventId) => ({ eventId }) as NotificationEvent);
    expect(
      notifyCounts(
        events,
        new Map([
          ['a', undefined],
          ['b', undefined],
          ['c', undefined],
        ]),
      ),
    ).toEqual({ sent: 3, retried: 0 });
    expect(
      notifyCounts(
        events,
        new Map<string, Error | undefined>([
          ['a', undefined],
          ['b', new Error('SNS')],
          ['c', undefined],
        ]),
      ),
    ).toEqual({
      sent: 2,
      retried: 1,
    });
  });

  it('ALARM-2: a maintenance alert carries its window', () => {
    const org = { orgId: 'ORG-ACME', name: 'Acme Corp' } as Org;
    const text = notificationText(
      {
        eventId: 'e1',
        eventType: 'maintenance',
        at: '2026-12-01T00:00:00.000Z',
        orgId: 'ORG-ACME',
        notice: {
          kind: 'maintenance',
          id: 'M1',
          orgId: 'ORG-ACME',
          title: 'DB upgrade',
          window: { start: '2026-12-05T02:00:00.000Z', end: '2026-12-05T04:00:00.000Z' },
        },
      } as unknown as NotificationEvent,
      org,
    );
    expect(text.title).toBe('Maintenance alert for Acme Corp: 2026-12-05 02:00 – 04:00 UTC');
    expect(text.body).toContain('DB upgrade');
    expect(windowText({ start: '2026-12-05T22:00:00.000Z', end: '2026-12-06T01:30:00.000Z' })).toBe(
      '2026-12-05 22:00 – 2026-12-06 01:30 UTC',
    );
  });
});
