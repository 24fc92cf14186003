/**
 * One outbox for the mail that leaves. A change never sends mail itself: what it commits
 * (a case, an update, a flag, or an explicit intent item written in the change's own transaction)
 * reaches the table stream; the notifier turns it into mail jobs on the mail queue; the mail
 * consumer sends each job here, once, with retries over minutes and a dead-letter queue after.
 *
 * A job names its recipient (a user id, or for mail to someone without an account an address
 * the change itself chose) and ids of what to say, never the rendered text: the recipient is
 * resolved and re-checked when the mail is sent (level, Terms, PRIV rules,
 * exactly as push delivery does), and the text is rendered then through the views for that
 * recipient's own access. A recipient who lost access gets nothing; the job ends `not-allowed`.
 */
import { localTranscript } from './local-time';
import { resolveCaller } from '../kernel/caller';
import { admit, inboxItemOf, notificationMail } from '../notifications/delivery';
import { composeCaseMail, messageIdKey, needsActionReminder } from './compose';
import type { OutboundMail, MailJob, MailLogRepo, MailOutcome, MailQueue } from './ports';
import type { NotificationEvent } from '../notifications/notifications';
import { caseAccess, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Case, Status } from '../kernel/types';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewCase, viewFor, viewUpdate } from '../kernel/views';

/** Retries after the first try, before the job goes to the dead-letter queue (the queue's maxReceiveCount less one). */
export const MAIL_MAX_RECEIVES = 10;

/**
 * Exponential backoff with jitter (over minutes, not milliseconds): the n-th retry waits
 * between half and all of min(cap, base * 2^(n-1)) seconds. With the defaults (20 s, 600 s) ten
 * tries span about 40 minutes. `random` is in [0, 1).
 */
export const retryDelaySeconds = (attempt: number, random: number, baseSeconds = 20, capSeconds = 600): number => {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (random * ceiling) / 2));
};

/** The ledger key of a job's send. */
export const mailLedgerKey = (job: Pick<MailJob, 'key'>) => `mail#${job.key}`;

/** The case a job is about, if any (its mail log lives there). */
export const caseOfJob = (job: MailJob): string | undefined => {
  if (job.kind === 'notice') return job.caseNumber;
  if (job.kind === 'notification') return job.event.caseNumber ?? job.event.case?.caseNumber;
  return job.caseNumber;
};

/** MAIL-1, CASE-4: the mail a committed case change means for the case's contact, if any. */
const STATUS_TEXT: Partial<Record<Status, string>> = {
  awaiting_info: 'Support needs more information from you to continue.',
  solution_proposed: 'Support has proposed a solution. Please reply to confirm it works, or tell us what is missing.',
  closed: 'The case is now closed. A Designated Contact can reopen it in the portal.',
};

export const MAILED_STATUSES: readonly Status[] = Object.keys(STATUS_TEXT) as Status[];

/**
 * The contact's mail jobs of a notification event: a staff public update (MAIL-1), a status the
 * contact should know (CASE-4), the FLAG-1 reminder. Keys derive from the change, so a replayed
 * stream record makes the same jobs and the ledger sends each once. Whoever made the change is
 * not told of it: a staff member who is also the contact gets no copy.
 */
export const contactJobsOf = (e: NotificationEvent): MailJob[] => {
  const c = e.case;
  if (!c || !c.contactId) return [];
  const base = { at: e.at, caseNumber: c.caseNumber, userId: c.contactId };
  if (e.eventType === 'public-update' && e.update?.authorKind === 'staff' && e.update.visibility === 'public') {
    if (e.update.authorId === c.contactId) return [];
    return [
      { ...base, kind: 'case-update', key: `case-update#${c.caseNumber}#${e.update.updateId}`, updateId: e.update.updateId },
    ];
  }
  if ((e.eventType === 'status-changed' || e.eventType === 'case-closed') && MAILED_STATUSES.includes(e.to as Status)) {
    // A customer's own reply does not move a case into these states; staff do (PATCH).
    return [
      {
        ...base,
        kind: 'case-status',
        key: `case-status#${c.caseNumber}#v${c.version}`,
        status: e.to as Status,
        version: c.version,
      },
    ];
  }
  if (e.eventType === 'needs-action-flagged' && e.waitingSince) {
    return [{ ...base, kind: 'reminder', key: `reminder#${c.caseNumber}#${e.waitingSince}`, waitingSince: e.waitingSince }];
  }
  return [];
};

