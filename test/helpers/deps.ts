/**
 * Domain ports over a real DynamoDB Local table (integration tier). The meter counts every
 * command, Scan included, so a test can assert that none was issued: requests and schedules must
 * Query designed indexes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../../lambdas/adapters/deps-for';
import type { OutboundMail } from '../../lambdas/domain/mail';
import type { Deps, MailQueue, ReplyKeyring } from '../../lambdas/domain/ports';
import { sendMailJob } from '../../lambdas/domain/outbound';
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
 * Issue 23: the mail queue's consumer run at once on what is queued (the domain's sendMailJob over
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

/** The production wiring over a test table, with mail recorded instead of sent. */
export const testDeps = (doc: DynamoDBDocumentClient, table: string, overrides: Partial<Deps> = {}): Deps => {
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
      ...overrides,
    },
  );
  return deps;
};
