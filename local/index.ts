/**
 * Local mode: the Lambda handlers behind local stand-ins for API Gateway, Cognito and SES
 * inbound (an SMTP server), on DynamoDB Local, aws-ses-v2-local and fauxqs (S3). Wiring only; no
 * business logic lives here.
 */
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import type { TableRef } from '../lambdas/data/client';
import type { BindingValues } from '../lib/function-specs';
import { inboundStore } from '../lambdas/adapters/inbound-store';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import {
  CHAT_AUTHORIZER_FUNCTION,
  CHAT_SOCKET_FUNCTION,
  CHAT_TIMER_FUNCTION,
  CHECK_ATTACHMENT_FUNCTION,
  NOTIFIER_FUNCTION,
  RECEIVE_MAIL_FUNCTION,
  SWEEP_FUNCTION,
} from '../lib/function-specs';
import { startChatSocket, type ChatSocketServer } from './chat-socket';
import { LOCAL_CHAT_TIMER_QUEUE, startChatTimerQueue, type ChatTimerQueue } from './chat-timers';
import { createTable, startDynamo, startSesLocal } from './emulators';
import type { Emulator } from './emulators';
import {
  LOCAL_ATTACHMENTS_BUCKET,
  LOCAL_INBOUND,
  localBindings,
  localRuntime,
  startFunctionHost,
  type FunctionHost,
  type LocalHandler,
  type LocalRuntime,
} from './functions';
import { corsOriginsFor, DEV_PORTAL_ORIGIN } from '../lib/stage';
import { startGateway } from './gateway';
import { startScheduler, type Scheduler } from './scheduler';
import { startFauxqs, type Fauxqs, type FauxqsOptions } from './fauxqs';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import type { Gateway } from './gateway';
import { startSmtp, type SmtpServer } from './smtp';
import { startPushStandIn, type PushStandIn } from './push';
import { LOCAL_MAIL_DEAD, LOCAL_MAIL_QUEUE, startMailQueuePoller, type MailQueuePoller } from './mail-queue';
import { onEndpoint } from './sqs-event-source';
import { LOCAL_DELIVERY_DEAD, LOCAL_DELIVERY_QUEUE, startDeliveryQueuePoller, type DeliveryQueuePoller } from './delivery-queue';
import { DELIVERY_MAX_RECEIVES } from '../lambdas/domain/notifications/delivery';
import { DELIVER_FUNCTION, SEND_MAIL_FUNCTION } from '../lib/function-specs';
import { MAIL_MAX_RECEIVES } from '../lambdas/domain/mail/outbound';

