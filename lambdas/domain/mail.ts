/**
 * Outbound case mail (MAIL-1): every message from a case carries its Reference ID in the
 * subject and a body marker, a signed token in the Reply-To address, and a References id of our
 * own for the case. SES replaces the Message-ID we would set, so the id SES returns is recorded
 * against the case too: a reply's In-Reply-To then finds it.
 */
import type { Deps, ReplyKeyring } from './ports';
import { replyAddress, signReplyToken } from './reply-token';
import type { Case, CaseUpdate, Status } from './types';

export interface OutboundMail {
  from: string;
  to: string[];
  replyTo: string;
  subject: string;
  text: string;
  /** Message id the case's thread hangs from; sent as References. */
  references: string;
  /** Extra headers (Auto-Submitted, X-Loop), sent as given. */
  headers: Record<string, string>;
}

/** The line our mail puts above the quoted history; inbound replies are cut here first. */
export const REPLY_ABOVE_MARKER = '##- Please type your reply above this line -##';

export const loopMarker = (domain: string) => `casework@${domain}`;

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
  from: `support@${domain}`,
  to: opts.to,
  // Signed for the first recipient: case mail goes to the case's contact.
  replyTo: replyAddress(signReplyToken(keyring, { caseNumber: c.caseNumber, recipient: opts.to[0] ?? '' }), domain),
  subject: caseSubject(c, opts.subjectPrefix),
  text:
    `${REPLY_ABOVE_MARKER}\n\n${opts.text}\n\n` +
    `Case ${c.caseNumber} · [ref:${c.referenceId}]\nReply to this email to add an update to the case.`,
  references: caseThreadId(c, domain),
  headers: { 'Auto-Submitted': 'auto-generated', 'X-Loop': loopMarker(domain) },
});

/** FLAG-1: the reminder a contact gets once per waiting period. */
export const needsActionReminder = (c: Case, domain: string, keyring: ReplyKeyring): OutboundMail =>
  composeCaseMail(c, domain, keyring, {
    to: [c.contactEmail],
    subjectPrefix: 'Waiting for your reply: ',
    text:
      `Hello ${c.contactName},\n\nSupport is waiting for your response on case ${c.caseNumber} ` +
      `("${c.subject}") since ${c.waitingSince}. Please reply to this email or update the case in the portal.`,
  });

/**
 * Sends a case mail and records the id SES gave it against the case. Recording is best effort
 * (a reply still matches by token or Reference ID); a failed send throws to the caller.
 */
export const sendCaseMail = async (deps: Pick<Deps, 'mailer' | 'mail' | 'clock'>, c: Case, mail: OutboundMail) => {
  const id = await deps.mailer.send(mail);
  if (typeof id === 'string' && id) {
    await deps.mail.recordOutbound(messageIdKey(id), c.caseNumber, deps.clock.now().toISOString()).catch(() => undefined);
  }
};

const STATUS_TEXT: Partial<Record<Status, string>> = {
  awaiting_info: 'Support needs more information from you to continue.',
  solution_proposed: 'Support has proposed a solution. Please reply to confirm it works, or tell us what is missing.',
  closed: 'The case is now closed. A Designated Contact can reopen it in the portal.',
};

/**
 * MAIL-1: the case mail a change sends, if any: a staff public update, or a status the contact
 * should know. Mail is a side effect of a committed change: a failure is reported, not thrown,
 * so the committed change is never answered with an error.
 */
export const caseMail = async (
  deps: Deps,
  c: Case,
  change: { update?: CaseUpdate; status?: Status; closureDeclined?: { to: string; comment?: string } },
): Promise<'sent' | 'none' | 'failed'> => {
  let text: string | undefined;
  let prefix = '';
  let to = c.contactEmail;
  if (change.closureDeclined) {
    // CASE-7: the person who asked to close hears why it stays open (they may not be the contact).
    to = change.closureDeclined.to;
    prefix = 'Closure request declined: ';
    text =
      `Support has declined the request to close case ${c.caseNumber}; the case stays open.` +
      (change.closureDeclined.comment ? `\n\nSupport wrote:\n\n${change.closureDeclined.comment}` : '') +
      '\n\nReply to this email if you have questions, or request closure again in the portal once you are ready.';
  } else if (change.update && change.update.visibility === 'public' && change.update.authorKind === 'staff') {
    text = `${change.update.authorName} wrote:\n\n${change.update.body}`;
    prefix = 'Update: ';
  } else if (change.status && STATUS_TEXT[change.status]) {
    text = STATUS_TEXT[change.status];
    prefix = `Status ${change.status.replace('_', ' ')}: `;
  }
  if (!text || !to) return 'none';
  try {
    const keyring = await deps.replyKeys();
    await sendCaseMail(deps, c, composeCaseMail(c, deps.mailDomain, keyring, { to: [to], subjectPrefix: prefix, text }));
    return 'sent';
  } catch {
    return 'failed';
  }
};

/** MAIL-3: replies to inbound mail that is not attached. Never carries a token: it is not case mail. */
export const explanatoryReply = (
  domain: string,
  to: string,
  kind: 'no-reference' | 'case-closed',
  inReplyTo?: { subject: string; messageId?: string },
  caseNumber?: string,
): OutboundMail => ({
  from: `support@${domain}`,
  to: [to],
  replyTo: `support@${domain}`,
  subject: `Re: ${(inReplyTo?.subject ?? '').slice(0, 200)}`.trim(),
  text:
    kind === 'no-reference'
      ? 'Thank you for your message. Casework does not open cases by email, and your message did not reply to a ' +
        'case we could identify, so it was not added to any case.\n\nTo open a case, sign in to the support portal ' +
        'and choose "New case". To add to an existing case, reply to an email we sent you about that case.'
      : `Case ${caseNumber} is closed, so your reply was not added to it.\n\nA Designated Contact can reopen the ` +
        'case in the support portal (open the case and choose "Reopen"), then reply again or add an update there.',
  references: inReplyTo?.messageId ? `<${inReplyTo.messageId.replace(/^<|>$/g, '')}>` : '',
  headers: { 'Auto-Submitted': 'auto-replied', 'X-Loop': loopMarker(domain), Precedence: 'auto_reply' },
});
