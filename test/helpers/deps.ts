/**
 * Domain ports over a real DynamoDB Local table (integration tier). The meter counts every
 * command, Scan included, so a test can assert that none was issued: requests and schedules must
 * Query designed indexes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../../lambdas/adapters/deps';
import type { OutboundMail } from '../../lambdas/domain/mail';
import type { Deps } from '../../lambdas/domain/ports';

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

/** The production wiring over a test table, with mail recorded instead of sent. */
export const testDeps = (doc: DynamoDBDocumentClient, table: string, overrides: Partial<Deps> = {}): Deps =>
  depsFor({ doc, table }, { mailer: { send: async (m) => void sentMail.push(m) }, mailDomain: 'casework.test', ...overrides });
