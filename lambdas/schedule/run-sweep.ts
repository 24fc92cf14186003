import type { ScheduledEvent } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { runSweep } from '../domain/cases/sweep';

/** EventBridge schedule target (every 15 minutes in AWS, every minute in local mode). */
export const handler = async (_event?: ScheduledEvent) => {
  // FLAG-2 mails the admins about access requests pending too long, through the mail queue.
  const report = await runSweep(appDeps());
  countMetric('SweepExamined', report.needsAction.examined);
  countMetric('SweepFlagged', report.needsAction.flagged);
  // Most runs find nothing due: keep those out of the INFO stream.
  if (report.needsAction.examined > 0 || report.accessRequests.examined > 0) logger.info('sweep done', { report });
  else logger.debug('sweep done', { report });
  return report;
};
