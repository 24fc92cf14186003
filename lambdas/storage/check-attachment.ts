import type { EventBridgeEvent } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { checkStoredUpload } from '../domain/cases/attachments';

/** What S3 sends EventBridge for a stored object (the fields read here). */
interface ObjectCreated {
  bucket: { name: string };
  object: { key: string; size?: number };
}

/**
 * S3's "Object Created" under uploads/ (through EventBridge in AWS; local mode's stand-in sends
 * the same event when the emulator stores an object): the upload is checked and settled. A
 * failure throws, so the event is retried; a settled upload ignores a redelivery.
 */
export const handler = async (event: EventBridgeEvent<'Object Created', ObjectCreated>) => {
  const key = event.detail.object.key;
  const outcome = await checkStoredUpload(appDeps(), key);
  if (outcome === 'quarantined') countMetric('AttachmentsQuarantined', 1);
  if (outcome === 'available') countMetric('AttachmentsAvailable', 1);
  logger.info('upload checked', { key, outcome });
  return { key, outcome };
};
