/**
 * Domain ports over a real DynamoDB Local table (integration tier). The meter counts every
 * command, Scan included, so a test can assert that none was issued: requests and schedules must
 * Query designed indexes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../../lambdas/adapters/deps-for';
import type { OutboundMail, MailQueue, ReplyKeyring, MailJob } from '../../lambdas/domain/mail/ports';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type { AttachmentFiles } from '../../lambdas/domain/cases/ports';
import { sendMailJob } from '../../lambdas/domain/mail/outbound';
import { deliverChunk } from '../../lambdas/domain/notifications/delivery';
import type { DeliveryChunk, DeliveryQueue } from '../../lambdas/domain/notifications/ports';
import { randomUUID } from 'node:crypto';

export interface Meter {
  calls: Record<string, number>;
  capacity: number;
  /** Every Scan issued through the client, with the table it read; asserted empty by the tests. */
  scans: { command: string; table?: string }[];
  reset(): void;
}

/**
 * Counts every command and sums the consumed capacity DynamoDB reports. A Scan is counted and
 * recorded like any other call (rather than thrown, which code under test could swallow before
 * it was counted), so `calls.ScanCommand` and `scans` show it.
 */
export const instrument = (doc: DynamoDBDocumentClient): Meter => {
  const meter: Meter = {
    calls: {},
    capacity: 0,
    scans: [],
    reset() {
      meter.calls = {};
      meter.capacity = 0;
      meter.scans = [];
    },
  };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      meter.calls[name] = (meter.calls[name] ?? 0) + 1;
      if (/^Scan/.test(name)) meter.scans.push({ command: name, table: (args.input as { TableName?: string }).TableName });
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
        .ConsumedCapacity;
      for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) meter.capacity += c.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize', name: 'casework-meter' },
  );
  return meter;
};

export const sentMail: OutboundMail[] = [];

/** A fixed reply-token keyring: `t1` signs, `t0` (a rotated-out key) still verifies. */
export const TEST_REPLY_KEYS: Record<string, Uint8Array> = {
  t0: new Uint8Array(Buffer.from('casework-test-reply-key-zero-0000000000', 'utf8')),
  t1: new Uint8Array(Buffer.from('casework-test-reply-key-one-11111111111', 'utf8')),
};
export const testKeyring: ReplyKeyring = { current: { id: 't1', secret: TEST_REPLY_KEYS.t1 }, byId: (id) => TEST_REPLY_KEYS[id] };

let sentIds = 0;

/**
 * The mail queue's consumer run at once on what is queued (the domain's sendMailJob over
 * the same ports), so domain-level tests see the mail a change causes; the SQS plumbing, backoff
 * and dead letters are tested against fauxqs in the fault tests.
 */
export const inlineMailQueue = (deps: () => Deps): MailQueue => ({
  enqueue: async (jobs) => {
    for (const job of jobs) {
      await sendMailJob(deps(), job, { claimId: randomUUID(), leaseUntil: new Date(Date.now() + 60_000) });
    }
  },
});

/**
 * The delivery queue for domain-level tests: each chunk, as its message body carries it, is
 * delivered at once by the delivery function's domain step. A failed chunk fails the enqueue, as
 * the notifier's event is then retried (the queue tier is test/integration/fan-out.test.ts).
 */
export const inlineDeliveryQueue = (deps: () => Deps): DeliveryQueue => ({
  enqueue: async (chunks) => {
    for (const chunk of chunks) {
      const body = JSON.parse(JSON.stringify(chunk)) as DeliveryChunk;
      await deliverChunk(deps(), body, { claimId: randomUUID(), leaseUntil: new Date(Date.now() + 60_000) });
    }
  },
});

/**
 * The stream's part for domain-level tests. A change writes its mail intents in its own
 * transaction; the stream carries each INSERT to the notifier, which queues the job. Here the
 * repositories that take intents queue them once their write committed (and only then), so the
 * inline queue above sends them. (The access-request code's intent is left to the stream, as before.)
 */
