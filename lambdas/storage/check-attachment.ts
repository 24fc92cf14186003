import type { S3Event } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { checkStoredUpload } from '../domain/cases/attachments';

/**
 * S3 "object created" under uploads/ (an S3 event notification in AWS; local mode's stand-in
 * sends the same event when the emulator stores an object): each stored upload is checked and
 * settled. A failure throws, so Lambda retries the event; a settled upload ignores a redelivery.
 */
export const handler = async (event: S3Event) => {
  const deps = appDeps();
  const outcomes = [];
  for (const record of event.Records ?? []) {
    // S3 encodes keys in events as form data: '+' is a space.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const outcome = await checkStoredUpload(deps, key);
    if (outcome === 'quarantined') countMetric('AttachmentsQuarantined', 1);
    if (outcome === 'available') countMetric('AttachmentsAvailable', 1);
    logger.info('upload checked', { key, outcome });
    outcomes.push({ key, outcome });
  }
  return outcomes;
};
