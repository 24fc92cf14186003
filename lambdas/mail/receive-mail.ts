/**
 * SES receipt rule, Lambda action (invocation type Event), after the S3 action has stored the
 * raw message under INBOUND_PREFIX + mail.messageId. One message in, one recorded outcome out
 * (MAIL-2..5); the rules live in lambdas/domain/mail/inbound-mail.ts.
 *
 * Deliberately free of the HTTP layer (route table, middleware, schemas, OpenAPI): this bundle
 * carries the adapters and the domain only. Errors that are not about the mail itself (S3 or
 * DynamoDB unavailable) are thrown: Lambda retries the async event, then hands it to the
 * dead-letter queue, and the domain's conditional write makes the retry harmless (MAIL-5).
 */
import type { SESEvent, SESEventRecord, SESReceiptStatus } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { inboundPrefix, inboundStore, type InboundStore } from '../adapters/inbound-store';
import { logger } from '../adapters/logger';
import { countMetric } from '../adapters/metrics';
import { MAX_INBOUND_BYTES, receiveInboundMail, type InboundEnvelope, type InboundOutcome } from '../domain/mail/inbound-mail';
import type { Deps } from '../domain/kernel/deps';

/**
 * A verdict SES did not give (scanning off, a malformed event) counts as a failed check, never
 * as a pass: the verdicts come from this event only, never from X-SES-* headers in the raw mail,
 * which any sender can write.
 */
const verdict = (v: SESReceiptStatus | undefined): string => (typeof v?.status === 'string' ? v.status : 'PROCESSING_FAILED');

/** The SES event's facts about one message; the size is filled in once the object is read. */
export const envelopeFromSes = (record: SESEventRecord, prefix: string): Omit<InboundEnvelope, 'size'> => {
  const mail = record?.ses?.mail;
  const receipt = record?.ses?.receipt;
  if (!mail || !receipt || typeof mail.messageId !== 'string' || !mail.messageId) {
    throw new Error('Not an SES receipt event: Records[0].ses.mail.messageId is missing');
  }
  // SES message ids are [a-z0-9]; anything else would let an odd event point at another key.
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(mail.messageId)) throw new Error('SES messageId has an unexpected form');
  return {
    transportId: mail.messageId,
    rawKey: `${prefix}${mail.messageId}`,
    receivedAt: new Date(mail.timestamp ?? receipt.timestamp).toISOString(),
    recipients: (receipt.recipients ?? []).map((r) => r.toLowerCase()),
    // MAIL-4: the SMTP envelope sender as SES received it; missing reads as the null sender.
    mailFrom: typeof mail.source === 'string' ? mail.source : '',
    verdicts: {
      spam: verdict(receipt.spamVerdict),
      virus: verdict(receipt.virusVerdict),
      spf: verdict(receipt.spfVerdict),
      dkim: verdict(receipt.dkimVerdict),
      dmarc: verdict(receipt.dmarcVerdict),
    },
  };
};

export interface ReceiveMailDeps {
  deps: () => Deps;
  store: () => InboundStore;
  prefix: () => string;
}

/** One SES record: bounded read, then the domain. Over the limit, the domain sees the size only. */
export const receiveRecord = async (io: ReceiveMailDeps, record: SESEventRecord): Promise<InboundOutcome> => {
  const partial = envelopeFromSes(record, io.prefix());
  const stored = await io.store().read(partial.rawKey, MAX_INBOUND_BYTES);
  const envelope: InboundEnvelope = { ...partial, size: stored.size };
  const outcome = await receiveInboundMail(io.deps(), envelope, stored.raw ?? new Uint8Array(0));
  // Mails attached, duplicate, or rejected by reason (MAIL-4).
  countMetric(
    `InboundMail${outcome.outcome.charAt(0).toUpperCase()}${outcome.outcome.slice(1)}`,
    1,
    outcome.outcome === 'rejected' ? { reason: outcome.reason } : {},
  );
  logger.info('inbound mail', {
    transportId: envelope.transportId,
    size: envelope.size,
    outcome: outcome.outcome,
    ...(outcome.outcome === 'attached' ? { caseNumber: outcome.caseNumber, updateId: outcome.updateId } : {}),
    ...(outcome.outcome === 'duplicate' ? { of: outcome.of } : {}),
    ...(outcome.outcome === 'rejected' ? { reason: outcome.reason, caseNumber: outcome.caseNumber } : {}),
  });
  return outcome;
};

let store: InboundStore | undefined;

export const defaultIo: ReceiveMailDeps = {
  // The MIME parser and the keyring, from its bindings. It sends no mail itself:
  // MAIL-3 answers are mail intents written with their once-a-day claim.
  deps: () => appDeps(),
  store: () => (store ??= inboundStore()),
  prefix: inboundPrefix,
};

/** Builds the handler over given ports; local mode and tests pass their own. */
export const receiveMailHandler =
  (io: ReceiveMailDeps = defaultIo) =>
  async (event: SESEvent): Promise<InboundOutcome[]> => {
    // SES invokes once per message, but nothing in the event format says so: take every record.
    const outcomes: InboundOutcome[] = [];
    for (const record of event?.Records ?? []) outcomes.push(await receiveRecord(io, record));
    if (outcomes.length === 0) logger.warn('SES event without records');
    return outcomes;
  };

export const handler = receiveMailHandler();
