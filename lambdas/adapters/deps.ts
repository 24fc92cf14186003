/** Wires the domain's ports to AWS (or to the emulators, through the same SDK endpoints). */
import { defaultTable } from '../data/client';
import { caseRepo } from '../data/case-repo';
import { directoryRepo } from '../data/directory-repo';
import { sessionRepo } from '../data/session-repo';
import { waitingRepo } from '../data/waiting-repo';
import { sesMailer } from './ses-mailer';
import type { Deps } from '../domain/ports';
import { systemIds } from './ids';

let deps: Deps | undefined;

export const appDeps = (): Deps => {
  if (deps) return deps;
  const ref = defaultTable();
  deps = {
    clock: { now: () => new Date() },
    ids: systemIds,
    directory: directoryRepo(ref),
    cases: caseRepo(ref),
    sessions: sessionRepo(ref),
    waiting: waitingRepo(ref),
    mailer: sesMailer(),
    mailDomain: process.env.MAIL_DOMAIN ?? 'casework.test',
  };
  return deps;
};