/** A recipient resolved now, with what they may see of the case (web client: mail is read anywhere). */
interface Resolved {
  caller: Caller;
  access: CaseAccess;
  email: string;
}

/**
 * The contact of a case, resolved and checked at send time: a user who still
 * exists, has accepted the current Terms (ACC-9), and may read the case now (ACC-2, ACC-4, PRIV).
 */
const resolveContact = async (deps: Deps, c: Case, userId: string): Promise<Resolved | undefined> => {
  const caller = await resolveCaller(deps, { sub: userId, client: 'web', scopes: [] });
  if (!caller?.user?.email || !caller.termsAccepted) return undefined;
  const [org] = await deps.directory.getOrgs([c.orgId]);
  if (!org) return undefined;
  const access = caseAccess(caller, org);
  if (access !== 'read' && access !== 'write') return undefined;
  return { caller, access, email: caller.user.email };
};

/** The case as the recipient may see it: subject and contact through the case view (PRIV-1). */
const seenAs = (c: Case, access: CaseAccess): Case => {
  const v = viewCase(c, access) as Partial<Case>;
  return { ...c, subject: v.subject ?? `Case ${c.caseNumber}`, contactName: v.contactName ?? '' };
};

/** Renders a job for its recipient now; undefined with the reason when nothing is to be sent. */
export const renderJob = async (
  deps: Deps,
  job: MailJob,
): Promise<{ mail: Rendered<OutboundMail>; caseNumber?: string } | { skip: Exclude<MailOutcome, 'sent' | 'already-sent'> }> => {
  // A notice was rendered, for its recipients, by the change that queued it.
  if (job.kind === 'notice') return { mail: job.mail, ...(job.caseNumber ? { caseNumber: job.caseNumber } : {}) };
  if (job.kind === 'notification') {
    const e = job.event;
    const orgId = e.orgId ?? e.case?.orgId ?? e.notice?.orgId;
    const [org] = orgId ? await deps.directory.getOrgs([orgId]) : [];
    const caller = org && (await resolveCaller(deps, { sub: job.userId, client: 'web', scopes: [] }));
    const r = caller && org && admit(e, org, caller, job.reasons);
    if (!r || !r.caller.user?.email) return { skip: 'not-allowed' };
    const item = inboxItemOf(e, org, job.userId);
    const shown = { ...item, body: viewFor('inboxItem', item, r.access).body ?? '' };
    const c = e.case && { ...e.case, ...seenAs(e.case, r.access) };
    const mail = await notificationMail(
      deps,
      c ? { ...e, case: c } : e,
      shown,
      r.caller.user.email,
      r.reasons,
      r.caller.user.timeZone,
    );
    return { mail: renderFor('mail', r.access, mail), ...(c ? { caseNumber: c.caseNumber } : {}) };
  }
  const c = await deps.cases.getCase(job.caseNumber);
  if (!c) return { skip: 'superseded' };
  const who = await resolveContact(deps, c, job.userId);
  if (!who) return { skip: 'not-allowed' };
  const shown = seenAs(c, who.access);
  const keyring = await deps.replyKeys();
  const compose = (prefix: string, text: string) =>
    renderFor(
      'mail',
      who.access,
      composeCaseMail(shown, deps.mailDomain, keyring, { to: [who.email], subjectPrefix: prefix, text }),
    );
  switch (job.kind) {
    case 'case-update': {
      const u = await deps.cases.getUpdate(c.caseNumber, job.updateId);
      if (!u || u.visibility !== 'public') return { skip: 'superseded' };
      const v = viewUpdate(u, who.access, 'full') as { authorName?: string; body?: string };
      return { mail: compose('Update: ', `${v.authorName ?? 'Support'} wrote:\n\n${v.body ?? ''}`), caseNumber: c.caseNumber };
    }
    case 'case-status':
      return {
        mail: compose(`Status ${job.status.replace('_', ' ')}: `, STATUS_TEXT[job.status] ?? ''),
        caseNumber: c.caseNumber,
      };
    case 'chat-transcript': {
      // CHAT-3: the transcript as it is on the case, for the customer's access now.
      const u = await deps.cases.getUpdate(c.caseNumber, job.updateId);
      if (!u || u.visibility !== 'public') return { skip: 'superseded' };
      const v = viewUpdate(u, who.access, 'full') as { body?: string };
      const name = who.caller.user?.name ?? '';
      return {
        mail: compose(
          'Chat transcript: ',
          `Hello ${name},\n\nHere is the transcript of your chat, also saved on the case.\n\n` +
            localTranscript(v.body ?? '', who.caller.user?.timeZone),
        ),
        caseNumber: c.caseNumber,
      };
    }
    case 'closure-declined':
      return {
        mail: compose(
          'Closure request declined: ',
          `Support has declined the request to close case ${c.caseNumber}; the case stays open.` +
            (job.comment ? `\n\nSupport wrote:\n\n${job.comment}` : '') +
            '\n\nReply to this email if you have questions, or request closure again in the portal once you are ready.',
        ),
        caseNumber: c.caseNumber,
      };
    case 'reminder':
      // FLAG-1: the record may be sent hours later: remind only while the case still waits in the same period.
      if (!c.needsAction || c.waitingSince !== job.waitingSince) return { skip: 'superseded' };
      return {
        mail: renderFor(
          'mail',
          who.access,
          needsActionReminder({ ...shown, contactEmail: who.email }, deps.mailDomain, keyring, who.caller.user?.timeZone),
        ),
        caseNumber: c.caseNumber,
      };
  }
};