export interface LocalOptions {
  /** 0 picks a free port (tests); `npm start` passes the documented fixed ports. */
  apiPort: number;
  sesPort: number;
  dynamoPort: number;
  /** Inbound SMTP (the SES receipt rule's stand-in). @default 2525 (bin/local.ts reads SMTP_PORT) */
  smtpPort?: number;
  /**
   * fauxqs, the one emulator of S3 (raw inbound mail), SNS (the integration topic) and SQS (the
   * queue subscribed to it, the notifier's failures). @default 4566 (bin/local.ts reads AWS_PORT)
   */
  awsPort?: number;
  /** The mobile push stand-in (SNS platform endpoints; `GET /` lists pushes). @default 3002 (bin/local.ts reads PUSH_PORT) */
  pushPort?: number;
  /** Keep DynamoDB data in this directory across runs; a scratch directory removed at stop when absent. */
  persistDir?: string;
  /**
   * Seed the demo data into a newly created table (default true: local/demo-data.ts seedDemo). A
   * persisted table is never reseeded. The test tiers pass a seeder of their own that copies the
   * run's first seed (test/helpers/seed-cache.ts).
   */
  seed?: boolean | ((ref: TableRef) => Promise<unknown>);
  /** How often the sweep runs (FLAG-1); 0 turns the timer off. Default: every minute. */
  sweepEveryMs?: number;
  /**
   * Run the notifier on the table's stream (default true). The IAM drift test turns it off: the
   * notifier's writes would interleave with the route being recorded.
   */
  stream?: boolean;
  log?: (message: string) => void;
  /** Where the functions' own output (structured logs, EMF metrics) goes; stdout when absent. */
  functionOutput?: (chunk: string) => void;
  /** The functions' bundles, as CDK deploys them (local/functions.ts); the sources through tsx when absent. */
  functionBundles?: string;
  /** The chat WebSocket API and its management API. @default 3001 (bin/local.ts reads CHAT_PORT) */
  chatPort?: number;
  /**
   * The clock of the chat timers (CHAT-2's 60 seconds, the dropped-connection grace): `wall`
   * (default) lets fauxqs delay the messages as SQS does; `manual` holds them until
   * `chatTimers.advance()` (tests).
   */
  chatClock?: 'wall' | 'manual';
  /**
   * Where the functions reach DynamoDB, given DynamoDB Local's endpoint: itself by default;
   * bench:capacity puts a metering proxy in between (the functions' SDK clients live in their
   * workers, out of the caller's reach).
   */
  dynamoEndpointForFunctions?: (endpoint: string) => Promise<string>;
  /**
   * Each function's DynamoDB requests carry its name in their path (local/dynamo-tap.ts
   * functionPath), so the tap given above tells who sent what while the stream's consumers run
   * beside the routes. Only with such a tap: DynamoDB Local itself answers on `/` alone.
   */
  namedFunctions?: boolean;
  /** The same for SES: the fault tests put a proxy they can switch off between the functions and the emulator. */
  sesEndpointForFunctions?: (endpoint: string) => Promise<string>;
  /** The manual chat clock's SQS gate (local/chat-timers.ts), which the functions reach. @default a free port */
  chatTimerPort?: number;
  /**
   * Function containers that outlive this local mode: given the functions' runtime and bindings,
   * which make their environment, answers a host whose containers run with exactly that
   * environment, or undefined for a host of local mode's own. At stop local mode waits for such
   * a host's invocations to settle instead of stopping it. The test tiers keep one per jest
   * worker (test/helpers/environment.ts), so its containers stay warm from file to file.
   */
  functionHost?: (runtime: LocalRuntime, bindings: BindingValues) => FunctionHost | undefined;
  /**
   * An S3/SNS/SQS emulator that outlives this local mode: given the options local mode would start
   * fauxqs with, answers one with exactly those queues, topics, subscriptions and buckets, and no
   * message or object in them, whose `stop()` leaves it running. The test tiers keep one per jest
   * worker (test/helpers/environment.ts): starting fauxqs's child cost each file 0.6-0.8 s of CPU.
   */
  fauxqsHost?: (options: FauxqsOptions) => Promise<Fauxqs>;
  /**
   * An SES emulator that outlives this local mode: given the port local mode would start
   * aws-ses-v2-local on, answers one listening there with an empty mail store, whose `stop()`
   * leaves it running. The test tiers keep one per jest worker (test/helpers/environment.ts):
   * loading aws-ses-v2-local cost each file about a quarter of a second of CPU.
   */
  sesHost?: (options: { port: number }) => Promise<Emulator>;
  /**
   * A DynamoDB (Local) that is already running, used instead of starting one: the test tiers
   * start one JVM per run and give each test file its own table in it. Local mode then deletes
   * its table when it stops, and leaves the server running.
   */
  sharedDynamo?: { endpoint: string; tableName: string };
}

/** The same host, calling `after` once each invocation has settled. */
const afterEachInvocation = (host: FunctionHost, after: () => void): FunctionHost => ({
  handler: (name) => {
    const invoke = host.handler(name);
    return async (event, context) => {
      try {
        return await invoke(event, context);
      } finally {
        after();
      }
    };
  },
  heaps: () => host.heaps(),
  settled: (timeoutMs) => host.settled(timeoutMs),
  bypassDynamoTap: (on) => host.bypassDynamoTap(on),
  stop: () => host.stop(),
});

