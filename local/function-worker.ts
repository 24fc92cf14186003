/**
 * One local Lambda container: runs in its own worker thread, with its own module registry and
 * exactly its function's environment (local/functions.ts starts it), loads one handler and
 * answers invocations from the main thread.
 */
import { enableCompileCache, registerHooks } from 'node:module';
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
const { entry, ports, bundled, compileCache } = workerData as WorkerData;
// A worker ignores the NODE_OPTIONS of its env; the function's --enable-source-maps, applied here.
if (bundled) process.setSourceMapsEnabled(true);
if (compileCache) enableCompileCache(compileCache);

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
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'init-error', error: describe(err) });
}

port.on('message', (msg: Invocation) => {
  Promise.resolve()
    .then(() => handler(msg.event, contextOf(msg.context)))
    .then(
      (result) => post({ type: 'result', id: msg.id, result }),
      (err: unknown) => post({ type: 'error', id: msg.id, error: describe(err) }),
    );
});
