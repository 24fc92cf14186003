/**
 * FLAG-1: the scheduled sweep. Finds cases support has waited on for over 24 hours through the
 * sparse waiting index and flags each once (a conditional write: concurrent or repeated runs find
 * nothing left to do). The sweep sends nothing: the flag's stream record drives the contact's
 * one reminder per waiting period through the notifier (lambdas/domain/notifications/notifier.ts), so a crash
 * between flagging and sending cannot lose the reminder.
 * FLAG-2: access requests pending over 48 hours are the second timer (access/access-requests.ts).
 */
import { NEEDS_ACTION_AFTER_HOURS } from './lifecycle';
import type { Deps } from '../kernel/deps';
import { auditEvent, SYSTEM_ACTOR } from './case-changes';
import { sweepPendingAccessRequests } from '../access/access-requests';

export interface SweepReport {
  examined: number;
  flagged: number;
}

const PAGE = 100;

export const sweepNeedsAction = async (deps: Deps): Promise<SweepReport> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const before = new Date(now.getTime() - NEEDS_ACTION_AFTER_HOURS * 3600_000).toISOString();
  const report: SweepReport = { examined: 0, flagged: 0 };
  let after: unknown;
  do {
    const page = await deps.waiting.dueCases(before, { limit: PAGE, after });
    for (const c of page.items) {
      report.examined++;
      const event = auditEvent(deps, SYSTEM_ACTOR, c.caseNumber, at, {
        action: 'needs-action',
        field: 'needsAction',
        from: false,
        to: true,
        detail: `waiting since ${c.waitingSince}`,
      });
      // False when another run, or the customer, got there first.
      if (await deps.waiting.flagNeedsAction(c, at, event)) report.flagged++;
    }
    after = page.next ?? undefined;
  } while (after);
  return report;
};

/** Every timer the sweep runs. */
export const runSweep = async (deps: Deps) => ({
  needsAction: await sweepNeedsAction(deps),
  accessRequests: await sweepPendingAccessRequests(deps),
});
