/**
 * Every port over one table, for tests and local mode's seeding (never bundled into a function:
 * functions get theirs from their bindings through appDeps, ./deps.ts). The same factory, with
 * every builder.
 */
import { chatRepo } from '../data/chat-repo';
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
};

/** Every port over one table; tests override the clock or the mailer. */
export const depsFor = (ref: TableRef, overrides: Partial<AppDeps> = {}): AppDeps => buildDeps(() => ref, EVERY_PORT, overrides);
