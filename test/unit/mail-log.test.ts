/**
 * Staff see undelivered mail per case (GET /cases/{caseNumber}/mail): the `caseMail`
 * view shows delivery, never internals, and US staff on an EU/EEA case see no recipient (PRIV-1).
 */
import { caseMailOf, mailErrorClass } from '../../lambdas/domain/mail/mail-log';
import { loggedMailQueue } from '../../lambdas/domain/mail/outbound';
import type { MailJob, MailLogEntry, MailLogRepo } from '../../lambdas/domain/mail/ports';
import { viewFor } from '../../lambdas/domain/kernel/views';

const entry = (over: Partial<MailLogEntry> = {}): MailLogEntry => ({
  caseNumber: '00001234',
  key: 'case-update#00001234#01HUPDATE',
  kind: 'case-update',
  state: 'retrying',
  attempts: 3,
  at: '2026-12-02T10:00:00.000Z',
  userId: 'u-greta',
  error: 'connect ECONNREFUSED 127.0.0.1:8005 (greta@globex.example)',
  errorClass: 'connection',
  ...over,
});

describe('the case mail log as staff see it', () => {
  it('a failed try reads `failed` with its error class; the key, the message and the address never leave', () => {
    const row = viewFor('caseMail', caseMailOf(entry()), 'staff');
    expect(row).toEqual({
      mailId: expect.stringMatching(/^[0-9a-f]{20}$/),
      kind: 'case-update',
      status: 'failed',
      attempts: 3,
      lastAttemptAt: '2026-12-02T10:00:00.000Z',
      lastErrorClass: 'connection',
      recipientId: 'u-greta',
    });
    expect(JSON.stringify(row)).not.toMatch(/ECONNREFUSED|greta@|case-update#/);
  });

  it('PRIV-1: staff working from the US on an EU/EEA case see the delivery, not whose mail it is', () => {
    const row = viewFor('caseMail', caseMailOf(entry({ state: 'dead-lettered', attempts: 10 })), 'restricted');
    expect(row).toMatchObject({ status: 'dead-lettered', attempts: 10, lastErrorClass: 'connection', restricted: true });
    expect(row).not.toHaveProperty('recipientId');
  });

  it('each state reads as staff expect it: queued, sent, failed, dead-lettered, not-sent with its reason', () => {
    const status = (state: MailLogEntry['state']) => {
      const m = caseMailOf(entry({ state }));
      return [m.status, m.reason, m.lastErrorClass];
    };
    expect(status('queued')).toEqual(['queued', undefined, undefined]);
    expect(status('sent')).toEqual(['sent', undefined, undefined]);
    expect(status('retrying')).toEqual(['failed', undefined, 'connection']);
    expect(status('dead-lettered')).toEqual(['dead-lettered', undefined, 'connection']);
    expect(status('not-allowed')).toEqual(['not-sent', 'not-allowed', undefined]);
    expect(status('superseded')).toEqual(['not-sent', 'superseded', undefined]);
  });

  it('error classes come from the error, in a word', () => {
    expect(mailErrorClass(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'connection',
    );
    expect(mailErrorClass(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(mailErrorClass(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }))).toBe('throttled');
    expect(mailErrorClass(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }))).toBe(
      'rejected',
    );
    expect(mailErrorClass(new Error('something odd'))).toBe('other');
  });

  it('the notifier marks each queued mail of a case `queued`, after it is on the queue, and no mail without a case', async () => {
    const order: string[] = [];
    const logged: MailLogEntry[] = [];
    const log: MailLogRepo = {
      record: async () => undefined,
      queued: async (e) => {
        order.push(`log ${e.key}`);
        logged.push(e);
      },
      list: async () => [],
    };
    const queue = loggedMailQueue({ enqueue: async (jobs) => void order.push(`queue ${jobs.length}`) }, () => log);
    const jobs: MailJob[] = [
      {
        kind: 'closure-declined',
        key: 'closure-declined#00000042#v7',
        at: '2026-12-02T10:00:00.000Z',
        caseNumber: '00000042',
        userId: 'u-dana',
      },
      { kind: 'notice', key: 'access-code#R1', at: '2026-12-02T10:00:00.000Z', mail: {} as never },
    ];
    await queue.enqueue(jobs);
    expect(order).toEqual(['queue 2', 'log closure-declined#00000042#v7']);
    expect(logged).toEqual([
      {
        caseNumber: '00000042',
        key: 'closure-declined#00000042#v7',
        kind: 'closure-declined',
        state: 'queued',
        attempts: 0,
        at: '2026-12-02T10:00:00.000Z',
        userId: 'u-dana',
      },
    ]);
    // Nothing is logged as queued when queueing failed.
    const failing = loggedMailQueue({ enqueue: async () => Promise.reject(new Error('SQS down')) }, () => log);
    await expect(failing.enqueue(jobs)).rejects.toThrow('SQS down');
    expect(logged).toHaveLength(1);
  });
});
