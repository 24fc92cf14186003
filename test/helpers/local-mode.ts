/**
 * Real emulators for the integration and e2e tiers, on free ports so that tests never collide
 * with `npm start` or with each other.
 *
 *   integration:  const db = await startTestDynamo();   // in beforeAll; db.stop() in afterAll
 *   e2e:          const local = await startTestLocal();  // fetch(`${local.url}/me`, { headers: { authorization: `Bearer ${local.token('dana@acme.example')}` } })
 */
import type { MailQueuePoller } from '../../local/mail-queue';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FUNCTION_BUNDLES_ENV, sharedDynamoEndpoint } from './shared-dynamo';
import { FAILED, KEPT_LOCAL, type KeptLocal } from './environment';
import { ENV } from '../../lambdas/adapters/config';
import { seedDemo } from './seed-cache';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable, startDynamo } from '../../local/emulators';
import { startDynamoTap, type DynamoTap, type TapHooks } from '../../local/dynamo-tap';
import { startLocal } from '../../local';
import type { LocalUrls } from '../../local';
import type { StreamPoller } from '../../local/stream-poller';
import type { ChatTimerQueue } from '../../local/chat-timers';
import { signMachineToken, signUserToken } from '../../local/issuer';
import type { UserClient } from '../../local/issuer';

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Marshalling client, as lambdas/data uses. */
  doc: DynamoDBDocumentClient;
  /** Unique per call, created from lambdas/data/table.ts with its GSIs, TTL and stream. */
  tableName: string;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local on a free port with a freshly created table. With `setEnv`, TABLE_NAME and
 * AWS_ENDPOINT_URL_DYNAMODB point lambdas/data's default client at it (set before that client
 * is first used; it is created once per module registry).
 */
