/**
 * Local mode: the Lambda handlers behind local stand-ins for API Gateway and Cognito, on
 * DynamoDB Local and aws-ses-v2-local. Wiring only; no business logic lives here.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, startDynamo, startSesLocal } from './emulators';
import type { Emulator } from './emulators';
import { startGateway } from './gateway';
import { startScheduler, type Scheduler } from './scheduler';
import { startFauxqs } from './fauxqs';
import { startStreamPoller, type StreamPoller } from './stream-poller';
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
  /** fauxqs (SNS/SQS) for the integration topic; 0 picks a free port. Default 4566. */
  snsPort?: number;
  log?: (message: string) => void;
}

/** Issue 10: the integration topic, the queue subscribed to it, and the notifier's failure queue. */
export const LOCAL_TOPIC = 'casework-notifications';
export const LOCAL_INTEGRATION_QUEUE = 'casework-integration';
export const LOCAL_NOTIFIER_FAILURES = 'casework-notifier-failures';

export interface LocalUrls {
  api: string;
  jwks: string;
  ses: string;
  /** GET lists the mail "sent" through SES. */
  sesStore: string;
  dynamo: string;
  /** fauxqs: SNS and SQS endpoint. */
  sns: string;
  /** The SQS queue subscribed to the integration topic (raw delivery: attributes as SQS message attributes). */
  integrationQueue: string;
  /** Stream records the notifier gave up on (the event source's on-failure destination). */
  notifierFailures: string;
}

export interface LocalMode {
  urls: LocalUrls;
  tableName: string;
  /** Whether the table was created (and seeded) by this start, rather than found persisted. */
  created: boolean;
  scheduler: Scheduler;
  /** The notifier reading DynamoDB Local's stream; `drain()` waits until it has caught up. */
  notifier: StreamPoller;
  stop(): Promise<void>;
}

const DEFAULT_REGION = 'eu-west-1';

/**
 * Handler modules read the environment when they load and create their SDK clients lazily, so
 * every variable is set before the first request imports one. Endpoints are overwritten on
 * every start because each start has new ports; the rest respects what the caller already set.
 */
const configureEnvironment = (dynamo: string, ses: string) => {
  const env = process.env;
  env.AWS_REGION ??= DEFAULT_REGION;
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.AWS_ENDPOINT_URL_DYNAMODB = dynamo;
  env.AWS_ENDPOINT_URL_SES = ses;
  // The same emulator answers the v2 API, should a handler use @aws-sdk/client-sesv2.
  env.AWS_ENDPOINT_URL_SESV2 = ses;
  env.TABLE_NAME ??= 'casework-local';
  // Per run: cursors from an earlier run must not be trusted, as after a secret rotation in AWS.
  env.CURSOR_SECRET ??= randomBytes(32).toString('base64url');
  env.WEB_CLIENT_ID ??= 'casework-web';
  env.MOBILE_CLIENT_ID ??= 'casework-mobile';
  env.MAIL_DOMAIN ??= 'casework.test';
  // Reply-token keys (MAIL-1) until mail-plumbing's adapter lands: per run, like the cursor key.
  env.REPLY_TOKEN_KEYS ??= JSON.stringify({ current: 'local', keys: { local: randomBytes(32).toString('base64') } });
  env.STAGE = 'local';
};

export const startLocal = async (opts: LocalOptions): Promise<LocalMode> => {
  const log = opts.log ?? (() => {});
  // Everything started so far, stopped in reverse if a later step fails, so that a failed start
  // leaves no JVM or port behind.
  const started: Emulator[] = [];
  let gateway: Gateway | undefined;
  let scheduler: Scheduler | undefined;
  let notifier: StreamPoller | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const errors: unknown[] = [];
      if (scheduler) await scheduler.stop().catch((e: unknown) => errors.push(e));
      if (notifier) await notifier.stop().catch((e: unknown) => errors.push(e));
      if (gateway) await gateway.close().catch((e: unknown) => errors.push(e));
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
    configureEnvironment(dynamo.endpoint, ses.endpoint);

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

    // Issue 10: the integration topic on fauxqs, and the notifier on DynamoDB Local's stream.
    const faux = await startFauxqs({
      port: opts.snsPort ?? 4566,
      buckets: [],
      topics: [LOCAL_TOPIC],
      queues: [LOCAL_INTEGRATION_QUEUE, LOCAL_NOTIFIER_FAILURES],
      subscriptions: [{ topic: LOCAL_TOPIC, queue: LOCAL_INTEGRATION_QUEUE, rawMessageDelivery: true }],
    });
    started.push(faux);
    process.env.AWS_ENDPOINT_URL_SNS = faux.endpoint;
    process.env.AWS_ENDPOINT_URL_SQS = faux.endpoint;
    process.env.NOTIFY_TOPIC_ARN = faux.topicArns[LOCAL_TOPIC];
    // Its own clients, as its own Lambda would have: the handlers' shared client (and what tests
    // record on it) never sees the notifier's writes.
    const { notifierHandler } = await import('../../lambdas/stream/notify');
    const { depsFor } = await import('../../lambdas/adapters/deps');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const notifierDoc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    let notifierDeps: ReturnType<typeof depsFor> | undefined;
    const notify = notifierHandler(() => (notifierDeps ??= depsFor({ doc: notifierDoc, table: tableName })));
    const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({ endpoint: faux.endpoint });
    const failures = faux.queueUrls[LOCAL_NOTIFIER_FAILURES];
    notifier = await startStreamPoller({
      endpoint: dynamo.endpoint,
      tableName,
      handler: notify,
      log,
      onFailure: async (records, error) => {
        await sqs.send(new SendMessageCommand({ QueueUrl: failures, MessageBody: JSON.stringify({ error, records }) }));
      },
    });

    gateway = await startGateway({ port: opts.apiPort, log });
    scheduler = startScheduler({ everyMs: opts.sweepEveryMs ?? 60_000, log });
    return {
      scheduler,
      notifier,
      urls: {
        api: gateway.url,
        jwks: `${gateway.url}/.well-known/jwks.json`,
        ses: ses.endpoint,
        sesStore: `${ses.endpoint}/store`,
        dynamo: dynamo.endpoint,
        sns: faux.endpoint,
        integrationQueue: faux.queueUrls[LOCAL_INTEGRATION_QUEUE],
        notifierFailures: failures,
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
