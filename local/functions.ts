/**
 * Local Lambda containers: every function runs in its own worker thread, started on its first
 * invocation, with its own module registry (its own SDK clients and caches, as in AWS) and a
 * process.env that is exactly its function's environment (lib/function-specs.ts, the spec CDK
 * deploys) plus what the Lambda runtime provides. A variable AWS does not give a function is
 * therefore missing here too.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { transformSync } from 'esbuild';
import type { Context } from 'aws-lambda';
import { endpointVariable, ENV, RUNTIME_ENV } from '../lambdas/adapters/config';
import {
  allFunctionSpecs,
  functionEnvironment,
  portModulesOf,
  type BindingValues,
  type FunctionSpec,
} from '../lib/function-specs';
import type { BypassMessage, Invocation, WorkerData, WorkerMessage } from './function-worker';
import { functionPath } from './dynamo-tap';
import { clientIds, localReplyKeys } from './issuer';

/** What the Lambda runtime itself sets, with the emulators standing in for AWS's endpoints. */
export interface LocalRuntime {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** AWS_ENDPOINT_URL_<SERVICE> values, e.g. `{ DYNAMODB: 'http://127.0.0.1:8000' }`. */
  endpoints: Record<string, string>;
  /**
   * Each function reaches DynamoDB at `<endpoint>/fn/<name>`, so a tap in front of DynamoDB Local
   * (local/dynamo-tap.ts) tells which function sent each request, even while several run at once.
   */
  namedDynamoPaths?: boolean;
}

const LAMBDA_DIR = resolve(__dirname, '../lambdas');
/** The same as CaseworkFunction's. */
const MEMORY_MB = '512';

/**
 * The values behind the functions' bindings. The developer's shell may choose them (TABLE_NAME,
 * CURSOR_SECRET, MAIL_DOMAIN, client ids); they reach only the functions bound to them
 * (lib/function-specs.ts), as in AWS, never the whole of local mode.
 */
/** Where the local SMTP server stores raw inbound mail (the S3 emulator's bucket). */
export const LOCAL_INBOUND: BindingValues['inbound'] = { bucket: 'casework-inbound-local', prefix: 'inbound/' };
/** Cases' files on the S3 emulator (MAIL-2, CASE-6). */
export const LOCAL_ATTACHMENTS_BUCKET = 'casework-attachments-local';

export const localBindings = (
  emulated: Partial<
    Pick<
      BindingValues,
      'inbound' | 'topicArn' | 'push' | 'chatConnectionsUrl' | 'chatTimerQueueUrl' | 'mailQueueUrl' | 'deliveryQueueUrl'
    >
  > = {},
): BindingValues => {
  const env = process.env;
  const clients = clientIds();
  return {
    stage: 'local',
    tableName: env[ENV.TABLE_NAME] || 'casework-local',
    // Per run: cursors from an earlier run must not be trusted, as after a secret rotation in AWS.
    // No Secrets Manager emulator: bound functions get the key itself in CURSOR_SECRET.
    cursorSecret: { value: env[ENV.CURSOR_SECRET] || randomBytes(32).toString('base64url') },
    mailDomain: env[ENV.MAIL_DOMAIN] || 'casework.test',
    clients: { web: clients.web, mobile: clients.mobile },
    // No Secrets Manager emulator: bound functions get the keyring itself in REPLY_TOKEN_KEYS.
    replyKeys: { value: env[ENV.REPLY_TOKEN_KEYS] || localReplyKeys() },
    inbound: emulated.inbound ?? LOCAL_INBOUND,
    attachmentsBucket: LOCAL_ATTACHMENTS_BUCKET,
    // fauxqs names the topic's ARN when it creates it; a function bound to it before then fails loudly.
    topicArn: emulated.topicArn ?? '',
    // The push stand-in's platform applications (local/push.ts); none when it is not running.
    push: emulated.push ?? { apns: '', fcm: '' },
    // The local WebSocket server's management endpoint and the fauxqs timer queue, once started.
    chatConnectionsUrl: emulated.chatConnectionsUrl ?? '',
    chatTimerQueueUrl: emulated.chatTimerQueueUrl ?? '',
    // No Cognito emulator: bound functions get an empty USER_POOL_ID, and their sign-in directory
    // is the table's directory, whose users the local issuer signs in (lambdas/adapters/user-accounts.ts).
    userPoolId: '',
    // The fauxqs mail queue, once started; locally the backoff is seconds, not minutes
    // (MAIL_RETRY_BASE_SECONDS / MAIL_RETRY_CAP_SECONDS in the shell change it).
    mailQueueUrl: emulated.mailQueueUrl ?? '',
    mailRetry: {
      baseSeconds: Number(env[ENV.MAIL_RETRY_BASE_SECONDS]) || 2,
      capSeconds: Number(env[ENV.MAIL_RETRY_CAP_SECONDS]) || 30,
    },
    // The fauxqs delivery queue, once started.
    deliveryQueueUrl: emulated.deliveryQueueUrl ?? '',
  };
};

