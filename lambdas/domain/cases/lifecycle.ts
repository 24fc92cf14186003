/**
 * CASE-4: the case state machine. Allowed transitions are data; everything that moves a case
 * asks `assertTransition`. Waiting states start the 24-hour needs-action clock (CASE-8).
 */
import { conflict, type Problem } from '../kernel/errors';
import type { Case, Status } from '../kernel/types';

export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  new: ['open', 'awaiting_info', 'solution_proposed', 'closed'],
  open: ['awaiting_info', 'solution_proposed', 'closed'],
  awaiting_info: ['open', 'solution_proposed', 'closed'],
  solution_proposed: ['open', 'awaiting_info', 'closed'],
  closed: ['open'],
};

/** Support waits on the customer in these states (CASE-8). */
export const WAITING_STATES: readonly Status[] = ['awaiting_info', 'solution_proposed'];

export const NEEDS_ACTION_AFTER_HOURS = 24;

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);

export const assertTransition = (from: Status, to: Status): void => {
  if (!canTransition(from, to)) {
    throw conflict(
      '/problems/illegal-transition',
      'Illegal status change',
      `A case cannot move from ${from} to ${to}. From ${from} it may move to: ${TRANSITIONS[from].join(', ') || 'nothing'}.`,
      { from, to, allowed: TRANSITIONS[from] },
    );
  }
};

/**
 * The case after a status change, with the waiting clock and the needs-action flag kept right:
 * entering a waiting state starts the clock; leaving it stops the clock and clears the flag.
 * A sub-status qualifies the status it was set with ("Waiting for export" under awaiting_info),
 * so any move clears it; staff who want one with the new status name it in the same change.
 */
export const withStatus = (c: Case, to: Status, at: string): Case => {
  const waiting = WAITING_STATES.includes(to);
  const wasWaiting = WAITING_STATES.includes(c.status);
  const next: Case = { ...c, status: to };
  if (to !== c.status) delete next.subStatus;
  if (waiting && (!wasWaiting || !c.waitingSince)) {
    next.waitingSince = at;
    next.needsAction = false;
    delete next.needsActionSince;
  }
  if (!waiting) {
    delete next.waitingSince;
    next.needsAction = false;
    delete next.needsActionSince;
  }
  return next;
};

/** CASE-4, CASE-8: a customer's response hands the case back to support and clears needs-action. */
export const afterCustomerResponse = (c: Case, at: string): Case =>
  WAITING_STATES.includes(c.status) ? withStatus(c, 'open', at) : c;

/**
 * The one rule for adding to a closed case, whatever the channel (portal, app, email, chat): it
 * takes no new updates; a Designated Contact reopens it first. Returns the refusal, or undefined
 * when the case takes updates.
 */
export const closedCaseRefusal = (c: Pick<Case, 'caseNumber' | 'status'>): Problem | undefined =>
  c.status === 'closed'
    ? conflict(
        '/problems/case-closed',
        'Case closed',
        `Case ${c.caseNumber} is closed and takes no new updates. A Designated Contact can reopen it ` +
          `(POST /cases/${c.caseNumber}/reopen, or "Reopen" in the portal) and then add the update.`,
        { caseNumber: c.caseNumber, reopen: `/cases/${c.caseNumber}/reopen` },
      )
    : undefined;
