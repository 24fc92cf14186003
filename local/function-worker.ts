/**
 * One local Lambda container: runs in its own worker thread, with its own module registry and
 * exactly its function's environment (local/functions.ts starts it), loads one handler and
 * answers invocations from the main thread.
 */
import { Agent, type ClientRequestArgs } from 'node:http';
import { enableCompileCache, flushCompileCache, registerHooks } from 'node:module';
import type { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

export interface WorkerData {
  /** Absolute path of the handler module. */
  entry: string;
  /** Absolute paths of the port modules its bindings load first (lib/function-specs.ts, portModulesOf). */
  ports: string[];
  /** `entry` is the function's bundle: its stack traces need the source map, as NODE_OPTIONS asks in AWS. */
  bundled?: boolean;
  /**
   * V8's code cache for the bundles, shared by every container of the run: a bundle is the same
   * file in each test file's local mode, and compiling it again was a tenth of a container's start.
   */
  compileCache?: string;
  /**
   * A DynamoDB tap the functions' endpoint names, which a container may bypass (test/helpers/
   * environment.ts): while `on`, its connections to the tap's port go to DynamoDB Local's instead.
   * The function's environment is unchanged; only the relay through the tap's thread is skipped
   * while nothing watches it.
   */
  bypass?: { tap: { host: string; port: number }; dynamo: { host: string; port: number }; on: boolean };
}

/** Turns the bypass of `WorkerData.bypass` on or off; the container's open connections to either end close. */
export interface BypassMessage {
  type: 'bypass';
  on: boolean;
}

export interface Invocation {
  id: number;
  event: unknown;
  context: { functionName: string; awsRequestId: string; deadline: number; memoryLimitInMB: string; region: string };
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: string }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: string };

/**
 * Packages that export only an `import` condition (@middy/core 7). Handlers are CommonJS here,
 * so Node resolves their imports with the `require` condition and finds nothing; in AWS esbuild
 * resolves them while bundling and in jest a moduleNameMapper does. Adding `import` for these
 * packages alone lets Node 24's require(esm) load them. A global `--conditions=import` is no
 * substitute: it breaks other packages (express's JSON requires under tsx).
 */
const ESM_ONLY_PREFIXES = ['@middy/'];
registerHooks({
  resolve: (specifier, context, next) =>
    ESM_ONLY_PREFIXES.some((p) => specifier.startsWith(p)) && !context.conditions?.includes('import')
      ? next(specifier, { ...context, conditions: [...(context.conditions ?? []), 'import'] })
      : next(specifier, context),
});

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort!;
const { entry, ports, bundled, compileCache, bypass } = workerData as WorkerData;
// A worker ignores the NODE_OPTIONS of its env; the function's --enable-source-maps, applied here.
if (bundled) process.setSourceMapsEnabled(true);
if (compileCache) enableCompileCache(compileCache);

/**
 * The SDK's HTTP handler connects through an http.Agent, whose createConnection is where a
 * connection to the tap is sent on to DynamoDB Local instead. Each switch closes the connections
 * made so far, so that a kept-alive one never carries a request past a tap that now watches.
 */
const bypassing = (b: NonNullable<WorkerData['bypass']>): ((on: boolean) => void) => {
  let on = b.on;
  const connections = new Set<Duplex>();
  const create = Agent.prototype.createConnection;
  Agent.prototype.createConnection = function (
    this: Agent,
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ) {
    if (options.host !== b.tap.host || Number(options.port) !== b.tap.port) return create.call(this, options, callback);
    const socket = create.call(this, on ? { ...options, ...b.dynamo } : options, callback);
    if (socket) {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    }
    return socket;
  };
  return (next) => {
    if (next === on) return;
    on = next;
    for (const socket of connections) socket.destroy();
  };
};
const setBypass = bypass ? bypassing(bypass) : undefined;

const contextOf = (c: Invocation['context']): Context => {
  const unsupported = () => {
    throw new Error('Callback-style Lambda context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: c.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${c.region}:000000000000:function:${c.functionName}`,
    memoryLimitInMB: c.memoryLimitInMB,
    awsRequestId: c.awsRequestId,
    logGroupName: `/aws/lambda/${c.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, c.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const post = (message: WorkerMessage) => port.postMessage(message);
const describe = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

let handler: Handler;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const p of ports) require(p);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry) as { handler?: Handler; default?: { handler?: Handler } };
  const found = mod.handler ?? mod.default?.handler;
  if (typeof found !== 'function') throw new Error(`${entry} does not export a handler`);
  handler = found;
  // Written now, not when the thread ends: a kept container lives as long as its jest worker, and
  // the other worker's containers of the same bundle start meanwhile.
  if (compileCache) flushCompileCache();
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'init-error', error: describe(err) });
}

port.on('message', (msg: Invocation | BypassMessage) => {
  if ('type' in msg) {
    setBypass?.(msg.on);
    return;
  }
  Promise.resolve()
    .then(() => handler(msg.event, contextOf(msg.context)))
    .then(
      (result) => post({ type: 'result', id: msg.id, result }),
      (err: unknown) => post({ type: 'error', id: msg.id, error: describe(err) }),
    );
});