/** What the Lambda runtime provides, with the emulators for AWS's endpoints (new ports each start). */
export const localRuntime = (dynamo: string, ses: string, fauxqs?: string, push?: string): LocalRuntime => ({
  region: process.env[RUNTIME_ENV.AWS_REGION] || 'eu-west-1',
  credentials: {
    accessKeyId: process.env[RUNTIME_ENV.AWS_ACCESS_KEY_ID] || 'local',
    secretAccessKey: process.env[RUNTIME_ENV.AWS_SECRET_ACCESS_KEY] || 'local',
  },
  // SESV2: the same emulator answers the v2 API, should a handler use @aws-sdk/client-sesv2.
  // fauxqs answers S3, SNS and SQS on one port.
  // SNS_PUSH: the push stand-in, for SNS's mobile push calls only (fauxqs has no platform endpoints);
  // the push adapter reads it, the SDK itself does not (AWS sets no such variable).
  endpoints: {
    DYNAMODB: dynamo,
    SES: ses,
    SESV2: ses,
    ...(fauxqs ? { S3: fauxqs, SNS: fauxqs, SQS: fauxqs } : {}),
    ...(push ? { SNS_PUSH: push } : {}),
  },
});

/** Exactly the environment function `spec` runs with locally. */
export const localEnvironment = (spec: FunctionSpec, runtime: LocalRuntime, bindings: BindingValues): Record<string, string> => ({
  [RUNTIME_ENV.AWS_REGION]: runtime.region,
  [RUNTIME_ENV.AWS_DEFAULT_REGION]: runtime.region,
  [RUNTIME_ENV.AWS_ACCESS_KEY_ID]: runtime.credentials.accessKeyId,
  [RUNTIME_ENV.AWS_SECRET_ACCESS_KEY]: runtime.credentials.secretAccessKey,
  [RUNTIME_ENV.AWS_LAMBDA_FUNCTION_NAME]: `casework-local-${spec.name}`,
  [RUNTIME_ENV.AWS_LAMBDA_FUNCTION_VERSION]: '$LATEST',
  [RUNTIME_ENV.AWS_LAMBDA_FUNCTION_MEMORY_SIZE]: MEMORY_MB,
  [RUNTIME_ENV.AWS_LAMBDA_LOG_GROUP_NAME]: `/aws/lambda/casework-local-${spec.name}`,
  ...Object.fromEntries(Object.entries(runtime.endpoints).map(([service, url]) => [endpointVariable(service), url])),
  ...(runtime.namedDynamoPaths && runtime.endpoints.DYNAMODB
    ? { [endpointVariable('DYNAMODB')]: `${runtime.endpoints.DYNAMODB}${functionPath(spec.name)}` }
    : {}),
  // The one operator knob passed through: how much the developer wants to read.
  ...(process.env[RUNTIME_ENV.POWERTOOLS_LOG_LEVEL]
    ? { [RUNTIME_ENV.POWERTOOLS_LOG_LEVEL]: process.env[RUNTIME_ENV.POWERTOOLS_LOG_LEVEL] }
    : {}),
  ...functionEnvironment(spec, bindings),
});

