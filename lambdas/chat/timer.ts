/**
 * Consumer of the chat timer queue (CHAT-2, and the dropped-connection grace period): each
 * message is one chat's timer with the version it was set at; a stale one does nothing.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsPartialBatch } from '../adapters/batch';
import { appDeps } from '../adapters/deps';
import { parseTimer } from '../adapters/chat-timers';
import { logger } from '../adapters/logger';
import { onTimer } from '../domain/chat/chat';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const deps = appDeps();
  return sqsPartialBatch(event, async (record: SQSRecord) => {
    const timer = parseTimer(record.body);
    if (!timer) {
      logger.warn('chat timer dropped: not a timer', { messageId: record.messageId });
      return;
    }
    try {
      const outcome = await onTimer(deps, timer);
      logger.info('chat timer', { ...timer, outcome });
    } catch (err) {
      logger.error('chat timer failed', { ...timer, error: err as Error });
      throw err;
    }
  });
};
