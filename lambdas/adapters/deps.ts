/** Wires the domain's ports to AWS (or to the emulators, through the same SDK endpoints). */
import { defaultTable, type TableRef } from '../data/client';
import { caseRepo } from '../data/case-repo';
import { directoryRepo } from '../data/directory-repo';
import { favoriteRepo } from '../data/favorite-repo';
import { subscriptionRepo } from '../data/subscription-repo';
import { sessionRepo } from '../data/session-repo';
import { waitingRepo } from '../data/waiting-repo';
import type { Deps } from '../domain/ports';
import { systemIds } from './ids';
import { sesMailer } from './ses-mailer';

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
  ...overrides,
});

let deps: Deps | undefined;

/** One set per container, built on first use. */
export const appDeps = (): Deps => (deps ??= depsFor(defaultTable()));
