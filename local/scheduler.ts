/**
 * The local stand-in for EventBridge: invokes the scheduled sweep's function on a timer (every
 * minute locally; every 15 minutes in AWS) with a scheduled event, as EventBridge does.
 * Overlapping runs are harmless: the sweep's writes are conditional.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { handler as sweepHandler } from '../lambdas/schedule/run-sweep';
import type { LocalHandler } from './functions';

export interface Scheduler {
  /** Runs the sweep once now (also what `npm run sweep` does). */
  runOnce(): Promise<unknown>;
  stop(): Promise<void>;
}

const scheduledEvent = (region: string): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [`arn:aws:events:${region}:000000000000:rule/casework-local-sweep`],
  detail: {},
});

/** The sweep's Lambda timeout (lib/constructs/schedules.ts). */
const SWEEP_TIMEOUT_MS = 5 * 60_000;

export const startScheduler = (opts: {
  everyMs: number;
  log: (m: string) => void;
  /** The sweep function (local/functions.ts). */
  sweep: LocalHandler;
  region: string;
}): Scheduler => {
  let running: Promise<unknown> | undefined;
  const runOnce = async () => {
    const deadline = Date.now() + SWEEP_TIMEOUT_MS;
    const report = (await opts.sweep(scheduledEvent(opts.region), {
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    })) as Awaited<ReturnType<typeof sweepHandler>>;
    const n = report.needsAction;
    if (n.examined > 0) opts.log(`sweep: ${n.flagged} case(s) flagged needs-action (the notifier sends the reminders)`);
    const a = report.accessRequests;
    if (a?.examined > 0) opts.log(`sweep: ${a.flagged} access request(s) pending over 48 hours flagged to portal admins`);
    return report;
  };
  const tick = () => {
    running = runOnce().catch((err: unknown) => opts.log(`sweep failed: ${String(err)}`));
  };
  const timer = opts.everyMs > 0 ? setInterval(tick, opts.everyMs) : undefined;
  timer?.unref();
  // First run right away, so the seeded waiting case is flagged as soon as local mode is up.
  if (opts.everyMs > 0) tick();
  return {
    runOnce,
    stop: async () => {
      if (timer) clearInterval(timer);
      await running;
    },
  };
};
