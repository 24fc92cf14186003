/**
 * Inbound mail (MAIL-2..5): one message in, exactly one recorded outcome out.
 *
 * In order: redelivery (transport id) → size → parse → SES verdicts → robots (bounces first:
 * a bounce quotes our mail, token included) → match (signed token, then In-Reply-To/References,
 * then the `[ref:…]` marker) → the sender (From only) must be allowed to write the case → attach
 * in one transaction with the outcome and the content fingerprint. Nothing here throws for bad
 * mail; a storage failure throws before anything is recorded, so a redelivery retries.
 */
import { createHash, randomUUID } from 'node:crypto';
import { customerResponse, type Actor } from './case-changes';
import { replyText } from './email-text';
import { forbidden } from './errors';
import { resolveCaller } from './caller';
import { closedCaseRefusal, WAITING_STATES } from './lifecycle';
import { explanatoryReply, loopMarker, messageIdKey } from './mail';
import { caseAccess, staffAccess, staffOf, type Caller, type CaseAccess } from './policy';
import type { Deps, InboundRecord, Page, PageRequest, ParsedMail } from './ports';
import { tokenFromAddress, verifyReplyToken } from './reply-token';
import type { Case, CaseUpdate, StaffProfile } from './types';
import { viewFor, type View } from './views';

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
  /** From the SES event; NEVER from X-SES-* headers in the raw message. */
  verdicts: SesVerdicts;
  size: number;
}

export type InboundOutcome =
  | { outcome: 'attached'; caseNumber: string; updateId: string }
  | { outcome: 'duplicate'; of: string }
  | { outcome: 'rejected'; reason: string; caseNumber?: string };

