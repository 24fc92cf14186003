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

/** Issue 23: the ports of a function that queues mail for the mail queue's consumer. */
export const MAIL_QUEUE_PORTS = { mailQueue: () => sqsMailQueue() } as const satisfies OwnPorts;