export type LocalHandler = (
  event: unknown,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<unknown>;

export interface FunctionHost {
  /** Invokes function `name` (`get-case`, `run-sweep`) in its worker. */
  handler(name: string): LocalHandler;
  /** Each running container's V8 heap (used and total bytes), by function name: for the soak's memory report. */
  heaps(): Promise<Map<string, { used: number; total: number }>>;
  /** Resolves once no invocation is in flight (those still running after `timeoutMs` are left). */
  settled(timeoutMs?: number): Promise<void>;
  /** With `dynamoBypass`: whether the containers' DynamoDB requests bypass the tap (they do from the start). */
  bypassDynamoTap(on: boolean): void;
  /** Terminates every worker. */
  stop(): Promise<void>;
}

interface Container {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
}

const WORKER_ENTRY = resolve(__dirname, 'function-worker.ts');
/** The container's entry in a bundles folder, beside `<name>/index.js`. */
const BUNDLED_WORKER = 'function-worker.js';

/**
 * Writes the container's entry, compiled, into a folder of bundles (see `bundles` below), so that
 * a function host on bundles loads no compiler: esbuild's synchronous API leaves a worker thread
 * and a child process behind in every module registry that calls it, one per jest test file.
 */
export const writeBundledWorker = (bundles: string): void =>
  writeFileSync(
    resolve(bundles, BUNDLED_WORKER),
    transformSync(readFileSync(WORKER_ENTRY, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node24' }).code,
  );

export const startFunctionHost = (opts: {
  runtime: LocalRuntime;
  bindings: BindingValues;
  specs?: ReadonlyMap<string, FunctionSpec>;
  log?: (message: string) => void;
  /** Where the functions' stdout and stderr go (their logs and metrics); this process's own when absent. */
  output?: (chunk: string) => void;
  /**
   * A folder of the functions' bundles as CDK deploys them (`<name>/index.js`, built by
   * lib/constructs/bundling.ts buildBundles): each worker loads its bundle instead of compiling
   * the sources with tsx. The test tiers build them once per run, with the container's entry
   * (writeBundledWorker); `npm start` runs the sources.
   */
  bundles?: string;
  /** The containers keep no process alive (a host kept beyond one local mode, test/helpers/environment.ts). */
  unref?: boolean;
  /**
   * The DynamoDB tap the functions' endpoint names (`tap`) and DynamoDB Local behind it (`dynamo`):
   * while bypassed, the containers connect to DynamoDB Local itself (local/function-worker.ts).
   */
  dynamoBypass?: { tap: string; dynamo: string };
}): FunctionHost => {
  const specs = opts.specs ?? allFunctionSpecs();
  const log = opts.log ?? (() => {});
  // Resolved here, where jest's or tsx's resolver runs, so the worker needs no resolution of its own.
  const tsx = require.resolve('tsx/cjs/api');
  // With bundles nothing is left to compile: a worker need not load tsx (about 160 ms of CPU per container).
  let workerCode: string | undefined;
  const compiledWorker = () => (workerCode ??= readFileSync(resolve(opts.bundles!, BUNDLED_WORKER), 'utf8'));
  const containers = new Map<string, Container>();
  const hostAndPort = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
  let bypassed = true;
  const bypassOf = (): WorkerData['bypass'] =>
    opts.dynamoBypass && {
      tap: hostAndPort(opts.dynamoBypass.tap),
      dynamo: hostAndPort(opts.dynamoBypass.dynamo),
      on: bypassed,
    };
  let nextId = 0;
  let stopped = false;

  const start = (spec: FunctionSpec): Container => {
    const started = Date.now();
    const workerData: WorkerData & { tsx: string; workerEntry: string } = opts.bundles
      ? // The bundle carries its ports (injected by buildBundles) and its dependencies.
        {
          entry: resolve(opts.bundles, spec.name, 'index.js'),
          ports: [],
          tsx,
          workerEntry: WORKER_ENTRY,
          bundled: true,
          compileCache: resolve(opts.bundles, '.compile-cache'),
          bypass: bypassOf(),
        }
      : {
          entry: resolve(LAMBDA_DIR, `${spec.module}.ts`),
          ports: portModulesOf(spec).map((m) => resolve(LAMBDA_DIR, `${m}.ts`)),
          tsx,
          workerEntry: WORKER_ENTRY,
          bypass: bypassOf(),
        };
    const worker = new Worker(
      opts.bundles
        ? compiledWorker()
        : `const { workerData } = require('node:worker_threads');
           require(workerData.tsx).register();
           require(workerData.workerEntry);`,
      {
        eval: true,
        env: localEnvironment(spec, opts.runtime, opts.bindings),
        workerData,
        ...(opts.output ? { stdout: true, stderr: true } : {}),
      },
    );
    if (opts.unref) worker.unref();
    if (opts.output) {
      const output = opts.output;
      worker.stdout.setEncoding('utf8').on('data', output);
      worker.stderr.setEncoding('utf8').on('data', output);
    }
    const pending: Container['pending'] = new Map();
    const container: Container = {
      worker,
      pending,
      ready: new Promise<void>((ready, failed) => {
        const fail = (error: Error) => {
          // Like a container that died: the next invocation starts a new one.
          if (containers.get(spec.name) === container) containers.delete(spec.name);
          for (const p of pending.values()) p.reject(error);
          pending.clear();
          failed(error);
        };
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'ready') {
            log(`${spec.name}: container started (${Date.now() - started} ms)`);
            ready();
          } else if (msg.type === 'init-error') {
            fail(new Error(`${spec.module} failed to load: ${msg.error}`));
            void worker.terminate();
          } else {
            const p = pending.get(msg.id);
            pending.delete(msg.id);
            if (msg.type === 'result') p?.resolve(msg.result);
            else p?.reject(Object.assign(new Error(msg.error.split('\n')[0]), { stack: msg.error }));
          }
        });
        worker.on('error', fail);
        worker.on('exit', (code) => fail(new Error(`${spec.name}: container exited (code ${code})`)));
      }),
    };
    container.ready.catch(() => {});
    containers.set(spec.name, container);
    return container;
  };

  return {
    handler: (name) => {
      const spec = specs.get(name);
      if (!spec) throw new Error(`No function ${name} in lib/function-specs.ts`);
      return async (event, context) => {
        if (stopped) throw new Error('Local functions are stopped');
        const container = containers.get(name) ?? start(spec);
        await container.ready;
        const id = nextId++;
        const invocation: Invocation = {
          id,
          event,
          context: {
            functionName: `casework-local-${name}`,
            awsRequestId: context.awsRequestId,
            deadline: Date.now() + context.getRemainingTimeInMillis(),
            memoryLimitInMB: MEMORY_MB,
            region: opts.runtime.region,
          },
        };
        return new Promise((resolveResult, reject) => {
          container.pending.set(id, { resolve: resolveResult, reject });
          container.worker.postMessage(invocation);
        });
      };
    },
    heaps: async () => {
      const out = new Map<string, { used: number; total: number }>();
      await Promise.all(
        [...containers].map(async ([name, c]) => {
          const h = await c.worker.getHeapStatistics().catch(() => undefined);
          if (h) out.set(name, { used: h.used_heap_size, total: h.total_heap_size });
        }),
      );
      return out;
    },
    bypassDynamoTap: (on) => {
      if (!opts.dynamoBypass || on === bypassed) return;
      bypassed = on;
      // Ahead of any invocation posted after it: one port, in order.
      for (const c of containers.values()) c.worker.postMessage({ type: 'bypass', on } satisfies BypassMessage);
    },
    settled: async (timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      while ([...containers.values()].some((c) => c.pending.size > 0) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
    },
    stop: async () => {
      stopped = true;
      const all = [...containers.values()];
      containers.clear();
      await Promise.all(all.map((c) => c.worker.terminate()));
    },
  };
};
