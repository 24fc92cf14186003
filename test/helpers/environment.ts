/**
 * The node test environment of the integration and e2e tiers. jest loads this module once per
 * worker, outside the test files' module registries, so it also holds what a worker keeps from
 * file to file:
 *
 * - whether anything in the file failed: local mode keeps its functions' logs and metrics to
 *   itself and prints them only then (test/helpers/local-mode.ts);
 * - the worker's kept local mode settings and function containers (KeptLocal below): a file's
 *   local mode with the standard options gets the same ports, table name, keys and cursor secret
 *   as the worker's files before it, so its functions' environment is the same, and the
 *   containers that ran with exactly that environment serve it warm. Nothing a file's modules
 *   create can serve the next file: jest 30 clears a file's globals when it ends;
 * - the worker's DynamoDB tap (local/dynamo-tap.ts), kept with the containers: their requests reach
 *   DynamoDB Local through it, each naming its function, so a file that records what the functions
 *   send (the IAM grant tests) runs them warm too, with the same environment as every other file;
 * - the worker's fauxqs (S3, SNS, SQS), emptied of messages and objects for each file, and its
 *   aws-ses-v2-local (SES), its mail store emptied for each file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import type { BindingValues } from '../../lib/function-specs';
import { startDynamoTap, type DynamoTap, type TapHooks } from '../../local/dynamo-tap';
import { freePort, startSesLocal, type Emulator } from '../../local/emulators';
import { startFauxqs, type Fauxqs, type FauxqsOptions } from '../../local/fauxqs';
import { startFunctionHost, type FunctionHost, type LocalRuntime } from '../../local/functions';

export const FAILED = 'caseworkTestFailed';
export const KEPT_LOCAL = 'caseworkKeptLocal';

/** The fixed parts of a standard local mode in this worker. */
export interface KeptSettings {
  ports: { ses: number; aws: number; push: number; chat: number; chatTimers: number; tap: number };
  tableName: string;
  /** The URL of the worker's tap, in front of its DynamoDB Local: the functions' DynamoDB endpoint. */
  tap: string;
  keyDir: string;
  cursorSecret: string;
}

export interface KeptLocal {
  /**
   * The settings for a standard local mode on the worker's DynamoDB Local at `dynamo`, or undefined
   * while another of this worker runs. The tap shows the file's requests to `tap`, if given.
   */
  acquire(dynamo: string, tap?: TapHooks): Promise<KeptSettings | undefined>;
  /** After a failed start on these ports (another process took one): new ports for the next. */
  renewPorts(): Promise<void>;
  /**
   * The worker's function host for exactly this runtime and these bindings (a new one, the old
   * stopped, when they differ), its output going to `output` until the next call.
   */
  functionHost(
    runtime: LocalRuntime,
    bindings: BindingValues,
    bundles: string | undefined,
    output: (chunk: string) => void,
  ): FunctionHost;
  /**
   * The worker's fauxqs with exactly these options, emptied of messages and objects (a new one,
   * the old stopped, when they differ); its S3 notifications go to this file's `onObjectCreated`.
   * Its `stop()` leaves it running for the worker's next file.
   */
  fauxqs(options: FauxqsOptions): Promise<Fauxqs>;
  /**
   * The worker's aws-ses-v2-local on this port, its mail store emptied (a new one, the old
   * stopped, on another port). Its `stop()` leaves it running for the worker's next file.
   */
  ses(options: { port: number }): Promise<Emulator>;
  release(): void;
  /** How many SES emulators this worker has started (the tests of this module read it). */
  sesStarted(): number;
  /** How many function hosts this worker has started (the tests of this module read it). */
  hostsStarted(): number;
  /** What the worker's tap has seen so far (the tests of this module read it). */
  tapSeen(): { connections: number; requests: number };
}

const ports = async (): Promise<KeptSettings['ports']> => ({
  ses: await freePort(),
  aws: await freePort(),
  push: await freePort(),
  chat: await freePort(),
  chatTimers: await freePort(),
  tap: await freePort(),
});

/**
 * jest-worker's request that a worker process end (CHILD_MESSAGE_END in its protocol, not exported
 * at runtime): the run is over. The worker's kept containers, tap, fauxqs and SES stop then, so that the
 * worker exits at once; the containers' stdio ports would otherwise keep it alive until jest kills it.
 */
const JEST_WORKER_END = 2;

let settings: KeptSettings | undefined;
let idle: NodeJS.Timeout | undefined;
let inUse = false;
let host: { key: string; host: FunctionHost } | undefined;
let hosts = 0;
let output: (chunk: string) => void = () => undefined;
let tap: { upstream: string; tap: DynamoTap } | undefined;
let hooks: TapHooks | undefined;
/**
 * One tap for every file: what it shows goes to the hooks of the file running now. Getters, so that
 * for a file without hooks the tap sees none and only forwards.
 */
const forward: TapHooks = {
  get onRequest() {
    return hooks?.onRequest;
  },
  get onResponse() {
    return hooks?.onResponse;
  },
};
/**
 * An emulator the worker keeps from file to file: reset for each file while the key is the same;
 * another key, or a reset that fails (the emulator gone or stuck), stops it and starts a new one.
 */
