/**
 * `npm run bench`: boots local mode in this process, drives the main routes with plain fetch,
 * bundles three handlers like CDK does, and writes everything to bench/RESULTS.md.
 * Measurements only: nothing here passes or fails on a number, only on errors.
 *   BENCH_REQUESTS (default 300) and BENCH_CONCURRENCY (default 8) per route.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { startLocal } from '../lib/local';
import type { LocalMode } from '../lib/local';
import { signUserToken } from '../lib/local/issuer';

const REPO_ROOT = resolve(__dirname, '..');
const RESULTS_FILE = join(__dirname, 'RESULTS.md');
const BUNDLED_HANDLERS = ['lambdas/http/get-case.ts', 'lambdas/http/create-case.ts', 'lambdas/schedule/run-sweep.ts'];

const positiveInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} is not a positive integer`);
  return value;
};

const REQUESTS = positiveInt('BENCH_REQUESTS', 300);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 8);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => value.toFixed(1);
const memory = () => {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

/**
 * Whether our DynamoDB Local JVM is still running, found by its port because other test runs on
 * this machine may have JVMs of their own. Null where pgrep is missing.
 */
const dynamoStillRunning = (port: string): boolean | null => {
  try {
    execFileSync('pgrep', ['-f', `DynamoDBLocal.* -port ${port}( |$)`], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // pgrep exits 1 when nothing matches; anything else means we cannot tell.
    return (err as { status?: number }).status === 1 ? false : null;
  }
};

interface Scenario {
  name: string;
  path: string;
  token?: string;
  init?: (i: number) => RequestInit;
}

interface RouteResult {
  name: string;
  /** The unmeasured first request: the handler module's import, like a Lambda cold start. */
  coldMs: number;
  p50: number;
  p95: number;
  p99: number;
  reqPerSec: number;
  errors: number;
  firstError?: string;
  rss: number;
  heapUsed: number;
}

const send = async (base: string, scenario: Scenario, i: number): Promise<{ ms: number; error?: string }> => {
  const init = scenario.init?.(i) ?? {};
  const headers = new Headers(init.headers);
  if (scenario.token) headers.set('authorization', `Bearer ${scenario.token}`);
  const started = performance.now();
  try {
    const res = await fetch(`${base}${scenario.path}`, { ...init, headers });
    // The body is part of the response time, and an unread body would pin the connection.
    const text = await res.text();
    const elapsed = performance.now() - started;
    return res.ok ? { ms: elapsed } : { ms: elapsed, error: `${res.status} ${text.slice(0, 300)}` };
  } catch (err) {
    return { ms: performance.now() - started, error: String(err) };
  }
};

const runScenario = async (base: string, scenario: Scenario): Promise<RouteResult> => {
  // Index -1 keeps the warm-up's Idempotency-Key apart from the measured ones.
  const cold = await send(base, scenario, -1);
  let errors = cold.error ? 1 : 0;
  let firstError = cold.error;
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      const r = await send(base, scenario, next++);
      latencies.push(r.ms);
      if (r.error) {
        errors++;
        firstError ??= r.error;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, REQUESTS) }, worker));
  const wall = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    name: scenario.name,
    coldMs: cold.ms,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    reqPerSec: REQUESTS / (wall / 1000),
    errors,
    firstError,
    ...memory(),
  };
};

interface BundleResult {
  file: string;
  js: number;
  gzip: number;
  map: number;
}

