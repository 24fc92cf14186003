/**
 * NOTE-4: times in mail are the recipient's. Expectations are written from the rule (the user's
 * zone, a human format), with fixed zones; every test runs whatever the machine's own zone is.
 */
import { localTime, localTranscript, localWindow } from '../../lambdas/domain/mail/local-time';
import { needsActionReminder } from '../../lambdas/domain/mail/compose';
import { transcriptText } from '../../lambdas/domain/chat/chat';
import type { Chat, ChatMessage } from '../../lambdas/domain/chat/chat-types';
import { overdueMail } from '../../lambdas/domain/access/access-requests';
import { notificationMail } from '../../lambdas/domain/notifications/delivery';
import type { NotificationEvent } from '../../lambdas/domain/notifications/notifications';
import type { AccessRequest, Case } from '../../lambdas/domain/kernel/types';
import { testKeyring } from '../helpers/deps';

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe('NOTE-4: a time as the recipient reads it', () => {
  it('NOTE-4: weekday, day, month, year, 24-hour clock and the zone, in the given zone (winter and summer time)', () => {
    expect(localTime('2026-12-03T13:05:00.000Z', 'Europe/Berlin')).toBe('Thu 3 Dec 2026, 14:05 CET');
    expect(localTime('2026-07-03T13:05:00.000Z', 'Europe/Berlin')).toBe('Fri 3 Jul 2026, 15:05 CEST');
    expect(localTime('2026-12-03T13:05:00.000Z', 'America/New_York')).toBe('Thu 3 Dec 2026, 08:05 EST');
    expect(localTime('2026-12-03T23:30:00.000Z', 'Asia/Kolkata')).toBe('Fri 4 Dec 2026, 05:00 GMT+5:30');
  });

  it('NOTE-4: no zone, or one no time zone database knows, is UTC and says so', () => {
    expect(localTime('2026-12-03T13:05:00.000Z', undefined)).toBe('Thu 3 Dec 2026, 13:05 UTC');
    expect(localTime('2026-12-03T13:05:00.000Z', 'Mars/Olympus')).toBe('Thu 3 Dec 2026, 13:05 UTC');
  });

  it('NOTE-4, ALARM-2: a maintenance window on one day names the day once; across midnight both ends in full', () => {
    expect(localWindow({ start: '2026-12-05T02:00:00.000Z', end: '2026-12-05T04:00:00.000Z' }, 'Europe/Berlin')).toBe(
      'Sat 5 Dec 2026, 03:00 – 05:00 CET',
    );
    expect(localWindow({ start: '2026-12-05T22:30:00.000Z', end: '2026-12-06T01:00:00.000Z' }, 'Europe/Berlin')).toBe(
      'Sat 5 Dec 2026, 23:30 CET – Sun 6 Dec 2026, 02:00 CET',
    );
  });
});

const kase: Case = {
  caseNumber: '00001234',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Phones down',
  description: 'x',
  severity: 'high',
  status: 'awaiting_info',
  orgId: 'ORG-GLOBEX',
  soldToOrgId: 'ORG-GLOBEX',
  orgName: 'Globex GmbH',
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud CX Support',
  contactId: 'u-greta',
  contactName: 'Greta',
  contactEmail: 'greta@globex.example',
  createdAt: '2026-11-30T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
  version: 3,
  needsAction: true,
  waitingSince: '2026-12-01T08:00:00.000Z',
};

