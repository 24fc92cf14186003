/**
 * Every port over one table, for tests and local mode's seeding (never bundled into a function:
 * functions build theirs lazily through appDeps, lambdas/adapters/deps.ts).
 */
import { caseRepo } from '../data/case-repo';
import type { TableRef } from '../data/client';
import { directoryRepo } from '../data/directory-repo';
import { favoriteRepo } from '../data/favorite-repo';
import { mailRepo } from '../data/mail-repo';
import { mailLogRepo, outboxRepo } from '../data/outbox-repo';
import { monitoringRepo } from '../data/monitoring-repo';
import { notificationRepo } from '../data/notification-repo';
import { rateLimitRepo } from '../data/rate-limit-repo';
import { accessRequestRepo } from '../data/access-request-repo';
import { userIdByEmail } from '../data/mail-repo';
import { sessionRepo } from '../data/session-repo';
import { subscriptionRepo } from '../data/subscription-repo';
import { waitingRepo } from '../data/waiting-repo';
import type { Deps } from '../domain/kernel/deps';
import { config } from './config';
import { systemIds } from './ids';
import { postalMimeParser } from './mime';
import { replyKeyring } from './reply-keys';
import { sesMailer } from './ses-mailer';
import { sqsMailQueue } from './mail-queue';
import { snsIntegrationTopic } from './sns-topic';
import { snsPush } from './sns-push';
import { directoryUserAccounts } from './user-accounts';

/** Every port over one table; tests override the clock or the mailer. */
export const depsFor = (ref: TableRef, overrides: Partial<Deps> = {}): Deps => ({
  clock: { now: () => new Date() },
  ids: systemIds,
  directory: directoryRepo(ref),
  cases: caseRepo(ref),
  sessions: sessionRepo(ref),
  waiting: waitingRepo(ref),
  subscriptions: subscriptionRepo(ref),
  favorites: favoriteRepo(ref),
  mailer: overrides.mailer ?? sesMailer(),
  mailDomain: config.mailDomainOr('casework.test'),
  mail: mailRepo(ref),
  mime: postalMimeParser(),
  // A function, read on first use: functions that never sign or verify a token need no keyring.
  replyKeys: replyKeyring,
  outbox: outboxRepo(ref),
  mailLog: mailLogRepo(ref),
  // Only functions bound to the mail queue have MAIL_QUEUE_URL; tests pass an inline queue.
  mailQueue: sqsMailQueue(),
  // Only the notifier has NOTIFY_TOPIC_ARN (bindTopic); anyone else publishing fails loudly.
  integration: snsIntegrationTopic(),
  monitoring: monitoringRepo(ref),
  notes: notificationRepo(ref),
  push: snsPush(),
  accessRequests: accessRequestRepo(ref),
  // Tests and local tools: the directory is the sign-in directory (the local issuer).
  userAccounts: directoryUserAccounts((email) => userIdByEmail(ref, email)),
  rateLimits: rateLimitRepo(ref),
  ...overrides,
});