/** A running DynamoDB as an emulator of local mode's: stopping it deletes this run's table only. */
const sharedDynamo = async (shared: { endpoint: string; tableName: string }) => {
  const drop = async () => {
    const { region, credentials } = localRuntime(shared.endpoint, '');
    const client = new DynamoDBClient({ endpoint: shared.endpoint, region, credentials });
    try {
      await client.send(new DeleteTableCommand({ TableName: shared.tableName }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    } finally {
      client.destroy();
    }
  };
  // A table of that name left by a run that never stopped is not this run's: seeded afresh.
  await drop();
  return { endpoint: shared.endpoint, stop: drop };
};

/** The integration topic, the queue subscribed to it, and the notifier's failure queue. */
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
  /** Inbound mail for @<MAIL_DOMAIN>: `smtp://127.0.0.1:2525`. */
  smtp: string;
  /** S3 emulator endpoint; raw inbound mail is in LOCAL_INBOUND.bucket under LOCAL_INBOUND.prefix. */
  s3: string;
  /** fauxqs: SNS and SQS endpoint. */
  sns: string;
  /** The SQS queue subscribed to the integration topic (raw delivery: attributes as SQS message attributes). */
  integrationQueue: string;
  /** Stream records the notifier gave up on (the event source's on-failure destination). */
  notifierFailures: string;
  /** The mobile push stand-in: `GET` lists every push (device, platform, title, body, at). */
  push: string;
  /** The chat WebSocket API: `ws://127.0.0.1:3001?ticket=...`. */
  chat: string;
  /** Its management API (`/@connections/{id}`), the functions' CHAT_CONNECTIONS_URL. */
  chatManagement: string;
  /** The chat timer queue on fauxqs. */
  chatTimerQueue: string;
  /** The mail queue and its dead-letter queue on fauxqs (`npm run redrive` moves the dead back). */
  mailQueue: string;
  mailDeadLetters: string;
  /** The delivery queue (chunks of an event's recipients) and its dead-letter queue on fauxqs. */
  deliveryQueue: string;
  deliveryDeadLetters: string;
}

export interface LocalMode {
  urls: LocalUrls;
  tableName: string;
  /** Whether the table was created (and seeded) by this start, rather than found persisted. */
  created: boolean;
  scheduler: Scheduler;
  /**
   * The notifier reading DynamoDB Local's stream; `drain()` waits until it has caught up and the
   * delivery queue is empty (every recipient told). Absent with `stream: false`.
   */
  notifier?: StreamPoller;
  /** The delivery queue's event source (the deliver function); `depth()` counts queued and dead chunks. */
  delivery: DeliveryQueuePoller;
  /** The mobile push stand-in (NOTE-1): what was pushed to which device. */
  push: PushStandIn;
  /** The chat timers; with `chatClock: 'manual'`, `advance(seconds)` moves their clock. */
  chatTimers: ChatTimerQueue;
  /** The mail queue's event source (the send-mail function); `depth()` counts queued and dead jobs. */
  mail: MailQueuePoller;
  /** Each function container's V8 heap by function name (bench:soak's memory report). */
  functionHeaps: FunctionHost['heaps'];
  stop(): Promise<void>;
}

export const startLocal = async (opts: LocalOptions): Promise<LocalMode> => {
  const log = opts.log ?? (() => {});
  // Everything started so far, stopped in reverse if a later step fails, so that a failed start
  // leaves no JVM or port behind.
  const started: Emulator[] = [];
  let gateway: Gateway | undefined;
  let smtp: SmtpServer | undefined;
  let scheduler: Scheduler | undefined;
  let functions: FunctionHost | undefined;
  let functionsKept = false;
  let notifier: StreamPoller | undefined;
  let chatSocket: ChatSocketServer | undefined;
  let chatTimers: ChatTimerQueue | undefined;
  let mail: MailQueuePoller | undefined;
  let delivery: DeliveryQueuePoller | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const errors: unknown[] = [];
      if (smtp) await smtp.close().catch((e: unknown) => errors.push(e));
      if (scheduler) await scheduler.stop().catch((e: unknown) => errors.push(e));
      if (notifier) await notifier.stop().catch((e: unknown) => errors.push(e));
      if (mail) await mail.stop().catch((e: unknown) => errors.push(e));
      if (delivery) await delivery.stop().catch((e: unknown) => errors.push(e));
      if (chatSocket) await chatSocket.close().catch((e: unknown) => errors.push(e));
      if (chatTimers) await chatTimers.stop().catch((e: unknown) => errors.push(e));
      if (gateway) await gateway.close().catch((e: unknown) => errors.push(e));
      if (functions) await (functionsKept ? functions.settled() : functions.stop()).catch((e: unknown) => errors.push(e));
      for (const emulator of started.reverse()) await emulator.stop().catch((e: unknown) => errors.push(e));
      if (errors.length) throw new AggregateError(errors, 'Local mode did not stop cleanly');
    })());

  // Set once the functions run; until then nothing can have been uploaded.
  let objectCreated = (_bucket: string, _key: string): void => undefined;
  try {
    const t0 = Date.now();
    // In parallel: the JVM takes seconds, SES milliseconds. allSettled so that one failing does
    // not leave the other running unseen.
    const [dynamoResult, sesResult, fauxqsResult, pushResult] = await Promise.allSettled([
      opts.sharedDynamo ? sharedDynamo(opts.sharedDynamo) : startDynamo({ port: opts.dynamoPort, persistDir: opts.persistDir }),
      (opts.sesHost ?? startSesLocal)({ port: opts.sesPort }),
      (opts.fauxqsHost ?? startFauxqs)({
        port: opts.awsPort ?? 4566,
        buckets: [LOCAL_INBOUND.bucket, LOCAL_ATTACHMENTS_BUCKET],
        // S3's "object created" notification of uploads, which invokes check-attachment in AWS.
        notify: [{ bucket: LOCAL_ATTACHMENTS_BUCKET, prefix: 'uploads/' }],
        onObjectCreated: (bucket, key) => objectCreated(bucket, key),
        persistDir: opts.persistDir,
        topics: [LOCAL_TOPIC],
        queues: [
          LOCAL_INTEGRATION_QUEUE,
          LOCAL_NOTIFIER_FAILURES,
          LOCAL_CHAT_TIMER_QUEUE,
          LOCAL_MAIL_DEAD,
          LOCAL_MAIL_QUEUE,
          LOCAL_DELIVERY_DEAD,
          LOCAL_DELIVERY_QUEUE,
        ],
        subscriptions: [{ topic: LOCAL_TOPIC, queue: LOCAL_INTEGRATION_QUEUE, rawMessageDelivery: true }],
        deadLetters: {
          [LOCAL_MAIL_QUEUE]: { target: LOCAL_MAIL_DEAD, maxReceiveCount: MAIL_MAX_RECEIVES },
          [LOCAL_DELIVERY_QUEUE]: { target: LOCAL_DELIVERY_DEAD, maxReceiveCount: DELIVERY_MAX_RECEIVES },
        },
      }),
      startPushStandIn({ port: opts.pushPort ?? 3002, region: process.env.AWS_REGION || 'eu-west-1', log }),
    ]);
    for (const r of [dynamoResult, sesResult, fauxqsResult, pushResult]) if (r.status === 'fulfilled') started.push(r.value);
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    if (sesResult.status === 'rejected') throw sesResult.reason;
    if (fauxqsResult.status === 'rejected') throw fauxqsResult.reason;
    if (pushResult.status === 'rejected') throw pushResult.reason;
    const dynamo = dynamoResult.value;
    const ses = sesResult.value;
    const faux = fauxqsResult.value;
    const push = pushResult.value;
    log(`DynamoDB Local ready at ${dynamo.endpoint} (${Date.now() - t0} ms)`);
    const runtime = localRuntime(
      (await opts.dynamoEndpointForFunctions?.(dynamo.endpoint)) ?? dynamo.endpoint,
      (await opts.sesEndpointForFunctions?.(ses.endpoint)) ?? ses.endpoint,
      faux.endpoint,
      push.url,
    );
    if (opts.namedFunctions) runtime.namedDynamoPaths = true;
    // Chat: the WebSocket server and the timer queue's event source reach the functions
    // when they are invoked; they are started first because the functions' environment names them.
    const functionsRef: { host?: FunctionHost } = {};
    const lazy =
      (name: string): LocalHandler =>
      (event, context) =>
        functionsRef.host!.handler(name)(event, context);
    chatSocket = await startChatSocket({
      port: opts.chatPort ?? 3001,
      region: runtime.region,
      authorizer: lazy(CHAT_AUTHORIZER_FUNCTION.name),
      socket: lazy(CHAT_SOCKET_FUNCTION.name),
      log,
    });
    chatTimers = await startChatTimerQueue({
      fauxqsEndpoint: faux.endpoint,
      queueUrl: faux.queueUrls[LOCAL_CHAT_TIMER_QUEUE]!,
      region: runtime.region,
      credentials: runtime.credentials,
      consume: lazy(CHAT_TIMER_FUNCTION.name),
      clock: opts.chatClock ?? 'wall',
      port: opts.chatTimerPort,
      log,
    });
    runtime.endpoints.SQS = chatTimers.endpoint;
    const bindings = localBindings({
      inbound: LOCAL_INBOUND,
      topicArn: faux.topicArns[LOCAL_TOPIC],
      push: push.apps,
      chatConnectionsUrl: chatSocket.managementUrl,
      chatTimerQueueUrl: chatTimers.queueUrl,
      mailQueueUrl: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_MAIL_QUEUE]!),
      deliveryQueueUrl: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_DELIVERY_QUEUE]!),
    });
    if (opts.sharedDynamo) bindings.tableName = opts.sharedDynamo.tableName;
    const { tableName } = bindings;

    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: runtime.region, credentials: runtime.credentials });
    let created: boolean;
    try {
      ({ created } = await createTable(client, tableName));
      if (created && opts.seed !== false) {
        const t1 = Date.now();
        const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
        const ref = { doc, table: tableName };
        if (typeof opts.seed === 'function') await opts.seed(ref);
        else await (await import('./demo-data')).seedDemo({ ref });
        log(`Seeded demo data into ${tableName} (${Date.now() - t1} ms)`);
      } else if (!created) {
        log(`Using the existing table ${tableName} in ${opts.persistDir}`);
      }
    } finally {
      client.destroy();
    }

    const kept = opts.functionHost?.(runtime, bindings);
    functionsKept = kept !== undefined;
    functions = kept ?? startFunctionHost({ runtime, bindings, log, output: opts.functionOutput, bundles: opts.functionBundles });
    // Whatever a function ran may have written to the table: after each invocation the stream's
    // poller looks again soon, and between them it can wait longer (local/stream-poller.ts).
    let invoked = (): void => undefined;
    const host = (functionsRef.host = afterEachInvocation(functions, () => invoked()));
    // The table's and the queues' consumers come first, before anything that writes (the API, the
    // scheduler's first sweep at start, SMTP): the stream's poller starts at its latest record, as
    // the event source does, and a flag written before it was listening was never notified.
    // The notifier on DynamoDB Local's stream, in its own worker like the others; what
    // it still fails on after its retries goes to the failure queue (the event source's DLQ).
    const sqs = new SQSClient({ endpoint: faux.endpoint, region: runtime.region, credentials: runtime.credentials });
    const failures = faux.queueUrls[LOCAL_NOTIFIER_FAILURES]!;
    const notify = host.handler(NOTIFIER_FUNCTION.name);
    // The delivery queue's event source, invoking deliver in its worker: the notifier hands it each
    // event's recipients, so a drain of the stream waits for them too.
    const deliveries = (delivery = startDeliveryQueuePoller({
      endpoint: faux.endpoint,
      queueUrl: bindings.deliveryQueueUrl,
      deadUrl: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_DELIVERY_DEAD]!),
      region: runtime.region,
      credentials: runtime.credentials,
      consume: host.handler(DELIVER_FUNCTION.name),
      log,
    }));
    if (opts.stream !== false) {
      const stream = await startStreamPoller({
        endpoint: dynamo.endpoint,
        tableName,
        handler: async (event, context) =>
          (await notify(event, {
            awsRequestId: randomUUID(),
            getRemainingTimeInMillis: () => context.getRemainingTimeInMillis(),
          })) as DynamoDBBatchResponse | undefined,
        log,
        onFailure: async (records, error) => {
          await sqs.send(new SendMessageCommand({ QueueUrl: failures, MessageBody: JSON.stringify({ error, records }) }));
        },
      });
      invoked = () => stream.nudge();
      notifier = {
        drain: async () => {
          await stream.drain();
          await deliveries.settled();
        },
        nudge: () => stream.nudge(),
        stop: () => stream.stop(),
      };
    }
    // The mail queue's event source, invoking send-mail in its worker.
    mail = startMailQueuePoller({
      endpoint: faux.endpoint,
      queueUrl: bindings.mailQueueUrl,
      deadUrl: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_MAIL_DEAD]!),
      region: runtime.region,
      credentials: runtime.credentials,
      consume: host.handler(SEND_MAIL_FUNCTION.name),
      log,
    });
    gateway = await startGateway({
      port: opts.apiPort,
      log,
      loadHandler: async (name) => host.handler(name),
      // The dev stage's allowlist; PORTAL_ORIGIN and CORS_ORIGINS as -c portalOrigin and -c corsOrigins.
      corsOrigins: corsOriginsFor('dev', process.env.PORTAL_ORIGIN || DEV_PORTAL_ORIGIN, process.env.CORS_ORIGINS),
    });
    scheduler = startScheduler({
      everyMs: opts.sweepEveryMs ?? 60_000,
      log,
      sweep: host.handler(SWEEP_FUNCTION.name),
      region: runtime.region,
    });
    // The SMTP server stands in for SES's receipt rule: it stores the raw message in S3 with a
    // client of its own (SES's, not a function's) and invokes receive-mail in its worker.
    const store = inboundStore(
      new S3Client({
        endpoint: faux.endpoint,
        forcePathStyle: true,
        region: runtime.region,
        credentials: runtime.credentials,
      }),
      LOCAL_INBOUND.bucket,
    );
    const receiveMail = host.handler(RECEIVE_MAIL_FUNCTION.name);
    const checkAttachment = host.handler(CHECK_ATTACHMENT_FUNCTION.name);
    objectCreated = (bucket, key) => {
      // As EventBridge invokes it in AWS: asynchronously, the uploader does not wait for the check.
      const event = {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        time: new Date().toISOString(),
        detail: { bucket: { name: bucket }, object: { key } },
      };
      checkAttachment(event, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 30_000 }).catch((err: unknown) =>
        log(`check-attachment failed for ${key}: ${String(err)}`),
      );
    };
    smtp = await startSmtp({
      port: opts.smtpPort ?? 2525,
      mailDomain: bindings.mailDomain,
      prefix: LOCAL_INBOUND.prefix,
      store: () => store,
      handler: async (event) => receiveMail(event, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 60_000 }),
      log,
    });
    return {
      scheduler,
      notifier,
      mail,
      delivery: deliveries,
      push,
      chatTimers,
      urls: {
        api: gateway.url,
        jwks: `${gateway.url}/.well-known/jwks.json`,
        ses: ses.endpoint,
        sesStore: `${ses.endpoint}/store`,
        dynamo: dynamo.endpoint,
        smtp: smtp.url,
        s3: faux.endpoint,
        sns: faux.endpoint,
        integrationQueue: faux.queueUrls[LOCAL_INTEGRATION_QUEUE]!,
        notifierFailures: failures,
        push: push.url,
        chat: chatSocket.url,
        chatManagement: chatSocket.managementUrl,
        chatTimerQueue: faux.queueUrls[LOCAL_CHAT_TIMER_QUEUE]!,
        mailQueue: bindings.mailQueueUrl,
        mailDeadLetters: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_MAIL_DEAD]!),
        deliveryQueue: bindings.deliveryQueueUrl,
        deliveryDeadLetters: onEndpoint(faux.endpoint, faux.queueUrls[LOCAL_DELIVERY_DEAD]!),
      },
      tableName,
      created,
      functionHeaps: () => host.heaps(),
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
};
