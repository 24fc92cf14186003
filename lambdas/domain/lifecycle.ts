/**
 * CASE-4: the case state machine. Allowed transitions are data; everything that moves a case
 * asks `assertTransition`. Waiting states start the 24-hour needs-action clock (CASE-8).
 */
import { conflict } from './errors';
import type { Case, Status } from './types';

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
 */
export const withStatus = (c: Case, to: Status, at: string): Case => {
  const waiting = WAITING_STATES.includes(to);
  const wasWaiting = WAITING_STATES.includes(c.status);
  const next: Case = { ...c, status: to };
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