/** The options of lib/constructs/casework-function.ts, as NodejsFunction hands them to esbuild. */
const bundleHandlers = async (): Promise<BundleResult[]> => {
  const outRoot = mkdtempSync(join(tmpdir(), 'casework-bench-bundle-'));
  try {
    const results: BundleResult[] = [];
    for (const file of BUNDLED_HANDLERS) {
      const outfile = join(outRoot, basename(file, '.ts'), 'index.js');
      await build({
        absWorkingDir: REPO_ROOT,
        entryPoints: [join(REPO_ROOT, file)],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node24',
        format: 'cjs',
        minify: true,
        // CDK's `sourceMap: true` is esbuild's `--sourcemap`: a separate .map, linked by a comment.
        sourcemap: true,
        sourcesContent: false,
        keepNames: true,
        // bundleAwsSDK with no externals: the SDK is inside the bundle, as deployed.
        external: [],
        logLevel: 'warning',
      });
      const js = readFileSync(outfile);
      results.push({ file, js: js.length, gzip: gzipSync(js, { level: 9 }).length, map: statSync(`${outfile}.map`).size });
    }
    return results;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
};

const report = (data: {
  bootMs: number;
  boot: { rss: number; heapUsed: number };
  routes: RouteResult[];
  bundles: BundleResult[];
  leaked: string;
  load: number[];
}): string => {
  const cpu = cpus();
  const table = [
    '| route | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...data.routes.map(
      (r) =>
        `| ${r.name} | ${REQUESTS} | ${CONCURRENCY} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.reqPerSec.toFixed(0)} | ${r.errors} |`,
    ),
  ];
  const memoryTable = [
    '| after route | cold first request ms | RSS | heapUsed |',
    '|---|---:|---:|---:|',
    ...data.routes.map((r) => `| ${r.name} | ${ms(r.coldMs)} | ${mb(r.rss)} | ${mb(r.heapUsed)} |`),
  ];
  const bundleTable = [
    '| handler | .js | gzip -9 | .js.map |',
    '|---|---:|---:|---:|',
    ...data.bundles.map((b) => `| ${b.file} | ${b.js} B (${kb(b.js)}) | ${b.gzip} B (${kb(b.gzip)}) | ${kb(b.map)} |`),
  ];
  return [
    `# Casework benchmark`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${mb(totalmem())} RAM, ${platform()} ${release()}, Node ${process.version}`,
    // Client, server and JVM share these cores, so a busy machine shows up in every number.
    `- Load average before the run (1/5/15 min): ${data.load.map((l) => l.toFixed(2)).join(' / ')}`,
    `- Boot (DynamoDB Local, SES, seed, gateway): ${data.bootMs.toFixed(0)} ms; after boot RSS ${mb(data.boot.rss)}, heapUsed ${mb(data.boot.heapUsed)}`,
    `- Memory is this Node process only (gateway, handlers and the fetch client); the DynamoDB Local JVM is not counted.`,
    `- Our DynamoDB Local still running after stop: ${data.leaked}`,
    '',
    '## Routes',
    '',
    ...table,
    '',
    '## Memory and cold start',
    '',
    ...memoryTable,
    '',
    '## Lambda bundles (esbuild, as CaseworkFunction bundles them)',
    '',
    ...bundleTable,
    '',
  ].join('\n');
};

const main = async (): Promise<number> => {
  const load = loadavg();
  const keyDir = mkdtempSync(join(tmpdir(), 'casework-bench-keys-'));
  // Tokens are signed with a throwaway key, never a developer's .local-data key.
  process.env.CASEWORK_KEY_DIR = keyDir;
  let local: LocalMode | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping local mode…`);
    void (local?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    const bootStarted = performance.now();
    local = await startLocal({ apiPort: 0, sesPort: 0, dynamoPort: 0, chatPort: 0, seed: true });
    const bootMs = performance.now() - bootStarted;
    const boot = memory();
    console.log(
      `Booted local mode in ${bootMs.toFixed(0)} ms: API ${local.urls.api}, DynamoDB ${local.urls.dynamo}, RSS ${mb(boot.rss)}`,
    );

    // Imported after boot: the demo data module reads the environment startLocal sets.
    const { DEMO_USERS } = await import('../lib/local/demo-data');
    const token = (email: string) => {
      const user = DEMO_USERS.find((u) => u.email === email);
      if (!user) throw new Error(`No demo user ${email}`);
      return signUserToken({ sub: user.userId, email: user.email });
    };
    const dana = token('dana@acme.example');
    const eric = token('eric@vendor.example');
    const base = local.urls.api;

    const listRes = await fetch(`${base}/cases`, { headers: { authorization: `Bearer ${dana}` } });
    const list = (await listRes.json()) as { items?: { caseNumber: string; orgId: string; status: string }[] };
    const acmeCase = list.items?.find((c) => c.orgId === 'ORG-ACME' && c.status !== 'closed');
    if (!acmeCase) throw new Error(`GET /cases as dana gave no open Acme case (${listRes.status})`);
    const n = acmeCase.caseNumber;
    const runId = randomUUID().slice(0, 8);
    const json = (body: unknown, extra: Record<string, string> = {}): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra },
      body: JSON.stringify(body),
    });

    const scenarios: Scenario[] = [
      { name: 'GET /health', path: '/health' },
      { name: 'GET /me (dana)', path: '/me', token: dana },
      { name: 'GET /cases (dana)', path: '/cases', token: dana },
      { name: 'GET /cases?sort=lastModified (eric)', path: '/cases?sort=lastModified', token: eric },
      { name: 'GET /cases/{n} (dana)', path: `/cases/${n}`, token: dana },
      { name: 'GET /cases/{n}/updates (dana)', path: `/cases/${n}/updates`, token: dana },
      {
        name: 'POST /cases/{n}/updates (dana)',
        path: `/cases/${n}/updates`,
        token: dana,
        init: (i) => json({ body: `Bench update ${runId} #${i}` }),
      },
      {
        name: 'POST /cases (dana)',
        path: '/cases',
        token: dana,
        init: (i) =>
          json(
            {
              subject: `Bench case ${runId} #${i}`,
              description: 'Created by npm run bench.',
              severity: 'low',
              orgId: 'ORG-ACME',
              productLine: 'Genesys Cloud CX',
            },
            // Unique per request, so each one really creates a case instead of replaying.
            { 'idempotency-key': `bench-${runId}-${i}` },
          ),
      },
      { name: 'GET /search?q=Acme (dana)', path: '/search?q=Acme', token: dana },
    ];

    const routes: RouteResult[] = [];
    for (const scenario of scenarios) {
      const result = await runScenario(base, scenario);
      routes.push(result);
      console.log(`${scenario.name}: p50 ${ms(result.p50)} ms, ${result.reqPerSec.toFixed(0)} req/s, ${result.errors} errors`);
      if (result.firstError) console.log(`  first error: ${result.firstError}`);
    }

    const dynamoPort = new URL(local.urls.dynamo).port;
    await local.stop();
    local = undefined;
    const running = dynamoStillRunning(dynamoPort);
    const leaked = running === null ? 'unknown (no pgrep)' : running ? `yes, on port ${dynamoPort}` : 'no';

    const bundles = await bundleHandlers();
    const markdown = report({ bootMs, boot, routes, bundles, leaked, load });
    console.log(`\n${markdown}`);
    writeFileSync(RESULTS_FILE, markdown);
    console.log(`Written to ${RESULTS_FILE}`);

    const failed = routes.some((r) => r.errors > 0) || running === true;
    return failed ? 1 : 0;
  } finally {
    await local?.stop().catch((err: unknown) => console.error(err));
    rmSync(keyDir, { recursive: true, force: true });
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
