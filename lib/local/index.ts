/**
 * Local mode: the Lambda handlers behind local stand-ins for API Gateway and Cognito, on
 * DynamoDB Local and aws-ses-v2-local. Wiring only; no business logic lives here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SWEEP_FUNCTION } from '../function-specs';
import { createTable, startDynamo, startSesLocal } from './emulators';
import type { Emulator } from './emulators';
import { localBindings, localRuntime, startFunctionHost, type FunctionHost } from './functions';
import { startGateway } from './gateway';
import { startScheduler, type Scheduler } from './scheduler';
import type { Gateway } from './gateway';

export interface LocalOptions {
  /** 0 picks a free port (tests); `npm start` passes the documented fixed ports. */
  apiPort: number;
  sesPort: number;
  dynamoPort: number;
  /** Keep DynamoDB data in this directory across runs; in memory when absent. */
  persistDir?: string;
  /** Seed the demo data into a newly created table (default true). A persisted table is never reseeded. */
  seed?: boolean;
  /** How often the sweep runs (FLAG-1); 0 turns the timer off. Default: every minute. */
  sweepEveryMs?: number;
  log?: (message: string) => void;
  /**
   * Where the functions reach DynamoDB, given DynamoDB Local's endpoint: itself by default;
   * bench:capacity puts a metering proxy in between (the functions' SDK clients live in their
   * workers, out of the caller's reach).
   */
  dynamoEndpointForFunctions?: (endpoint: string) => Promise<string>;
}

export interface LocalUrls {
  api: string;
  jwks: string;
  ses: string;
  /** GET lists the mail "sent" through SES. */
  sesStore: string;
  dynamo: string;
}

export interface LocalMode {
  urls: LocalUrls;
  tableName: string;
  /** Whether the table was created (and seeded) by this start, rather than found persisted. */
  created: boolean;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

export const startLocal = async (opts: LocalOptions): Promise<LocalMode> => {
  const log = opts.log ?? (() => {});
  // Everything started so far, stopped in reverse if a later step fails, so that a failed start
  // leaves no JVM or port behind.
  const started: Emulator[] = [];
  let gateway: Gateway | undefined;
  let scheduler: Scheduler | undefined;
  let functions: FunctionHost | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const errors: unknown[] = [];
      if (scheduler) await scheduler.stop().catch((e: unknown) => errors.push(e));
      if (gateway) await gateway.close().catch((e: unknown) => errors.push(e));
      if (functions) await functions.stop().catch((e: unknown) => errors.push(e));
      for (const emulator of started.reverse()) await emulator.stop().catch((e: unknown) => errors.push(e));
      if (errors.length) throw new AggregateError(errors, 'Local mode did not stop cleanly');
    })());

  try {
    const t0 = Date.now();
    // In parallel: the JVM takes seconds, SES milliseconds. allSettled so that one failing does
    // not leave the other running unseen.
    const [dynamoResult, sesResult] = await Promise.allSettled([
      startDynamo({ port: opts.dynamoPort, persistDir: opts.persistDir }),
      startSesLocal({ port: opts.sesPort }),
    ]);
    for (const r of [dynamoResult, sesResult]) if (r.status === 'fulfilled') started.push(r.value);
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    if (sesResult.status === 'rejected') throw sesResult.reason;
    const dynamo = dynamoResult.value;
    const ses = sesResult.value;
    log(`DynamoDB Local ready at ${dynamo.endpoint} (${Date.now() - t0} ms)`);
    const runtime = localRuntime((await opts.dynamoEndpointForFunctions?.(dynamo.endpoint)) ?? dynamo.endpoint, ses.endpoint);
    const bindings = localBindings();
    const { tableName } = bindings;

    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: runtime.region, credentials: runtime.credentials });
    let created: boolean;
    try {
      ({ created } = await createTable(client, tableName));
      if (created && opts.seed !== false) {
        const t1 = Date.now();
        const { seedDemo } = await import('./demo-data');
        const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
        await seedDemo({ ref: { doc, table: tableName } });
        log(`Seeded demo data into ${tableName} (${Date.now() - t1} ms)`);
      } else if (!created) {
        log(`Using the existing table ${tableName} in ${opts.persistDir}`);
      }
    } finally {
      client.destroy();
    }

    functions = startFunctionHost({ runtime, bindings, log });
    const host = functions;
    gateway = await startGateway({ port: opts.apiPort, log, loadHandler: async (name) => host.handler(name) });
    scheduler = startScheduler({
      everyMs: opts.sweepEveryMs ?? 60_000,
      log,
      sweep: host.handler(SWEEP_FUNCTION.name),
      region: runtime.region,
    });
    return {
      scheduler,
      urls: {
        api: gateway.url,
        jwks: `${gateway.url}/.well-known/jwks.json`,
        ses: ses.endpoint,
        sesStore: `${ses.endpoint}/store`,
        dynamo: dynamo.endpoint,
      },
      tableName,
      created,
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
};