const withIntentsQueued = (deps: Deps): Deps => {
  const queue = async (committed: boolean, jobs: readonly MailJob[] | MailJob | undefined) => {
    const list = jobs === undefined ? [] : Array.isArray(jobs) ? jobs : [jobs as MailJob];
    // The stream is not the request: a queue that fails never reaches the caller (it retries there).
    if (committed && list.length) await deps.mailQueue.enqueue([...list]).catch(() => undefined);
  };
  const { cases, accessRequests, mail } = deps;
  const saveCase = cases.saveCase.bind(cases);
  const appendUpdate = cases.appendUpdate.bind(cases);
  const confirm = accessRequests.confirm.bind(accessRequests);
  const decide = accessRequests.decide.bind(accessRequests);
  const flagOverdue = accessRequests.flagOverdue.bind(accessRequests);
  const claimAutoReply = mail.claimAutoReply.bind(mail);
  Object.assign(cases, {
    saveCase: async (...a: Parameters<Deps['cases']['saveCase']>) => {
      const ok = await saveCase(...a);
      await queue(ok, a[2].mail);
      return ok;
    },
    appendUpdate: async (...a: Parameters<Deps['cases']['appendUpdate']>) => {
      const saved = await appendUpdate(...a);
      await queue(!!saved, a[3]);
      return saved;
    },
  });
  Object.assign(accessRequests, {
    confirm: async (...a: Parameters<Deps['accessRequests']['confirm']>) => {
      const ok = await confirm(...a);
      await queue(ok, a[3]);
      return ok;
    },
    decide: async (...a: Parameters<Deps['accessRequests']['decide']>) => {
      const ok = await decide(...a);
      await queue(ok, a[3]);
      return ok;
    },
    flagOverdue: async (...a: Parameters<Deps['accessRequests']['flagOverdue']>) => {
      const ok = await flagOverdue(...a);
      await queue(ok, a[2]);
      return ok;
    },
  });
  Object.assign(mail, {
    claimAutoReply: async (...a: Parameters<Deps['mail']['claimAutoReply']>) => {
      const ok = await claimAutoReply(...a);
      await queue(ok, a[4]);
      return ok;
    },
  });
  return deps;
};

/** The production wiring over a test table, with mail recorded instead of sent. */
/**
 * The domain tests run on DynamoDB Local alone: the attachments bucket's objects (inbound mail's
 * files) are kept here, by key. The e2e tier stores them in fauxqs's S3 through the real adapter.
 */
export const storedFiles = new Map<string, { body: Uint8Array; contentType: string }>();
const memoryFiles = (): AttachmentFiles => ({
  uploadUrl: async (key) => `memory://upload/${key}`,
  downloadUrl: async (key) => `memory://download/${key}`,
  inspect: async (key, headBytes) => {
    const o = storedFiles.get(key);
    return o && { size: o.body.length, contentType: o.contentType, head: o.body.slice(0, headBytes) };
  },
  quarantine: async (key) => {
    const moved = `quarantine/${key}`;
    const o = storedFiles.get(key);
    if (o) storedFiles.set(moved, o);
    storedFiles.delete(key);
    return moved;
  },
  put: async (key, body, contentType) => {
    storedFiles.set(key, { body, contentType });
  },
});

export const testDeps = (doc: DynamoDBDocumentClient, table: string, overrides: Partial<Deps> = {}): Deps =>
  withIntentsQueued(rawTestDeps(doc, table, overrides));

const rawTestDeps = (doc: DynamoDBDocumentClient, table: string, overrides: Partial<Deps> = {}): Deps => {
  const deps: Deps = depsFor(
    { doc, table },
    {
      mailer: {
        send: async (m) => {
          sentMail.push(m);
          return `test-${++sentIds}`;
        },
      },
      mailDomain: 'casework.test',
      replyKeys: async () => testKeyring,
      mailQueue: inlineMailQueue(() => deps),
      deliveryQueue: inlineDeliveryQueue(() => deps),
      files: memoryFiles(),
      ...overrides,
    },
  );
  return deps;
};