export interface SendOptions {
  claimId: string;
  /** When this run's claim may be taken over (its deadline). */
  leaseUntil: Date;
}

/**
 * Sends one job once: claim the ledger, render for the recipient as they are now, send, record
 * SES's id against the case (MAIL-1) and mark it done. A failure releases the claim and throws:
 * the queue retries the job later. `already-sent` when an earlier delivery of the same job sent it.
 */
export const sendMailJob = async (deps: Deps, job: MailJob, opts: SendOptions): Promise<MailOutcome> => {
  const key = mailLedgerKey(job);
  const state = await deps.outbox.claim(key, opts.claimId, deps.clock.now().toISOString(), opts.leaseUntil.toISOString());
  if (state === 'done') return 'already-sent';
  if (state === 'busy') throw new Error(`${key} is being sent by another run; retried after its lease`);
  let outcome: MailOutcome;
  try {
    const rendered = await renderJob(deps, job);
    if ('skip' in rendered) {
      outcome = rendered.skip;
    } else {
      const id = await deps.mailer.send(rendered.mail);
      if (typeof id === 'string' && id && rendered.caseNumber) {
        await deps.mail
          .recordOutbound(messageIdKey(id), rendered.caseNumber, deps.clock.now().toISOString())
          .catch(() => undefined);
      }
      outcome = 'sent';
    }
  } catch (err) {
    await deps.outbox.release(key, opts.claimId).catch(() => undefined);
    throw err;
  }
  await deps.outbox.finish(key, opts.claimId, deps.clock.now().toISOString(), outcome);
  return outcome;
};

/** The user a job is for, when it names one (mail logs carry ids, never addresses). */
export const userOfJob = (job: MailJob): string | undefined => ('userId' in job ? job.userId : undefined);

/**
 * The mail queue as the notifier uses it: once jobs of a case are on the queue, the
 * case's mail log says `queued` (only where it says nothing yet: the consumer may be faster).
 * Logging is best effort; the queueing is what must succeed.
 */
export const loggedMailQueue = (queue: MailQueue, log: () => MailLogRepo): MailQueue => ({
  enqueue: async (jobs) => {
    await queue.enqueue(jobs);
    await Promise.all(
      jobs.map(async (job) => {
        const caseNumber = caseOfJob(job);
        if (!caseNumber) return;
        const userId = userOfJob(job);
        const entry = { caseNumber, key: job.key, kind: job.kind, state: 'queued', attempts: 0, at: job.at } as const;
        await log()
          .queued({ ...entry, ...(userId ? { userId } : {}) })
          .catch(() => undefined);
      }),
    );
  },
});
