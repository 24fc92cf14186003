/**
 * FLAG-1: the scheduled sweep. Finds cases support has waited on for over 24 hours through the
 * sparse waiting index, flags each once (a conditional write: concurrent or repeated runs find
 * nothing left to do) and sends the contact one reminder per waiting period.
 * FLAG-2's access requests join as another timer in TIMERS when they exist.
 */
import { NEEDS_ACTION_AFTER_HOURS } from './lifecycle';
import { needsActionReminder, sendCaseMail } from './mail';
import type { Deps } from './ports';
import { auditEvent, SYSTEM_ACTOR } from './case-changes';

export interface SweepReport {
  examined: number;
  flagged: number;
  reminded: number;
  failed: number;
}

const PAGE = 100;

export const sweepNeedsAction = async (
  deps: Deps,
  log: (msg: string, extra?: object) => void = () => undefined,
): Promise<SweepReport> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const before = new Date(now.getTime() - NEEDS_ACTION_AFTER_HOURS * 3600_000).toISOString();
  const report: SweepReport = { examined: 0, flagged: 0, reminded: 0, failed: 0 };
  let after: unknown;
  do {
    const page = await deps.waiting.dueCases(before, { limit: PAGE, after });
    for (const c of page.items) {
      report.examined++;
      const event = (action: string, from: boolean, detail: string) =>
        auditEvent(deps, SYSTEM_ACTOR, c.caseNumber, at, { action, field: 'needsAction', from, to: !from, detail });
      const flagged = await deps.waiting.flagNeedsAction(c, at, event('needs-action', false, `waiting since ${c.waitingSince}`));
      if (!flagged) continue; // another run, or the customer, got there first
      report.flagged++;
      try {
        await sendCaseMail(deps, c, needsActionReminder(c, deps.mailDomain, await deps.replyKeys()));
        report.reminded++;
      } catch (err) {
        report.failed++;
        log('reminder not sent; the case goes back to the waiting index', { caseNumber: c.caseNumber, error: String(err) });
        await deps.waiting.unflagNeedsAction(
          c,
          at,
          event('needs-action-undone', true, 'the reminder could not be sent; the next sweep retries'),
        );
      }
    }
    after = page.next ?? undefined;
  } while (after);
  return report;
};

/** Every timer the sweep runs. */
export const runSweep = async (deps: Deps, log?: (msg: string, extra?: object) => void) => ({
  needsAction: await sweepNeedsAction(deps, log),
});
