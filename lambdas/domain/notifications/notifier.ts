/**
 * The notifier: what happens once per domain event. Every side effect goes through
 * the outbox ledger: claim (a conditional put with a lease) -> effect -> mark done. A stream
 * retry replays records that already succeeded; their effects find `done` and are skipped.
 *
 * - Integrations (NOTE-1): every event is published once to the SNS topic, ten to a PublishBatch,
 *   a few batches at a time, as the restricted `notification` view (PRIV-1).
 * - MAIL-1, FLAG-1: the case's contact's mail (a staff public update, a status to
 *   answer, the reminder of a flagged case) is queued as a job for the mail consumer
 *   (lambdas/domain/mail/outbound.ts), which sends each once, with retries and a dead-letter queue.
 * - Per-user recipients and channels (NOTE-2, push, inbox, email where chosen): the event's
 *   candidates go to the delivery queue in chunks (`fanOut`, delivery.ts); the delivery function
 *   checks and tells each recipient once (`deliverChunk`), however large the event's audience.
 *
 * Residual windows, said plainly: a run that dies after the effect and before marking it done
 * leaves a claim that a retry takes over once its lease ends, and repeats the effect (one
 * duplicate topic message, which integrations drop by its `eventId` attribute, or a second
 * reminder). A send that SES accepted but answered with an error is released and retried, so it
 * can send twice too. Both need a crash or a lost answer inside a window of milliseconds.
 */
import { fanOut, orgIdOf } from './delivery';
import { mapLimit } from '../kernel/concurrency';
import { contactJobsOf } from '../mail/outbound';
import { needsCase, withCase, type NotificationEvent } from './notifications';
import type { Deps } from '../kernel/deps';
import type { TopicMessage } from './ports';
import type { Org } from '../kernel/types';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewFor } from '../kernel/views';

/** SNS PublishBatch takes at most ten entries. */
export const PUBLISH_BATCH = 10;
/** PublishBatch calls in flight at once (bounded, so a large batch does not burst the SNS quota). */
export const PUBLISH_CONCURRENCY = 4;

export interface NotifyOptions {
  /** When a claim made by this run may be taken over: the run's deadline (Lambda's remaining time). */
  leaseUntil: Date;
  claimId: string;
}

/** Per event id: undefined when everything it needed happened (now or in an earlier run), else why not. */
export type NotifyOutcome = Map<string, Error | undefined>;

export const ledgerKey = {
  published: (e: NotificationEvent) => `topic#${e.eventId}`,
};

/** PRIV-1: the topic message, built through the one views module; attributes for filter policies. */
export const topicMessage = (e: NotificationEvent, id: string): Rendered<TopicMessage> => {
  const attributes: Record<string, string> = { eventType: e.eventType, eventId: e.eventId };
  if (e.orgId) attributes.orgId = e.orgId;
  if (e.severity) attributes.severity = e.severity;
  // NOTE-1: integrations are nobody in particular: always the restricted view.
  return renderFor('integration', 'restricted', {
    id,
    body: JSON.stringify(viewFor('notification', e, 'restricted')),
    attributes,
  });
};

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

class Busy extends Error {
  public constructor(key: string) {
    super(`${key} is claimed by another run; the stream's retry will find it done or its lease over`);
    this.name = 'OutboxBusy';
  }
}

type CaseCache = Map<string, Promise<NotificationEvent['case']>>;

/** Fills the organisation and severity of an event whose item does not carry them (a public update). */
const complete = async (deps: Pick<Deps, 'cases'>, cache: CaseCache, e: NotificationEvent): Promise<NotificationEvent> => {
  if (!needsCase(e)) return e;
  const n = e.caseNumber!;
  if (!cache.has(n)) cache.set(n, deps.cases.getCase(n));
  const c = await cache.get(n)!;
  if (!c) throw new Error(`case ${n} of event ${e.eventId} not found`);
  return withCase(e, c);
};