/** Every rejection reason, for the README and the admin list. */
export const REJECTION_REASONS = [
  'too-large',
  'unparseable',
  'spam',
  'virus',
  'spf-fail',
  'dkim-fail',
  'dmarc-fail',
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
  'empty-reply',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** MAIL-3: one explanatory reply per sender, kind and day. */
const AUTO_REPLY_TTL_SECONDS = 2 * 24 * 3600;
const MAX_THREAD_IDS = 30;
const MAX_SUBJECT_CHARS = 300;
const MAX_ATTEMPTS = 40;

const all = (m: ParsedMail, name: string): string[] => m.headers[name] ?? [];
const lowerBeforeSemicolon = (v: string) => v.split(';')[0].trim().toLowerCase();

/** MAIL-4: SES verdicts that fail reject; GRAY and PROCESSING_FAILED do not. */
export const verdictRejection = (v: SesVerdicts): RejectionReason | undefined => {
  const failed = (x: string) => String(x).toUpperCase() === 'FAIL';
  if (failed(v.spam)) return 'spam';
  if (failed(v.virus)) return 'virus';
  if (failed(v.spf)) return 'spf-fail';
  if (failed(v.dkim)) return 'dkim-fail';
  if (failed(v.dmarc)) return 'dmarc-fail';
  return undefined;
};

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

type Match = { caseNumber: string; via: 'token' | 'thread' | 'reference' } | { reject: RejectionReason } | undefined;

/** MAIL-2: which case a message replies to, in the order the issue fixes. */
const matchCase = async (deps: Deps, m: ParsedMail, envelope: InboundEnvelope, fullText: string): Promise<Match> => {
  const domain = deps.mailDomain;
  const recipients = [...envelope.recipients, ...m.to.map((a) => a.address), ...m.cc.map((a) => a.address)];
  const tokens = [...new Set(recipients.map((r) => tokenFromAddress(r, domain)).filter((t): t is string => !!t))];
  if (tokens.length > 0) {
    const keyring = await deps.replyKeys();
    for (const t of tokens) {
      const v = verifyReplyToken(keyring, t);
      if (v) return { caseNumber: v.caseNumber, via: 'token' };
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

const contentHash = (m: ParsedMail, from: string, fullText: string) =>
  createHash('sha256')
    .update(
      [
        from,
        m.date ? (Number.isNaN(Date.parse(m.date)) ? m.date.trim() : new Date(m.date).toISOString()) : '',
        m.messageId ? messageIdKey(m.messageId) : '',
        fullText.replace(/\s+/g, ' ').trim(),
      ].join('\n'),
    )
    .digest('hex');

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

const dayOf = (iso: string) => iso.slice(0, 10);

/** MAIL-3: one explanatory reply per sender, kind and day; never to robots or to mail that asks for none. */
const answerOnce = async (
  deps: Deps,
  m: ParsedMail,
  from: string,
  kind: 'no-reference' | 'case-closed',
  at: string,
  caseNumber?: string,
): Promise<boolean> => {
  if (!mayAutoAnswer(m)) return false;
  const claimed = await deps.mail.claimAutoReply(
    from,
    dayOf(at),
    kind === 'case-closed' ? `closed#${caseNumber}` : kind,
    AUTO_REPLY_TTL_SECONDS,
  );
  if (!claimed) return false;
  try {
    await deps.mailer.send(
      explanatoryReply(deps.mailDomain, from, kind, { subject: m.subject, messageId: m.messageId }, caseNumber),
    );
    return true;
  } catch {
    return false;
  }
};

const recordOnce = async (deps: Deps, record: InboundRecord, claimId: string): Promise<InboundOutcome> => {
  if (!(await deps.mail.putOutcome(record, claimId))) return { outcome: 'duplicate', of: record.transportId };
  if (record.outcome === 'rejected') {
    return { outcome: 'rejected', reason: record.reason!, ...(record.caseNumber ? { caseNumber: record.caseNumber } : {}) };
  }
  return { outcome: 'duplicate', of: record.of! };
};

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * attempt)));

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

  const verdict = verdictRejection(envelope.verdicts);
  if (verdict) return reject(verdict, seen);
  const robot = robotRejection(m, deps.mailDomain);
  if (robot) return reject(robot, seen);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from)) return reject('no-sender', seen);

  let text: ReturnType<typeof replyText>;
  try {
    text = replyText(m);
  } catch {
    const fallback = (m.text ?? '').slice(0, 32 * 1024);
    text = { body: fallback, fullText: fallback, truncated: true };
  }

  const match = await matchCase(deps, m, envelope, text.fullText);
  const caller = await senderCaller(deps, from);
  const senderEu = caller ? [...caller.orgs.values()].some((o) => o.gdpr) : true;
  const noReference = async () => {
    const replied = await answerOnce(deps, m, from, 'no-reference', envelope.receivedAt);
    return reject('no-reference', { ...seen, euData: senderEu, replied });
  };
  if (!match) return noReference();
  if ('reject' in match) return reject(match.reject, { ...seen, euData: senderEu });

  let c = await deps.cases.getCase(match.caseNumber);
  if (!c) return noReference();
  const org = (await deps.directory.getOrgs([c.orgId]))[0];
  const onCase = { ...seen, caseNumber: c.caseNumber, euData: org?.gdpr ?? true };
  if (!caller) return reject('unknown-sender', onCase);
  const denied = org ? accessRejection(caseAccess(caller, org)) : 'sender-not-allowed';
  if (denied) return reject(denied, onCase);

  const staff = staffOf(caller) !== undefined;
  const actor: Actor = { id: caller.id, name: caller.user?.name ?? from, kind: staff ? 'staff' : 'customer' };
  if (!text.body.trim() && m.attachments.length === 0) return reject('empty-reply', onCase);
  const hash = contentHash(m, from, text.fullText);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // CASE-6, CASE-7: the same rule as the portal's (lifecycle.ts), answered by mail.
    if (closedCaseRefusal(c)) {
      const replied = await answerOnce(deps, m, from, 'case-closed', envelope.receivedAt, c.caseNumber);
      return reject('case-closed', { ...onCase, replied });
    }
    const now = deps.clock.now().toISOString();
    const at = now > c.updatedAt ? now : c.updatedAt;
    const update: CaseUpdate = {
      caseNumber: c.caseNumber,
      updateId: deps.ids.next(),
      authorId: actor.id,
      authorName: actor.name,
      authorKind: actor.kind,
      channel: 'email',
      visibility: 'public',
      subject: m.subject.slice(0, MAX_SUBJECT_CHARS),
      body: text.body,
      fullText: text.fullText,
      rawKey: envelope.rawKey,
      attachments: m.attachments
        .slice(0, 100)
        .map((a) => ({ name: a.name.slice(0, 255), contentType: a.contentType, size: a.size })),
      createdAt: at,
    };
    // CASE-4, CASE-8: a customer's reply moves a waiting case back to open and clears needs-action.
    const change =
      !staff && WAITING_STATES.includes(c.status)
        ? customerResponse(deps, c, update, actor)
        : { next: { ...c }, updates: [update], events: [] };
    const next: Case = { ...change.next, updatedAt: at, version: c.version + 1 };
    const record: InboundRecord = { ...base, ...onCase, outcome: 'attached', updateId: update.updateId };
    const res = await deps.mail.attach({
      record,
      claimId,
      contentHash: hash,
      next,
      expectedVersion: c.version,
      updates: change.updates ?? [update],
      events: change.events ?? [],
    });
    if (res.result === 'attached') return { outcome: 'attached', caseNumber: c.caseNumber, updateId: update.updateId };
    if (res.result === 'duplicate') return { outcome: 'duplicate', of: res.of };
    if (res.result === 'content-duplicate') {
      // MAIL-5: the same mail resent under another transport id: recorded, not attached again.
      return recordOnce(deps, { ...base, ...onCase, outcome: 'duplicate', of: res.of }, claimId);
    }
    await pause(attempt);
    const fresh = await deps.cases.getCase(c.caseNumber);
    if (!fresh) return noReference();
    c = fresh;
  }
  // Nothing was recorded: the error makes the transport deliver again (Lambda async retry, then DLQ).
  throw new Error(`case ${c.caseNumber} stayed busy; inbound message ${envelope.transportId} will be retried`);
};

export type InboundMailView = View<'inboundMail'>;

/**
 * One inbound message as this staff member sees it: a message that may carry EU/EEA personal
 * data (or whose organisation is unknown) is restricted exactly as that organisation's cases are.
 */
const inboundAccess = (staff: StaffProfile, r: InboundRecord) => staffAccess(staff, { gdpr: r.euData !== false });

/** GET /admin/inbound-mail (MAIL-4): staff only, newest first, paged. */
export const listInboundMail = async (deps: Deps, caller: Caller, page: PageRequest): Promise<Page<InboundMailView>> => {
  const staff = staffOf(caller);
  if (caller.kind !== 'user' || !staff) throw forbidden('Only staff may list inbound mail.');
  const res = await deps.mail.listInbound(deps.clock.now().toISOString(), page);
  return { items: res.items.map((r) => viewFor('inboundMail', r, inboundAccess(staff, r))), next: res.next };
};
