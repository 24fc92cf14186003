/**
 * The table stream's consumer: derives domain events from each record's images and
 * runs the notifier over the whole batch at once (so publications batch by ten across records),
 * then lets Powertools' BatchProcessor report, record by record, the ones whose events still
 * need a retry (ReportBatchItemFailures). A record that cannot be read is a poison record: it
 * fails alone, the event source bisects and retries it, then sends it to the failure queue.
 */
import { randomUUID } from 'node:crypto';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamPartialBatch } from '../adapters/batch';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { isTtlDeletion, mailJobOf, tableChange } from '../data/stream-records';
import { deriveEvents, type NotificationEvent } from '../domain/notifications/notifications';
import { notify } from '../domain/notifications/notifier';
import type { MailJob } from '../domain/mail/ports';
import type { Deps } from '../domain/kernel/deps';

/** Events handled this run and events left to the stream's retry. */
export const notifyCounts = (events: NotificationEvent[], outcome: Map<string, Error | undefined>) => {
  const retried = events.filter((e) => outcome.get(e.eventId) instanceof Error).length;
  return { sent: events.length - retried, retried };
};

const recordKey = (r: DynamoDBRecord) => r.eventID ?? r.dynamodb?.SequenceNumber ?? '';

export const notifierHandler =
  (deps: () => Deps) =>
  async (event: DynamoDBStreamEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const perRecord = new Map<string, { events: NotificationEvent[]; error?: Error }>();
    const intents: { r: DynamoDBRecord; job: MailJob }[] = [];
    for (const r of event.Records) {
      if (isTtlDeletion(r)) {
        perRecord.set(recordKey(r), { events: [] });
        continue;
      }
      try {
        const job = mailJobOf(r);
        if (job) intents.push({ r, job });
        perRecord.set(recordKey(r), { events: job ? [] : deriveEvents(tableChange(r)) });
      } catch (err) {
        perRecord.set(recordKey(r), { events: [], error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
    // Mail intents written with their change go to the mail queue whole; a record whose
    // job could not be queued fails and is retried by the stream (the consumer sends a key once).
    for (let i = 0; i < intents.length; i += 10) {
      const batch = intents.slice(i, i + 10);
      try {
        await deps().mailQueue.enqueue(batch.map((b) => b.job));
      } catch (err) {
        for (const b of batch)
          perRecord.set(recordKey(b.r), { events: [], error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
    const events = [...perRecord.values()].flatMap((p) => p.events);
    // Claims made by this run expire with it: a retry after a timeout may take them over.
    const leaseUntil = new Date(Date.now() + context.getRemainingTimeInMillis());
    const outcome = events.length ? await notify(deps(), events, { leaseUntil, claimId: randomUUID() }) : new Map();
    // The outcome names every event, `undefined` when handled (published, or by an earlier run)
    // and an error when left to the retry: count what happened, not the map's size.
    const { sent, retried } = notifyCounts(events, outcome);
    countMetric('NotificationsSent', sent);
    countMetric('NotificationsRetried', retried);

    // A batch that fails whole is a function error: the event source bisects it (adapters/batch.ts).
    return streamPartialBatch(event, async (r: DynamoDBRecord) => {
      const plan = perRecord.get(recordKey(r))!;
      if (plan.error) throw plan.error;
      for (const e of plan.events) {
        const err = outcome.get(e.eventId);
        if (err) {
          logger.warn('event not notified yet; the stream retries its record', {
            eventId: e.eventId,
            eventType: e.eventType,
            error: err.message,
          });
          throw err;
        }
      }
    });
  };

// Its ports come from its bindings: the mail queue (it sends no mail itself), the
// integration topic and push delivery (NOTE-1).
export const handler = notifierHandler(appDeps);
