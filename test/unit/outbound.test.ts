/**
 * The mail queue's domain and consumer, with in-memory ports and SQS mocked: retries back off
 * over minutes with jitter, each job is sent once, every recipient is resolved and re-checked
 * when the mail is sent, and the actor of a change is not mailed about it.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { OutboundMail, MailJob, MailLogEntry, OutboxClaim } from '../../lambdas/domain/mail/ports';
import type { NotificationEvent } from '../../lambdas/domain/notifications/notifications';
import { contactJobsOf, retryDelaySeconds, sendMailJob } from '../../lambdas/domain/mail/outbound';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { Case, CaseUpdate, Membership, User } from '../../lambdas/domain/kernel/types';
import { sendMailHandler } from '../../lambdas/queue/send-mail';
import { org, user } from '../helpers/demo-caller';
import { testKeyring } from '../helpers/deps';
import { withCallerSource } from '../helpers/caller-source';

const acme = org('ORG-ACME', { name: 'Acme Corp' });

const kase: Case = {
  caseNumber: '00000042',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Agents cannot log in',
  description: 'since the upgrade',
  severity: 'high',
  status: 'open',
  orgId: acme.orgId,
  soldToOrgId: acme.orgId,
  orgName: acme.name,
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud CX Support',
  contactId: 'u-dave',
  contactName: 'Dave',
  contactEmail: 'dave@acme.example',
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  version: 3,
  needsAction: false,
};

const staffUpdate: CaseUpdate = {
  caseNumber: kase.caseNumber,
  updateId: 'UPD1',
  authorId: 'u-alice',
  authorName: 'Alice Analyst',
  authorKind: 'staff',
  channel: 'portal',
  visibility: 'public',
  body: 'Please restart the edge server.',
  attachments: [],
  createdAt: '2026-12-01T09:00:00.000Z',
};

const job: MailJob = {
  kind: 'case-update',
  key: `case-update#${kase.caseNumber}#UPD1`,
  at: staffUpdate.createdAt,
  caseNumber: kase.caseNumber,
  updateId: 'UPD1',
  userId: 'u-dave',
};

const membership = (level: Membership['level']): Membership[] => [
  { userId: 'u-dave', orgId: acme.orgId, soldToOrgId: acme.orgId, level, via: 'direct' },
];

const harness = (dave: { level: Membership['level']; user?: Partial<User> }, failSends = 0, current: Case = kase) => {
  const mails: OutboundMail[] = [];
  const log: MailLogEntry[] = [];
  const ledger = new Map<string, 'claimed' | 'done'>();
  let failures = failSends;
  const deps = {
    clock: { now: () => new Date('2026-12-01T10:00:00.000Z') },
    mailDomain: 'casework.test',
    replyKeys: async () => testKeyring,
    mailer: {
      send: async (m: OutboundMail) => {
        if (failures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:8005');
        mails.push(m);
        return 'ses-1';
      },
    },
    mail: { recordOutbound: async () => undefined },
    mailLog: { record: async (e: MailLogEntry) => void log.push(e), list: async () => log },
    cases: {
      getCase: async (n: string) => (n === current.caseNumber ? current : undefined),
      getUpdate: async (_n: string, id: string) => (id === 'UPD1' ? staffUpdate : undefined),
    },
    directory: withCallerSource({
      getUserWithMemberships: async (id: string) =>
        id === 'u-dave'
          ? {
              user: user('u-dave', { email: 'dave@acme.example', name: 'Dave', ...dave.user }),
              memberships: membership(dave.level),
            }
          : undefined,
      getOrgs: async (ids: string[]) => (ids.includes(acme.orgId) ? [acme] : []),
      getCombinations: async (pairs: { endUserOrgId: string; soldToOrgId: string }[]) =>
        pairs.map((p) => ({ ...p, contracts: [{ contractId: 'c', status: 'active' }] })),
    }),
    outbox: {
      claim: async (key: string): Promise<OutboxClaim> => {
        if (ledger.get(key) === 'done') return 'done';
        if (ledger.get(key) === 'claimed') return 'busy';
        ledger.set(key, 'claimed');
        return 'claimed';
      },
      finish: async (key: string) => {
        ledger.set(key, 'done');
        return true;
      },
      release: async (key: string) => void ledger.delete(key),
    },
  } as unknown as Deps;
  return { deps, mails, log };
};

const opts = { claimId: 'run-1', leaseUntil: new Date('2026-12-01T10:05:00.000Z') };

describe('retries over minutes', () => {
  it('each retry waits exponentially longer, with jitter, capped; ten tries span minutes, not milliseconds', () => {
    expect(retryDelaySeconds(1, 0)).toBe(10);
    expect(retryDelaySeconds(1, 0.999)).toBeLessThanOrEqual(20);
    expect(retryDelaySeconds(5, 0)).toBe(160);
    expect(retryDelaySeconds(5, 0.999)).toBeLessThanOrEqual(320);
    expect(retryDelaySeconds(12, 0.999)).toBeLessThanOrEqual(600);
    expect(retryDelaySeconds(12, 0)).toBe(300);
    // Two consumers failing at once come back at different times.
    expect(retryDelaySeconds(4, 0.1)).not.toBe(retryDelaySeconds(4, 0.9));
    const shortest = Array.from({ length: 9 }, (_, i) => retryDelaySeconds(i + 1, 0)).reduce((a, b) => a + b, 0);
    expect(shortest).toBeGreaterThan(15 * 60);
  });
});

describe('each job sent once, to a recipient checked at send time', () => {
  it('MAIL-1: a Designated Contact gets the staff update once, with the Reference ID; a redelivered job sends nothing more', async () => {
    const h = harness({ level: 'designated' });
    expect(await sendMailJob(h.deps, job, opts)).toBe('sent');
    expect(await sendMailJob(h.deps, job, opts)).toBe('already-sent');
    expect(h.mails).toHaveLength(1);
    expect(h.mails[0]!.to).toEqual(['dave@acme.example']);
    expect(h.mails[0]!.subject).toContain('[ref:ABCDEFGHJKMNPQRS]');
    expect(h.mails[0]!.text).toContain('Please restart the edge server.');
  });

  it('ACC-2: a contact demoted to basic after the update is not mailed its text', async () => {
    const h = harness({ level: 'basic' });
    expect(await sendMailJob(h.deps, job, opts)).toBe('not-allowed');
    expect(h.mails).toEqual([]);
  });

  it('ACC-9: a contact who has not accepted the current Terms is not mailed case data', async () => {
    const h = harness({ level: 'designated', user: { termsVersion: '1999-01-01' } });
    expect(await sendMailJob(h.deps, job, opts)).toBe('not-allowed');
    expect(h.mails).toEqual([]);
  });

  it('FLAG-1, ACC-2: the reminder is re-checked at send time too: a contact demoted to basic after the flag gets none; a Designated Contact gets it', async () => {
    const waitingSince = '2026-11-29T09:00:00.000Z';
    const waiting: Case = { ...kase, status: 'awaiting_info', needsAction: true, waitingSince };
    const reminder: MailJob = {
      kind: 'reminder',
      key: `reminder#${kase.caseNumber}#${waitingSince}`,
      at: '2026-12-01T09:30:00.000Z',
      caseNumber: kase.caseNumber,
      waitingSince,
      userId: 'u-dave',
    };
    const demoted = harness({ level: 'basic' }, 0, waiting);
    expect(await sendMailJob(demoted.deps, reminder, opts)).toBe('not-allowed');
    expect(demoted.mails).toEqual([]);
    const designated = harness({ level: 'designated' }, 0, waiting);
    expect(await sendMailJob(designated.deps, reminder, opts)).toBe('sent');
    expect(designated.mails.map((m) => m.to)).toEqual([['dave@acme.example']]);
  });

  it('a send that fails is given back, so the retry sends it (once)', async () => {
    const h = harness({ level: 'designated' }, 1);
    await expect(sendMailJob(h.deps, job, opts)).rejects.toThrow('ECONNREFUSED');
    expect(await sendMailJob(h.deps, job, opts)).toBe('sent');
    expect(h.mails).toHaveLength(1);
  });
});

describe('the actor is not told of their own action', () => {
  const event = (update: CaseUpdate, c: Case = kase): NotificationEvent => ({
    eventId: `public-update#${c.caseNumber}#${update.updateId}`,
    eventType: 'public-update',
    at: update.createdAt,
    caseNumber: c.caseNumber,
    case: c,
    update,
  });

  it("MAIL-1: a staff public update is mailed to the case's contact; a customer's own update is not mailed to anyone", () => {
    expect(contactJobsOf(event(staffUpdate)).map((j) => [j.kind, 'userId' in j && j.userId])).toEqual([
      ['case-update', 'u-dave'],
    ]);
    expect(contactJobsOf(event({ ...staffUpdate, authorId: 'u-dave', authorKind: 'customer' }))).toEqual([]);
    expect(contactJobsOf(event({ ...staffUpdate, visibility: 'internal' }))).toEqual([]);
  });

  it('CASE-4: staff moving a case to awaiting_info mails the contact once per version (a replayed record makes the same job)', () => {
    const c = { ...kase, status: 'awaiting_info' as const, version: 4 };
    const e: NotificationEvent = {
      eventId: `status-changed#${c.caseNumber}#v4`,
      eventType: 'status-changed',
      at: c.updatedAt,
      from: 'open',
      to: 'awaiting_info',
      case: c,
    };
    expect(contactJobsOf(e)).toEqual(contactJobsOf(e));
    expect(contactJobsOf(e).map((j) => j.key)).toEqual([`case-status#${c.caseNumber}#v4`]);
  });
});

describe('the mail queue consumer', () => {
  const sqsMock = mockClient(SQSClient);
  beforeEach(() => sqsMock.reset());

  const event = (receiveCount: number): SQSEvent => ({
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'rh-1',
        body: JSON.stringify(job),
        attributes: { ApproximateReceiveCount: String(receiveCount) } as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:casework-mail',
        awsRegion: 'eu-west-1',
      },
    ],
  });
  const ctx = { getRemainingTimeInMillis: () => 30_000 };

  beforeAll(() => {
    process.env.MAIL_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-mail';
  });

  it('a failed send is reported alone and comes back after a backoff of its own; staff see it as retrying', async () => {
    const h = harness({ level: 'designated' }, 1);
    const handler = sendMailHandler(
      () => h.deps,
      () => new SQSClient({}),
      () => 0,
    );
    const res = await handler(event(3), ctx);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    const moved = sqsMock.commandCalls(ChangeMessageVisibilityCommand);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.args[0].input).toMatchObject({ ReceiptHandle: 'rh-1', VisibilityTimeout: 40 });
    expect(h.log).toEqual([
      expect.objectContaining({ caseNumber: kase.caseNumber, state: 'retrying', attempts: 3, userId: 'u-dave' }),
    ]);
  });

  it('on the last receipt a failure is left to the redrive policy (the whole job goes to the DLQ) and the case shows it dead-lettered', async () => {
    const h = harness({ level: 'designated' }, 1);
    const handler = sendMailHandler(
      () => h.deps,
      () => new SQSClient({}),
      () => 0,
    );
    const res = await handler(event(10), ctx);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
    expect(h.log).toEqual([expect.objectContaining({ state: 'dead-lettered', attempts: 10 })]);
  });

  it('a job sent is logged on its case as sent, and its redelivery neither sends nor logs again', async () => {
    const h = harness({ level: 'designated' });
    const handler = sendMailHandler(
      () => h.deps,
      () => new SQSClient({}),
      () => 0,
    );
    expect((await handler(event(1), ctx)).batchItemFailures).toEqual([]);
    expect((await handler(event(2), ctx)).batchItemFailures).toEqual([]);
    expect(h.mails).toHaveLength(1);
    expect(h.log.map((e) => e.state)).toEqual(['sent']);
  });
});
