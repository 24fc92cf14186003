/**
 * The local stand-in for EventBridge: runs the scheduled sweep's Lambda handler on a timer
 * (every minute locally; every 15 minutes in AWS). Overlapping runs are harmless: the sweep's
 * writes are conditional.
 */
export interface Scheduler {
  /** Runs the sweep once now (also what `npm run sweep` does). */
  runOnce(): Promise<unknown>;
  stop(): Promise<void>;
}

export const startScheduler = (opts: { everyMs: number; log: (m: string) => void }): Scheduler => {
  let running: Promise<unknown> | undefined;
  const runOnce = async () => {
    const { handler } = await import('../../lambdas/schedule/run-sweep');
    const report = await handler();
    const n = report.needsAction;
    if (n.examined > 0) opts.log(`sweep: ${n.flagged} case(s) flagged needs-action (the notifier sends the reminders)`);
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
