/**
 * Outbound case mail (MAIL-1): every message from a case carries its Reference ID in the
 * subject, the body and the Reply-To address, so a reply finds its case whatever the client
 * does with headers. The References header is a hint only: SES replaces Message-IDs.
 */
import type { Case } from './types';

export interface OutboundMail {
  from: string;
  to: string[];
  replyTo: string;
  subject: string;
  text: string;
  /** Message id the case's thread hangs from; sent as References. */
  references: string;
}

export const caseThreadId = (c: Pick<Case, 'referenceId'>, domain: string) => `<case-${c.referenceId}@${domain}>`;

export const caseSubject = (c: Pick<Case, 'caseNumber' | 'subject' | 'referenceId'>, prefix = '') =>
  `[Case ${c.caseNumber}] ${prefix}${c.subject} [ref:${c.referenceId}]`;

export const composeCaseMail = (
  c: Case,
  domain: string,
  opts: { to: string[]; subjectPrefix?: string; text: string },
): OutboundMail => ({
  from: `support@${domain}`,
  to: opts.to,
  replyTo: `case+${c.referenceId}@${domain}`,
  subject: caseSubject(c, opts.subjectPrefix),
  text: `${opts.text}\n\nCase ${c.caseNumber} · Reference ID: ${c.referenceId}\nReply to this email to add an update to the case.`,
  references: caseThreadId(c, domain),
});

/** FLAG-1: the reminder a contact gets once per waiting period. */
export const needsActionReminder = (c: Case, domain: string): OutboundMail =>
  composeCaseMail(c, domain, {
    to: [c.contactEmail],
    subjectPrefix: 'Waiting for your reply: ',
    text:
      `Hello ${c.contactName},\n\nSupport is waiting for your response on case ${c.caseNumber} ` +
      `("${c.subject}") since ${c.waitingSince}. Please reply to this email or update the case in the portal.`,
  });
