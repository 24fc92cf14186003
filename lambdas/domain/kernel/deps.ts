/**
 * The aggregate of every feature's ports: what a handler's composition root builds. Each feature
 * declares its own ports (kernel/ports.ts, cases/ports.ts, access/ports.ts, mail/ports.ts,
 * notifications/ports.ts, monitoring/ports.ts, chat/ports.ts); lambdas/data implements the
 * repositories over DynamoDB, lambdas/adapters the rest; tests pass their own.
 */
import type { AccessRequestRepo, DirectoryRepo, FavoriteRepo, SessionRepo, UserAccounts } from '../access/ports';
import type { AttachmentFiles, AttachmentRepo, CaseRepo, WaitingRepo } from '../cases/ports';
import type { Clock, Ids, RateLimitStore } from './ports';
import type { MailLogRepo, MailQueue, MailRepo, Mailer, MimeParser, OutboxRepo, ReplyKeyring } from '../mail/ports';
import type { MonitoringRepo } from '../monitoring/ports';
import type { DeliveryQueue, IntegrationTopic, NotificationRepo, PushService, SubscriptionRepo } from '../notifications/ports';

export interface Deps {
  clock: Clock;
  ids: Ids;
  directory: DirectoryRepo;
  cases: CaseRepo;
  sessions: SessionRepo;
  waiting: WaitingRepo;
  subscriptions: SubscriptionRepo;
  favorites: FavoriteRepo;
  mailer: Mailer;
  mailDomain: string;
  mail: MailRepo;
  mime: MimeParser;
  replyKeys: () => Promise<ReplyKeyring>;
  outbox: OutboxRepo;
  /** The mail queue and the per-case mail log. */
  mailQueue: MailQueue;
  mailLog: MailLogRepo;
  integration: IntegrationTopic;
  /** ALARM-1, ALARM-2: alarms, cloud incidents, maintenance alerts. */
  monitoring: MonitoringRepo;
  /** NOTE-1, NOTE-3: inbox items and push devices. */
  notes: NotificationRepo;
  push: PushService;
  /** NOTE-1, NOTE-2: chunks of an event's recipients, from the notifier to the delivery function. */
  deliveryQueue: DeliveryQueue;
  /** ACC-6, FLAG-2. */
  accessRequests: AccessRequestRepo;
  /** ACC-6: the sign-in directory (Cognito in AWS; locally the directory itself). */
  userAccounts: UserAccounts;
  rateLimits: RateLimitStore;
  /** MAIL-2, CASE-6: a case's files, and the bucket that holds them. */
  attachments: AttachmentRepo;
  files: AttachmentFiles;
}