const keptEmulator = <T extends { stop(): Promise<void> }>() => {
  let kept: { key: string; emulator: T } | undefined;
  let starts = 0;
  const stop = () => {
    const stopping = kept;
    kept = undefined;
    return stopping?.emulator.stop();
  };
  return {
    stop,
    starts: () => starts,
    get: async (key: string, start: () => Promise<T>, reset: (emulator: T) => Promise<void>): Promise<T> => {
      if (kept?.key === key) {
        try {
          await reset(kept.emulator);
        } catch {
          await stop();
        }
      } else await stop();
      if (!kept) {
        starts++;
        kept = { key, emulator: await start() };
      }
      return kept.emulator;
    },
  };
};
const fauxqs = keptEmulator<Fauxqs>();
let objectCreated: FauxqsOptions['onObjectCreated'];
const ses = keptEmulator<Emulator>();
const closeTap = () => {
  const closing = tap;
  tap = undefined;
  return closing?.tap.close();
};
const tapUrl = (kept: KeptSettings['ports']): string => `http://127.0.0.1:${kept.tap}`;
/** New free ports for the kept settings, and so a new environment for their functions. */
const renew = async (kept: KeptSettings): Promise<void> => {
  kept.ports = await ports();
  kept.tap = tapUrl(kept.ports);
};
/** The tap on the kept port; on new ports if another process took it. */
const openTap = async (upstream: string): Promise<void> => {
  await closeTap();
  const kept = settings!;
  try {
    tap = { upstream, tap: await startDynamoTap(upstream, forward, { port: kept.ports.tap }) };
  } catch (err) {
    if (!/EADDRINUSE/.test(String(err))) throw err;
    await renew(kept);
    tap = { upstream, tap: await startDynamoTap(upstream, forward, { port: kept.ports.tap }) };
  }
};

const stopKept = (): void => {
  const stopping = host;
  host = undefined;
  void stopping?.host.stop();
  void closeTap();
  void fauxqs.stop();
  void ses.stop();
};
if (process.send) {
  const onMessage = (message: unknown) => {
    if (!Array.isArray(message) || message[0] !== JEST_WORKER_END) return;
    // Removed, so that this listener keeps the IPC channel open no longer than jest's own.
    process.off('message', onMessage);
    stopKept();
  };
  process.on('message', onMessage);
}

const keptLocal: KeptLocal = {
  acquire: async (dynamo, tapHooks) => {
    if (inUse) return undefined;
    inUse = true;
    clearTimeout(idle);
    if (!settings) {
      const keyDir = mkdtempSync(join(tmpdir(), 'casework-keys-'));
      process.once('exit', () => rmSync(keyDir, { recursive: true, force: true }));
      const kept = await ports();
      settings = {
        ports: kept,
        tableName: `casework-kept-${process.pid}`,
        tap: tapUrl(kept),
        keyDir,
        cursorSecret: randomBytes(32).toString('base64url'),
      };
    }
    hooks = tapHooks;
    try {
      if (tap?.upstream !== dynamo) await openTap(dynamo);
    } catch (err) {
      inUse = false;
      throw err;
    }
    return settings;
  },
  renewPorts: async () => {
    if (!settings) return;
    await renew(settings);
    if (tap) await openTap(tap.upstream);
  },
  functionHost: (runtime, bindings, bundles, to) => {
    output = to;
    // The containers reach DynamoDB Local through the tap only while a file watches it: relaying
    // every request through this thread cost about a sixth of a request's CPU here.
    const dynamoBypass = settings && tap ? { tap: settings.tap, dynamo: tap.upstream } : undefined;
    const key = JSON.stringify({ runtime, bindings, bundles, dynamoBypass });
    if (host?.key !== key) {
      void host?.host.stop();
      hosts++;
      host = {
        key,
        host: startFunctionHost({ runtime, bindings, bundles, output: (chunk) => output(chunk), unref: true, dynamoBypass }),
      };
    }
    host.host.bypassDynamoTap(!(hooks?.onRequest || hooks?.onResponse));
    return host.host;
  },
  fauxqs: async ({ onObjectCreated, ...options }) => {
    objectCreated = onObjectCreated;
    const kept = await fauxqs.get(
      JSON.stringify(options),
      () => startFauxqs({ ...options, onObjectCreated: (bucket, objectKey) => objectCreated?.(bucket, objectKey) }),
      (f) => f.reset(),
    );
    return { ...kept, stop: async () => undefined };
  },
  ses: async ({ port }) => {
    const kept = await ses.get(
      String(port),
      () => startSesLocal({ port }),
      async (e) => {
        const res = await fetch(`${e.endpoint}/clear-store`, { method: 'POST' });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`clear-store answered ${res.status}`);
      },
    );
    return { endpoint: kept.endpoint, stop: async () => undefined };
  },
  release: () => {
    inUse = false;
    output = () => undefined;
    hooks = undefined;
    objectCreated = undefined;
    // In a jest worker process the kept parts live as long as the worker: files that start a local
    // mode of their own (fault proxies, an integration file's) or none run between those that use
    // them, and starting 60 containers again took more CPU than any of those files. Running in band
    // (one file, no worker processes), they end with the file's last local mode.
    if (!process.send) idle = setTimeout(stopKept, 0).unref();
  },
  sesStarted: () => ses.starts(),
  hostsStarted: () => hosts,
  tapSeen: () => tap?.tap.seen() ?? { connections: 0, requests: 0 },
};

export default class CaseworkEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    this.global[KEPT_LOCAL] = keptLocal;
  }

  handleTestEvent = (event: { name: string }): void => {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.global[FAILED] = true;
  };
}