describe('NOTE-4: times in mail', () => {
  it('FLAG-1, NOTE-4: the reminder says since when in the contact’s zone, never a raw UTC time', () => {
    const mail = needsActionReminder(kase, 'casework.test', testKeyring, 'Europe/Berlin');
    expect(mail.text).toContain('since Tue 1 Dec 2026, 09:00 CET.');
    expect(mail.text).not.toMatch(ISO_TIME);
  });

  it('CHAT-3, NOTE-4: the transcript mail has the start and end in the reader’s zone and each line’s clock time; text typed in a chat is left alone', () => {
    const chat: Chat = {
      chatId: 'c1',
      caseNumber: '00001234',
      orgId: 'ORG-GLOBEX',
      supportGroup: 'Cloud CX Support',
      customerId: 'u-greta',
      customerName: 'Greta',
      customerEmail: 'greta@globex.example',
      customerConn: 'conn',
      status: 'ended',
      version: 4,
      startedAt: '2026-12-01T09:00:00.000Z',
      endedAt: '2026-12-01T09:05:00.000Z',
      endReason: 'ended-by-customer',
      analystName: 'Eric',
    };
    const messages: ChatMessage[] = [
      {
        chatId: 'c1',
        messageId: '1',
        at: '2026-12-01T09:00:10.000Z',
        fromId: 'u-greta',
        fromName: 'Greta',
        fromKind: 'customer',
        text: 'Since 2026-12-01T08:00:00Z',
      },
      {
        chatId: 'c1',
        messageId: '2',
        at: '2026-12-01T09:01:20.000Z',
        fromId: 'u-eric',
        fromName: 'Eric',
        fromKind: 'staff',
        text: 'Looking',
      },
    ];
    const text = localTranscript(transcriptText(chat, messages), 'America/New_York');
    expect(text).toContain('started Tue 1 Dec 2026, 04:00 EST by Greta');
    expect(text).toContain('[04:00:10] Greta: Since 2026-12-01T08:00:00Z');
    expect(text).toContain('[04:01:20] Eric: Looking');
    expect(text).toContain('Ended Tue 1 Dec 2026, 04:05 EST (');
    expect(text.replace('2026-12-01T08:00:00Z', '')).not.toMatch(ISO_TIME);
  });

  it('FLAG-2, NOTE-4: the overdue access-request mail says when it was confirmed in the admin’s zone', () => {
    const r = {
      requestId: 'R1',
      email: 'new@acme.example',
      name: 'New Person',
      level: 'read_only',
      orgId: 'ORG-ACME',
      orgName: 'Acme Corp',
      combinations: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME' }],
      decidingOrgId: 'ORG-ACME',
      status: 'pending',
      createdAt: '2026-11-28T10:00:00.000Z',
      confirmedAt: '2026-11-28T10:15:00.000Z',
      codeHash: 'x',
      codeExpiresAt: 'x',
      attempts: 0,
      caseNumber: '00000077',
    } as AccessRequest;
    const mail = overdueMail('casework.test', 'adam@vendor.example', r, 'staff', 'Europe/Berlin');
    expect(mail.text).toContain('Confirmed Sat 28 Nov 2026, 11:15 CET, still pending.');
  });

  it('ALARM-2, NOTE-4: a maintenance notification mail gives the window in the recipient’s zone', async () => {
    const window = { start: '2026-12-05T02:00:00.000Z', end: '2026-12-05T04:00:00.000Z' };
    const e: NotificationEvent = {
      eventId: 'maintenance#ORG-ACME#m1#t',
      eventType: 'maintenance',
      at: '2026-12-01T00:00:00.000Z',
      orgId: 'ORG-ACME',
      notice: {
        kind: 'maintenance',
        id: 'm1',
        orgId: 'ORG-ACME',
        title: 'Database upgrade',
        status: 'scheduled',
        modifiedAt: 't',
        window,
      },
    };
    const item = {
      userId: 'u-dana',
      notificationId: e.eventId,
      eventType: e.eventType,
      at: e.at,
      orgId: 'ORG-ACME',
      title: 'Maintenance alert for Acme Corp: 2026-12-05 02:00 – 04:00 UTC',
      body: 'Database upgrade\n2026-12-05 02:00 – 04:00 UTC',
      fedramp: false,
      keepUntil: 'x',
    };
    const deps = { mailDomain: 'casework.test', replyKeys: async () => testKeyring };
    const mail = await notificationMail(deps, e, item, 'dana@acme.example', ['maintenance'], 'America/Los_Angeles');
    expect(mail.subject).toContain('Fri 4 Dec 2026, 18:00 – 20:00 PST');
    expect(mail.text).toContain('Database upgrade\nFri 4 Dec 2026, 18:00 – 20:00 PST');
    expect(mail.text).not.toContain('UTC');
  });
});
