/** Wires the domain's ports to AWS (or to the emulators, through the same SDK endpoints). */
import { defaultTable, type TableRef } from '../data/client';
import { caseRepo } from '../data/case-repo';
import { directoryRepo } from '../data/directory-repo';
import { mailRepo } from '../data/mail-repo';
import { monitoringRepo } from '../data/monitoring-repo';
import { favoriteRepo } from '../data/favorite-repo';
import { subscriptionRepo } from '../data/subscription-repo';
import { outboxRepo } from '../data/outbox-repo';
import { notificationRepo } from '../data/notification-repo';
import { rateLimitRepo } from '../data/rate-limit-repo';
import { sessionRepo } from '../data/session-repo';
import { waitingRepo } from '../data/waiting-repo';
import { accessRequestRepo } from '../data/access-request-repo';
import { userIdByEmail } from '../data/mail-repo';
import type { Deps } from '../domain/ports';
import { ConfigurationError, requiredEnv } from './config';
import { systemIds } from './ids';
import { postalMimeParser } from './mime';
import { replyKeyring } from './reply-keys';
import { sesMailer } from './ses-mailer';
import { snsIntegrationTopic } from './sns-topic';
import { snsPush } from './sns-push';
import { directoryUserAccounts, userAccounts } from './user-accounts';

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
  mailDomain: process.env.MAIL_DOMAIN ?? 'casework.test',
  mail: mailRepo(ref),
  mime: postalMimeParser(),
  // A function, read on first use: functions that never sign or verify a token need no keyring.
  replyKeys: replyKeyring,
  outbox: outboxRepo(ref),
  monitoring: monitoringRepo(ref),
  // Only the notifier has NOTIFY_TOPIC_ARN (bindTopic); anyone else publishing fails loudly.
  integration: snsIntegrationTopic(),
  notes: notificationRepo(ref),
  push: snsPush(),
  accessRequests: accessRequestRepo(ref),
  // Tests and local tools: the directory is the sign-in directory (the local issuer).
  userAccounts: directoryUserAccounts((email) => userIdByEmail(ref, email)),
  rateLimits: rateLimitRepo(ref),
  ...overrides,
});

/** Built on first use and kept; a build that throws is retried on the next use. */
const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
};

/**
 * The ports of this function, each built when a handler first touches it: a function gets only
 * the environment its bindings give it (lib/function-specs.ts), so GET /health, which has no
 * table, must never build the table's repositories. A port whose configuration is missing throws
 * a ConfigurationError when used (a 500 with the reason in the log), instead of defaulting.
 */
const lazyDeps = (): Deps => {
  const table = once(defaultTable);
  const directory = once(() => directoryRepo(table()));
  const cases = once(() => caseRepo(table()));
  const sessions = once(() => sessionRepo(table()));
  const waiting = once(() => waitingRepo(table()));
  const mailer = once(() => sesMailer());
  const mailDomain = once(() => requiredEnv('MAIL_DOMAIN', 'mailer'));
  const mail = once(() => mailRepo(table()));
  const mime = once(() => postalMimeParser());
  const subscriptions = once(() => subscriptionRepo(table()));
  const favorites = once(() => favoriteRepo(table()));
  const outbox = once(() => outboxRepo(table()));
  const monitoring = once(() => monitoringRepo(table()));
  const rateLimits = once(() => rateLimitRepo(table()));
  const integration = once(() => snsIntegrationTopic(requiredEnv('NOTIFY_TOPIC_ARN', 'integration topic')));
  const notes = once(() => notificationRepo(table()));
  // The push binding sets both variables (empty for a platform the deployment does not offer).
  const push = once(() => {
    if (!('PUSH_APNS_APP_ARN' in process.env && 'PUSH_FCM_APP_ARN' in process.env)) {
      throw new ConfigurationError('PUSH_APNS_APP_ARN is not set: this function has no push binding');
    }
    return snsPush();
  });
  const accessRequests = once(() => accessRequestRepo(table()));
  const accounts = once(() => userAccounts((email) => userIdByEmail(table(), email)));
  return {
    clock: { now: () => new Date() },
    ids: systemIds,
    get directory() {
      return directory();
    },
    get cases() {
      return cases();
    },
    get sessions() {
      return sessions();
    },
    get waiting() {
      return waiting();
    },
    get mailer() {
      return mailer();
    },
    get mailDomain() {
      return mailDomain();
    },
    get mail() {
      return mail();
    },
    get mime() {
      return mime();
    },
    get subscriptions() {
      return subscriptions();
    },
    get favorites() {
      return favorites();
    },
    get outbox() {
      return outbox();
    },
    get integration() {
      return integration();
    },
    get monitoring() {
      return monitoring();
    },
    get notes() {
      return notes();
    },
    get push() {
      return push();
    },
    get accessRequests() {
      return accessRequests();
    },
    get userAccounts() {
      return accounts();
    },
    get rateLimits() {
      return rateLimits();
    },
    // Read on first use (and cached by the adapter): functions that never sign or verify need no keyring.
    replyKeys: replyKeyring,
  };
};

let deps: Deps | undefined;

/** One set per container. */
export const appDeps = (): Deps => (deps ??= lazyDeps());