export const startTestDynamo = async (options: { setEnv?: boolean } = {}): Promise<TestDynamo> => {
  const shared = sharedDynamoEndpoint();
  const dynamo = shared ? { endpoint: shared, stop: async () => undefined } : await startDynamo({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `casework-it-${randomUUID().slice(0, 8)}`;
  try {
    await createTable(client, tableName);
  } catch (err) {
    client.destroy();
    await dynamo.stop();
    throw err;
  }
  if (options.setEnv) {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    process.env.TABLE_NAME = tableName;
  }
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint: dynamo.endpoint,
    client,
    doc,
    tableName,
    stop: async () => {
      try {
        if (shared) await client.send(new DeleteTableCommand({ TableName: tableName }));
      } finally {
        client.destroy();
        await dynamo.stop();
      }
    },
  };
};

export interface TestLocal {
  /** Base URL of the local HTTP API, without a trailing slash. */
  url: string;
  urls: LocalUrls;
  tableName: string;
  /** The local notifier on DynamoDB Local's stream: `drain()` waits until it has caught up. */
  notifier: StreamPoller;
  /** A bearer token for a demo user, found by email in DEMO_USERS. */
  token(email: string, client?: UserClient): string;
  /** A machine client's token with scope casework/ingest. */
  machineToken(clientId?: string): string;
  /** Runs the scheduled sweep once, through its own function (as EventBridge would). */
  sweep(): Promise<unknown>;
  /** The chat timers; with `chatClock: 'manual'`, `advance(seconds)` is the test's clock. */
  chatTimers: ChatTimerQueue;
  /** The mail queue's event source; `depth()` counts queued and dead-lettered jobs. */
  mail: MailQueuePoller;
  /**
   * Resolves once the stream has been handled and the mail queue is empty (every job
   * sent or given up on), so a test reads the mail store after the mail of what it did left.
   */
  mailSettled(): Promise<void>;
  stop(): Promise<void>;
}

let instances = 0;

/**
 * The whole local mode in this process on free ports, seeded with the demo data. Boot once per
 * test file (beforeAll) — it takes a few seconds for the JVM — and stop it in afterAll.
 *
 * The signing key goes to a temporary directory so tests never touch a developer's
 * .local-data. Each function runs in its own worker with its own modules and environment
 * (local/functions.ts), so instances share no handler state; the registry is still reset
 * for a second instance so that the local-mode modules of this process start fresh too.
 */
export const startTestLocal = async (
  options: {
    seed?: boolean;
    log?: (message: string) => void;
    /**
     * The local scheduler's period (local mode's own default is a minute, first run at start).
     * None unless a file tests the scheduler: the others run the sweep themselves, and a sweep at
     * every boot flagged and reminded for files that never look.
     */
    sweepEveryMs?: number;
    /** false: no notifier on the stream (local/index.ts LocalOptions.stream). */
    stream?: boolean;
    /**
     * Shows every DynamoDB request the functions send, each naming its function, as DynamoDB Local
     * receives it (local/dynamo-tap.ts): through the worker's kept tap, or a tap of this file's own.
     */
    tap?: TapHooks;
    /** Puts something else (a proxy that injects faults) between the functions and DynamoDB Local. */
    dynamoEndpointForFunctions?: (endpoint: string) => Promise<string>;
    /** The chat timers' clock (local/index.ts LocalOptions.chatClock); tests that reach a timer use 'manual'. */
    chatClock?: 'wall' | 'manual';
    /** Puts something (a switchable proxy, the fault tests) between the functions and the SES emulator. */
    sesEndpointForFunctions?: (endpoint: string) => Promise<string>;
    /** 'own': a DynamoDB Local of its own (a test that pauses or kills it); the run's shared one by default. */
    dynamo?: 'shared' | 'own';
    /**
     * Puts something (a proxy that holds requests) between local mode itself (its table, the
     * stream's poller) and the run's DynamoDB Local; the functions still reach it directly.
     */
    dynamoEndpointForLocal?: (endpoint: string) => Promise<string>;
  } = {},
): Promise<TestLocal> => {
  if (instances++ > 0) jest.resetModules();
  // The functions' logs and EMF metrics, shown only if something in this file fails.
  const output: string[] = [];
  const functionOutput = (chunk: string) => {
    output.push(chunk);
    if (output.length > 5_000) output.shift();
  };
  const shared = sharedDynamoEndpoint();
  // A standard local mode takes the worker's kept settings, tap, fauxqs and function containers
  // (test/helpers/environment.ts); one with a proxy of its own between the functions and an
  // emulator, or a DynamoDB Local of its own, gives its functions another environment and starts
  // its own.
  const keeper = (globalThis as { [KEPT_LOCAL]?: KeptLocal })[KEPT_LOCAL];
  const standard =
    shared &&
    options.dynamo !== 'own' &&
    !options.dynamoEndpointForFunctions &&
    !options.sesEndpointForFunctions &&
    !options.dynamoEndpointForLocal;
  const kept = standard && keeper ? await keeper.acquire(shared, options.tap) : undefined;
  // Without the worker's: a tap of the file's own, when it asked for one.
  let ownTap: DynamoTap | undefined;
  const tapped = kept
    ? async () => kept.tap
    : options.tap
      ? async (endpoint: string) => (ownTap = await startDynamoTap(endpoint, options.tap!)).url
      : (options.dynamoEndpointForFunctions ?? (options.dynamoEndpointForLocal && shared ? async () => shared : undefined));
  const keyDir = kept?.keyDir ?? mkdtempSync(join(tmpdir(), 'casework-keys-'));
  const previous = { keyDir: process.env.CASEWORK_KEY_DIR, cursorSecret: process.env[ENV.CURSOR_SECRET] };
  process.env.CASEWORK_KEY_DIR = keyDir;
  if (kept) process.env[ENV.CURSOR_SECRET] = kept.cursorSecret;
  const restore = () => {
    for (const [name, value] of [
      ['CASEWORK_KEY_DIR', previous.keyDir],
      [ENV.CURSOR_SECRET, previous.cursorSecret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (kept) keeper!.release();
    else rmSync(keyDir, { recursive: true, force: true });
    void ownTap?.close();
  };
  const localEndpoint = shared && options.dynamoEndpointForLocal ? await options.dynamoEndpointForLocal(shared) : undefined;
  const start = () =>
    startLocal({
      apiPort: 0,
      sesPort: kept?.ports.ses ?? 0,
      dynamoPort: 0,
      // One DynamoDB Local per jest worker (test/helpers/shared-dynamo.ts), a table per local mode.
      sharedDynamo:
        shared && options.dynamo !== 'own'
          ? {
              endpoint: localEndpoint ?? shared,
              tableName: kept?.tableName ?? `casework-e2e-${randomUUID().slice(0, 8)}`,
            }
          : undefined,
      smtpPort: 0,
      awsPort: kept?.ports.aws ?? 0,
      pushPort: kept?.ports.push ?? 0,
      chatPort: kept?.ports.chat ?? 0,
      chatTimerPort: kept?.ports.chatTimers,
      chatClock: options.chatClock ?? 'manual',
      // The run's first seed through the domain functions, copied after that (test/helpers/seed-cache.ts).
      seed: options.seed === false ? false : (ref) => seedDemo({ ref }),
      // Local mode's own log (pollers' retries and failures) joins the functions' output, shown when a test fails.
      log: options.log ?? ((message) => functionOutput(`[local] ${message}\n`)),
      sweepEveryMs: options.sweepEveryMs ?? 0,
      stream: options.stream,
      dynamoEndpointForFunctions: tapped,
      // Through a tap, each function's requests name it (local/dynamo-tap.ts functionPath).
      namedFunctions: kept !== undefined || options.tap !== undefined,
      sesEndpointForFunctions: options.sesEndpointForFunctions,
      functionBundles: process.env[FUNCTION_BUNDLES_ENV],
      functionOutput,
      functionHost: kept
        ? (runtime, bindings) => keeper!.functionHost(runtime, bindings, process.env[FUNCTION_BUNDLES_ENV], functionOutput)
        : undefined,
      fauxqsHost: kept ? (fauxqsOptions) => keeper!.fauxqs(fauxqsOptions) : undefined,
      sesHost: kept ? (sesOptions) => keeper!.ses(sesOptions) : undefined,
    });
  let local: Awaited<ReturnType<typeof startLocal>>;
  try {
    try {
      local = await start();
    } catch (err) {
      // A kept port taken meanwhile by another process: new ones (in `kept` itself), once.
      if (!kept || !/EADDRINUSE|in use/.test(String(err))) throw err;
      await keeper!.renewPorts();
      local = await start();
    }
  } catch (err) {
    restore();
    throw err;
  }
  // Required lazily: the demo data module reads the environment startLocal has just set.
  const { DEMO_USERS } = await import('../../local/demo-data');
  return {
    url: local.urls.api,
    urls: local.urls,
    tableName: local.tableName,
    notifier: local.notifier ?? {
      drain: () => Promise.reject(new Error('local mode was started with stream: false: no notifier to drain')),
      nudge: () => undefined,
      stop: async () => undefined,
    },
    token: (email, client = 'web') => {
      const user = DEMO_USERS.find((u) => u.email === email);
      if (!user) throw new Error(`No demo user ${email}`);
      return signUserToken({ sub: user.userId, email: user.email, client });
    },
    machineToken: (clientId = 'monitoring') => signMachineToken(clientId),
    sweep: () => local.scheduler.runOnce(),
    chatTimers: local.chatTimers,
    mail: local.mail,
    mailSettled: async () => {
      if (local.notifier) await local.notifier.drain();
      for (let i = 0; i < 600; i++) {
        if ((await local.mail.depth()).queued === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      try {
        await local.stop();
      } finally {
        if ((globalThis as Record<string, unknown>)[FAILED]) process.stderr.write(`Local functions' output:\n${output.join('')}`);
        restore();
      }
    },
  };
};
