/**
 * fauxqs (S3, SNS and SQS emulator) for local mode, in a child process of its own: fauxqs is
 * ESM-only and uses node:sqlite, which neither the CommonJS build of local mode nor jest's module
 * loader can import in-process; a child also keeps its event loop away from the handlers'.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { childStopper, type Emulator } from './emulators';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 20_000;
const REPO_ROOT = resolve(__dirname, '..');

/** Runs in the child: starts fauxqs, creates the buckets, prints its port, stops on SIGTERM. */
const CHILD = `
import net from 'node:net';
import { startFauxqs } from 'fauxqs';
const opts = JSON.parse(process.env.CASEWORK_FAUXQS);
// fauxqs 2.4 listens on 0.0.0.0 whatever its host option (which only names the host in queue
// URLs). Every local service binds loopback, so a listen on all interfaces in this
// child is turned into one on opts.host (127.0.0.1) before fauxqs starts.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const o = args[0];
  if (o && typeof o === 'object' && 'port' in o && (o.host === undefined || o.host === '0.0.0.0' || o.host === '::'))
    args[0] = { ...o, host: opts.host };
  return listen.apply(this, args);
};
const notify = opts.notify ?? [];
const server = await startFauxqs({ port: opts.port, host: opts.host, logger: false, defaultRegion: opts.region,
  ...(opts.s3StorageDir ? { s3StorageDir: opts.s3StorageDir } : {}),
  ...(notify.length ? { messageSpies: { bufferSize: 1000 } } : {}) });
for (const bucket of opts.buckets) server.createBucket(bucket);
const queues = {};
for (const name of opts.queues ?? []) {
  const dl = (opts.deadLetters ?? {})[name];
  const attributes = dl
    ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queues[dl.target].queueArn, maxReceiveCount: dl.maxReceiveCount }) }
    : undefined;
  queues[name] = server.createQueue(name, { region: opts.region, ...(attributes ? { attributes } : {}) });
}
const topics = {};
for (const name of opts.topics ?? []) topics[name] = server.createTopic(name, { region: opts.region }).topicArn;
for (const sub of opts.subscriptions ?? [])
  server.subscribe({ topic: sub.topic, queue: sub.queue, region: opts.region,
    ...(sub.rawMessageDelivery ? { attributes: { RawMessageDelivery: 'true' } } : {}) });
process.stdout.write(JSON.stringify({ ready: server.port, topics, queues: Object.fromEntries(
  Object.entries(queues).map(([k, q]) => [k, q.queueUrl])) }) + '\\n');
// S3 event notifications, which fauxqs does not have: every object stored under a watched prefix
// is reported on a line of its own, once (the spy keeps each upload as an object of its own).
if (notify.length) {
  const seen = new WeakSet();
  const watched = (m) => m.service === 's3' && m.status === 'uploaded' && !seen.has(m) &&
    notify.some((n) => n.bucket === m.bucket && m.key.startsWith(n.prefix));
  (async () => {
    for (;;) {
      let m;
      try {
        m = await server.spy.waitForMessage(watched, 'uploaded');
      } catch (err) {
        // A reset clears the spy and fails its waiters; the uploads after it are still reported.
        if (String(err).includes('MessageSpy cleared')) continue;
        throw err;
      }
      seen.add(m);
      process.stdout.write(JSON.stringify({ objectCreated: { bucket: m.bucket, key: m.key } }) + '\\n');
    }
  })().catch((err) => process.stderr.write(String(err) + '\\n'));
}
const stop = () => server.stop().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent went away without stopping us: do not outlive it.
process.stdin.on('end', stop);
// "reset": every message and object gone, queues, topics, subscriptions and buckets kept.
let commands = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  commands += chunk;
  for (let i = commands.indexOf('\\n'); i >= 0; i = commands.indexOf('\\n')) {
    const command = commands.slice(0, i);
    commands = commands.slice(i + 1);
    if (command === 'reset') {
      server.reset();
      process.stdout.write(JSON.stringify({ reset: true }) + '\\n');
    }
  }
});
`;

