/**
 * Local mode: the Lambda handlers behind local stand-ins for API Gateway, Cognito and SES
 * inbound (an SMTP server), on DynamoDB Local, aws-ses-v2-local and fauxqs (S3). Wiring only; no
 * business logic lives here.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, startDynamo, startSesLocal } from './emulators';
import type { Emulator } from './emulators';
import { startFauxqs } from './fauxqs';
import { startGateway } from './gateway';
import { startScheduler, type Scheduler } from './scheduler';
import type { Gateway } from './gateway';
import { startSmtp, type SmtpServer } from './smtp';

export interface LocalOptions {
  /** 0 picks a free port (tests); `npm start` passes the documented fixed ports. */
  apiPort: number;
  sesPort: number;
  dynamoPort: number;
  /** Inbound SMTP (the SES receipt rule's stand-in). @default 2525 (bin/local.ts reads SMTP_PORT) */
  smtpPort?: number;
  /** The S3 emulator (fauxqs) holding raw inbound mail. @default 4566 (bin/local.ts reads S3_PORT) */
  s3Port?: number;
  /** Keep DynamoDB data in this directory across runs; in memory when absent. */
  persistDir?: string;
  /** Seed the demo data into a newly created table (default true). A persisted table is never reseeded. */
  seed?: boolean;
  /** How often the sweep runs (FLAG-1); 0 turns the timer off. Default: every minute. */
  sweepEveryMs?: number;
  log?: (message: string) => void;
}

export interface LocalUrls {
  api: string;
  jwks: string;
  ses: string;
  /** GET lists the mail "sent" through SES. */
  sesStore: string;
  dynamo: string;
  /** Inbound mail for @<MAIL_DOMAIN>: `smtp://127.0.0.1:2525`. */
  smtp: string;
  /** S3 emulator endpoint; raw inbound mail is in INBOUND_BUCKET under INBOUND_PREFIX. */
  s3: string;
}

export interface LocalMode {
  urls: LocalUrls;
  tableName: string;
  /** Whether the table was created (and seeded) by this start, rather than found persisted. */
  created: boolean;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

const DEFAULT_REGION = 'eu-west-1';
const INBOUND_BUCKET = 'casework-inbound-local';

/**
 * Handler modules read the environment when they load and create their SDK clients lazily, so
 * every variable is set before the first request imports one. Endpoints are overwritten on
 * every start because each start has new ports; the rest respects what the caller already set.
 */
const configureEnvironment = (dynamo: string, ses: string, s3: string) => {
  const env = process.env;
  env.AWS_REGION ??= DEFAULT_REGION;
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.AWS_ENDPOINT_URL_DYNAMODB = dynamo;
  env.AWS_ENDPOINT_URL_SES = ses;
  // The same emulator answers the v2 API, should a handler use @aws-sdk/client-sesv2.
  env.AWS_ENDPOINT_URL_SESV2 = ses;
  // lambdas/adapters/inbound-store.ts switches to path-style addressing when this is set.
  env.AWS_ENDPOINT_URL_S3 = s3;
  env.INBOUND_BUCKET ??= INBOUND_BUCKET;
  env.INBOUND_PREFIX ??= 'inbound/';
  // Per run, like the cursor key: the keyring of lambdas/adapters/reply-keys.ts, one key.
  env.REPLY_TOKEN_KEYS ??= JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
  env.TABLE_NAME ??= 'casework-local';
  // Per run: cursors from an earlier run must not be trusted, as after a secret rotation in AWS.
  env.CURSOR_SECRET ??= randomBytes(32).toString('base64url');
  env.WEB_CLIENT_ID ??= 'casework-web';
  env.MOBILE_CLIENT_ID ??= 'casework-mobile';
  env.MAIL_DOMAIN ??= 'casework.test';
  env.STAGE = 'local';
};

export const startLocal = async (opts: LocalOptions): Promise<LocalMode> => {
  const log = opts.log ?? (() => {});
  // Everything started so far, stopped in reverse if a later step fails, so that a failed start
  // leaves no JVM or port behind.
  const started: Emulator[] = [];
  let gateway: Gateway | undefined;
  let smtp: SmtpServer | undefined;
  let scheduler: Scheduler | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const errors: unknown[] = [];
      if (smtp) await smtp.close().catch((e: unknown) => errors.push(e));
      if (scheduler) await scheduler.stop().catch((e: unknown) => errors.push(e));
      if (gateway) await gateway.close().catch((e: unknown) => errors.push(e));
      for (const emulator of started.reverse()) await emulator.stop().catch((e: unknown) => errors.push(e));
      if (errors.length) throw new AggregateError(errors, 'Local mode did not stop cleanly');
    })());

  try {
    const t0 = Date.now();
    // In parallel: the JVM takes seconds, SES milliseconds. allSettled so that one failing does
    // not leave the other running unseen.
    const [dynamoResult, sesResult, s3Result] = await Promise.allSettled([
      startDynamo({ port: opts.dynamoPort, persistDir: opts.persistDir }),
      startSesLocal({ port: opts.sesPort }),
      startFauxqs({
        port: opts.s3Port ?? 4566,
        buckets: [process.env.INBOUND_BUCKET ?? INBOUND_BUCKET],
        persistDir: opts.persistDir,
      }),
    ]);
    for (const r of [dynamoResult, sesResult, s3Result]) if (r.status === 'fulfilled') started.push(r.value);
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    if (sesResult.status === 'rejected') throw sesResult.reason;
    if (s3Result.status === 'rejected') throw s3Result.reason;
    const dynamo = dynamoResult.value;
    const ses = sesResult.value;
    const s3 = s3Result.value;
    log(`DynamoDB Local ready at ${dynamo.endpoint} (${Date.now() - t0} ms)`);
    configureEnvironment(dynamo.endpoint, ses.endpoint, s3.endpoint);

    const tableName = process.env.TABLE_NAME!;
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    let created: boolean;
    try {
      ({ created } = await createTable(client, tableName));
    } finally {
      client.destroy();
    }
    if (created && opts.seed !== false) {
      const t1 = Date.now();
      // Imported only now: the seed module builds its DynamoDB client from the environment set above.
      const { seedDemo } = await import('./demo-data');
      await seedDemo();
      log(`Seeded demo data into ${tableName} (${Date.now() - t1} ms)`);
    } else if (!created) {
      log(`Using the existing table ${tableName} in ${opts.persistDir}`);
    }

    gateway = await startGateway({ port: opts.apiPort, log });
    scheduler = startScheduler({ everyMs: opts.sweepEveryMs ?? 60_000, log });
    // Imported only now, like the gateway's handlers: they read the environment set above.
    const { inboundStore } = await import('../../lambdas/adapters/inbound-store');
    let store: ReturnType<typeof inboundStore> | undefined;
    smtp = await startSmtp({
      port: opts.smtpPort ?? 2525,
      mailDomain: process.env.MAIL_DOMAIN!,
      prefix: process.env.INBOUND_PREFIX!,
      store: () => (store ??= inboundStore()),
      handler: async (event) => (await import('../../lambdas/mail/receive-mail')).handler(event),
      log,
    });
    return {
      scheduler,
      urls: {
        api: gateway.url,
        jwks: `${gateway.url}/.well-known/jwks.json`,
        ses: ses.endpoint,
        sesStore: `${ses.endpoint}/store`,
        dynamo: dynamo.endpoint,
        smtp: smtp.url,
        s3: s3.endpoint,
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
