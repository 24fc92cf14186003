/**
 * The ports of a function that sends case mail (MAIL-1): SES with nodemailer's composer, and the
 * reply-token keyring. Imported only by the functions that send mail, so the others' bundles
 * carry neither (lambdas/adapters/deps.ts, OwnPorts).
 */
import type { OwnPorts } from './deps';
import { replyKeyring } from './reply-keys';
import { sesMailer } from './ses-mailer';
import { sqsMailQueue } from './mail-queue';

export const MAIL_PORTS = { mailer: () => sesMailer(), replyKeys: replyKeyring } as const satisfies OwnPorts;

/** The ports of a function that mails notices, not case mail (ACC-6 codes and decisions): no reply keys. */
export const NOTICE_PORTS = { mailer: () => sesMailer() } as const satisfies OwnPorts;

/** Issue 23: the ports of a function that queues mail for the mail queue's consumer. */
export const MAIL_QUEUE_PORTS = { mailQueue: () => sqsMailQueue() } as const satisfies OwnPorts;

/** The admin case's mail to approvers (ACC-6): queued, and signed with the reply-token keyring. */
export const CASE_NOTICE_PORTS = { mailQueue: () => sqsMailQueue(), replyKeys: replyKeyring } as const satisfies OwnPorts;