export interface FauxqsOptions {
  /** 0 picks a free port. */
  port: number;
  /** Created (idempotently) before the emulator is reported ready. */
  buckets: string[];
  region?: string;
  /** Keep S3 objects as files in this directory across runs; in memory when absent. */
  persistDir?: string;
  /** SNS topics and SQS queues (by name) created before ready, and SQS subscriptions to topics. */
  topics?: string[];
  queues?: string[];
  subscriptions?: { topic: string; queue: string; rawMessageDelivery?: boolean }[];
  /** A queue's dead-letter queue (listed before it in `queues`) and maxReceiveCount, as a RedrivePolicy. */
  deadLetters?: Record<string, { target: string; maxReceiveCount: number }>;
  /**
   * S3 event notifications' stand-in: `onObjectCreated` is called for every object stored under
   * one of these bucket prefixes, as S3 invokes a function on "object created" in AWS.
   */
  notify?: { bucket: string; prefix: string }[];
  onObjectCreated?: (bucket: string, key: string) => void;
}

export interface Fauxqs extends Emulator {
  port: number;
  /**
   * Clears every message and object, keeping the queues, topics, subscriptions and buckets: the
   * emulator as it was when it became ready, for the next user of a kept one.
   */
  reset(): Promise<void>;
  /** ARN of each topic of FauxqsOptions.topics, by name. */
  topicArns: Record<string, string>;
  /** URL of each queue of FauxqsOptions.queues, by name. */
  queueUrls: Record<string, string>;
}

export const startFauxqs = async (opts: FauxqsOptions): Promise<Fauxqs> => {
  const s3StorageDir = opts.persistDir ? resolve(opts.persistDir, 's3') : undefined;
  if (s3StorageDir) mkdirSync(s3StorageDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', CHILD], {
    // Resolves `fauxqs` from the repository's node_modules.
    cwd: join(REPO_ROOT),
    env: {
      ...process.env,
      CASEWORK_FAUXQS: JSON.stringify({
        port: opts.port,
        host: HOST,
        region: opts.region ?? process.env.AWS_REGION ?? 'eu-west-1',
        buckets: opts.buckets,
        s3StorageDir,
        topics: opts.topics,
        queues: opts.queues,
        subscriptions: opts.subscriptions,
        deadLetters: opts.deadLetters,
        notify: opts.notify,
      }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const { stop } = childStopper(child);

  const ready = await new Promise<{ ready: number; topics: Record<string, string>; queues: Record<string, string> }>(
    (resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fauxqs did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      child.stderr?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        // Complete lines only: the ready line may arrive in pieces.
        const line = output
          .split('\n')
          .slice(0, -1)
          .find((l) => l.startsWith('{"ready":'));
        if (line) {
          clearTimeout(timer);
          resolveReady(JSON.parse(line));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`fauxqs exited during startup (code ${code}; port ${opts.port} in use?):\n${output}`));
      });
    },
  ).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const port = ready.ready;
  const resets: (() => void)[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{"reset":')) resets.shift()?.();
      if (!line.startsWith('{"objectCreated":') || !opts.onObjectCreated) continue;
      const { objectCreated } = JSON.parse(line) as { objectCreated: { bucket: string; key: string } };
      opts.onObjectCreated(objectCreated.bucket, objectCreated.key);
    }
  });
  const reset = () =>
    new Promise<void>((done, failed) => {
      if (child.exitCode !== null || !child.stdin?.writable) return failed(new Error('fauxqs has exited'));
      const timer = setTimeout(() => failed(new Error(`fauxqs did not reset within 5 s:\n${output}`)), 5000);
      resets.push(() => {
        clearTimeout(timer);
        done();
      });
      child.stdin.write('reset\n');
    });
  return { endpoint: `http://${HOST}:${port}`, port, topicArns: ready.topics, queueUrls: ready.queues, reset, stop };
};
