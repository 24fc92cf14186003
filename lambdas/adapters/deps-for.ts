/**
 * Every port over one table, for tests and local mode's seeding (never bundled into a function:
 * functions get theirs from their bindings through appDeps, ./deps.ts). The same factory, with
 * every builder.
 */
import { accessRequestRepo } from '../data/access-request-repo';
import { attachmentRepo } from '../data/attachment-repo';
import { caseRepo } from '../data/case-repo';
import { chatRepo } from '../data/chat-repo';
import { directoryRepo } from '../data/directory-repo';
import { favoriteRepo } from '../data/favorite-repo';
import { mailRepo } from '../data/mail-repo';
import { monitoringRepo } from '../data/monitoring-repo';
import { notificationRepo } from '../data/notification-repo';
import { mailLogRepo, outboxRepo } from '../data/outbox-repo';
import { rateLimitRepo } from '../data/rate-limit-repo';
import { sessionRepo } from '../data/session-repo';
import { subscriptionRepo } from '../data/subscription-repo';
import { waitingRepo } from '../data/waiting-repo';
import type { TableRef } from '../data/client';
import { buildDeps, type AppDeps, type PortBuilders } from './deps';
import { s3AttachmentFiles } from './attachment-files';
import { config } from './config';
import { managementConnections } from './chat-connections';
import { sqsChatTimers } from './chat-timers';
import { postalMimeParser } from './mime';
import { replyKeyring } from './reply-keys';
import { sesMailer } from './ses-mailer';
import { sqsMailQueue } from './mail-queue';
import { sqsDeliveryQueue } from './delivery-queue';
import { snsIntegrationTopic } from './sns-topic';
import { snsPush } from './sns-push';
import { directoryUserAccounts } from './user-accounts';

const EVERY_PORT: PortBuilders = {
  mailer: () => sesMailer(),
  mailDomain: () => config.mailDomainOr('casework.test'),
  mime: () => postalMimeParser(),
  replyKeys: replyKeyring,
  // Only functions bound to the mail queue have MAIL_QUEUE_URL; tests pass an inline queue.
  mailQueue: () => sqsMailQueue(),
  // Only the notifier has DELIVERY_QUEUE_URL; tests pass an inline queue that delivers at once.
  deliveryQueue: () => sqsDeliveryQueue(),
  // Only the notifier has NOTIFY_TOPIC_ARN (bindTopic); anyone else publishing fails loudly.
  integration: () => snsIntegrationTopic(),
  push: () => snsPush(),
  // Tests and local tools: the directory is the sign-in directory (the local issuer).
  userAccounts: directoryUserAccounts,
  chats: chatRepo,
  connections: () => managementConnections(),
  timers: () => sqsChatTimers(),
  // Only functions bound to the attachments bucket have ATTACHMENTS_BUCKET.
  files: () => s3AttachmentFiles(config.attachmentsBucket()),
  repositories: {
    directory: directoryRepo,
    cases: caseRepo,
    sessions: sessionRepo,
    waiting: waitingRepo,
    subscriptions: subscriptionRepo,
    favorites: favoriteRepo,
    mail: mailRepo,
    outbox: outboxRepo,
    mailLog: mailLogRepo,
    monitoring: monitoringRepo,
    notes: notificationRepo,
    accessRequests: accessRequestRepo,
    rateLimits: rateLimitRepo,
    attachments: attachmentRepo,
  },
};

/** Every port over one table; tests override the clock or the mailer. */
export const depsFor = (ref: TableRef, overrides: Partial<AppDeps> = {}): AppDeps => buildDeps(() => ref, EVERY_PORT, overrides);
