/**
 * Every outbound mail is composed here. Case mail (MAIL-1): every message from a case carries its
 * Reference ID in the subject and a body marker, a signed token in the Reply-To address, and a
 * References id of our own for the case. SES replaces the Message-ID we would set, so the id SES
 * returns is recorded against the case too: a reply's In-Reply-To then finds it. Notice mail
 * (access-request codes and decisions, FLAG-2 overdue notices, organisation notifications, MAIL-3
 * and MAIL-4 explanations) carries no token: nothing a reply could attach to.
 */
import type { Deps } from '../kernel/deps';
import type { ReplyKeyring, OutboundMail } from './ports';
import { replyAddress, signReplyToken } from './reply-token';
import type { Case } from '../kernel/types';
import type { Rendered } from '../kernel/rendered';
import { localTime } from './local-time';

/** The line our mail puts above the quoted history; inbound replies are cut here first. */
export const REPLY_ABOVE_MARKER = '##- Please type your reply above this line -##';

export const loopMarker = (domain: string) => `casework@${domain}`;

const supportAddress = (domain: string) => `support@${domain}`;

/** Marks our mail as automatic, and as ours (X-Loop: inbound mail carrying it is never answered). */
const automaticHeaders = (domain: string, replying = false): Record<string, string> =>
  replying
    ? { 'Auto-Submitted': 'auto-replied', 'X-Loop': loopMarker(domain), Precedence: 'auto_reply' }
    : { 'Auto-Submitted': 'auto-generated', 'X-Loop': loopMarker(domain) };

export const caseThreadId = (c: Pick<Case, 'referenceId'>, domain: string) => `<case-${c.referenceId}@${domain}>`;

export const caseSubject = (c: Pick<Case, 'caseNumber' | 'subject' | 'referenceId'>, prefix = '') =>
  `[Case ${c.caseNumber}] ${prefix}${c.subject} [ref:${c.referenceId}]`;

/** Message ids compare without brackets and case; SES ids by their unique part (the domain varies by region). */
export const messageIdKey = (id: string): string => {
  const bare = id.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = bare.lastIndexOf('@');
  if (at > 0 && bare.slice(at + 1).endsWith('amazonses.com')) return bare.slice(0, at);
  return bare;
};

export const composeCaseMail = (
  c: Case,
  domain: string,
  keyring: ReplyKeyring,
  opts: { to: string[]; subjectPrefix?: string; text: string },
): OutboundMail => ({
  from: supportAddress(domain),
  to: opts.to,
  // Signed for the first recipient: case mail goes to the case's contact.
  replyTo: replyAddress(signReplyToken(keyring, { caseNumber: c.caseNumber, recipient: opts.to[0] ?? '' }), domain),
  subject: caseSubject(c, opts.subjectPrefix),
  text:
    `${REPLY_ABOVE_MARKER}\n\n${opts.text}\n\n` +
    `Case ${c.caseNumber} · [ref:${c.referenceId}]\nReply to this email to add an update to the case.`,
  references: caseThreadId(c, domain),
  headers: automaticHeaders(domain),
});

/** Mail that is not from a case: replies go to the support address, where they attach to nothing. */
export const composeNoticeMail = (
  domain: string,
  opts: { to: string[]; subject: string; text: string; references?: string; replying?: boolean },
): OutboundMail => ({
  from: supportAddress(domain),
  to: opts.to,
  replyTo: supportAddress(domain),
  subject: opts.subject,
  text: opts.text,
  references: opts.references ?? '',
  headers: automaticHeaders(domain, opts.replying),
});

/** FLAG-1: the reminder a contact gets once per waiting period; NOTE-4: its time in the contact's zone. */
export const needsActionReminder = (c: Case, domain: string, keyring: ReplyKeyring, timeZone?: string): OutboundMail =>
  composeCaseMail(c, domain, keyring, {
    to: [c.contactEmail],
    subjectPrefix: 'Waiting for your reply: ',
    text:
      `Hello ${c.contactName},\n\nSupport is waiting for your response on case ${c.caseNumber} ` +
      `("${c.subject}") since ${c.waitingSince ? localTime(c.waitingSince, timeZone) : 'a while'}. Please reply to this email or update the case in the portal.`,
  });

/**
 * Sends a case mail and records the id SES gave it against the case. Recording is best effort
 * (a reply still matches by token or Reference ID); a failed send throws to the caller.
 */
export const sendCaseMail = async (deps: Pick<Deps, 'mailer' | 'mail' | 'clock'>, c: Case, mail: Rendered<OutboundMail>) => {
  const id = await deps.mailer.send(mail);
  if (typeof id === 'string' && id) {
    await deps.mail.recordOutbound(messageIdKey(id), c.caseNumber, deps.clock.now().toISOString()).catch(() => undefined);
  }
};

/**
 * MAIL-3, MAIL-4: replies to inbound mail that is not attached, saying why and what to
 * do instead. Never carries a token (it is not case mail), and names nothing of the case but the
 * number the sender already wrote to.
 */
export type ExplanationKind = 'no-reference' | 'case-closed' | 'read-only' | 'no-access' | 'held';

const EXPLANATIONS: Record<ExplanationKind, (caseNumber?: string) => string> = {
  'no-reference': () =>
    'Thank you for your message. Casework does not open cases by email, and your message did not reply to a ' +
    'case we could identify, so it was not added to any case.\n\nTo open a case, sign in to the support portal ' +
    'and choose "New case". To add to an existing case, reply to an email we sent you about that case.',
  'case-closed': (n) =>
    `Case ${n} is closed, so your reply was not added to it.\n\nA Designated Contact can reopen the ` +
    'case in the support portal (open the case and choose "Reopen"), then reply again or add an update there.',
  'read-only': (n) =>
    `Your reply to case ${n} was not added: your access to this organisation's cases is read-only.\n\n` +
    "Ask one of your organisation's Designated Contacts to add it, or request designated access in the " +
    'support portal (Request access).',
  'no-access': (n) =>
    `Your reply to case ${n} was not added: you no longer have access to this organisation's cases.\n\n` +
    "If you should, ask your organisation's Designated Approver or request access in the support portal " +
    '(Request access).',
  held: (n) =>
    `Your reply to case ${n} arrived without the personal reply address we sent it to you with, so it is ` +
    'held for our support staff to check before it is added.\n\nNothing is lost. Next time, reply to an ' +
    'email we sent you about the case, or add an update in the support portal.',
};

export const explanatoryReply = (
  domain: string,
  to: string,
  kind: ExplanationKind,
  inReplyTo?: { subject: string; messageId?: string },
  caseNumber?: string,
): OutboundMail =>
  composeNoticeMail(domain, {
    to: [to],
    subject: `Re: ${(inReplyTo?.subject ?? '').slice(0, 200)}`.trim(),
    text: EXPLANATIONS[kind](caseNumber),
    references: inReplyTo?.messageId ? `<${inReplyTo.messageId.replace(/^<|>$/g, '')}>` : '',
    replying: true,
  });
