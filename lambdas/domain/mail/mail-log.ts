/**
 * Staff see undelivered mail per case. The mail log (one entry per mail job of a case,
 * written as the job is queued and as its consumer settles it) is listed through the `caseMail`
 * view: what was sent, what waits, what failed and why in a word, never the text or the address.
 */
import { createHash } from 'node:crypto';
import { loadCase } from '../cases/cases';
import { forbidden } from '../kernel/errors';
import { canSeeInternal, type Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Page, PageRequest } from '../kernel/ports';
import { viewFor, type View } from '../kernel/views';
import type { CaseMail, CaseMailStatus, MailErrorClass, MailLogEntry } from './ports';

const ERROR_CLASSES: [RegExp, MailErrorClass][] = [
  [/ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|EPIPE|socket hang up|connect/i, 'connection'],
  [/timeout|timed out|ETIMEDOUT|TimeoutError|aborted/i, 'timeout'],
  [/throttl|rate exceeded|too many|SlowDown/i, 'throttled'],
  [/rejected|MessageRejected|not verified|InvalidParameter|MailFromDomainNotVerified/i, 'rejected'],
  [/being sent by another run|busy/i, 'busy'],
];

/** The class of a failure from its error (its name, code and message). */
export const mailErrorClass = (err: unknown): MailErrorClass => {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  const text = [e?.name, e?.code, e?.message ?? String(err)].filter((v) => typeof v === 'string').join(' ');
  return ERROR_CLASSES.find(([re]) => re.test(text))?.[1] ?? 'other';
};

const STATUS: Record<MailLogEntry['state'], CaseMailStatus> = {
  queued: 'queued',
  retrying: 'failed',
  sent: 'sent',
  'dead-lettered': 'dead-lettered',
  'not-allowed': 'not-sent',
  superseded: 'not-sent',
};

export const caseMailOf = (e: MailLogEntry): CaseMail => ({
  mailId: createHash('sha256').update(e.key).digest('hex').slice(0, 20),
  kind: e.kind,
  status: STATUS[e.state],
  ...(e.state === 'not-allowed' || e.state === 'superseded' ? { reason: e.state } : {}),
  attempts: e.attempts,
  lastAttemptAt: e.at,
  ...(e.errorClass && (e.state === 'retrying' || e.state === 'dead-lettered') ? { lastErrorClass: e.errorClass } : {}),
  ...(e.userId ? { recipientId: e.userId } : {}),
});

/**
 * GET /cases/{caseNumber}/mail: staff only (a customer who may see the case is told 403; one who
 * may not, 404 as for any case: PRIV-3). US staff on an EU/EEA case get the restricted rows
 * (PRIV-1); staff on the mobile app never reach a FedRAMP case (PRIV-2, loadCase answers 404).
 * Newest first; the position is an offset into the case's log.
 */
export const caseMailLog = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  page: PageRequest,
): Promise<Page<View<'caseMail'>>> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  if (!canSeeInternal(access)) throw forbidden('Only staff see the delivery of a case’s mail.');
  const all = await deps.mailLog.list(c.caseNumber);
  const from = typeof page.after === 'number' && page.after > 0 ? page.after : 0;
  const items = all.slice(from, from + page.limit).map((e) => viewFor('caseMail', caseMailOf(e), access));
  return { items, next: from + page.limit < all.length ? from + page.limit : null };
};
