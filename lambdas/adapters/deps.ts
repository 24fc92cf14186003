/** Wires the domain's ports to AWS (or to the emulators, through the same SDK endpoints). */
import { defaultTable } from '../data/client';
import { caseRepo } from '../data/case-repo';
import { directoryRepo } from '../data/directory-repo';
import { mailRepo } from '../data/mail-repo';
import { favoriteRepo } from '../data/favorite-repo';
import { subscriptionRepo } from '../data/subscription-repo';
import { mailLogRepo, outboxRepo } from '../data/outbox-repo';
import { monitoringRepo } from '../data/monitoring-repo';
import { notificationRepo } from '../data/notification-repo';
import { rateLimitRepo } from '../data/rate-limit-repo';
import { accessRequestRepo } from '../data/access-request-repo';
import { userIdByEmail } from '../data/mail-repo';
import { sessionRepo } from '../data/session-repo';
import { waitingRepo } from '../data/waiting-repo';
import type { Deps } from '../domain/kernel/deps';
import { config, ConfigurationError } from './config';
import { systemIds } from './ids';

/**
 * The ports whose clients only some functions need (SES and nodemailer, postal-mime, SNS topic
 * and push, Cognito, the reply keyring's Secrets Manager client). A function that uses one passes its builder to
 * appDeps (HTTP handlers through httpRoute's wiring, e.g. MAIL_PORTS of ./mail-ports), so
 * esbuild leaves the others' code out of its bundle; using a port nobody wired is a 500 that
 * names it.
 */
export interface OwnPorts {
  mailer?: () => Deps['mailer'];
  mime?: () => Deps['mime'];
  replyKeys?: Deps['replyKeys'];
  integration?: () => Deps['integration'];
  push?: () => Deps['push'];
  mailQueue?: () => Deps['mailQueue'];
  /** Given the directory's lookup by address (local mode's sign-in directory is the directory). */
  userAccounts?: (userIdByEmail: (email: string) => Promise<string | undefined>) => Deps['userAccounts'];
}

const unwired = (port: keyof OwnPorts) =>
  new ConfigurationError(`the ${port} port is not wired into this function: pass its builder to appDeps / httpRoute`);

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
const lazyDeps = (own: OwnPorts): Deps => {
  const table = once(defaultTable);
  const directory = once(() => directoryRepo(table()));
  const cases = once(() => caseRepo(table()));
  const sessions = once(() => sessionRepo(table()));
  const waiting = once(() => waitingRepo(table()));
  const mailer = once(() => {
    if (!own.mailer) throw unwired('mailer');
    return own.mailer();
  });
  const mailDomain = once(() => config.mailDomain());
  const mail = once(() => mailRepo(table()));
  const mime = once(() => {
    if (!own.mime) throw unwired('mime');
    return own.mime();
  });
  const subscriptions = once(() => subscriptionRepo(table()));
  const favorites = once(() => favoriteRepo(table()));
  const outbox = once(() => outboxRepo(table()));
  const mailLog = once(() => mailLogRepo(table()));
  const mailQueue = once(() => {
    if (!own.mailQueue) throw unwired('mailQueue');
    return own.mailQueue();
  });
  const integration = once(() => {
    if (!own.integration) throw unwired('integration');
    return own.integration();
  });
  const monitoring = once(() => monitoringRepo(table()));
  const rateLimits = once(() => rateLimitRepo(table()));
  const notes = once(() => notificationRepo(table()));
  const push = once(() => {
    if (!own.push) throw unwired('push');
    return own.push();
  });
  const accessRequests = once(() => accessRequestRepo(table()));
  const accounts = once(() => {
    if (!own.userAccounts) throw unwired('userAccounts');
    return own.userAccounts((email) => userIdByEmail(table(), email));
  });
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
    get mailLog() {
      return mailLog();
    },
    get mailQueue() {
      return mailQueue();
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
    replyKeys: own.replyKeys ?? (() => Promise.reject(unwired('replyKeys'))),
  };
};

let deps: Deps | undefined;

/** One set per container; the first call's wiring is the function's. */
export const appDeps = (own: OwnPorts = {}): Deps => (deps ??= lazyDeps(own));