/** Claims, publishes in batches of ten (a few at a time) and marks each event's publication done. */
const publishOnce = async (deps: Deps, events: NotificationEvent[], opts: NotifyOptions, outcome: NotifyOutcome) => {
  const now = deps.clock.now().toISOString();
  const lease = opts.leaseUntil.toISOString();
  const claimed: NotificationEvent[] = [];
  await mapLimit(events, PUBLISH_CONCURRENCY * PUBLISH_BATCH, async (e) => {
    try {
      const state = await deps.outbox.claim(ledgerKey.published(e), opts.claimId, now, lease);
      if (state === 'claimed') claimed.push(e);
      else if (state === 'busy') outcome.set(e.eventId, new Busy(ledgerKey.published(e)));
    } catch (err) {
      outcome.set(e.eventId, asError(err));
    }
  });
  const batches: NotificationEvent[][] = [];
  for (let i = 0; i < claimed.length; i += PUBLISH_BATCH) batches.push(claimed.slice(i, i + PUBLISH_BATCH));
  await mapLimit(batches, PUBLISH_CONCURRENCY, async (batch) => {
    let failed: Set<string>;
    let error: Error | undefined;
    try {
      const res = await deps.integration.publishBatch(batch.map((e, i) => topicMessage(e, `m${i}`)));
      failed = new Set(res.failed);
    } catch (err) {
      error = asError(err);
      failed = new Set(batch.map((_, i) => `m${i}`));
    }
    await Promise.all(
      batch.map(async (e, i) => {
        const key = ledgerKey.published(e);
        try {
          if (failed.has(`m${i}`)) {
            outcome.set(e.eventId, error ?? new Error(`SNS refused the publication of ${e.eventId}`));
            await deps.outbox.release(key, opts.claimId);
          } else {
            await deps.outbox.finish(key, opts.claimId, deps.clock.now().toISOString(), 'published');
          }
        } catch (err) {
          // Published but not marked: the claim's lease runs out and a retry publishes again (the window above).
          outcome.set(e.eventId, outcome.get(e.eventId) ?? asError(err));
        }
      }),
    );
  });
};

/**
 * MAIL-1, CASE-4, FLAG-1: the contact's case mail of each event goes to the mail queue
 * as a job; its consumer renders and sends it once, retrying over minutes. Queuing is idempotent
 * (a job's key derives from the change, and the consumer's ledger sends a key once), so a
 * replayed record may queue a job again without a second mail.
 */
const queueContactMail = async (deps: Deps, events: NotificationEvent[], outcome: NotifyOutcome) => {
  const jobs = events.flatMap((e) => contactJobsOf(e).map((job) => ({ e, job })));
  for (let i = 0; i < jobs.length; i += MAIL_QUEUE_BATCH) {
    const batch = jobs.slice(i, i + MAIL_QUEUE_BATCH);
    try {
      await deps.mailQueue.enqueue(batch.map((j) => j.job));
    } catch (err) {
      for (const { e } of batch) outcome.set(e.eventId, outcome.get(e.eventId) ?? asError(err));
    }
  }
};

/** SQS SendMessageBatch takes at most ten entries. */
export const MAIL_QUEUE_BATCH = 10;

/**
 * Everything the events need, once. Never throws: the outcome says, per event, what still has
 * to be retried, so the caller can fail exactly the stream records those events came from.
 */
export const notify = async (deps: Deps, derived: NotificationEvent[], opts: NotifyOptions): Promise<NotifyOutcome> => {
  const outcome: NotifyOutcome = new Map();
  const ready: NotificationEvent[] = [];
  const cache: CaseCache = new Map();
  await Promise.all(
    derived.map(async (e) => {
      try {
        ready.push(await complete(deps, cache, e));
      } catch (err) {
        outcome.set(e.eventId, asError(err));
      }
    }),
  );
  await publishOnce(deps, ready, opts, outcome);
  await queueContactMail(deps, ready, outcome);
  // NOTE-1, NOTE-2: each event's recipients to the delivery queue, after (and whatever became of) its publication.
  const orgs = new Map<string, Promise<Org | undefined>>();
  await mapLimit(ready, PUBLISH_CONCURRENCY, async (e) => {
    try {
      const orgId = orgIdOf(e);
      if (!orgId) return;
      if (!orgs.has(orgId))
        orgs.set(
          orgId,
          deps.directory.getOrgs([orgId]).then((found) => found[0]),
        );
      const org = await orgs.get(orgId)!;
      if (!org) throw new Error(`organisation ${orgId} of event ${e.eventId} not found`);
      await fanOut(deps, e, org);
    } catch (err) {
      outcome.set(e.eventId, outcome.get(e.eventId) ?? asError(err));
    }
  });
  for (const e of derived) if (!outcome.has(e.eventId)) outcome.set(e.eventId, undefined);
  return outcome;
};
