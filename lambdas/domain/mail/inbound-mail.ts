/**
 * Inbound mail (MAIL-2..5): one message in, exactly one recorded outcome out.
 *
 * In order: redelivery (transport id) → size → parse → robots (a null envelope sender first,
 * then bounce and auto-reply headers: a bounce quotes our mail, token included) → SES verdicts
 * (virus/spam FAIL reject outright) → match (signed token, then In-Reply-To/References, then the
 * `[ref:…]` marker) → the sender (From only) must be allowed to write the case → attach in one
 * transaction with the outcome and the content fingerprint. Nothing here throws for bad mail; a
 * storage failure throws before anything is recorded, so a redelivery retries.
 *
 * Who the sender is (MAIL-4): only a valid reply token issued to the From address, in
 * mail that passed SES's checks, attaches mail as that person. The Reference ID and the thread
 * ids find the case but prove nobody (read-only users and restricted staff see the Reference ID).
 * Mail from a known person allowed to write the case that proves less (no token, a colleague's
 * token, failed or missing verdicts) is `held` for staff review, never dropped; staff release it
 * (POST /admin/inbound-mail/{id}/release) and it is attached then, as that person.
 */
import { createHash, randomUUID } from 'node:crypto';
import { changeTime, customerResponse, nextVersion, updateBy, type Actor } from '../cases/case-changes';
import { keepMailFiles, type MailFileRecord } from '../cases/attachments';
import { LOST_RACE, retryOptimistic, type Attempt } from '../kernel/optimistic';
import { replyText } from './email-text';
import { forbidden } from '../kernel/errors';
import { resolveCaller } from '../kernel/caller';
import { closedCaseRefusal, WAITING_STATES } from '../cases/lifecycle';
import { conflict, notFound } from '../kernel/errors';
import { explanatoryReply, loopMarker, messageIdKey, type ExplanationKind } from './compose';
import { caseAccess, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { HeldReply, InboundRecord, ParsedMail, MailJob } from './ports';
import type { Page, PageRequest } from '../kernel/ports';
import { tokenFromAddress, verifyReplyToken } from './reply-token';
import type { AuditEvent, Case, CaseAttachment, Org } from '../kernel/types';
import { renderFor } from '../kernel/rendered';
import { viewFor, type View } from '../kernel/views';

export const MAX_INBOUND_BYTES = 40 * 1024 * 1024; // SES limit; larger → rejected 'too-large' without parsing

export interface SesVerdicts {
  spam: string;
  virus: string;
  spf: string;
  dkim: string;
  dmarc: string;
} // 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED'

export interface InboundEnvelope {
  /** SES mail.messageId (the S3 object key's last part); locally sha256 of the raw bytes. */
  transportId: string;
  /** Where the raw message is kept (S3 key), recorded with the outcome (MAIL-2 raw preserved). */
  rawKey: string;
  receivedAt: string;
  /** SES receipt recipients (envelope RCPT TO), lower-cased. */
  recipients: string[];
  /** The envelope sender (SES `mail.source`, SMTP MAIL FROM); '' for the null sender `<>`. */
  mailFrom: string;
  /** From the SES event; NEVER from X-SES-* headers in the raw message. */
  verdicts: SesVerdicts;
  size: number;
}

export type InboundOutcome =
  | { outcome: 'attached'; caseNumber: string; updateId: string }
  | { outcome: 'duplicate'; of: string }
  | { outcome: 'rejected'; reason: string; caseNumber?: string }
  | { outcome: 'held'; reason: string; caseNumber: string };

/** Every rejection reason, for the README and the admin list. */
export const REJECTION_REASONS = [
  'too-large',
  'unparseable',
  'spam',
  'virus',
  'scan-failed',
  'spf-fail',
  'dkim-fail',
  'dmarc-fail',
  'unauthenticated',
  'bounce',
  'auto-reply',
  'list-mail',
  'mail-loop',
  'no-sender',
  'invalid-token',
  'no-reference',
  'unknown-sender',
  'sender-not-allowed',
  'sender-read-only',
  'sender-restricted',
  'case-closed',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Why a message is held rather than attached (MAIL-4): a failed check (one of the verdict
 * reasons above), or a sender the message does not prove: `no-token` (found by a thread id or the
 * `[ref:…]` marker only), `token-not-issued-to-sender` (a colleague replied with someone else's
 * token: it proves the thread reached them, not who wrote).
 */
export const HOLD_REASONS = ['no-token', 'token-not-issued-to-sender'] as const;

/** MAIL-3: one explanatory reply per sender, kind and day. */
const AUTO_REPLY_TTL_SECONDS = 2 * 24 * 3600;
const MAX_THREAD_IDS = 30;
const MAX_SUBJECT_CHARS = 300;

const all = (m: ParsedMail, name: string): string[] => m.headers[name] ?? [];
const lowerBeforeSemicolon = (v: string) => v.split(';')[0].trim().toLowerCase();

/** What the verdicts are checked against: the From address, the envelope sender, DKIM `d=` domains. */
export interface SenderIdentity {
  from: string;
  mailFrom: string;
  dkimDomains: string[];
}

const domainOf = (address: string) => (address.split('@').pop() ?? '').replace(/[<>\s]/g, '').toLowerCase();

/**
 * DMARC's relaxed alignment, approximated without a public-suffix list: the same domain, or one a
 * subdomain of the other (both with a dot, so a bare suffix never aligns).
 */
const aligned = (a: string, b: string) =>
  a.includes('.') && b.includes('.') && (a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`));

/**
 * MAIL-4, from SES's receipt notification contents
 * (https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html): each
 * verdict is PASS, FAIL, GRAY or PROCESSING_FAILED; a DMARC GRAY means the From domain publishes
 * no DMARC policy. Only PASS passes: virus and spam scans must both PASS; the sender must pass
 * DMARC, or (no DMARC policy) pass SPF for an aligned envelope domain or DKIM with an aligned
 * signing domain. GRAY, PROCESSING_FAILED and a missing verdict are failures.
 */
export const verdictRejection = (v: SesVerdicts, id: SenderIdentity): RejectionReason | undefined => {
  const is = (x: unknown, want: string) => String(x ?? '').toUpperCase() === want;
  if (is(v.virus, 'FAIL')) return 'virus';
  if (is(v.spam, 'FAIL')) return 'spam';
  if (!is(v.virus, 'PASS') || !is(v.spam, 'PASS')) return 'scan-failed';
  if (is(v.dmarc, 'PASS')) return undefined;
  if (is(v.dmarc, 'GRAY')) {
    const fromDomain = domainOf(id.from);
    if (is(v.spf, 'PASS') && aligned(domainOf(id.mailFrom), fromDomain)) return undefined;
    if (is(v.dkim, 'PASS') && id.dkimDomains.some((d) => aligned(d, fromDomain))) return undefined;
  }
  if (is(v.dmarc, 'FAIL')) return 'dmarc-fail';
  if (is(v.spf, 'FAIL')) return 'spf-fail';
  if (is(v.dkim, 'FAIL')) return 'dkim-fail';
  return 'unauthenticated';
};

/** The virus and spam scans' definite failures: rejected whoever sent them, never held. */
const DEFINITE_FAILURES: readonly RejectionReason[] = ['virus', 'spam'];

const dkimDomains = (m: ParsedMail): string[] =>
  all(m, 'dkim-signature')
    .map((v) => /(?:^|;)\s*d\s*=\s*([^;\s]+)/i.exec(v)?.[1]?.toLowerCase() ?? '')
    .filter(Boolean);

/** MAIL-4: the SMTP null sender (`MAIL FROM:<>`) is a bounce or an auto-reply, whatever the headers say. */
export const nullEnvelopeSender = (mailFrom: string): boolean => /^\s*<?\s*>?\s*$/.test(mailFrom ?? '');

const ROBOT_LOCAL_PARTS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

/**
 * MAIL-4: bounces, auto-replies, list copies and loops never attach and never get a reply.
 * `X-Auto-Response-Suppress` alone is not one of them (ordinary clients set it).
 */
export const robotRejection = (m: ParsedMail, domain: string): RejectionReason | undefined => {
  const from = m.from?.address ?? '';
  const local = from.split('@')[0];
  if (m.contentType === 'multipart/report') return 'bounce'; // DSN, MDN read receipt, ARF report
  if (ROBOT_LOCAL_PARTS.test(local)) return 'bounce';
  if (m.returnPath !== undefined && /^\s*<\s*>\s*$/.test(m.returnPath)) return 'bounce';
  if (
    all(m, 'content-type').some((v) => /report-type\s*=\s*"?(delivery-status|disposition-notification|feedback-report)/i.test(v))
  ) {
    return 'bounce';
  }
  const loop = loopMarker(domain).toLowerCase();
  if (all(m, 'x-loop').some((v) => v.toLowerCase().includes(loop))) return 'mail-loop';
  if (from.endsWith(`@${domain.toLowerCase()}`)) return 'mail-loop';
  if (all(m, 'auto-submitted').some((v) => lowerBeforeSemicolon(v) !== 'no')) return 'auto-reply';
  for (const name of ['precedence', 'x-precedence']) {
    const v = all(m, name).map(lowerBeforeSemicolon);
    if (v.some((p) => p === 'auto_reply' || p === 'junk')) return 'auto-reply';
    if (v.some((p) => p === 'bulk' || p === 'list')) return 'list-mail';
  }
  if (['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autogenerated'].some((h) => all(m, h).length > 0)) {
    return 'auto-reply';
  }
  if (all(m, 'list-id').length > 0) return 'list-mail';
  return undefined;
};

/** May this sender get an automatic answer? Never a robot, never one asking not to be answered. */
const mayAutoAnswer = (m: ParsedMail) => all(m, 'x-auto-response-suppress').length === 0;

const REF_MARKER = /\[ref:[\s>]{0,8}([0-9a-z]{16})[\s>]{0,8}\]/gi;

export const referenceMarkers = (text: string): string[] =>
  [...new Set([...text.slice(0, 256 * 1024).matchAll(REF_MARKER)].map((x) => x[1].toUpperCase()))].slice(0, 5);

const threadIds = (m: ParsedMail): string[] => {
  const ids = (s: string | undefined) => [...(s ?? '').slice(0, 32 * 1024).matchAll(/<([^<>\s]{1,500})>/g)].map((x) => x[1]);
  // In-Reply-To first, then References from the newest.
  return [...new Set([...ids(m.inReplyTo), ...ids(m.references).reverse()])].slice(0, MAX_THREAD_IDS);
};

type Match =
  | { caseNumber: string; via: 'token'; issuedTo(address: string): boolean }
  | { caseNumber: string; via: 'thread' | 'reference' }
  | { reject: RejectionReason }
  | undefined;

/** MAIL-2: which case a message replies to, in the order the issue fixes. */
const matchCase = async (deps: Deps, m: ParsedMail, envelope: InboundEnvelope, fullText: string): Promise<Match> => {
  const domain = deps.mailDomain;
  const recipients = [...envelope.recipients, ...m.to.map((a) => a.address), ...m.cc.map((a) => a.address)];
  const tokens = [...new Set(recipients.map((r) => tokenFromAddress(r, domain)).filter((t): t is string => !!t))];
  if (tokens.length > 0) {
    const keyring = await deps.replyKeys();
    for (const t of tokens) {
      const v = verifyReplyToken(keyring, t);
      if (v) return { caseNumber: v.caseNumber, via: 'token', issuedTo: v.issuedTo };
    }
    // A guessed or altered token never matches, and never falls through to weaker evidence.
    return { reject: 'invalid-token' };
  }
  const ownThread = new RegExp(`^case-([0-9a-z]{16})@${domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
  for (const id of threadIds(m)) {
    const own = ownThread.exec(id);
    const caseNumber = own
      ? await deps.mail.caseByReference(own[1].toUpperCase())
      : await deps.mail.caseByMessageId(messageIdKey(id));
    if (caseNumber) return { caseNumber, via: 'thread' };
  }
  for (const ref of referenceMarkers(`${m.subject}\n${fullText}`)) {
    const caseNumber = await deps.mail.caseByReference(ref);
    if (caseNumber) return { caseNumber, via: 'reference' };
  }
  return undefined;
};

/** MAIL-5: a duplicate is the same message on the same case; the same words to another case are another reply. */
const contentHash = (m: ParsedMail, caseNumber: string, from: string, fullText: string) =>
  createHash('sha256')
    .update(
      [
        caseNumber,
        from,
        m.date ? (Number.isNaN(Date.parse(m.date)) ? m.date.trim() : new Date(m.date).toISOString()) : '',
        m.messageId ? messageIdKey(m.messageId) : '',
        fullText.replace(/\s+/g, ' ').trim(),
      ].join('\n'),
    )
    .digest('hex');

const caseWithOrg = async (deps: Deps, caseNumber: string): Promise<{ c: Case; org: Org | undefined } | undefined> => {
  const c = await deps.cases.getCase(caseNumber);
  return c ? { c, org: (await deps.directory.getOrgs([c.orgId]))[0] } : undefined;
};

const senderCaller = async (deps: Deps, email: string): Promise<Caller | undefined> => {
  const userId = await deps.mail.userIdByEmail(email);
  if (!userId) return undefined;
  const caller = await resolveCaller(deps, { sub: userId, client: 'web', scopes: [] });
  // The directory entry must really be this address (an index entry can lag a profile change).
  return caller?.user?.email.toLowerCase() === email ? caller : undefined;
};

const accessRejection = (access: CaseAccess): RejectionReason | undefined => {
  if (access === 'write' || access === 'staff') return undefined;
  if (access === 'restricted') return 'sender-restricted'; // PRIV-1
  if (access === 'read') return 'sender-read-only'; // ACC-2
  return 'sender-not-allowed';
};

/** Which refusals a known person is told about (staff are not: they know the rules). */
const explanationFor = (reason: RejectionReason): ExplanationKind | undefined =>
  reason === 'sender-read-only' ? 'read-only' : reason === 'sender-not-allowed' ? 'no-access' : undefined;

const dayOf = (iso: string) => iso.slice(0, 10);

/**
 * MAIL-3: one polite answer per sender, kind (and case) and day; never to robots, to
 * mail that asks for none, or to mail that failed SES's checks (its From may be forged: the
 * answer would go to someone who did not write).
 */
const answerOnce = async (
  deps: Deps,
  m: ParsedMail,
  from: string,
  kind: ExplanationKind,
  at: string,
  caseNumber?: string,
): Promise<boolean> => {
  if (!mayAutoAnswer(m)) return false;
  const claimKind = kind === 'no-reference' ? kind : `${kind === 'case-closed' ? 'closed' : kind}#${caseNumber}`;
  // The answer is a mail intent written with the day's claim (one transaction), sent by
  // the mail queue's consumer with retries: a claimed answer is never lost to a failed send.
  const job: MailJob = {
    kind: 'notice',
    key: `auto-reply#${createHash('sha256')
      .update(`${from}|${dayOf(at)}|${claimKind}`)
      .digest('hex')
      .slice(0, 32)}`,
    at,
    // To the known sender, about their own message (its subject is theirs): `self`.
    mail: renderFor(
      'mail',
      'self',
      explanatoryReply(deps.mailDomain, from, kind, { subject: m.subject, messageId: m.messageId }, caseNumber),
    ),
  };
  return deps.mail.claimAutoReply(from, dayOf(at), claimKind, AUTO_REPLY_TTL_SECONDS, job);
};

const recordOnce = async (deps: Deps, record: InboundRecord, claimId: string): Promise<InboundOutcome> => {
  if (!(await deps.mail.putOutcome(record, claimId))) return { outcome: 'duplicate', of: record.transportId };
  if (record.outcome === 'rejected') {
    return { outcome: 'rejected', reason: record.reason!, ...(record.caseNumber ? { caseNumber: record.caseNumber } : {}) };
  }
  if (record.outcome === 'held') return { outcome: 'held', reason: record.reason!, caseNumber: record.caseNumber! };
  return { outcome: 'duplicate', of: record.of! };
};

/** A claim older than this belongs to a run that died; a redelivery may take it over. */
const STALE_CLAIM_MS = 15 * 60_000;

export const receiveInboundMail = async (deps: Deps, envelope: InboundEnvelope, raw: Uint8Array): Promise<InboundOutcome> => {
  // MAIL-5: one delivery per transport id works on the message; redeliveries, even concurrent, stop here.
  const claimId = randomUUID();
  const now = deps.clock.now();
  const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  if (!(await deps.mail.claimInbound(envelope.transportId, claimId, now.toISOString(), stale))) {
    return { outcome: 'duplicate', of: envelope.transportId };
  }
  try {
    return await processClaimed(deps, envelope, raw, claimId);
  } catch (err) {
    // Nothing was recorded: give the claim back so the transport's retry processes it again.
    await deps.mail.releaseInbound(envelope.transportId, claimId).catch(() => undefined);
    throw err;
  }
};

const processClaimed = async (
  deps: Deps,
  envelope: InboundEnvelope,
  raw: Uint8Array,
  claimId: string,
): Promise<InboundOutcome> => {
  const base: InboundRecord = {
    transportId: envelope.transportId,
    rawKey: envelope.rawKey,
    receivedAt: envelope.receivedAt,
    size: envelope.size,
    outcome: 'rejected',
    euData: true,
    fedrampData: true,
  };
  const reject = (reason: RejectionReason, extra: Partial<InboundRecord> = {}) =>
    recordOnce(deps, { ...base, ...extra, outcome: 'rejected', reason }, claimId);
  // Size before parsing: over SES's limit nothing of it is read.
  if (envelope.size > MAX_INBOUND_BYTES || raw.byteLength > MAX_INBOUND_BYTES) return reject('too-large');

  let m: ParsedMail;
  try {
    m = await deps.mime.parse(raw);
  } catch {
    return reject('unparseable');
  }
  const from = (m.from?.address ?? '').trim().toLowerCase();
  const seen: Partial<InboundRecord> = {
    ...(from ? { from: from.slice(0, 320) } : {}),
    subject: m.subject.slice(0, MAX_SUBJECT_CHARS),
  };

  // A null envelope sender is the transport's own word that this is a bounce or an auto-reply.
  if (nullEnvelopeSender(envelope.mailFrom)) return reject('bounce', seen);
  const robot = robotRejection(m, deps.mailDomain);
  if (robot) return reject(robot, seen);
  const failed = verdictRejection(envelope.verdicts, { from, mailFrom: envelope.mailFrom, dkimDomains: dkimDomains(m) });
  if (failed && DEFINITE_FAILURES.includes(failed)) return reject(failed, seen);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from)) return reject('no-sender', seen);
  // Only mail that passed SES's checks may be answered: otherwise its From may name someone else.
  const authentic = failed === undefined;

  let text: ReturnType<typeof replyText>;
  try {
    text = replyText(m);
  } catch {
    const fallback = (m.text ?? m.html ?? '').slice(0, 32 * 1024);
    text = { body: fallback, fullText: fallback, truncated: true, quality: 'whole', style: 'plain' };
  }

  const match = await matchCase(deps, m, envelope, text.fullText);
  // The sender and the matched case are independent reads: looked up together, not one after the other.
  const [caller, found] = await Promise.all([
    senderCaller(deps, from),
    match && !('reject' in match) ? caseWithOrg(deps, match.caseNumber) : undefined,
  ]);
  // PRIV-1/PRIV-2 for the log row of mail tied to no case: it is about whatever organisation its
  // sender deals with. Only a customer whose every organisation is outside the EU/EEA (or not
  // FedRAMP) makes the row unrestricted; staff (who write about any customer) and strangers do not.
  const customerOrgs = caller && !staffOf(caller) ? [...caller.orgs.values()] : undefined;
  const unmatched: Partial<InboundRecord> = {
    ...seen,
    euData: customerOrgs ? customerOrgs.some((o) => o.gdpr) : true,
    fedrampData: customerOrgs ? customerOrgs.some((o) => o.fedramp) : true,
  };
  const noReference = async () => {
    if (!authentic) return reject(failed, unmatched);
    const replied = await answerOnce(deps, m, from, 'no-reference', envelope.receivedAt);
    return reject('no-reference', { ...unmatched, replied });
  };
  if (!match) return noReference();
  if ('reject' in match) return reject(match.reject, unmatched);

  if (!found) return noReference();
  const { c, org } = found;
  const onCase = { ...seen, caseNumber: c.caseNumber, euData: org?.gdpr ?? true, fedrampData: org?.fedramp ?? true };
  // An unknown sender gets no answer (no backscatter), and neither does unauthenticated mail.
  if (!caller) return reject(failed ?? 'unknown-sender', onCase);
  const denied = org ? accessRejection(caseAccess(caller, org)) : 'sender-not-allowed';
  if (denied) {
    const kind = explanationFor(denied);
    const replied =
      authentic && kind && !staffOf(caller) ? await answerOnce(deps, m, from, kind, envelope.receivedAt, c.caseNumber) : false;
    return reject(denied, { ...onCase, replied });
  }
  if (c.status === 'closed') {
    const replied = authentic ? await answerOnce(deps, m, from, 'case-closed', envelope.receivedAt, c.caseNumber) : false;
    return reject('case-closed', { ...onCase, replied });
  }

  const content: HeldReply = {
    senderId: caller.id,
    subject: m.subject.slice(0, MAX_SUBJECT_CHARS),
    body: text.body,
    // MAIL-2, MAIL-4: an allowed sender's message is never refused for its content; when no new
    // text could be told from the history, the whole text is attached, marked to show collapsed.
    ...(text.quality === 'whole' ? { textQuality: 'whole' as const } : {}),
    fullText: text.fullText,
    attachments: m.attachments
      .slice(0, 100)
      .map((a) => ({ name: a.name.slice(0, 255), contentType: a.contentType, size: a.size })),
    contentHash: contentHash(m, c.caseNumber, from, text.fullText),
  };
  const proven = match.via === 'token' && match.issuedTo(from);
  if (failed || !proven) {
    const reason = failed ?? (match.via === 'token' ? 'token-not-issued-to-sender' : 'no-token');
    // Answered only when the From is authenticated: a forged one would tell its real owner.
    const replied = authentic ? await answerOnce(deps, m, from, 'held', envelope.receivedAt, c.caseNumber) : false;
    return recordOnce(deps, { ...base, ...onCase, outcome: 'held', reason, held: content, replied }, claimId);
  }

  // MAIL-2: the files are stored before the update that lists them is written.
  const kept = await keepMailFiles(deps, {
    caseNumber: c.caseNumber,
    fingerprint: content.contentHash,
    files: m.attachments.slice(0, content.attachments.length),
  });
  const res = await attachReply(deps, c, caller, content, { ...base, ...onCase }, { claimId }, kept);
  if (res === 'closed') {
    const replied = await answerOnce(deps, m, from, 'case-closed', envelope.receivedAt, c.caseNumber);
    return reject('case-closed', { ...onCase, replied });
  }
  if (res === 'gone') return noReference();
  if (res.outcome === 'content-duplicate') {
    // MAIL-5: the same mail resent under another transport id: recorded, not attached again.
    return recordOnce(deps, { ...base, ...onCase, outcome: 'duplicate', of: res.of }, claimId);
  }
  return res;
};

type AttachResult = InboundOutcome | { outcome: 'content-duplicate'; of: string } | 'closed' | 'gone';

/**
 * MAIL-2: the update, the case change (CASE-4, CASE-8) and the outcome in one write, retried
 * while the case is busy. `claim` is the delivery's claim, or a staff release of a held message.
 */
const attachReply = async (
  deps: Deps,
  first: Case,
  sender: Caller,
  content: HeldReply,
  record: InboundRecord,
  claim: { claimId: string } | { releasedBy: Actor; at: string },
  kept: readonly (MailFileRecord | undefined)[] = [],
): Promise<AttachResult> => {
  const staff = staffOf(sender) !== undefined;
  const actor: Actor = { id: sender.id, name: sender.user?.name ?? record.from ?? '', kind: staff ? 'staff' : 'customer' };
  let c = first;
  // Nothing is recorded when the case stays busy: the error makes the transport deliver again
  // (Lambda async retry, then DLQ), or the staff member releasing it retry.
  return retryOptimistic('case', async (attempt): Promise<Attempt<AttachResult>> => {
    if (attempt > 0) {
      const fresh = await deps.cases.getCase(c.caseNumber);
      if (!fresh) return 'gone';
      c = fresh;
    }
    // CASE-6, CASE-7: the same rule as the portal's (cases/lifecycle.ts); the caller answers by mail.
    if (closedCaseRefusal(c)) return 'closed';
    const at = changeTime(deps, c);
    const update = updateBy(deps, c.caseNumber, actor, {
      channel: 'email',
      visibility: 'public',
      subject: content.subject,
      body: content.body,
      ...(content.textQuality ? { textQuality: content.textQuality } : {}),
      fullText: content.fullText,
      rawKey: record.rawKey,
      attachments: content.attachments.map((a, i) => (kept[i] ? { ...a, attachmentId: kept[i].attachmentId } : a)),
      createdAt: at,
    });
    const files: CaseAttachment[] = kept
      .filter((k) => k !== undefined)
      .map((k) => ({
        ...k,
        updateId: update.updateId,
        uploaderId: actor.id,
        uploaderName: actor.name,
        uploaderKind: staff ? 'staff' : 'customer',
        createdAt: at,
      }));
    // CASE-4, CASE-8: a customer's reply moves a waiting case back to open and clears needs-action.
    const change =
      !staff && WAITING_STATES.includes(c.status)
        ? customerResponse(deps, c, update, actor)
        : { next: { ...c }, updates: [update], events: [] as AuditEvent[] };
    const next = nextVersion(c, change.next, at);
    const releasing = 'releasedBy' in claim;
    // CASE-9: a release is a staff decision about the case, kept in its history.
    const released: AuditEvent[] = releasing
      ? [
          {
            caseNumber: c.caseNumber,
            eventId: deps.ids.next(),
            at,
            actorId: claim.releasedBy.id,
            actorName: claim.releasedBy.name,
            actorKind: 'staff',
            action: 'inbound-mail-released',
            detail: `Held email ${record.transportId} released as update ${update.updateId}`,
          },
        ]
      : [];
    const { held: _held, ...rest } = record;
    const outcome: InboundRecord = {
      ...rest,
      outcome: 'attached',
      reason: undefined,
      updateId: update.updateId,
      ...(releasing ? { releasedBy: claim.releasedBy.id, releasedAt: claim.at } : {}),
    };
    const res = await deps.mail.attach({
      record: JSON.parse(JSON.stringify(outcome)) as InboundRecord,
      claimId: releasing ? '' : claim.claimId,
      releasing,
      contentHash: content.contentHash,
      next,
      expectedVersion: c.version,
      updates: change.updates ?? [update],
      events: [...(change.events ?? []), ...released],
      files,
    });
    if (res.result === 'attached') return { outcome: 'attached', caseNumber: c.caseNumber, updateId: update.updateId };
    if (res.result === 'duplicate') return { outcome: 'duplicate', of: res.of };
    if (res.result === 'content-duplicate') return { outcome: 'content-duplicate', of: res.of };
    return LOST_RACE;
  });
};

export type InboundMailView = View<'inboundMail'>;

/**
 * One inbound message as this staff member on this client sees it, exactly as the message's
 * organisation's cases are shown to them (PRIV-1 restricted, PRIV-2 not at all); a message whose
 * organisation is unknown counts as EU/EEA and FedRAMP.
 */
const inboundAccess = (caller: Caller, r: InboundRecord): CaseAccess =>
  caseAccess(caller, {
    orgId: '',
    name: '',
    type: 'customer',
    region: '',
    timeZone: 'UTC',
    gdpr: r.euData !== false,
    fedramp: r.fedrampData !== false,
    alarmMonitoring: false,
    deployments: [],
  } satisfies Org);

/** GET /admin/inbound-mail (MAIL-4): staff only, newest first, paged. */
export const listInboundMail = async (deps: Deps, caller: Caller, page: PageRequest): Promise<Page<InboundMailView>> => {
  if (caller.kind !== 'user' || !staffOf(caller)) throw forbidden('Only staff may list inbound mail.');
  const res = await deps.mail.listInbound(deps.clock.now().toISOString(), page);
  const items: InboundMailView[] = [];
  for (const r of res.items) {
    const access = inboundAccess(caller, r);
    if (access !== 'none') items.push(viewFor('inboundMail', r, access));
  }
  return { items, next: res.next };
};

/**
 * POST /admin/inbound-mail/{id}/release (MAIL-4): staff who may write the message's case attach
 * a held message, as its sender, if that sender may still write the case (checked now, not when
 * it arrived). A message the caller may not see answers 404 (PRIV-3); one they may see but not
 * write (PRIV-1) answers 403.
 */
export const releaseInboundMail = async (deps: Deps, caller: Caller, transportId: string): Promise<InboundMailView> => {
  const staff = staffOf(caller);
  if (caller.kind !== 'user' || !staff) throw forbidden('Only staff may release held mail.');
  const r = await deps.mail.getInbound(transportId);
  if (!r || r.outcome !== 'held' || !r.held || !r.caseNumber) throw notFound();
  const c = await deps.cases.getCase(r.caseNumber);
  const org = c && (await deps.directory.getOrgs([c.orgId]))[0];
  if (!c || !org) throw notFound();
  const access = caseAccess(caller, org);
  if (access === 'none') throw notFound();
  if (access !== 'staff') throw forbidden('You may not add updates to this case (PRIV-1).');
  const sender = await resolveCaller(deps, { sub: r.held.senderId, client: 'web', scopes: [] });
  if (!sender || accessRejection(caseAccess(sender, org))) {
    throw conflict('/problems/sender-not-allowed', 'Sender not allowed', 'The sender may no longer update this case.');
  }
  const by: Actor = { id: caller.id, name: caller.user?.name ?? caller.id, kind: 'staff' };
  const res = await attachReply(deps, c, sender, r.held, r, { releasedBy: by, at: deps.clock.now().toISOString() });
  if (res === 'closed') throw conflict('/problems/case-closed', 'Case closed', 'The case is closed; reopen it first.');
  if (res === 'gone') throw notFound();
  if (res.outcome !== 'attached') {
    throw conflict('/problems/already-released', 'Already released', 'This message was already released or attached.');
  }
  const after = await deps.mail.getInbound(transportId);
  return viewFor('inboundMail', after!, access);
};
