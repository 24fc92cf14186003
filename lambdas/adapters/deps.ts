/** Wires the domain's ports to AWS (or to the emulators, through the same SDK endpoints). */
import { defaultTable, type TableRef } from '../data/client';
import { caseRepo } from '../data/case-repo';
import { directoryRepo } from '../data/directory-repo';
import { mailRepo } from '../data/mail-repo';
import { outboxRepo } from '../data/outbox-repo';
import { sessionRepo } from '../data/session-repo';
import { waitingRepo } from '../data/waiting-repo';
import type { Deps } from '../domain/ports';
import { systemIds } from './ids';
import { postalMimeParser } from './mime';
import { sesMailer } from './ses-mailer';
import { snsIntegrationTopic } from './sns-topic';
import { keyringFromJson } from '../domain/reply-token';

/** Every port over one table; tests override the clock or the mailer. */
export const depsFor = (ref: TableRef, overrides: Partial<Deps> = {}): Deps => ({
  clock: { now: () => new Date() },
  ids: systemIds,
  directory: directoryRepo(ref),
  cases: caseRepo(ref),
  sessions: sessionRepo(ref),
  waiting: waitingRepo(ref),
  mailer: overrides.mailer ?? sesMailer(),
  mailDomain: process.env.MAIL_DOMAIN ?? 'casework.test',
  mail: mailRepo(ref),
  mime: postalMimeParser(),
  // mail-plumbing replaces this with the Secrets Manager / env adapter (REPLY_TOKEN_SECRET_ARN).
  replyKeys: async () => keyringFromJson(process.env.REPLY_TOKEN_KEYS ?? ''),
  outbox: outboxRepo(ref),
  // Only the notifier has NOTIFY_TOPIC_ARN (bindTopic); anyone else publishing fails loudly.
  integration: snsIntegrationTopic(),
  ...overrides,
});

let deps: Deps | undefined;

/** One set per container, built on first use. */
export const appDeps = (): Deps => (deps ??= depsFor(defaultTable()));
